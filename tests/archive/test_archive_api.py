from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from yigong.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


@pytest.fixture
def served(district):
    v = district.volunteer()
    first = district.entry(v, 180, started_at=district.at(2025, 3, 1, 9), title="长者探访")
    district.entry(v, 150, started_at=district.at(2025, 12, 31, 23), title="跨年夜平安志愿")
    district.entry(v, 240, started_at=district.at(2026, 2, 1, 14), title="社区义诊")
    district.entry(v, -30, corrects=first, reason="到岗晚了半小时")
    activity = district.activity()
    signup = district.signup(v, district.slot(activity, timezone.now() - timedelta(days=1)))
    district.rate(signup, 4, "准时")
    district.signup(v, district.slot(activity, timezone.now() + timedelta(days=3)))
    return v


@pytest.mark.parametrize("path", ["/api/v1/me/hours", "/api/v1/me/archive"])
def test_hours_and_archive_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("path", ["/api/v1/me/hours", "/api/v1/me/archive"])
def test_an_expired_or_unknown_token_is_refused(client, path):
    assert client.get(path, HTTP_AUTHORIZATION="Bearer yg_not-a-token").status_code == 401


def test_hours_give_total_years_and_pending_count(client, served):
    response = client.get("/api/v1/me/hours", **_auth(served.user))
    assert response.status_code == 200
    assert response.json() == {
        "total_minutes": 540,
        "total_hours": "9:00",
        "years": [
            {"year": 2026, "minutes": 240, "hours": "4:00", "services": 1},
            {"year": 2025, "minutes": 300, "hours": "5:00", "services": 2},
        ],
        "pending_confirmations": 1,
        "upcoming_shifts": 1,
    }


def test_archive_pages_service_records_with_their_corrections(client, served):
    first = client.get("/api/v1/me/archive", {"limit": 2}, **_auth(served.user)).json()
    assert (first["count"], first["limit"], first["offset"]) == (3, 2, 0)
    assert first["total_minutes"] == 540
    assert first["total_hours"] == "9:00"
    assert [e["activity_title"] for e in first["entries"]] == ["社区义诊", "跨年夜平安志愿"]
    assert first["entries"][1]["service_date"] == "2025-12-31"
    assert first["ratings_count"] == 1
    assert first["ratings_average"] == "4.0"
    assert first["ratings"][0]["stars"] == 4
    assert first["ratings"][0]["comment"] == "准时"
    assert first["pending_confirmations"] == 1

    rest = client.get("/api/v1/me/archive", {"limit": 2, "offset": 2}, **_auth(served.user)).json()
    [entry] = rest["entries"]
    assert entry["activity_title"] == "长者探访"
    assert (entry["minutes"], entry["effective_minutes"]) == (180, 150)
    assert entry["corrections"][0]["minutes"] == -30
    assert entry["corrections"][0]["reason"] == "到岗晚了半小时"
    assert entry["source"] == "checkin"
    assert entry["organization_name"] == "平湖社区义工服务站"


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}])
def test_archive_refuses_a_bad_page_with_a_clear_error(client, served, params):
    response = client.get("/api/v1/me/archive", params, **_auth(served.user))
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert set(body["fields"]) <= {"limit", "offset"}
    assert body["fields"]


def test_an_account_without_volunteer_registration_gets_not_found(client, district):
    response = client.get("/api/v1/me/hours", **_auth(district.user()))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_a_volunteer"


def test_schemas_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me/hours" in spec["paths"]
    assert "/api/v1/me/archive" in spec["paths"]
    assert {"HoursOut", "ArchiveOut", "ArchiveEntryOut"} <= set(spec["components"]["schemas"])


def test_personal_data_export_includes_the_service_records(client, served):
    response = client.get("/api/v1/me/export", **_auth(served.user))
    assert response.status_code == 200
    section = json.loads(response.content)["archive"]
    assert section["total_minutes"] == 540
    assert [r["minutes"] for r in section["service_records"]] == [180, -30, 150, 240]
    assert section["service_records"][1]["corrects"] == section["service_records"][0]["id"]
    assert section["ratings_received"][0]["stars"] == 4
