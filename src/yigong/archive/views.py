"""Pages of the personal archive: the volunteer's own, and staff's view of volunteers in their area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from yigong.archive import selectors, services
from yigong.core.errors import NotFound
from yigong.volunteers.models import Volunteer

PER_PAGE = 30


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2200 else None


def _render_archive(request, volunteer: Volunteer, *, staff_view: bool):
    year = _year(request)
    paginator = Paginator(selectors.service_entries(volunteer, year=year), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    archive = selectors.archive_for(volunteer, entries=page.object_list)
    most = max((y.minutes for y in archive.summary.years), default=0)
    years = [
        {"total": y, "share": round(100 * max(y.minutes, 0) / most) if most > 0 else 0,
         "current": y.year == year}
        for y in archive.summary.years
    ]
    return render(request, "archive/archive_detail.html", {
        "volunteer": volunteer, "archive": archive, "page": page, "year": year, "years": years,
        "staff_view": staff_view,
    })


def _download(request, volunteer: Volunteer, fmt: str) -> HttpResponse:
    try:
        file = services.export_archive(actor=request.user, volunteer=volunteer, fmt=fmt)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def mine(request):
    volunteer = Volunteer.objects.filter(user=request.user).first()
    if volunteer is None:
        return render(request, "archive/no_archive.html", status=404)
    return _render_archive(request, volunteer, staff_view=False)


@login_required
def mine_export(request, fmt: str):
    volunteer = get_object_or_404(Volunteer, user=request.user)
    return _download(request, volunteer, fmt)


def _visible_volunteer(request, volunteer_id: int) -> Volunteer:
    """A volunteer in the staff user's subtree; outside it, 404 (as if there were none)."""
    qs = Volunteer.objects.visible_to(request.user).select_related("home_community")
    return get_object_or_404(qs, pk=volunteer_id)


@login_required
def volunteer_archive(request, volunteer_id: int):
    if Volunteer.objects.filter(pk=volunteer_id, user=request.user).exists():
        return redirect("archive:mine")
    return _render_archive(request, _visible_volunteer(request, volunteer_id), staff_view=True)


@login_required
def volunteer_export(request, volunteer_id: str, fmt: str):
    return _download(request, _visible_volunteer(request, int(volunteer_id)), fmt)
