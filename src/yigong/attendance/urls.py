from django.urls import path

from yigong.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.shift_list, name="shift-list"),
    path("shifts/<int:shift_id>/", views.shift_board, name="shift-board"),
    path("shifts/<int:shift_id>/signups/<int:signup_id>/<str:op>/", views.signup_action, name="signup-action"),
    path("shifts/<int:shift_id>/check-out-everyone/", views.check_out_everyone, name="shift-check-out-everyone"),
    path("shifts/<int:shift_id>/confirm/", views.confirm, name="shift-confirm"),
    path("shifts/<int:shift_id>/qr/", views.shift_qr, name="shift-qr"),
    path("shifts/<int:shift_id>/print/", views.shift_print, name="shift-print"),
    path("activities/<int:activity_id>/rate/", views.activity_rate, name="activity-rate"),
]
