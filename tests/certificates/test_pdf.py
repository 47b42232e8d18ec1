"""The PDF as a reader gets it: Chinese text extractable, font embedded, QR to the verify page."""

import shutil
import subprocess
from datetime import date

import pytest
import segno
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from tests.certificates.helpers import NOW
from yigong.certificates import fonts, numbers, pdf, services
from yigong.certificates.sections import CERTIFICATE_SECTIONS, Section

pytestmark = pytest.mark.django_db

BASE = "https://yigong.example.cn/"


def run(tool: str, *args: str, check: bool = True) -> str:
    """Run a poppler/zbar tool on our own temporary files."""
    return subprocess.run([shutil.which(tool) or tool, *args], capture_output=True, check=check,  # noqa: S603
                          text=True).stdout


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    return run("pdftotext", "-layout", str(path), "-")


@pytest.fixture
def certificate(district, hours):
    [cert] = services.request_certificates(
        actor=district.alice.user, volunteer=district.alice, kind="organization", organization=district.station,
        period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), now=NOW,
    )
    return cert


def test_chinese_pdf_shows_name_number_hours_issuer_and_services(certificate, district, tmp_path):
    with translation.override("zh-hans"):
        text = pdftotext(pdf.render(certificate, base_url=BASE), tmp_path)
    assert "志愿服务证明" in text
    assert "张晓梅" in text
    assert "居民身份证" in text
    assert "4403**********1234" in text
    assert "440307202600001" in text
    assert numbers.display(certificate.number) in text
    assert "4小时30分钟" in text  # 270 minutes
    assert "长龙社区义工服务站" in text
    assert "周末长者探访" in text
    assert "王站长" in text  # the station's contact person stands as person in charge
    assert "2026年7月1日" in text
    assert f"https://yigong.example.cn/verify/{certificate.number}" in text


def test_english_pdf_reads_in_english_with_chinese_names(certificate, tmp_path):
    with translation.override("en"):
        text = pdftotext(pdf.render(certificate, base_url=BASE), tmp_path)
    assert "Certificate of Volunteer Service" in text
    assert "4 h 30 min" in text
    assert "张晓梅" in text


def test_issuer_credit_code_is_shown_where_it_has_one(district, hours, tmp_path):
    [cert] = services.request_certificates(
        actor=district.alice.user, volunteer=district.alice, kind="district",
        period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), now=NOW,
    )
    text = pdftotext(pdf.render(cert, base_url=BASE), tmp_path)
    assert district.federation.credit_code in text
    assert "统一社会信用代码" in text


def test_the_cjk_font_is_embedded_as_a_subset(certificate, tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf.render(certificate, base_url=BASE))
    listing = run("pdffonts", str(path))
    rows = [line for line in listing.splitlines() if "TrueType" in line]
    assert rows
    assert all(" yes yes yes " in line for line in rows)  # embedded, subset, unicode map
    assert path.stat().st_size < 200_000  # a subset, not the 5 MB font


def test_the_qr_code_carries_the_verify_address(certificate):
    url = pdf.verify_url(certificate.number, BASE)
    assert url == f"https://yigong.example.cn/verify/{certificate.number}"
    flowable = pdf.QRCode(url, 80)
    assert flowable.qr.matrix == segno.make(url, error="m", micro=False).matrix
    assert flowable.qr.designator.endswith("M")


def test_the_qr_code_scans_to_the_verify_address(certificate, tmp_path):
    assert shutil.which("zbarimg"), "install Debian's zbar-tools (.ci/run does) to scan the printed QR code"
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf.render(certificate, base_url=BASE))
    run("pdftoppm", "-png", "-r", "200", str(path), str(tmp_path / "page"))
    pages = sorted(tmp_path.glob("page*.png"))
    out = run("zbarimg", "--raw", "-q", *map(str, pages), check=False)
    assert out.strip() == pdf.verify_url(certificate.number, BASE)


def test_hours_proof_is_one_page(district, hours, tmp_path):
    [proof] = services.request_certificates(
        actor=district.alice.user, volunteer=district.alice, kind="hours_proof", organization=district.school,
        period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), now=NOW,
    )
    data = pdf.render(proof, base_url=BASE)
    text = pdftotext(data, tmp_path)
    assert "志愿服务时长证明" in text
    assert "2小时15分钟" in text
    assert text.count("\f") == 1  # one page


def test_sections_registered_by_other_apps_appear_when_they_have_data(district, hours, tmp_path):
    def stars(ctx):
        if ctx.volunteer.pk != district.alice.pk:
            return None
        return Section(title="Star level", headers=["Level", "Granted on"], rows=[["★★", "2026-03-01"]])

    CERTIFICATE_SECTIONS["test_stars"] = stars
    try:
        [cert] = services.request_certificates(
            actor=district.alice.user, volunteer=district.alice, kind="district",
            period_start=date(2026, 1, 1), period_end=date(2026, 6, 30), now=NOW,
        )
    finally:
        del CERTIFICATE_SECTIONS["test_stars"]
    assert cert.document["sections"][0]["rows"] == [["★★", "2026-03-01"]]
    text = pdftotext(pdf.render(cert, base_url=BASE), tmp_path)
    assert "Star level" in text or "星级" in text
    assert "2026-03-01" in text


def test_a_missing_font_is_reported_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("YIGONG_CJK_FONT", str(tmp_path / "nope.ttf"))
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured) as exc:
            fonts.cjk_font()
    finally:
        monkeypatch.delenv("YIGONG_CJK_FONT")
        fonts.cjk_font.cache_clear()
    assert "fonts-wqy-microhei" in str(exc.value)
    assert "nope.ttf" in str(exc.value)


def test_a_file_that_is_not_a_truetype_font_is_refused(monkeypatch, tmp_path):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"OTTO" + b"\0" * 200)  # a CFF OpenType header, no glyf table
    monkeypatch.setenv("YIGONG_CJK_FONT", str(bogus))
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            fonts.cjk_font()
    finally:
        monkeypatch.delenv("YIGONG_CJK_FONT")
        fonts.cjk_font.cache_clear()
