from django.urls import path

from yigong.certificates import views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/volunteers/<int:volunteer_id>/", views.for_volunteer, name="for-volunteer"),
    path("certificates/<str:number>.pdf", views.download, name="download"),
    path("certificates/corrections/", views.my_corrections, name="corrections"),
    path("certificates/corrections/new/", views.new_correction, name="correction-new"),
    path("certificates/corrections/<int:pk>/evidence", views.correction_evidence, name="correction-evidence"),
    path("certificates/queue/", views.queue, name="queue"),
    path("verify/", views.verify_form, name="verify-form"),
    path("verify/<str:number>", views.verify, name="verify"),
]
