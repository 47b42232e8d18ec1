from django.urls import path

from yigong.regions import views

app_name = "regions"
urlpatterns = [
    path("communities/", views.community_options, name="community-options"),
]
