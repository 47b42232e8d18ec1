"""The project library's life cycle: every transition, who may make it, and every refusal."""

from __future__ import annotations

from datetime import date

import pytest

from tests.activities import builders as b
from yigong.core.errors import NotAllowed, ValidationFailed
from yigong.core.models import AuditEvent
from yigong.projects import services
from yigong.projects.models import Project, ProjectIdea, ProjectTransition
from yigong.projects.services import IllegalTransition

pytestmark = pytest.mark.django_db
S = Project.State
SCORES = {"goals": 5, "beneficiaries": 4, "volunteers": 4, "management": 3, "sustainability": 5}


@pytest.fixture
def d():
    return b.district()


def propose(d, **kw):
    fields = {"title": "长者探访", "category": "elderly_disabled", "starts_on": date(2026, 3, 1),
              "ends_on": date(2026, 9, 30), "planned_volunteers": 20, "budget": "1200.50"}
    fields.update(kw)
    return services.propose_project(actor=d.station_staff, owner=d.station, **fields)


def test_proposal_is_a_draft_with_an_audit_event(d):
    p = propose(d)
    assert p.state == S.DRAFT
    assert p.created_by == d.station_staff
    assert AuditEvent.objects.filter(action="project.propose", target_id=str(p.pk)).exists()


def test_proposal_by_staff_of_a_sibling_organization_is_refused(d):
    with pytest.raises(NotAllowed):
        services.propose_project(actor=d.sibling_staff, owner=d.station, title="x", category="community",
                                 starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))


def test_bad_proposal_lists_every_problem_and_saves_nothing(d):
    with pytest.raises(ValidationFailed) as exc:
        propose(d, title=" ", category="nope", ends_on=date(2026, 1, 1), budget="-3", planned_volunteers="many")
    assert set(exc.value.fields) == {"title", "category", "ends_on", "budget", "planned_volunteers"}
    assert not Project.objects.exists()


def test_full_life_cycle_records_who_when_and_why(d):
    p = propose(d)
    services.submit_project(actor=d.station_staff, project=p)
    services.return_project(actor=d.street_staff, project=p, reason="预算说明不足")
    services.update_project(actor=d.station_staff, project=p, budget="900")
    services.submit_project(actor=d.station_staff, project=p, note="已补充预算")
    services.approve_project(actor=d.street_staff, project=p)
    services.start_project(actor=d.station_staff, project=p)
    services.close_project(actor=d.station_staff, project=p)
    services.evaluate_project(actor=d.street_staff, project=p, scores=SCORES, summary="效果良好")
    p.refresh_from_db()
    assert p.state == S.EVALUATED
    steps = list(ProjectTransition.objects.filter(project=p).values_list("from_state", "to_state", "actor", "reason"))
    assert steps == [
        (S.DRAFT, S.SUBMITTED, d.station_staff.pk, ""),
        (S.SUBMITTED, S.RETURNED, d.street_staff.pk, "预算说明不足"),
        (S.RETURNED, S.SUBMITTED, d.station_staff.pk, "已补充预算"),
        (S.SUBMITTED, S.APPROVED, d.street_staff.pk, ""),
        (S.APPROVED, S.ACTIVE, d.station_staff.pk, ""),
        (S.ACTIVE, S.CLOSED, d.station_staff.pk, ""),
        (S.CLOSED, S.EVALUATED, d.street_staff.pk, "效果良好"),
    ]
    actions = set(AuditEvent.objects.filter(target_id=str(p.pk), target_type="projects.project")
                  .values_list("action", flat=True))
    assert {"project.submit", "project.return", "project.approve", "project.start", "project.close",
            "project.evaluate"} <= actions
    assert p.evaluation.scores == SCORES


def test_returning_requires_a_reason(d):
    p = propose(d)
    services.submit_project(actor=d.station_staff, project=p)
    with pytest.raises(ValidationFailed) as exc:
        services.return_project(actor=d.street_staff, project=p, reason="  ")
    assert "reason" in exc.value.fields
    p.refresh_from_db()
    assert p.state == S.SUBMITTED


@pytest.mark.parametrize(("state", "action"), [
    (S.DRAFT, "approve"), (S.DRAFT, "return"), (S.DRAFT, "start"), (S.DRAFT, "close"),
    (S.SUBMITTED, "submit"), (S.SUBMITTED, "start"), (S.RETURNED, "approve"),
    (S.APPROVED, "submit"), (S.APPROVED, "close"), (S.ACTIVE, "approve"), (S.ACTIVE, "evaluate"),
    (S.CLOSED, "start"), (S.EVALUATED, "close"), (S.EVALUATED, "submit"),
])
def test_illegal_transition_is_refused_with_a_specific_error(d, state, action):
    p = b.project(d.station, state=state)
    calls = {
        "submit": lambda: services.submit_project(actor=d.office_admin, project=p),
        "approve": lambda: services.approve_project(actor=d.office_admin, project=p),
        "return": lambda: services.return_project(actor=d.office_admin, project=p, reason="x"),
        "start": lambda: services.start_project(actor=d.office_admin, project=p),
        "close": lambda: services.close_project(actor=d.office_admin, project=p),
        "evaluate": lambda: services.evaluate_project(actor=d.office_admin, project=p, scores=SCORES, summary="x"),
    }
    with pytest.raises(IllegalTransition) as exc:
        calls[action]()
    assert exc.value.code == "illegal_transition"
    assert exc.value.status == 409
    p.refresh_from_db()
    assert p.state == state
    assert not ProjectTransition.objects.filter(project=p).exists()


def test_only_the_parent_organization_approves(d):
    p = b.project(d.station, state=S.SUBMITTED)
    for outsider in (d.station_staff, d.sibling_staff):
        with pytest.raises(NotAllowed):
            services.approve_project(actor=outsider, project=p)
    services.approve_project(actor=d.street_staff, project=p)


def test_district_level_projects_are_approved_by_the_district_office(d):
    fed_staff = b.staff("Fed", d.federation)
    p = b.project(d.federation, state=S.SUBMITTED)
    with pytest.raises(NotAllowed):
        services.approve_project(actor=fed_staff, project=p)
    services.approve_project(actor=d.office_admin, project=p)
    p.refresh_from_db()
    assert p.state == S.APPROVED


def test_only_the_owner_submits_starts_and_closes(d):
    p = b.project(d.station, state=S.DRAFT)
    with pytest.raises(NotAllowed):
        services.submit_project(actor=d.sibling_staff, project=p)
    p = b.project(d.station, state=S.APPROVED)
    with pytest.raises(NotAllowed):
        services.start_project(actor=d.sibling_staff, project=p)


def test_approved_projects_cannot_be_edited(d):
    p = b.project(d.station, state=S.APPROVED)
    with pytest.raises(services.Conflict) as exc:
        services.update_project(actor=d.station_staff, project=p, title="新名字")
    assert exc.value.code == "not_editable"


def test_evaluation_needs_every_score_from_1_to_5_and_a_summary(d):
    p = b.project(d.station, state=S.CLOSED)
    with pytest.raises(ValidationFailed) as exc:
        services.evaluate_project(actor=d.street_staff, project=p, scores={"goals": 6, "volunteers": "x"},
                                  summary="")
    assert {"scores.goals", "scores.volunteers", "scores.beneficiaries", "summary"} <= set(exc.value.fields)
    p.refresh_from_db()
    assert p.state == S.CLOSED


def test_owner_does_not_evaluate_its_own_project(d):
    p = b.project(d.station, state=S.CLOSED)
    with pytest.raises(NotAllowed):
        services.evaluate_project(actor=d.station_staff, project=p, scores=SCORES, summary="自评")


def test_brand_title_only_from_the_district_office_and_only_for_approved_projects(d):
    p = b.project(d.station, state=S.ACTIVE)
    with pytest.raises(NotAllowed):
        services.set_brand(actor=d.street_staff, project=p, brand=True)
    services.set_brand(actor=d.office_admin, project=p, brand=True)
    p.refresh_from_db()
    assert p.is_brand
    draft = b.project(d.station, state=S.DRAFT)
    with pytest.raises(services.Conflict):
        services.set_brand(actor=d.office_admin, project=draft, brand=True)


def test_citizen_idea_is_adopted_into_a_draft_project(d):
    citizen = b.user("Citizen")
    idea = services.submit_idea(actor=citizen, title="河道清洁", description="每月清理河道垃圾", category="environment",
                                region=d.community)
    p = services.adopt_idea(actor=d.station_staff, idea=idea, owner=d.station, starts_on=date(2026, 4, 1),
                            ends_on=date(2026, 10, 1))
    idea.refresh_from_db()
    assert (p.state, p.from_idea, p.title, p.category) == (S.DRAFT, idea, "河道清洁", "environment")
    assert (idea.state, idea.adopted_by) == (ProjectIdea.State.ADOPTED, d.station)
    with pytest.raises(services.Conflict):
        services.adopt_idea(actor=d.sibling_staff, idea=idea, owner=d.sibling_station, starts_on=date(2026, 4, 1),
                            ends_on=date(2026, 10, 1))


def test_anonymous_idea_needs_a_contact(d):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValidationFailed) as exc:
        services.submit_idea(actor=AnonymousUser(), title="x", description="y")
    assert "contact" in exc.value.fields
    idea = services.submit_idea(actor=AnonymousUser(), title="x", description="y", contact="13800000000")
    assert idea.submitted_by is None


def test_declining_an_idea_needs_a_reason(d):
    idea = services.submit_idea(actor=b.user("C"), title="x", description="y")
    with pytest.raises(ValidationFailed):
        services.decline_idea(actor=d.station_staff, idea=idea, reason="")
    services.decline_idea(actor=d.station_staff, idea=idea, reason="不属于志愿服务")
    idea.refresh_from_db()
    assert idea.state == ProjectIdea.State.DECLINED
