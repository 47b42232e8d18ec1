"""Issuing certificates: who issues what, what is signed, who may ask."""

import json
from datetime import date

import pytest

from tests.certificates.helpers import NOW, make_volunteer, record, staff_of
from yigong.certificates import selectors, services, signing
from yigong.certificates.models import Certificate, CertificateEntry
from yigong.core.errors import NotFound, ValidationFailed
from yigong.core.models import AuditEvent

pytestmark = pytest.mark.django_db

Y2026 = {"period_start": date(2026, 1, 1), "period_end": date(2026, 6, 30)}


def issue(district, kind="organization", actor=None, **kw):
    args = {**Y2026, **kw}
    return services.request_certificates(actor=actor or district.alice.user, volunteer=district.alice,
                                         kind=kind, now=NOW, **args)


def test_one_certificate_per_recording_organization(district, hours):
    certs = issue(district)
    by_issuer = {c.issuer.name: c for c in certs}
    assert set(by_issuer) == {district.station.name, district.school.name}
    assert by_issuer[district.station.name].minutes == 270  # 180 + 90; the 2025 record is outside
    assert by_issuer[district.school.name].minutes == 135
    assert all(c.kind == Certificate.Kind.ORGANIZATION for c in certs)


def test_district_summary_is_issued_by_the_district_federation_over_all_organizations(district, hours):
    [cert] = issue(district, kind="district")
    assert cert.issuer == district.federation
    assert cert.minutes == 405
    assert cert.person_in_charge == "陈主任"  # the federation's contact person by default


def test_only_the_named_organization_when_one_is_chosen(district, hours):
    [cert] = issue(district, organization=district.school)
    assert cert.issuer == district.school
    assert cert.minutes == 135


def test_the_signed_content_says_what_is_certified(district, hours):
    [cert] = issue(district, organization=district.station)
    content = json.loads(cert.content)
    assert content["number"] == cert.number
    assert content["minutes"] == 270
    assert content["period"] == ["2026-01-01", "2026-06-30"]
    assert content["volunteer"] == {"registration_number": "440307202600001", "name_masked": "张**",
                                    "id_type": "resident_id", "id_masked": "4403**********1234"}
    assert content["issuer"]["id"] == district.station.pk
    assert content["issued_on"] == "2026-07-01"
    assert content["entries"] == [[hours["station1"].pk, hours["station1"].hash],
                                  [hours["station2"].pk, hours["station2"].hash]]
    assert signing.verify(cert.content, cert.signature, cert.key_id)
    assert "张晓梅" not in cert.content  # the full name is on the PDF, not in what verifiers see
    assert CertificateEntry.objects.filter(certificate=cert).count() == 2
    assert AuditEvent.objects.filter(action="certificate.issue", target_id=str(cert.pk)).exists()


def test_hours_include_corrections_made_before_issue(district, hours):
    from yigong.ledger.services import correct_entry

    correct_entry(actor=district.dora, entry=hours["station2"], reason="签退时间记错", new_minutes=60, now=NOW)
    [cert] = issue(district, organization=district.station)
    assert cert.minutes == 240
    assert len(json.loads(cert.content)["entries"]) == 3
    assert selectors.verify(cert.number).state == selectors.AUTHENTIC


def test_asking_again_for_the_same_thing_returns_the_same_certificate(district, hours):
    first = issue(district)
    again = issue(district)
    assert {c.number for c in first} == {c.number for c in again}
    record(district.alice, district.station, date(2026, 6, 1), 45)
    third = issue(district)
    assert {c.number for c in third} != {c.number for c in first}  # the station's hours changed


def test_no_hours_in_the_period_is_refused_with_a_reason(district, hours):
    with pytest.raises(services.NoHours) as exc:
        issue(district, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    assert exc.value.code == "no_hours"
    assert exc.value.status == 409


@pytest.mark.parametrize(("start", "end", "field"), [
    (date(2026, 6, 1), date(2026, 5, 1), "period_end"),
    (date(2026, 6, 1), date(2026, 7, 2), "period_end"),  # ends after today (2026-07-01)
    (date(1999, 12, 31), date(2026, 1, 1), "period_start"),
    (None, date(2026, 1, 1), "period_start"),
])
def test_a_bad_period_is_refused_field_by_field(district, hours, start, end, field):
    with pytest.raises(ValidationFailed) as exc:
        issue(district, period_start=start, period_end=end)
    assert field in exc.value.fields


def test_hours_proof_comes_from_a_school_the_volunteer_belongs_to(district, hours):
    [proof] = issue(district, kind="hours_proof", organization=district.school)
    assert proof.issuer == district.school
    assert proof.minutes == 135
    with pytest.raises(ValidationFailed) as exc:
        issue(district, kind="hours_proof", organization=district.station)  # not a member there
    assert "organization" in exc.value.fields
    with pytest.raises(ValidationFailed):
        issue(district, kind="hours_proof")


def test_staff_may_issue_for_a_volunteer_in_scope_and_sign_as_handler(district, hours):
    [cert] = issue(district, actor=district.bob, organization=district.station)
    assert cert.handler == "刘经办"
    assert cert.requested_by == district.bob


def test_staff_of_a_sibling_organization_cannot_see_the_volunteer(district, hours):
    with pytest.raises(NotFound):
        issue(district, actor=district.charlie)
    assert not Certificate.objects.exists()


def test_another_volunteer_cannot_ask_for_alices_certificate(district, hours):
    eve = make_volunteer("钱多多", "eve", "440307202600002", id_number="440307199202021235")
    with pytest.raises(NotFound):
        issue(district, actor=eve.user)


def test_staff_of_the_school_sees_its_member(district, hours):
    teacher = staff_of(district.school, "teacher", "周老师")
    [proof] = issue(district, actor=teacher, kind="hours_proof", organization=district.school)
    assert proof.handler == "周老师"
