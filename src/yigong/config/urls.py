import os

from django.contrib import admin
from django.urls import include, path

from yigong.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("yigong.accounts.urls")),
    path("volunteers/", include("yigong.volunteers.urls")),
    path("console/", include("yigong.organizations.urls")),
    path("archive/", include("yigong.archive.urls")),
    path("notifications/", include("yigong.notifications.urls")),
    path("regions/", include("yigong.regions.urls")),
    path("projects/", include("yigong.projects.urls")),
    path("activities/", include("yigong.activities.urls")),
    path("attendance/", include("yigong.attendance.urls")),
    path("c/", include("yigong.attendance.urls_scan")),  # short: the URL a check-in QR code carries
    path("", include("yigong.certificates.urls")),  # certificates/…, verify/<number>
    path("", include("yigong.core.urls")),
]

if os.environ.get("YIGONG_BENCH") == "1":  # bench/: a bare Django view to compare throughput against
    from django.http import HttpResponse

    urlpatterns.insert(0, path("bench/bare", lambda request: HttpResponse(b"ok", content_type="text/plain")))
