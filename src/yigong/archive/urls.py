from django.urls import path, re_path

from yigong.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.mine, name="mine"),
    re_path(r"^export\.(?P<fmt>xlsx|csv)$", views.mine_export, name="mine-export"),
    path("volunteers/<int:volunteer_id>/", views.volunteer_archive, name="volunteer"),
    re_path(r"^volunteers/(?P<volunteer_id>[0-9]+)/export\.(?P<fmt>xlsx|csv)$", views.volunteer_export,
            name="volunteer-export"),
]
