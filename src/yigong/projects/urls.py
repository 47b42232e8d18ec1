from django.urls import path

from yigong.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
]
