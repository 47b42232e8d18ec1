"""Pages: my certificates, staff for a volunteer, download, corrections, the organization's queue."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yigong.certificates.models import Certificate, CorrectionRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 7, 1))


PERIOD = {"period_start": "2026-01-01", "period_end": "2026-06-30"}


def test_anonymous_is_sent_to_log_in(client, db):
    for url in ["/certificates/", "/certificates/corrections/", "/certificates/corrections/new/",
                "/certificates/queue/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_volunteer_requests_and_sees_certificates(client, district, hours):
    client.force_login(district.alice.user)
    page = client.get("/certificates/")
    assert page.status_code == 200
    assert "申请证明" in page.content.decode()
    response = client.post("/certificates/", {"kind": "organization", **PERIOD})
    assert response.status_code == 302
    assert Certificate.objects.count() == 2
    html = client.get("/certificates/").content.decode()
    for cert in Certificate.objects.all():
        assert cert.display_number in html
        assert f"/certificates/{cert.number}.pdf" in html
    assert "4小时30分钟" in html


def test_request_form_errors_are_shown_on_the_form(client, district, hours):
    client.force_login(district.alice.user)
    response = client.post("/certificates/", {"kind": "district", "period_start": "2020-01-01",
                                              "period_end": "2020-12-31"})
    assert response.status_code == 409
    assert "这段期间没有已确认的服务时长" in response.content.decode()
    response = client.post("/certificates/", {"kind": "district", "period_start": "2026-06-01",
                                              "period_end": "2026-01-01"})
    assert response.status_code == 400
    assert "结束日期早于开始日期" in response.content.decode()


def test_download_is_a_pdf_for_the_owner_and_404_for_others(client, district, hours):
    client.force_login(district.alice.user)
    client.post("/certificates/", {"kind": "district", **PERIOD})
    cert = Certificate.objects.get()
    response = client.get(f"/certificates/{cert.number}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/certificates/{cert.number}.pdf?download=1")["Content-Disposition"].startswith("attachment")
    client.force_login(district.charlie)
    assert client.get(f"/certificates/{cert.number}.pdf").status_code == 404


def test_staff_page_for_a_volunteer_in_scope(client, district, hours):
    client.force_login(district.bob)
    url = f"/certificates/volunteers/{district.alice.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "district", "handler": "", "person_in_charge": "", **PERIOD})
    assert response.status_code == 302
    assert Certificate.objects.get().handler == "刘经办"
    client.force_login(district.charlie)
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "district", **PERIOD}).status_code == 404


def test_correction_form_files_a_request_with_a_file(client, district, hours, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    client.force_login(district.alice.user)
    assert client.get(f"/certificates/corrections/new/?entry={hours['station1'].pk}").status_code == 200
    response = client.post("/certificates/corrections/new/", {
        "kind": "dispute", "entry": hours["station1"].pk, "minutes": "200", "evidence": "签到表为证",
        "evidence_file": SimpleUploadedFile("sheet.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    })
    assert response.status_code == 302
    req = CorrectionRequest.objects.get()
    assert req.evidence_file
    html = client.get("/certificates/corrections/").content.decode()
    assert "周末长者探访" in html
    assert "等待组织处理" in html
    own = client.get(f"/certificates/corrections/{req.pk}/evidence")
    assert own.status_code == 200
    assert own.content == b"%PDF-1.4 test"
    assert own["Content-Disposition"] == 'attachment; filename="sheet.pdf"'
    client.force_login(district.dora)
    assert client.get(f"/certificates/corrections/{req.pk}/evidence").status_code == 200
    client.force_login(district.charlie)
    assert client.get(f"/certificates/corrections/{req.pk}/evidence").status_code == 404


def test_correction_form_shows_field_errors(client, district, hours):
    client.force_login(district.alice.user)
    response = client.post("/certificates/corrections/new/", {"kind": "missing", "evidence": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请修改标出的内容" in html


def test_queue_accept_and_refuse(client, district, hours):
    client.force_login(district.alice.user)
    client.post("/certificates/corrections/new/", {"kind": "dispute", "entry": hours["station1"].pk,
                                                    "minutes": "200", "evidence": "照片"})
    client.post("/certificates/corrections/new/", {"kind": "missing", "organization": district.station.pk,
                                                    "activity_title": "义诊", "service_date": "2026-06-01",
                                                    "minutes": "60", "evidence": "合影"})
    first, second = CorrectionRequest.objects.order_by("id")
    client.force_login(district.dora)
    page = client.get("/certificates/queue/")
    assert page.status_code == 200
    assert "张晓梅" in page.content.decode()
    assert client.post("/certificates/queue/", {"request": first.pk, "action": "accept"}).status_code == 302
    blank = client.post("/certificates/queue/", {"request": second.pk, "action": "refuse", "reason": ""})
    assert blank.status_code == 400
    assert "请告诉义工不予更正的理由" in blank.content.decode()
    assert client.post("/certificates/queue/", {"request": second.pk, "action": "refuse",
                                                "reason": "当天无此活动"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("accepted", "refused")


def test_queue_of_a_sibling_organization_is_empty_and_cannot_act(client, district, hours):
    client.force_login(district.alice.user)
    client.post("/certificates/corrections/new/", {"kind": "dispute", "entry": hours["station1"].pk,
                                                    "minutes": "200", "evidence": "照片"})
    req = CorrectionRequest.objects.get()
    client.force_login(district.charlie)
    assert "张晓梅" not in client.get("/certificates/queue/").content.decode()
    assert client.post("/certificates/queue/", {"request": req.pk, "action": "accept"}).status_code == 404
    client.force_login(district.alice.user)
    assert client.get("/certificates/queue/").status_code == 404  # not staff anywhere


def test_verify_lookup_page_renders_in_english(client, db):
    response = client.get("/verify/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Verify a volunteer-service certificate" in response.content.decode()


def test_a_tampered_certificate_is_not_given_out(client, district, hours):
    from django.db import connection

    client.force_login(district.alice.user)
    client.post("/certificates/", {"kind": "district", **PERIOD})
    cert = Certificate.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE certificates_certificate SET minutes = %s WHERE id = %s", [5000, cert.pk])
    response = client.get(f"/certificates/{cert.number}.pdf")
    assert response.status_code == 409
    assert "未通过核验" in response.content.decode()
