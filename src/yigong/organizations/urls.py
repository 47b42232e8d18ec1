from django.urls import path

from yigong.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.console, name="console"),
    path("organizations/<int:org_id>/", views.organization_detail, name="organization"),
    path("organizations/<int:org_id>/new/", views.new_organization, name="organization-new"),
    path("applications/<int:membership_id>/decide/", views.decide_application, name="application-decide"),
    path("volunteers/", views.volunteer_list, name="volunteers"),
    path("volunteers/<int:volunteer_id>/", views.volunteer_detail, name="volunteer"),
    path("volunteers/<int:volunteer_id>/reveal/", views.volunteer_reveal, name="volunteer-reveal"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:org_id>/decide/", views.decide_proposal, name="proposal-decide"),
]
