"""Pages: finder, activity page with one-tap sign-up, my shifts, organizer pages and their scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.activities import builders as b
from yigong.activities.models import Activity, Position, Shift, SignUp
from yigong.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def d():
    return b.district()


def soon(days=3):
    return timezone.now() + timedelta(days=days)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_finder_lists_published_activities_near_my_community_first(client, d):
    far = b.activity(b.org("坂田站", "community_station", d.street_fed, d.other_community), title="远处活动")
    b.shift_with_slot(far, starts_at=soon(1))
    street = b.activity(d.sibling_station, title="同街道活动")
    b.shift_with_slot(street, starts_at=soon(2))
    mine = b.activity(d.station, title="本社区活动")
    b.shift_with_slot(mine, starts_at=soon(3))
    draft = b.activity(d.station, title="草稿活动", status=Activity.Status.DRAFT)
    b.shift_with_slot(draft, starts_at=soon(1))
    v = b.volunteer(home=d.community)
    client.force_login(v.user)
    html = client.get(reverse("activities:finder")).content.decode()
    assert "草稿活动" not in html
    assert html.index("本社区活动") < html.index("同街道活动") < html.index("远处活动")
    client.logout()
    html = client.get(reverse("activities:finder")).content.decode()
    assert html.index("远处活动") < html.index("同街道活动") < html.index("本社区活动")  # by date


def test_finder_and_my_shifts_are_n_plus_1_free(client, d):
    v = b.volunteer(home=d.community)
    client.force_login(v.user)

    def add(n):
        for i in range(n):
            act = b.activity(d.station, title=f"活动{i}")
            slot = b.shift_with_slot(act, starts_at=soon(1) + timedelta(days=i))
            SignUp.objects.create(slot=slot, shift=slot.shift, volunteer=v, status="approved",
                                  starts_at=slot.shift.starts_at, ends_at=slot.shift.ends_at)

    add(2)
    finder_few = count_queries(client, reverse("activities:finder"))
    mine_few = count_queries(client, reverse("activities:my-shifts"))
    catalogue_few = count_queries(client, reverse("projects:catalogue"))
    add(6)
    assert count_queries(client, reverse("activities:finder")) == finder_few
    assert count_queries(client, reverse("activities:my-shifts")) == mine_few
    assert count_queries(client, reverse("projects:catalogue")) == catalogue_few


def test_activity_page_queries_do_not_grow_with_shifts(client, d):
    act = b.activity(d.station)
    pos = Position.objects.create(activity=act, name="引导员")
    pos2 = Position.objects.create(activity=act, name="摄影")
    b.shift_with_slot(act, starts_at=soon(1), position=pos)
    url = reverse("activities:detail", args=[act.pk])
    few = count_queries(client, url)
    for i in range(2, 8):
        slot = b.shift_with_slot(act, starts_at=soon(i), position=pos)
        slot.shift.slots.create(position=pos2, places=3)
    assert count_queries(client, url) == few


def test_activity_page_shows_places_left_per_position(client, d):
    act = b.activity(d.station)
    slot = b.shift_with_slot(act, starts_at=soon(), places=4)
    v = b.volunteer()
    SignUp.objects.create(slot=slot, shift=slot.shift, volunteer=v, status="approved",
                          starts_at=slot.shift.starts_at, ends_at=slot.shift.ends_at)
    slot.approved = 1
    slot.save()
    client.force_login(b.volunteer().user)
    html = client.get(reverse("activities:detail", args=[act.pk])).content.decode()
    assert "3 / 4" in html or "剩余 3" in html or "3 of 4" in html
    assert reverse("activities:signup", args=[slot.pk]) in html


def test_one_tap_sign_up_with_htmx_answers_with_the_result(client, d):
    act = b.activity(d.station)
    slot = b.shift_with_slot(act, starts_at=soon(), places=1)
    v = b.volunteer()
    client.force_login(v.user)
    r = client.post(reverse("activities:signup", args=[slot.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert SignUp.objects.get(volunteer=v).status == "approved"
    assert 'class="signup-result ok"' in r.content.decode()


def test_one_tap_refusal_shows_the_reason_with_a_4xx(client, d):
    act = b.activity(d.station)
    slot = b.shift_with_slot(act, starts_at=soon(), min_age=60)
    client.force_login(b.volunteer().user)
    r = client.post(reverse("activities:signup", args=[slot.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 403
    html = r.content.decode()
    assert 'data-code="too_young"' in html
    assert "60" in html


def test_anonymous_sign_up_asks_to_log_in(client, d):
    slot = b.shift_with_slot(b.activity(d.station), starts_at=soon())
    r = client.post(reverse("activities:signup", args=[slot.pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 401
    assert reverse("accounts:login") in r.content.decode()
    assert not SignUp.objects.exists()


def test_sign_up_without_htmx_redirects_back_with_a_message(client, d):
    act = b.activity(d.station)
    slot = b.shift_with_slot(act, starts_at=soon())
    client.force_login(b.volunteer().user)
    r = client.post(reverse("activities:signup", args=[slot.pk]))
    assert r.status_code == 302
    assert r["Location"] == reverse("activities:detail", args=[act.pk])


def test_my_shifts_cancel_button_cancels(client, d):
    slot = b.shift_with_slot(b.activity(d.station), starts_at=soon())
    v = b.volunteer()
    client.force_login(v.user)
    client.post(reverse("activities:signup", args=[slot.pk]))
    s = SignUp.objects.get(volunteer=v)
    html = client.get(reverse("activities:my-shifts")).content.decode()
    assert reverse("activities:signup-cancel", args=[s.pk]) in html
    assert client.post(reverse("activities:signup-cancel", args=[s.pk])).status_code == 302
    s.refresh_from_db()
    assert s.status == "cancelled"


def test_someone_elses_sign_up_cannot_be_cancelled(client, d):
    slot = b.shift_with_slot(b.activity(d.station), starts_at=soon())
    v = b.volunteer()
    s = SignUp.objects.create(slot=slot, shift=slot.shift, volunteer=v, status="pending",
                              starts_at=slot.shift.starts_at, ends_at=slot.shift.ends_at)
    client.force_login(b.volunteer().user)
    assert client.post(reverse("activities:signup-cancel", args=[s.pk])).status_code == 404


# ---------------------------------------------------------------- organizer pages and scope

def test_organizer_creates_an_activity_with_positions_and_repeating_shifts(client, d):
    project = b.project(d.station, state=Project.State.APPROVED)
    client.force_login(d.station_staff)
    assert client.get(reverse("activities:activity-new") + f"?project={project.pk}").status_code == 200
    r = client.post(reverse("activities:activity-new"), {
        "project": project.pk, "organization": d.station.pk, "title": "周末驿站", "place": "平湖站",
        "risk_level": "low", "recruitment": "open", "cancel_deadline_hours": 12, "auto_approve": "on",
        "waitlist_enabled": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    act = Activity.objects.get(title="周末驿站")
    r = client.post(reverse("activities:position-new", args=[act.pk]),
                    {"name": "引导员", "min_stars": 0, "required_skills": ["first_aid"]})
    assert r.status_code == 302
    pos = act.positions.get()
    r = client.post(reverse("activities:shift-new", args=[act.pk]), {
        "repeat": "weekly", "first_day": "2027-01-01", "last_day": "2027-03-31", "weekdays": ["5"],
        "start_time": "09:00", "end_time": "12:00", f"places_{pos.pk}": 3})
    assert r.status_code == 302
    assert Shift.objects.filter(activity=act).count() == 13
    client.post(reverse("activities:activity-action", args=[act.pk, "publish"]))
    act.refresh_from_db()
    assert act.status == Activity.Status.PUBLISHED


def test_bad_activity_form_is_400_with_messages_and_saves_nothing(client, d):
    project = b.project(d.station, state=Project.State.APPROVED)
    client.force_login(d.station_staff)
    r = client.post(reverse("activities:activity-new"), {
        "project": project.pk, "organization": d.station.pk, "title": "", "place": "x", "risk_level": "low",
        "recruitment": "invitation", "cancel_deadline_hours": 12})
    assert r.status_code == 400
    assert "error-summary" in r.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize("name", ["activity-manage", "activity-edit"])
def test_staff_of_a_sibling_org_cannot_open_another_orgs_activity(client, d, name):
    act = b.activity(d.station)
    client.force_login(d.sibling_staff)
    assert client.get(reverse(f"activities:{name}", args=[act.pk])).status_code == 404
    client.force_login(d.street_staff)  # the parent federation may
    assert client.get(reverse(f"activities:{name}", args=[act.pk])).status_code == 200


def test_staff_of_a_sibling_org_cannot_change_or_review(client, d):
    act = b.activity(d.station, auto_approve=False)
    slot = b.shift_with_slot(act, starts_at=soon())
    s = SignUp.objects.create(slot=slot, shift=slot.shift, volunteer=b.volunteer(), status="pending",
                              starts_at=slot.shift.starts_at, ends_at=slot.shift.ends_at)
    client.force_login(d.sibling_staff)
    assert client.post(reverse("activities:position-new", args=[act.pk]), {"name": "x"}).status_code == 404
    assert client.post(reverse("activities:activity-action", args=[act.pk, "cancel"]),
                       {"reason": "x"}).status_code == 404
    assert client.post(reverse("activities:shift-cancel", args=[slot.shift_id]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("activities:signup-decide", args=[s.pk, "approve"])).status_code == 404
    html = client.get(reverse("activities:review")).content.decode()
    assert s.volunteer.name not in html
    s.refresh_from_db()
    assert s.status == "pending"


def test_review_page_approves_with_htmx(client, d):
    act = b.activity(d.station, auto_approve=False)
    slot = b.shift_with_slot(act, starts_at=soon())
    v = b.volunteer("待审")
    s = SignUp.objects.create(slot=slot, shift=slot.shift, volunteer=v, status="pending",
                              starts_at=slot.shift.starts_at, ends_at=slot.shift.ends_at)
    client.force_login(d.station_staff)
    assert "待审" in client.get(reverse("activities:review")).content.decode()
    r = client.post(reverse("activities:signup-decide", args=[s.pk, "approve"]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert f'id="signup-{s.pk}"' in r.content.decode()
    s.refresh_from_db()
    assert s.status == "approved"
    r = client.post(reverse("activities:signup-decide", args=[s.pk, "reject"]), {"reason": "x"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 409


def test_volunteers_and_anonymous_do_not_reach_organizer_pages(client, d):
    act = b.activity(d.station)
    assert client.get(reverse("activities:manage")).status_code == 302  # to the login page
    client.force_login(b.volunteer().user)
    for url in (reverse("activities:manage"), reverse("activities:review"),
                reverse("activities:activity-manage", args=[act.pk])):
        assert client.get(url).status_code == 404


def test_draft_activity_page_is_hidden_from_the_public(client, d):
    act = b.activity(d.station, status=Activity.Status.DRAFT)
    assert client.get(reverse("activities:detail", args=[act.pk])).status_code == 404
    client.force_login(d.station_staff)
    assert client.get(reverse("activities:detail", args=[act.pk])).status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_render_in_both_languages(client, d, language):
    client.cookies["yigong_language"] = language
    act = b.activity(d.station)
    b.shift_with_slot(act, starts_at=soon())
    v = b.volunteer(home=d.community)
    client.force_login(v.user)
    for url in (reverse("activities:finder"), reverse("activities:detail", args=[act.pk]),
                reverse("activities:my-shifts")):
        r = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert r.status_code == 200
    client.force_login(d.station_staff)
    for url in (reverse("activities:manage"), reverse("activities:review"),
                reverse("activities:activity-manage", args=[act.pk]), reverse("activities:activity-edit", args=[act.pk])):
        assert client.get(url).status_code == 200
