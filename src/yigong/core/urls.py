from django.urls import path
from django.views.generic import RedirectView

from yigong.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/children/", views.privacy_children, name="privacy-children"),
    # Old short addresses of places that are real now (links in messages already sent use them).
    path("find/", RedirectView.as_view(pattern_name="activities:finder"), name="find"),
    path("shifts/", RedirectView.as_view(pattern_name="activities:my-shifts"), name="my-shifts"),
    # Placeholders for places that later releases build (the volunteer's bar links to them now).
    path("check-in/", views.check_in, name="check-in"),
    path("request-volunteers/", views.placeholder, {"place": "units"}, name="request-volunteers"),
    path("healthz", views.healthz, name="healthz"),
]
