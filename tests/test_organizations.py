"""The organization tree: proposals, the district office's decision, and joining a team."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils.translation import override

from tests.factories import MembershipFactory, UserFactory, VolunteerFactory, register, staff_of
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.core.models import AuditEvent
from yigong.organizations import permissions
from yigong.organizations.models import Membership, Organization
from yigong.organizations.services import (
    add_member,
    apply_to_join,
    create_organization,
    decide_membership,
    decide_organization,
)
from yigong.volunteers import services as volunteer_services
from yigong.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db
K = Organization.Kind


def propose(actor, **fields):
    return create_organization(actor=actor, **{"name": "新义工队", "kind": K.TEAM, "team_type": "society",
                                               **fields})


def errors_of(actor, **fields) -> dict[str, list[str]]:
    with override("en"), pytest.raises(ValidationFailed) as caught:
        propose(actor, **fields)
    return {k: [str(m) for m in v] for k, v in caught.value.fields.items()}


# ---------------------------------------------------------------- where an organization may sit


@pytest.mark.parametrize(("kind", "parent"), [
    (K.STREET_FEDERATION, "federation"),
    (K.COMMUNITY_STATION, "street_fed_a"),
    (K.TEAM, "federation"),
    (K.TEAM, "street_fed_a"),
    (K.TEAM, "station_a1"),
    (K.TEAM, "team_a1"),
    (K.CITY_STATION, "street_fed_a"),
    (K.REQUESTING_UNIT, "station_a1"),
])
def test_an_organization_may_be_proposed_under_a_fitting_parent(tree, kind, parent):
    org = propose(tree.station_a1_staff, kind=kind, parent=getattr(tree, parent),
                  team_type="company" if kind == K.TEAM else "", latitude=Decimal("22.7"),
                  longitude=Decimal("114.2"))
    assert org.parent == getattr(tree, parent)
    assert org.path.startswith(getattr(tree, parent).path)
    assert org.path.endswith(f"{org.pk:08d}/")


@pytest.mark.parametrize(("kind", "parent", "message"), [
    (K.COMMUNITY_STATION, "federation",
     "A community service station cannot sit under a district volunteer federation."),
    (K.STREET_FEDERATION, "station_a1",
     "A street volunteer federation cannot sit under a community service station."),
    (K.DISTRICT_FEDERATION, "street_fed_a",
     "A district volunteer federation cannot sit under a street volunteer federation."),
    (K.CITY_STATION, "team_a1", "A city volunteer station cannot sit under a volunteer team."),
    (K.REQUESTING_UNIT, "team_a1", "A requesting unit cannot sit under a volunteer team."),
])
def test_an_organization_under_the_wrong_kind_of_parent_is_refused(tree, kind, parent, message):
    errors = errors_of(tree.office_admin, kind=kind, parent=getattr(tree, parent), team_type="",
                       latitude=Decimal(1), longitude=Decimal(1))
    assert errors == {"parent": [message]}


def test_every_field_problem_is_reported_at_once(tree):
    errors = errors_of(tree.station_a1_staff, name=" ", parent=tree.station_a1, team_type="circus",
                       credit_code="91110000600037341M")
    assert errors == {
        "name": ["Enter the organization's name."],
        "team_type": ["Choose the type of team."],
        "credit_code": ["The check character of this unified social credit code is wrong."],
    }


def test_a_city_station_needs_its_location(tree):
    assert errors_of(tree.office_admin, kind=K.CITY_STATION, parent=tree.street_fed_a) == {
        "location": ["A city station needs its location (latitude and longitude)."],
    }


def test_an_organization_without_a_parent_needs_one_unless_it_is_the_district_office(tree):
    assert errors_of(tree.office_admin, kind=K.TEAM, parent=None) == {
        "parent": ["Choose the organization this one belongs to."],
    }
    with pytest.raises(NotAllowed):
        create_organization(actor=tree.office_admin, name="第二个办公室", kind=K.DISTRICT_OFFICE, parent=None)


def test_an_unknown_kind_is_refused(tree):
    assert errors_of(tree.office_admin, kind="club", parent=tree.station_a1) == {
        "kind": ["Choose a kind of organization."],
    }


def test_a_station_serves_a_community_and_a_street_federation_a_street(tree):
    assert errors_of(tree.office_admin, kind=K.COMMUNITY_STATION, parent=tree.street_fed_a, team_type="",
                     region=tree.street_a) == {
        "region": ["A community service station serves a community; choose a region of that level."],
    }
    assert errors_of(tree.office_admin, kind=K.STREET_FEDERATION, parent=tree.federation, team_type="",
                     region=tree.community_a1) == {
        "region": ["A street volunteer federation serves a street; choose a region of that level."],
    }


def test_a_station_cannot_serve_a_community_of_another_street(tree):
    assert errors_of(tree.office_admin, kind=K.COMMUNITY_STATION, parent=tree.street_fed_a, team_type="",
                     region=tree.community_b1) == {
        "region": ["The region must lie within the region of the parent organization."],
    }


def test_a_valid_credit_code_is_stored_normalized(tree):
    org = propose(tree.station_a1_staff, parent=tree.station_a1, team_type="company",
                  credit_code="91110000600037341l")
    assert org.credit_code == "91110000600037341L"


def test_the_parent_must_be_active(tree):
    pending = propose(tree.station_a1_staff, parent=tree.station_a1)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        propose(tree.station_a1_staff, parent=pending)
    assert caught.value.fields == {"parent": ["The parent organization is not active."]}


# ---------------------------------------------------------------- the district office decides


def test_a_proposal_waits_for_the_district_office_and_its_proposer_has_no_powers_yet(tree):
    team = propose(tree.station_a1_staff, parent=tree.station_a1, name="企业义工队", team_type="company")
    assert team.status == Organization.Status.PENDING
    assert not Organization.objects.active().filter(pk=team.pk).exists()
    assert Membership.objects.get(organization=team).role == Membership.Role.ADMIN
    permissions.forget(tree.station_a1_staff)
    assert team.path not in permissions.staff_paths(tree.station_a1_staff)
    assert AuditEvent.objects.filter(action="organization.create", target_id=str(team.pk)).exists()


def test_the_district_office_approves_and_the_organization_becomes_active(tree):
    team = propose(tree.station_a1_staff, parent=tree.station_a1)
    decided = decide_organization(actor=tree.office_admin, organization=team, approve=True)
    assert decided.status == Organization.Status.ACTIVE
    assert decided.approved_by == tree.office_admin
    assert decided.approved_at is not None
    permissions.forget(tree.station_a1_staff)
    assert team.path in permissions.staff_paths(tree.station_a1_staff)
    assert AuditEvent.objects.filter(action="organization.approve", target_id=str(team.pk)).exists()


def test_an_organization_the_district_office_creates_is_active_at_once(tree):
    team = propose(tree.office_admin, parent=tree.station_a1)
    assert team.status == Organization.Status.ACTIVE
    assert team.approved_by == tree.office_admin


def test_a_rejection_needs_a_reason(tree):
    team = propose(tree.station_a1_staff, parent=tree.station_a1)
    with override("en"), pytest.raises(ValidationFailed) as caught:
        decide_organization(actor=tree.office_admin, organization=team, approve=False, reason="  ")
    assert caught.value.fields == {"reason": ["Give a reason for the refusal."]}
    assert Organization.objects.get(pk=team.pk).status == Organization.Status.PENDING
    decide_organization(actor=tree.office_admin, organization=team, approve=False, reason="与现有队伍重复")
    assert Organization.objects.get(pk=team.pk).status == Organization.Status.REJECTED
    event = AuditEvent.objects.get(action="organization.reject")
    assert event.data["reason"] == "与现有队伍重复"


@pytest.mark.parametrize("who", ["street_a_staff", "station_a1_admin"])
def test_only_the_district_office_decides_on_new_organizations(tree, who):
    team = propose(tree.station_a1_staff, parent=tree.station_a1)
    with override("en"), pytest.raises(NotAllowed) as caught:
        decide_organization(actor=getattr(tree, who), organization=team, approve=True)
    assert str(caught.value.message) == "Only the district office approves new organizations."
    assert Organization.objects.get(pk=team.pk).status == Organization.Status.PENDING


def test_an_organization_is_decided_only_once(tree):
    team = propose(tree.station_a1_staff, parent=tree.station_a1)
    decide_organization(actor=tree.office_admin, organization=team, approve=True)
    with pytest.raises(Conflict) as caught:
        decide_organization(actor=tree.office_admin, organization=team, approve=False, reason="改变主意")
    assert caught.value.code == "already_decided"


# ---------------------------------------------------------------- joining a team


def test_a_volunteer_applies_and_the_team_approves(tree):
    volunteer = tree.vol_a2.user
    application = apply_to_join(actor=volunteer, organization=tree.team_a1, message="周末有空")
    assert (application.status, application.role) == (Membership.Status.PENDING, Membership.Role.MEMBER)
    decided = decide_membership(actor=tree.team_a1_staff, membership=application, approve=True)
    assert decided.status == Membership.Status.ACTIVE
    assert decided.decided_by == tree.team_a1_staff
    assert [e.action for e in AuditEvent.objects.filter(target_id=str(application.pk))
            .order_by("id")] == ["membership.apply", "membership.approve"]


def test_staff_above_the_team_may_decide_too(tree):
    application = apply_to_join(actor=tree.vol_a2.user, organization=tree.team_a1)
    assert decide_membership(actor=tree.street_a_staff, membership=application, approve=False,
                             reason="名额已满").status == Membership.Status.REJECTED


@pytest.mark.parametrize("who", ["station_a2_staff", "vol_a1_user", "team_member"])
def test_nobody_outside_the_team_subtree_decides_its_applications(tree, who):
    member = UserFactory()
    MembershipFactory(user=member, organization=tree.team_a1, role=Membership.Role.MEMBER)
    actor = {"station_a2_staff": tree.station_a2_staff, "vol_a1_user": tree.vol_a1.user,
             "team_member": member}[who]
    application = apply_to_join(actor=tree.vol_a2.user, organization=tree.team_a1)
    with pytest.raises(NotAllowed):
        decide_membership(actor=actor, membership=application, approve=True)
    assert Membership.objects.get(pk=application.pk).status == Membership.Status.PENDING


def test_applying_twice_is_a_conflict(tree):
    apply_to_join(actor=tree.vol_a2.user, organization=tree.team_a1)
    with override("en"), pytest.raises(Conflict) as caught:
        apply_to_join(actor=tree.vol_a2.user, organization=tree.team_a1)
    assert caught.value.code == "already_member"
    assert str(caught.value.message) == "You have already applied to or joined this organization."


def test_after_a_refusal_the_volunteer_may_apply_again(tree):
    first = apply_to_join(actor=tree.vol_a2.user, organization=tree.team_a1)
    decide_membership(actor=tree.team_a1_staff, membership=first, approve=False)
    again = apply_to_join(actor=tree.vol_a2.user, organization=tree.team_a1)
    assert again.pk != first.pk
    assert again.status == Membership.Status.PENDING


def test_an_application_is_decided_only_once(tree):
    application = apply_to_join(actor=tree.vol_a2.user, organization=tree.team_a1)
    decide_membership(actor=tree.team_a1_staff, membership=application, approve=True)
    with pytest.raises(Conflict):
        decide_membership(actor=tree.team_a1_staff, membership=application, approve=False)


def test_only_registered_active_volunteers_apply(tree):
    with override("en"), pytest.raises(NotAllowed) as caught:
        apply_to_join(actor=tree.station_a2_staff, organization=tree.team_a1)
    assert caught.value.code == "not_a_volunteer"
    assert str(caught.value.message) == "Register as a volunteer before joining a team."
    suspended = VolunteerFactory(status=Volunteer.Status.SUSPENDED)
    with pytest.raises(NotAllowed) as caught:
        apply_to_join(actor=suspended.user, organization=tree.team_a1)
    assert caught.value.code == "volunteer_not_active"


def test_a_withdrawn_volunteer_can_no_longer_apply(tree):
    volunteer = register()
    user = volunteer.user
    volunteer_services.withdraw(actor=user, volunteer=volunteer)
    user = get_user_model().objects.get(pk=user.pk)
    with pytest.raises(NotAllowed):
        apply_to_join(actor=user, organization=tree.team_a1)


@pytest.mark.parametrize("target", ["street_fed_a", "federation", "pending_team"])
def test_federations_and_unapproved_teams_take_no_members(tree, target):
    orgs = {"street_fed_a": tree.street_fed_a, "federation": tree.federation,
            "pending_team": propose(tree.station_a1_staff, parent=tree.station_a1)}
    with pytest.raises(ValidationFailed) as caught:
        apply_to_join(actor=tree.vol_a1.user, organization=orgs[target])
    assert caught.value.code == "not_joinable"


def test_only_an_administrator_appoints_staff(tree):
    newcomer = UserFactory()
    with pytest.raises(NotAllowed):
        add_member(actor=tree.station_a1_staff, organization=tree.station_a1, user=newcomer,
                   role=Membership.Role.STAFF)
    membership = add_member(actor=tree.station_a1_admin, organization=tree.station_a1, user=newcomer,
                            role=Membership.Role.STAFF)
    assert (membership.role, membership.status) == (Membership.Role.STAFF, Membership.Status.ACTIVE)
    assert tree.station_a1.path in permissions.staff_paths(newcomer)


def test_appointing_an_applicant_turns_the_application_into_the_appointment(tree):
    application = apply_to_join(actor=tree.vol_a1.user, organization=tree.team_a1)
    add_member(actor=tree.station_a1_admin, organization=tree.team_a1, user=tree.vol_a1.user,
               role=Membership.Role.STAFF)
    assert Membership.objects.filter(user=tree.vol_a1.user, organization=tree.team_a1).count() == 1
    assert Membership.objects.get(pk=application.pk).role == Membership.Role.STAFF


def test_a_staff_member_of_another_community_cannot_appoint_here(tree):
    with pytest.raises(NotAllowed):
        add_member(actor=staff_of(tree.station_a2, Membership.Role.ADMIN), organization=tree.station_a1,
                   user=UserFactory(), role=Membership.Role.STAFF)


def test_a_team_must_say_what_type_of_team_it_is(tree):
    assert errors_of(tree.office_admin, kind=K.TEAM, parent=tree.station_a1, team_type="") == {
        "team_type": ["Choose the type of team."],
    }
