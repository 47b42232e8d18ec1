from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yigong.core.selectors import district_figures
from yigong.regions.models import Region


def home(request):
    district = Region.objects.filter(level=Region.Level.DISTRICT, active=True).order_by("code").first()
    return render(request, "core/home.html", {"figures": district_figures(), "district": district})


def privacy(request):
    return render(request, "core/privacy.html", {
        "version": settings.YIGONG_PRIVACY_NOTICE_VERSION,
        "child_version": settings.YIGONG_CHILD_PRIVACY_NOTICE_VERSION,
    })


def privacy_children(request):
    return render(request, "core/privacy_children.html", {
        "version": settings.YIGONG_CHILD_PRIVACY_NOTICE_VERSION,
    })


# Places that later releases fill in. Each says honestly what is not there yet.
PLACEHOLDERS = {
    "verify": (_("Verify a certificate"), _(
        "Schools, employers and League branches will be able to verify a volunteer's service "
        "certificate here by its code or QR code. Certificates are issued from a later release.")),
    "units": (_("Request volunteers"), _(
        "Units that need volunteers will be able to send a request and agree a service plan here "
        "in a later release. Until then, please contact the volunteer federation of your street.")),
}


def check_in(request):
    """The bar's "check in" place: how checking in works, and the volunteer's shifts today."""
    from datetime import datetime, time, timedelta

    from yigong.activities.eligibility import local_zone
    from yigong.activities.models import SignUp

    shifts = []
    if request.user.is_authenticated:
        zone = local_zone()
        today = timezone.localtime(timezone.now(), zone).date()
        start = datetime.combine(today, time(0), tzinfo=zone)
        shifts = list(
            SignUp.objects.filter(volunteer__user=request.user, status=SignUp.Status.APPROVED,
                                  starts_at__lt=start + timedelta(days=1), ends_at__gt=start)
            .select_related("shift__activity__organization", "slot__position").order_by("starts_at")
        )
    return render(request, "core/check_in.html", {"signups": shifts})


def placeholder(request, *, place: str):
    title, text = PLACEHOLDERS[place]
    return render(request, "core/placeholder.html", {"title": title, "text": text, "place": place})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
