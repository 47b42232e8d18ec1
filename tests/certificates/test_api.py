"""API contract: request and list certificates, PDF download, corrections; the permission matrix."""

from datetime import date

import pytest
from django.utils import timezone

from yigong.accounts.models import ApiToken
from yigong.certificates.models import Certificate, CorrectionRequest

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": "2026-01-01", "period_end": "2026-06-30"}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 7, 1))


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


def test_volunteer_requests_one_certificate_per_organization(client, district, hours):
    response = post(client, "/api/v1/me/certificates", {"kind": "organization", **PERIOD}, district.alice.user)
    assert response.status_code == 201
    body = response.json()
    assert {c["issuer"]["name"] for c in body} == {"长龙社区义工服务站", "布吉中学义工队"}
    first = body[0]
    assert set(first) == {"number", "display_number", "kind", "issuer", "period_start", "period_end", "minutes",
                          "hours", "issued_on", "superseded", "verify_url", "pdf_url"}
    assert first["verify_url"] == f"http://testserver/verify/{first['number']}"
    assert first["pdf_url"] == f"http://testserver/api/v1/certificates/{first['number']}/pdf"


def test_district_summary_and_hours_proof(client, district, hours):
    summary = post(client, "/api/v1/me/certificates", {"kind": "district", **PERIOD}, district.alice.user).json()
    assert summary[0]["issuer"]["id"] == district.federation.pk
    assert summary[0]["minutes"] == 405
    assert summary[0]["hours"] == "6小时45分钟"
    proof = post(client, "/api/v1/me/certificates",
                 {"kind": "hours_proof", "organization_id": district.school.pk, **PERIOD}, district.alice.user)
    assert proof.status_code == 201
    assert proof.json()[0]["kind"] == "hours_proof"


def test_request_errors_are_specific(client, district, hours):
    empty = post(client, "/api/v1/me/certificates", {"kind": "district", "period_start": "2020-01-01",
                                                     "period_end": "2020-12-31"}, district.alice.user)
    assert empty.status_code == 409
    assert empty.json()["error"]["code"] == "no_hours"
    backwards = post(client, "/api/v1/me/certificates", {"kind": "district", "period_start": "2026-06-01",
                                                         "period_end": "2026-01-01"}, district.alice.user)
    assert backwards.status_code == 400
    assert "period_end" in backwards.json()["error"]["fields"]
    bad_kind = post(client, "/api/v1/me/certificates", {"kind": "gold", **PERIOD}, district.alice.user)
    assert bad_kind.status_code == 400
    assert "kind" in bad_kind.json()["error"]["fields"]


def test_listing_my_certificates(client, district, hours):
    post(client, "/api/v1/me/certificates", {"kind": "district", **PERIOD}, district.alice.user)
    body = client.get("/api/v1/me/certificates", **bearer(district.alice.user)).json()
    assert len(body) == 1
    assert body[0]["superseded"] is False


def test_anonymous_gets_401(client, district, hours):
    assert client.get("/api/v1/me/certificates").status_code == 401
    assert client.post("/api/v1/me/certificates", {"kind": "district", **PERIOD},
                       content_type="application/json").status_code == 401


def test_staff_requests_for_a_volunteer_in_scope_only(client, district, hours):
    url = f"/api/v1/volunteers/{district.alice.pk}/certificates"
    ok = post(client, url, {"kind": "district", **PERIOD}, district.bob)
    assert ok.status_code == 201
    sibling = post(client, url, {"kind": "district", **PERIOD}, district.charlie)
    assert sibling.status_code == 404
    assert Certificate.objects.count() == 1


def test_pdf_download_for_the_volunteer_and_staff_in_scope_only(client, district, hours):
    [cert] = post(client, "/api/v1/me/certificates", {"kind": "district", **PERIOD}, district.alice.user).json()
    url = f"/api/v1/certificates/{cert['number']}/pdf"
    mine = client.get(url, **bearer(district.alice.user))
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/pdf"
    assert mine.content.startswith(b"%PDF")
    assert client.get(url, **bearer(district.bob)).status_code == 200
    assert client.get(url, **bearer(district.charlie)).status_code == 404
    assert client.get(url).status_code == 401


def test_correction_round_trip(client, district, hours):
    filed = post(client, "/api/v1/me/corrections", {
        "kind": "dispute", "entry_id": hours["station1"].pk, "minutes": 200, "evidence": "照片为证",
    }, district.alice.user)
    assert filed.status_code == 201
    body = filed.json()
    assert body["status"] == "pending"
    assert body["organization"]["id"] == district.station.pk
    queue = client.get("/api/v1/corrections", **bearer(district.dora)).json()
    assert [r["id"] for r in queue] == [body["id"]]
    assert client.get("/api/v1/corrections", **bearer(district.charlie)).json() == []
    sibling = post(client, f"/api/v1/corrections/{body['id']}/accept", {}, district.charlie)
    assert sibling.status_code == 404
    accepted = post(client, f"/api/v1/corrections/{body['id']}/accept", {"note": "核实"}, district.dora)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert len(accepted.json()["ledger_entry_ids"]) == 1
    again = post(client, f"/api/v1/corrections/{body['id']}/refuse", {"reason": "x"}, district.dora)
    assert again.status_code == 409
    mine = client.get("/api/v1/me/corrections", **bearer(district.alice.user)).json()
    assert mine[0]["status"] == "accepted"


def test_refusal_via_api_needs_a_reason(client, district, hours):
    filed = post(client, "/api/v1/me/corrections", {
        "kind": "missing", "organization_id": district.station.pk, "activity_title": "义诊",
        "service_date": "2026-06-01", "minutes": 60, "evidence": "有合影",
    }, district.alice.user).json()
    blank = post(client, f"/api/v1/corrections/{filed['id']}/refuse", {"reason": ""}, district.dora)
    assert blank.status_code == 400
    assert "reason" in blank.json()["error"]["fields"]
    assert CorrectionRequest.objects.get().status == "pending"


def test_correction_request_validation_errors(client, district, hours):
    response = post(client, "/api/v1/me/corrections", {"kind": "missing", "evidence": ""}, district.alice.user)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"organization", "activity_title", "service_date", "minutes", "evidence"} <= set(fields)


def test_openapi_lists_the_certificate_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/me/certificates", "/api/v1/certificates/{number}", "/api/v1/certificates/{number}/pdf",
                 "/api/v1/volunteers/{volunteer_id}/certificates", "/api/v1/me/corrections",
                 "/api/v1/corrections", "/api/v1/corrections/{correction_id}/accept",
                 "/api/v1/corrections/{correction_id}/refuse"]:
        assert path in paths, path
