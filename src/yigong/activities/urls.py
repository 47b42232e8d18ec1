from django.urls import path

from yigong.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.finder, name="finder"),
    path("mine/", views.my_shifts, name="my-shifts"),
]
