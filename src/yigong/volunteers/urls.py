from django.urls import path

from yigong.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/done/", views.registered, name="registered"),
    path("me/", views.me, name="me"),
    path("me/export/", views.export, name="export"),
    path("me/withdraw/", views.withdraw, name="withdraw"),
    path("join/", views.join, name="join"),
    path("join/<int:org_id>/", views.apply, name="apply"),
]
