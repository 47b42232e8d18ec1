from django.urls import path

from yigong.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.console, name="console"),
]
