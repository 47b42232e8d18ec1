"""Project library pages: public catalogue, project page, propose, approve/return queue, evaluate, ideas."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.activities import builders as b
from yigong.projects.models import Project, ProjectIdea

pytestmark = pytest.mark.django_db
S = Project.State


@pytest.fixture
def d():
    return b.district()


def test_catalogue_searches_and_filters_by_street_category_and_state(client, d):
    b.project(d.station, title="平湖敬老", category="elderly_disabled", state=S.ACTIVE)
    b.project(b.org("坂田站", "community_station", d.street_fed, d.other_community), title="坂田环保",
              category="environment", state=S.CLOSED)
    b.project(d.station, title="草稿项目", state=S.DRAFT)

    def titles(**params):
        html = client.get(reverse("projects:catalogue"), params).content.decode()
        return {t for t in ("平湖敬老", "坂田环保", "草稿项目") if t in html}

    assert titles() == {"平湖敬老", "坂田环保"}
    assert titles(street="440307001") == {"平湖敬老"}
    assert titles(category="environment") == {"坂田环保"}
    assert titles(state="closed") == {"坂田环保"}
    assert titles(q="敬老") == {"平湖敬老"}


def test_draft_project_page_only_for_its_owner_and_approver(client, d):
    p = b.project(d.station, state=S.DRAFT, title="草稿")
    assert client.get(reverse("projects:detail", args=[p.pk])).status_code == 404
    client.force_login(d.sibling_staff)
    assert client.get(reverse("projects:detail", args=[p.pk])).status_code == 404
    client.force_login(d.station_staff)
    assert client.get(reverse("projects:detail", args=[p.pk])).status_code == 200


def test_propose_and_submit_through_the_pages(client, d):
    client.force_login(d.station_staff)
    r = client.post(reverse("projects:project-new"), {
        "owner": d.station.pk, "title": "四点半课堂", "category": "education", "target_group": "children",
        "starts_on": "2027-01-01", "ends_on": "2027-06-30", "planned_volunteers": 10, "budget": "0",
        "risk_level": "low"})
    assert r.status_code == 302
    p = Project.objects.get(title="四点半课堂")
    client.post(reverse("projects:project-transition", args=[p.pk, "submit"]))
    p.refresh_from_db()
    assert p.state == S.SUBMITTED


def test_propose_with_end_before_start_is_400_and_saves_nothing(client, d):
    client.force_login(d.station_staff)
    r = client.post(reverse("projects:project-new"), {
        "owner": d.station.pk, "title": "x", "category": "education", "target_group": "children",
        "starts_on": "2027-06-30", "ends_on": "2027-01-01", "planned_volunteers": 1, "budget": "0",
        "risk_level": "low"})
    assert r.status_code == 400
    assert not Project.objects.exists()


def test_owner_cannot_be_an_organization_outside_the_staffs_scope(client, d):
    client.force_login(d.sibling_staff)
    r = client.post(reverse("projects:project-new"), {
        "owner": d.station.pk, "title": "x", "category": "education", "target_group": "children",
        "starts_on": "2027-01-01", "ends_on": "2027-01-02", "planned_volunteers": 1, "budget": "0",
        "risk_level": "low"})
    assert r.status_code == 400
    assert not Project.objects.exists()


def test_approval_queue_shows_only_projects_the_user_approves(client, d):
    mine = b.project(d.station, state=S.SUBMITTED, title="待批项目")
    b.project(d.federation, state=S.SUBMITTED, title="区级项目")
    client.force_login(d.street_staff)
    html = client.get(reverse("projects:manage")).content.decode()
    assert "待批项目" in html
    assert "区级项目" not in html
    client.force_login(d.station_staff)
    html = client.get(reverse("projects:manage")).content.decode()
    assert reverse("projects:project-transition", args=[mine.pk, "approve"]) not in html
    client.force_login(d.office_admin)
    assert "区级项目" in client.get(reverse("projects:manage")).content.decode()


def test_return_from_the_queue_needs_a_reason(client, d):
    p = b.project(d.station, state=S.SUBMITTED)
    client.force_login(d.street_staff)
    client.post(reverse("projects:project-transition", args=[p.pk, "return"]), {"reason": "", "next": "manage"})
    p.refresh_from_db()
    assert p.state == S.SUBMITTED
    r = client.post(reverse("projects:project-transition", args=[p.pk, "return"]),
                    {"reason": "请补充安全方案", "next": "manage"})
    assert r["Location"] == reverse("projects:manage")
    p.refresh_from_db()
    assert p.state == S.RETURNED


def test_sibling_staff_cannot_act_on_another_orgs_project(client, d):
    p = b.project(d.station, state=S.SUBMITTED)
    client.force_login(d.sibling_staff)
    assert client.post(reverse("projects:project-transition", args=[p.pk, "approve"])).status_code == 404
    assert client.get(reverse("projects:project-edit", args=[p.pk])).status_code == 404
    p.refresh_from_db()
    assert p.state == S.SUBMITTED


def test_evaluation_page_records_scores(client, d):
    p = b.project(d.station, state=S.CLOSED)
    client.force_login(d.street_staff)
    data = {"summary": "服务对象满意"} | {f"score_{c}": 4 for c in
                                         ("goals", "beneficiaries", "volunteers", "management", "sustainability")}
    r = client.post(reverse("projects:project-evaluate", args=[p.pk]), data)
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.state == S.EVALUATED
    assert "服务对象满意" in client.get(reverse("projects:detail", args=[p.pk])).content.decode()


def test_anyone_may_suggest_an_idea_and_staff_adopt_it(client, d):
    r = client.post(reverse("projects:idea-new"), {"title": "社区图书角", "description": "旧书共享",
                                                   "category": "culture", "contact": "13800138000"})
    assert r.status_code == 302
    idea = ProjectIdea.objects.get()
    client.force_login(d.station_staff)
    assert "社区图书角" in client.get(reverse("projects:ideas")).content.decode()
    r = client.post(reverse("projects:idea-adopt", args=[idea.pk]),
                    {"owner": d.station.pk, "starts_on": "2027-01-01", "ends_on": "2027-12-31"})
    p = Project.objects.get(from_idea=idea)
    assert r["Location"] == reverse("projects:detail", args=[p.pk])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_project_pages_render_in_both_languages(client, d, language):
    client.cookies["yigong_language"] = language
    p = b.project(d.station, state=S.EVALUATED)
    for url in (reverse("projects:catalogue"), reverse("projects:detail", args=[p.pk]), reverse("projects:idea-new")):
        assert client.get(url).status_code == 200
    client.force_login(d.station_staff)
    for url in (reverse("projects:manage"), reverse("projects:project-new"), reverse("projects:ideas")):
        assert client.get(url).status_code == 200
