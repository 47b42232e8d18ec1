from django.urls import path

from yigong.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.finder, name="finder"),
    path("mine/", views.my_shifts, name="my-shifts"),
    path("<int:pk>/", views.detail, name="detail"),
    path("slots/<int:slot_id>/signup/", views.signup, name="signup"),
    path("signups/<int:pk>/cancel/", views.cancel_signup, name="signup-cancel"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.activity_new, name="activity-new"),
    path("manage/<int:pk>/", views.activity_manage, name="activity-manage"),
    path("manage/<int:pk>/edit/", views.activity_edit, name="activity-edit"),
    path("manage/<int:pk>/positions/", views.position_new, name="position-new"),
    path("manage/<int:pk>/shifts/", views.shift_new, name="shift-new"),
    path("manage/<int:pk>/<str:action>/", views.activity_action, name="activity-action"),
    path("manage/shifts/<int:pk>/cancel/", views.shift_cancel, name="shift-cancel"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/<str:action>/", views.decide, name="signup-decide"),
]
