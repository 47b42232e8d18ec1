"""API v1 contract: activities, shifts and sign-ups (status codes and error bodies)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.activities import builders as b
from yigong.accounts.models import ApiToken
from yigong.activities.models import Activity, Shift, ShiftSlot, SignUp
from yigong.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def d():
    return b.district()


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def open_slot(d):
    act = b.activity(d.station, waitlist_enabled=False)
    return b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3), places=1)


def post(client, url, body, user=None):
    return client.post(url, body, content_type="application/json", **(auth(user) if user else {}))


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)


def test_sign_up_returns_201_with_status(client, open_slot):
    v = b.volunteer()
    r = post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups", {"position_id": open_slot.position_id}, v.user)
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "approved"
    assert body["shift_id"] == open_slot.shift_id
    assert body["starts_at"].endswith("+08:00")


def test_sign_up_on_a_full_shift_without_waitlist_is_409_shift_full(client, open_slot):
    post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups", {"position_id": open_slot.position_id},
         b.volunteer().user)
    r = post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups", {"position_id": open_slot.position_id},
             b.volunteer().user)
    assert_error(r, 409, "shift_full")


def test_waitlisted_sign_up_is_201_waitlisted(client, d):
    act = b.activity(d.station)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3), places=1)
    post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id}, b.volunteer().user)
    r = post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id}, b.volunteer().user)
    assert r.status_code == 201
    assert r.json()["status"] == "waitlisted"


def test_pending_when_the_activity_reviews_sign_ups(client, d):
    act = b.activity(d.station, auto_approve=False)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3))
    r = post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id}, b.volunteer().user)
    assert r.json()["status"] == "pending"


def test_overlapping_sign_up_is_409(client, d, open_slot):
    v = b.volunteer()
    post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups", {"position_id": open_slot.position_id}, v.user)
    other = b.shift_with_slot(b.activity(d.sibling_station), starts_at=open_slot.shift.starts_at + timedelta(hours=1))
    r = post(client, f"/api/v1/shifts/{other.shift_id}/signups", {"position_id": other.position_id}, v.user)
    assert_error(r, 409, "overlapping_shift")


def test_not_eligible_is_403_with_the_reason_code(client, d):
    act = b.activity(d.station)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3), high_risk=True)
    minor = b.volunteer(birth=date(timezone.now().year - 15, 1, 1))
    r = post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id}, minor.user)
    assert_error(r, 403, "minor_high_risk")


def test_sign_up_needs_login_and_an_existing_shift_position(client, open_slot):
    r = post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups", {"position_id": open_slot.position_id})
    assert_error(r, 401, "unauthenticated")
    r = post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups", {"position_id": 999999}, b.volunteer().user)
    assert_error(r, 404, "not_found")
    r = post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups", {}, b.volunteer().user)
    assert_error(r, 400, "invalid")
    assert "position_id" in r.json()["error"]["fields"]


def test_draft_activity_shifts_are_not_found(client, d):
    act = b.activity(d.station, status=Activity.Status.DRAFT)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3))
    r = post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id}, b.volunteer().user)
    assert_error(r, 404, "not_found")
    assert_error(client.get(f"/api/v1/activities/{act.pk}"), 404, "not_found")
    assert client.get(f"/api/v1/activities/{act.pk}", **auth(d.station_staff)).status_code == 200


def test_cancel_and_my_signups(client, open_slot):
    v = b.volunteer()
    signup_id = post(client, f"/api/v1/shifts/{open_slot.shift_id}/signups",
                     {"position_id": open_slot.position_id}, v.user).json()["id"]
    mine = client.get("/api/v1/me/signups", **auth(v.user)).json()
    assert [s["id"] for s in mine] == [signup_id]
    other = b.volunteer()
    assert_error(post(client, f"/api/v1/signups/{signup_id}/cancel", {}, other.user), 404, "not_found")
    r = post(client, f"/api/v1/signups/{signup_id}/cancel", {}, v.user)
    assert r.status_code == 200
    assert r.json()["status"] == "cancelled"


def test_cancel_after_the_deadline_is_409(client, d):
    act = b.activity(d.station, cancel_deadline_hours=48)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(hours=24))
    v = b.volunteer()
    signup_id = post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id},
                     v.user).json()["id"]
    assert_error(post(client, f"/api/v1/signups/{signup_id}/cancel", {}, v.user), 409, "cancel_deadline_passed")


def test_activity_list_filters_and_pagination(client, d):
    soon = timezone.now() + timedelta(days=2)
    a1 = b.activity(d.station, title="平湖敬老",
                    project_=b.project(d.station, category="elderly_disabled"))
    b.shift_with_slot(a1, starts_at=soon, places=3, required_skills=["first_aid"])
    a2 = b.activity(d.sibling_station, title="山厦环保")
    full = b.shift_with_slot(a2, starts_at=soon + timedelta(days=10), places=1)
    SignUp.objects.create(slot=full, shift=full.shift, volunteer=b.volunteer(), status="approved",
                          starts_at=full.shift.starts_at, ends_at=full.shift.ends_at)
    ShiftSlot.objects.filter(pk=full.pk).update(approved=1)
    far = b.activity(b.org("坂田站", "community_station", d.street_fed, d.other_community), title="坂田")
    b.shift_with_slot(far, starts_at=soon, places=2)

    def ids(**params):
        r = client.get("/api/v1/activities", params)
        assert r.status_code == 200
        return [i["id"] for i in r.json()["items"]]

    assert set(ids()) == {a1.pk, a2.pk, far.pk}
    assert set(ids(street="440307001")) == {a1.pk, a2.pk}
    assert ids(category="elderly_disabled") == [a1.pk]
    assert ids(skills="first_aid") == [a1.pk]
    assert set(ids(open_only="true")) == {a1.pk, far.pk}
    day = (soon + timedelta(days=10)).astimezone(b.SHANGHAI).date()
    assert ids(date_from=day.isoformat(), date_to=day.isoformat()) == [a2.pk]
    page = client.get("/api/v1/activities", {"page_size": 2, "page": 2}).json()
    assert (page["count"], len(page["items"])) == (3, 1)
    assert_error(client.get("/api/v1/activities", {"page": 0}), 400, "invalid")
    item = next(i for i in client.get("/api/v1/activities").json()["items"] if i["id"] == a1.pk)
    assert item["places_left"] == 3


def test_activity_detail_shows_shifts_with_places_left_per_position(client, d):
    act = b.activity(d.station)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3), places=4)
    post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id}, b.volunteer().user)
    body = client.get(f"/api/v1/activities/{act.pk}").json()
    (shift,) = body["shifts"]
    assert shift["id"] == slot.shift_id
    assert {"id", "starts_at", "ends_at", "slots"} <= set(shift)
    assert shift["slots"] == [{"position_id": slot.position_id, "position": "引导员", "places": 4, "places_left": 3}]


def test_organizer_creates_activity_positions_repeating_shifts_and_publishes(client, d):
    project = b.project(d.station, state=Project.State.APPROVED)
    r = post(client, "/api/v1/activities", {"project_id": project.pk, "organization_id": d.station.pk,
                                            "title": "地铁站引导", "place": "平湖站", "region": "440307001001"},
             d.station_staff)
    assert r.status_code == 201, r.content
    act_id = r.json()["id"]
    assert r.json()["status"] == "draft"
    r = post(client, f"/api/v1/activities/{act_id}/positions", {"name": "引导员", "min_age": 16}, d.station_staff)
    assert r.status_code == 201
    pos_id = r.json()["id"]
    r = post(client, f"/api/v1/activities/{act_id}/shifts",
             {"places": {str(pos_id): 6}, "repeat": {"frequency": "weekly", "first_day": "2027-01-01",
                                                     "last_day": "2027-01-31", "weekdays": [5],
                                                     "start_time": "09:00", "end_time": "12:00"}},
             d.station_staff)
    assert r.status_code == 201, r.content
    assert r.json()["count"] == 5
    assert r.json()["shifts"][0]["starts_at"].startswith("2027-01-02T09:00:00+08:00")
    r = client.patch(f"/api/v1/activities/{act_id}", {"status": "published", "title": "地铁站志愿引导"},
                     content_type="application/json", **auth(d.station_staff))
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["title"]) == ("published", "地铁站志愿引导")
    assert Shift.objects.filter(activity_id=act_id).count() == 5


def test_organizer_endpoints_refuse_other_organizations(client, d):
    act = b.activity(d.station, status=Activity.Status.DRAFT)
    r = client.patch(f"/api/v1/activities/{act.pk}", {"title": "x"}, content_type="application/json",
                     **auth(d.sibling_staff))
    assert_error(r, 404, "not_found")
    project = b.project(d.station)
    r = post(client, "/api/v1/activities", {"project_id": project.pk, "organization_id": d.station.pk,
                                            "title": "x", "place": "y"}, d.sibling_staff)
    assert_error(r, 403, "forbidden")
    r = post(client, "/api/v1/activities", {"project_id": project.pk, "organization_id": d.station.pk,
                                            "title": "", "place": ""}, d.station_staff)
    assert_error(r, 400, "invalid")
    assert set(r.json()["error"]["fields"]) == {"title", "place"}


def test_organizer_reviews_through_the_api(client, d):
    act = b.activity(d.station, auto_approve=False)
    slot = b.shift_with_slot(act, starts_at=timezone.now() + timedelta(days=3))
    signup_id = post(client, f"/api/v1/shifts/{slot.shift_id}/signups", {"position_id": slot.position_id},
                     b.volunteer().user).json()["id"]
    assert_error(post(client, f"/api/v1/signups/{signup_id}/approve", {}, d.sibling_staff), 404, "not_found")
    r = post(client, f"/api/v1/signups/{signup_id}/approve", {}, d.station_staff)
    assert r.json()["status"] == "approved"
    assert_error(post(client, f"/api/v1/signups/{signup_id}/reject", {"reason": "x"}, d.station_staff), 409,
                 "not_pending")


def test_project_catalogue_api(client, d):
    b.project(d.station, state=Project.State.ACTIVE, title="公开项目")
    b.project(d.station, state=Project.State.DRAFT, title="草稿")
    body = client.get("/api/v1/projects").json()
    assert [p["title"] for p in body["items"]] == ["公开项目"]
