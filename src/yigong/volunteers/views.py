"""Pages for volunteers. (Skeleton: the pages issue fills in forms and templates.)"""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from yigong.volunteers import services
from yigong.volunteers.models import Volunteer


def register(request):
    return render(request, "volunteers/register.html", {})


@login_required
def me(request):
    volunteer = Volunteer.objects.filter(user=request.user).select_related("home_community").first()
    if volunteer is None:
        return redirect("organizations:console")
    return render(request, "volunteers/me.html", {"volunteer": volunteer})


@login_required
def export(request):
    volunteer = get_object_or_404(Volunteer, user=request.user)
    body = json.dumps(services.export_personal_data(volunteer=volunteer), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="yigong-{volunteer.registration_number}.json"'
    return response


@login_required
def withdraw(request):
    return render(request, "volunteers/withdraw.html", {})
