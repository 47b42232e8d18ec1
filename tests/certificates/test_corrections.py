"""Order No. 67: a volunteer asks for a correction; the recording organization accepts or refuses."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from tests.certificates.helpers import NOW
from yigong.certificates import selectors, services
from yigong.certificates.models import CorrectionRequest
from yigong.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from yigong.core.models import AuditEvent
from yigong.ledger.models import LedgerEntry
from yigong.notifications.models import Notification

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def total(volunteer) -> int:
    return LedgerEntry.objects.filter(volunteer=volunteer).aggregate(s=Sum("minutes"))["s"] or 0


def dispute(district, entry, **kw):
    args = {"evidence": "签到表上写的是 9:00-12:00，我有照片。", **kw}
    return services.file_correction_request(actor=district.alice.user, volunteer=district.alice, kind="dispute",
                                            entry=entry, now=NOW, **args)


def missing(district, **kw):
    args = {"organization": district.station, "activity_title": "防台风巡查", "service_date": date(2026, 6, 20),
            "minutes": 120, "evidence": "站长王站长可以证明。", **kw}
    return services.file_correction_request(actor=district.alice.user, volunteer=district.alice, kind="missing",
                                            now=NOW, **args)


def test_a_dispute_goes_to_the_organization_that_recorded_it(district, hours):
    req = dispute(district, hours["station1"], minutes=210)
    assert req.organization == district.station
    assert req.status == CorrectionRequest.Status.PENDING
    assert req.activity_title == "周末长者探访"
    assert list(selectors.correction_queue(district.dora)) == [req]
    assert list(selectors.correction_queue(district.bob)) == [req]  # the street above the station
    assert list(selectors.correction_queue(district.charlie)) == []  # a sibling street sees nothing
    assert AuditEvent.objects.filter(action="correction.request", target_id=str(req.pk)).exists()


def test_accepting_a_dispute_adds_a_correcting_entry_and_changes_the_total(district, hours):
    before = total(district.alice)
    req = dispute(district, hours["station1"], minutes=210)
    services.accept_correction(actor=district.dora, request=req, now=NOW)
    req.refresh_from_db()
    assert req.status == CorrectionRequest.Status.ACCEPTED
    [entry] = req.result_entries.all()
    assert entry.corrects_id == hours["station1"].pk
    assert entry.minutes == 30
    assert entry.kind == LedgerEntry.Kind.CORRECTION
    assert total(district.alice) == before + 30
    assert LedgerEntry.objects.get(pk=hours["station1"].pk).minutes == 180  # the old value stays


def test_staff_may_accept_with_other_minutes_than_asked(district, hours):
    req = dispute(district, hours["station1"], minutes=240)
    services.accept_correction(actor=district.dora, request=req, minutes=200, note="按签到记录", now=NOW)
    assert total(district.alice) == 180 + 90 + 135 + 60 + 20


def test_a_wrong_date_voids_the_record_and_makes_one_on_the_right_day(district, hours):
    req = dispute(district, hours["station2"], service_date=date(2026, 4, 12))
    services.accept_correction(actor=district.dora, request=req, now=NOW)
    void, new = sorted(req.result_entries.all(), key=lambda e: e.pk)
    assert void.corrects_id == hours["station2"].pk
    assert void.minutes == -90
    assert new.service_date == date(2026, 4, 12)
    assert new.minutes == 90
    assert new.corrects_id is None
    assert total(district.alice) == 180 + 90 + 135 + 60


def test_accepting_a_missing_record_adds_a_manual_entry(district, hours):
    req = missing(district)
    services.accept_correction(actor=district.dora, request=req, now=NOW)
    [entry] = req.result_entries.all()
    assert entry.source == LedgerEntry.Source.MANUAL
    assert entry.organization == district.station
    assert entry.service_date == date(2026, 6, 20)
    assert entry.minutes == 120
    assert entry.activity_title == "防台风巡查"
    assert total(district.alice) == 465 + 120


def test_refusing_needs_a_reason_and_leaves_the_ledger_alone(district, hours):
    req = missing(district)
    before = LedgerEntry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.refuse_correction(actor=district.dora, request=req, reason="  ")
    assert "reason" in exc.value.fields
    services.refuse_correction(actor=district.dora, request=req, reason="当天活动已取消，没有服务记录。")
    req.refresh_from_db()
    assert req.status == CorrectionRequest.Status.REFUSED
    assert req.decision_reason == "当天活动已取消，没有服务记录。"
    assert LedgerEntry.objects.count() == before


def test_both_answers_are_told_to_the_volunteer_and_kept_for_the_archive(district, hours):
    accepted = dispute(district, hours["station1"], minutes=200)
    refused = missing(district)
    services.accept_correction(actor=district.dora, request=accepted, now=NOW)
    services.refuse_correction(actor=district.dora, request=refused, reason="查无此活动")
    titles = list(Notification.objects.filter(user=district.alice.user).values_list("title", flat=True))
    assert "你的更正申请已被接受" in titles
    assert "你的更正申请未被接受" in titles
    archive = list(selectors.corrections_for_volunteer(district.alice))
    assert {r.status for r in archive} == {"accepted", "refused"}


def test_the_notification_is_in_the_volunteers_language(district, hours):
    district.alice.user.preferred_language = "en"
    district.alice.user.save(update_fields=["preferred_language"])
    req = missing(district)
    services.refuse_correction(actor=district.dora, request=req, reason="no such activity")
    assert Notification.objects.filter(user=district.alice.user, title="Your correction request was refused").exists()


def test_accepting_supersedes_certificates_that_covered_the_record(district, hours):
    [cert] = services.request_certificates(
        actor=district.alice.user, volunteer=district.alice, kind="district",
        period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), now=NOW,
    )
    req = dispute(district, hours["school1"], minutes=150)
    services.accept_correction(actor=district.bob, request=req, now=NOW)
    assert selectors.verify(cert.number).state == selectors.SUPERSEDED
    [fresh] = services.request_certificates(
        actor=district.alice.user, volunteer=district.alice, kind="district",
        period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), now=NOW,
    )
    assert fresh.number != cert.number
    assert fresh.minutes == 405 + 15


def test_staff_of_a_sibling_organization_cannot_answer(district, hours):
    req = dispute(district, hours["station1"], minutes=200)
    with pytest.raises(NotAllowed):
        services.accept_correction(actor=district.charlie, request=req)
    with pytest.raises(NotAllowed):
        services.refuse_correction(actor=district.charlie, request=req, reason="不是我们的")


def test_an_answered_request_cannot_be_answered_again(district, hours):
    req = dispute(district, hours["station1"], minutes=200)
    services.refuse_correction(actor=district.dora, request=req, reason="签到记录是三小时")
    with pytest.raises(Conflict):
        services.accept_correction(actor=district.dora, request=req)


def test_one_open_dispute_per_record(district, hours):
    dispute(district, hours["station1"], minutes=200)
    with pytest.raises(Conflict):
        dispute(district, hours["station1"], minutes=220)


def test_a_dispute_must_change_something(district, hours):
    with pytest.raises(ValidationFailed) as exc:
        dispute(district, hours["station1"])
    assert "minutes" in exc.value.fields
    with pytest.raises(ValidationFailed):
        dispute(district, hours["station1"], minutes=180, service_date=date(2026, 3, 7))


def test_a_volunteer_cannot_dispute_someone_elses_record(district, hours):
    from tests.certificates.helpers import make_volunteer, record

    eve = make_volunteer("钱多多", "eve", "440307202600002", id_number="440307199202021235")
    theirs = record(eve, district.station, date(2026, 3, 7), 60)
    with pytest.raises(NotFound):
        dispute(district, theirs, minutes=600)


@pytest.mark.parametrize(("changes", "field"), [
    ({"organization": None}, "organization"),
    ({"activity_title": ""}, "activity_title"),
    ({"service_date": None}, "service_date"),
    ({"service_date": date(2026, 7, 2)}, "service_date"),
    ({"minutes": 0}, "minutes"),
    ({"minutes": 1441}, "minutes"),
    ({"minutes": None}, "minutes"),
    ({"evidence": ""}, "evidence"),
    ({"evidence": "x" * 2001}, "evidence"),
])
def test_a_missing_record_request_is_checked_field_by_field(district, hours, changes, field):
    with pytest.raises(ValidationFailed) as exc:
        missing(district, **changes)
    assert field in exc.value.fields
    assert not CorrectionRequest.objects.exists()


def test_only_the_volunteer_asks_for_their_own_correction(district, hours):
    with pytest.raises(NotAllowed):
        services.file_correction_request(actor=district.bob, volunteer=district.alice, kind="missing",
                                         evidence="x", organization=district.station)


def test_evidence_file_is_stored_under_media_with_a_random_name(district, hours, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    upload = SimpleUploadedFile("签到表.png", PNG, content_type="image/png")
    req = missing(district, evidence_file=upload)
    assert req.evidence_file.name.startswith(f"corrections/{district.alice.pk}/")
    assert req.evidence_file.name.endswith(".png")
    assert "签到表" not in req.evidence_file.name
    assert req.evidence_file_name == "签到表.png"
    assert (tmp_path / req.evidence_file.name).read_bytes() == PNG


def test_evidence_file_of_another_type_is_refused(district, hours):
    upload = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationFailed) as exc:
        missing(district, evidence_file=upload)
    assert "evidence_file" in exc.value.fields
    assert not CorrectionRequest.objects.exists()


def test_evidence_file_over_the_size_limit_is_refused(district, hours):
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * services.EVIDENCE_MAX_BYTES, content_type="application/pdf")
    with pytest.raises(ValidationFailed) as exc:
        missing(district, evidence_file=upload)
    assert "evidence_file" in exc.value.fields


def test_the_database_holds_one_pending_request_per_record(district, hours):
    from django.db import IntegrityError, transaction

    first = dispute(district, hours["station1"], minutes=200)
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.create(volunteer=district.alice, kind="dispute", organization=district.station,
                                         entry=hours["station1"], evidence="again")
    services.refuse_correction(actor=district.dora, request=first, reason="签到记录是三小时")
    assert dispute(district, hours["station1"], minutes=190).status == "pending"  # answered: may ask again
