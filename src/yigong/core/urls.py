from django.urls import path

from yigong.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/children/", views.privacy_children, name="privacy-children"),
    # Placeholders for places that later releases build (the volunteer's bar links to them now).
    path("find/", views.placeholder, {"place": "find"}, name="find"),
    path("shifts/", views.placeholder, {"place": "shifts"}, name="my-shifts"),
    path("check-in/", views.placeholder, {"place": "checkin"}, name="check-in"),
    path("verify/", views.placeholder, {"place": "verify"}, name="verify"),
    path("request-volunteers/", views.placeholder, {"place": "units"}, name="request-volunteers"),
    path("healthz", views.healthz, name="healthz"),
]
