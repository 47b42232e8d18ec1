from django.urls import path

from yigong.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.propose, name="project-new"),
    path("manage/", views.manage, name="manage"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/new/", views.idea_new, name="idea-new"),
    path("ideas/<int:pk>/adopt/", views.idea_adopt, name="idea-adopt"),
    path("ideas/<int:pk>/decline/", views.idea_decline, name="idea-decline"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="project-edit"),
    path("<int:pk>/evaluate/", views.evaluate, name="project-evaluate"),
    path("<int:pk>/brand/", views.brand, name="project-brand"),
    path("<int:pk>/<str:action>/", views.transition, name="project-transition"),
]
