"""The short public paths a QR code carries: /c/i/<token>/ (check in) and /c/o/<token>/ (check out)."""

from django.urls import path

from yigong.attendance import views

app_name = "checkin"
urlpatterns = [
    path("i/<str:token>/", views.scan, {"action": "in"}, name="in"),
    path("o/<str:token>/", views.scan, {"action": "out"}, name="out"),
]
