from django.shortcuts import render
from django.views.decorators.http import require_GET

from yigong.regions.forms import community_choices


@require_GET
def community_options(request):
    """The <option>s of the community select for one street (htmx swaps them in)."""
    street = request.GET.get("street", "")[:12]
    blank, *rest = community_choices(street)
    if street:
        groups = [{"label": "", "options": rest}]
    else:
        groups = [{"label": label, "options": options} for label, options in rest]
    return render(request, "regions/community_options.html", {
        "blank": blank, "groups": groups, "selected": request.GET.get("home_community", ""),
    })
