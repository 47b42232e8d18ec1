"""Verification: authentic, superseded, not authentic, unknown, invalid; rate limit; what is shown."""

import re
from datetime import date

import pytest
from django.db import connection

from tests.certificates.helpers import NOW, record
from yigong.certificates import numbers, selectors, services
from yigong.certificates.models import Certificate
from yigong.core import throttle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(district, hours) -> Certificate:
    [c] = services.request_certificates(
        actor=district.alice.user, volunteer=district.alice, kind="organization", organization=district.station,
        period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), now=NOW,
    )
    return c


def raw_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_fresh_certificate_is_authentic(cert):
    result = selectors.verify(cert.number)
    assert result.state == selectors.AUTHENTIC
    assert result.is_valid


def test_the_number_may_be_typed_grouped_and_in_lower_case(cert):
    assert selectors.verify(numbers.display(cert.number).lower()).state == selectors.AUTHENTIC


def test_a_number_with_a_wrong_check_character_is_refused_before_lookup(cert, django_assert_num_queries):
    forged = cert.number[:-1] + ("0" if cert.number[-1] != "0" else "1")
    with django_assert_num_queries(0):
        assert selectors.verify(forged).state == selectors.INVALID


def test_an_altered_character_is_refused(cert):
    i = 10
    altered = cert.number[:i] + ("Z" if cert.number[i] != "Z" else "Y") + cert.number[i + 1:]
    assert selectors.verify(altered).state == selectors.INVALID


def test_a_well_formed_number_never_issued_is_unknown(cert):
    body = "YG2026" + "ABCDEFGHJKM"
    assert selectors.verify(body + numbers.check_char(body)).state == selectors.UNKNOWN


def test_content_altered_in_the_database_fails_the_signature(cert):
    forged = cert.content.replace('"minutes":270', '"minutes":2700')
    assert forged != cert.content
    raw_sql("UPDATE certificates_certificate SET content = %s WHERE id = %s", [forged, cert.pk])
    result = selectors.verify(cert.number)
    assert result.state == selectors.NOT_AUTHENTIC
    assert result.reason == "signature"


def test_minutes_column_altered_in_the_database_is_not_authentic(cert):
    raw_sql("UPDATE certificates_certificate SET minutes = %s WHERE id = %s", [2700, cert.pk])
    result = selectors.verify(cert.number)
    assert result.state == selectors.NOT_AUTHENTIC
    assert result.reason == "row_altered"


def test_period_altered_in_the_database_is_not_authentic(cert):
    raw_sql("UPDATE certificates_certificate SET period_start = %s WHERE id = %s", [date(2020, 1, 1), cert.pk])
    assert selectors.verify(cert.number).state == selectors.NOT_AUTHENTIC


def test_a_signature_from_another_key_is_not_authentic(cert, settings):
    settings.CERTIFICATE_SIGNING_KEY = "another key entirely"
    assert selectors.verify(cert.number).state == selectors.NOT_AUTHENTIC


def test_an_old_key_kept_for_verification_still_verifies_after_rotation(cert, settings):
    old = settings.CERTIFICATE_SIGNING_KEY
    settings.CERTIFICATE_SIGNING_KEY = "the new key"
    settings.YIGONG_CERTIFICATE_OLD_KEYS = [old]
    assert selectors.verify(cert.number).state == selectors.AUTHENTIC


def test_a_covered_ledger_row_altered_behind_the_application_is_not_authentic(cert, hours):
    raw_sql("UPDATE ledger_ledgerentry SET minutes = %s WHERE id = %s", [900, hours["station1"].pk])
    result = selectors.verify(cert.number)
    assert result.state == selectors.NOT_AUTHENTIC
    assert result.reason == "ledger_altered"


def test_a_correction_after_issue_supersedes_the_certificate(cert, district, hours):
    from yigong.ledger.services import correct_entry

    correct_entry(actor=district.dora, entry=hours["station1"], reason="实际服务两小时", new_minutes=120)
    result = selectors.verify(cert.number)
    assert result.state == selectors.SUPERSEDED
    assert result.reason == "corrected"
    assert selectors.certificates_for_volunteer(district.alice)[0].superseded


def test_a_correction_of_another_record_leaves_the_certificate_valid(cert, district, hours):
    from yigong.ledger.services import correct_entry

    correct_entry(actor=district.bob, entry=hours["school1"], reason="少记了", new_minutes=150)
    assert selectors.verify(cert.number).state == selectors.AUTHENTIC


def test_a_record_added_later_in_the_period_does_not_supersede(cert, district):
    record(district.alice, district.station, date(2026, 6, 1), 30)
    assert selectors.verify(cert.number).state == selectors.AUTHENTIC


def test_superseded_flags_for_a_list_take_constant_queries(district, hours, django_assert_num_queries):
    for month in range(3, 7):
        services.request_certificates(
            actor=district.alice.user, volunteer=district.alice, kind="district",
            period_start=date(2026, 1, 1), period_end=date(2026, month, 28), now=NOW,
        )
    with django_assert_num_queries(3):
        certs = selectors.certificates_for_volunteer(district.alice)
    assert len(certs) >= 3


# --- the public page and the API -----------------------------------------------------------------

def test_verify_page_shows_masked_facts_of_an_authentic_certificate(client, cert):
    response = client.get(f"/verify/{cert.number}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "真实有效" in html
    assert "张**" in html
    assert "张晓梅" not in html
    assert "4403**********1234" in html
    assert "4小时30分钟" in html
    assert "长龙社区义工服务站" in html
    assert response["Cache-Control"] == "no-store"


def test_verify_page_for_a_superseded_certificate_shows_nothing_personal(client, cert, district, hours):
    from yigong.ledger.services import correct_entry

    correct_entry(actor=district.dora, entry=hours["station2"], reason="错记", new_minutes=30)
    html = client.get(f"/verify/{cert.number}").content.decode()
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)  # the site's own menus aside
    assert "已被取代" in main
    assert "张**" not in html
    assert "4403**********1234" not in html
    assert "4小时30分钟" not in html
    assert re.findall(r'href="([^"]*)"', main) == []  # links to nothing (no volunteer, no new certificate)


def test_verify_page_refuses_a_forged_number_with_a_clear_message(client, cert):
    forged = cert.number[:-1] + ("0" if cert.number[-1] != "0" else "1")
    response = client.get(f"/verify/{forged}")
    assert response.status_code == 400
    assert "不是有效的证明编号" in response.content.decode()


def test_verify_page_says_unknown_for_a_number_never_issued(client, db):
    body = "YG2026" + "ABCDEFGHJKM"
    response = client.get(f"/verify/{body + numbers.check_char(body)}")
    assert response.status_code == 404
    assert "查无此证明" in response.content.decode()


def test_verify_page_says_not_authentic_for_a_tampered_row(client, cert):
    raw_sql("UPDATE certificates_certificate SET minutes = %s WHERE id = %s", [9999, cert.pk])
    html = client.get(f"/verify/{cert.number}").content.decode()
    assert "未通过核验" in html
    assert "9999" not in html


def test_the_lookup_form_goes_to_the_verify_page(client, cert):
    response = client.get("/verify/", {"number": numbers.display(cert.number).lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{cert.number}"


def test_the_lookup_form_survives_slashes_and_junk(client, db):
    response = client.get("/verify/", {"number": "../../etc/passwd"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 400
    assert client.get("/verify/", {"number": "？？"}).status_code == 200  # nothing left: the form again


def test_verification_is_rate_limited_per_address_on_page_and_api(client, cert, settings):
    settings.YIGONG_VERIFY_LIMIT = 3
    throttle.reset("certificate:verify:ip:127.0.0.1")
    assert client.get(f"/verify/{cert.number}").status_code == 200
    assert client.get(f"/api/v1/certificates/{cert.number}").status_code == 200
    assert client.get(f"/verify/{cert.number}").status_code == 200
    page = client.get(f"/verify/{cert.number}")
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert "查询次数过多" in page.content.decode()
    api = client.get(f"/api/v1/certificates/{cert.number}")
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "throttled"
    assert int(api["Retry-After"]) > 0
    other = client.get(f"/verify/{cert.number}", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another address has its own count


def test_api_verify_authentic_shows_only_what_a_verifier_needs(client, cert):
    body = client.get(f"/api/v1/certificates/{cert.number}").json()
    assert body["state"] == "authentic"
    assert body["valid"] is True
    assert body["volunteer_name"] == "张**"
    assert body["id_number_masked"] == "4403**********1234"
    assert body["minutes"] == 270
    assert body["period_start"] == "2026-01-01"
    assert body["period_end"] == "2026-06-30"
    assert body["issuer"]["name"] == "长龙社区义工服务站"
    assert "registration_number" not in str(body)
    assert "440307202600001" not in str(body)


def test_api_verify_errors_have_codes(client, cert):
    forged = cert.number[:-1] + ("0" if cert.number[-1] != "0" else "1")
    bad = client.get(f"/api/v1/certificates/{forged}")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_number"
    body = "YG2026" + "ABCDEFGHJKM"
    unknown = client.get(f"/api/v1/certificates/{body + numbers.check_char(body)}")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_certificate"


def test_api_verify_superseded_and_tampered(client, cert, district, hours):
    from yigong.ledger.services import correct_entry

    correct_entry(actor=district.dora, entry=hours["station2"], reason="错记", new_minutes=30)
    body = client.get(f"/api/v1/certificates/{cert.number}").json()
    assert body["state"] == "superseded"
    assert body["valid"] is False
    assert body["minutes"] is None
    assert body["volunteer_name"] is None
    raw_sql("UPDATE certificates_certificate SET signature = %s WHERE id = %s", ["AAAA" * 22, cert.pk])
    body = client.get(f"/api/v1/certificates/{cert.number}").json()
    assert body["state"] == "not_authentic"
    assert body["issuer"] is None
