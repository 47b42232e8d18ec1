from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from yigong.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(district):
    """Li Xiaohong served three times, one service was corrected, one shift awaits confirmation."""
    v = district.volunteer(name="李小红")
    first = district.entry(v, 180, started_at=district.at(2025, 3, 1, 9), title="长者探访")
    district.entry(v, 150, started_at=district.at(2025, 12, 31, 21), title="跨年夜平安志愿")
    district.entry(v, 240, started_at=district.at(2026, 2, 1, 14), title="=HYPERLINK(\"http://x\")")
    district.entry(v, -30, corrects=first, reason="到岗晚了半小时", recorded_at=district.at(2025, 3, 3, 10))
    activity = district.activity(title="社区义诊")
    signup = district.signup(v, district.slot(activity, timezone.now() - timedelta(days=1)))
    district.rate(signup, 5, "非常耐心")
    return v


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("archive:mine"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_volunteer_sees_totals_years_corrections_pending_and_ratings(client, served):
    client.force_login(served.user)
    response = client.get(reverse("archive:mine"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "9:00" in html  # 180 + 150 + 240 - 30 minutes
    assert "2025" in html
    assert "5:00" in html
    assert "2026" in html
    assert "4:00" in html
    assert "到岗晚了半小时" in html
    assert "-0:30" in html
    assert "2:30" in html
    assert "社区义诊" in html  # awaiting confirmation
    assert "非常耐心" in html
    assert "★★★★★" in html
    assert "我的服务档案" in html  # Chinese by default


def test_page_in_english_when_the_visitor_chooses_it(client, served):
    client.force_login(served.user)
    client.cookies["yigong_language"] = "en"
    html = client.get(reverse("archive:mine")).content.decode()
    assert "My service archive" in html
    assert "Hours by year" in html


def test_year_filter_shows_only_that_years_records(client, served):
    client.force_login(served.user)
    html = client.get(reverse("archive:mine"), {"year": 2026}).content.decode()
    assert "HYPERLINK" in html
    assert "长者探访" not in html


def test_archive_page_queries_do_not_grow_with_entries(client, district):
    small, large = district.volunteer(), district.volunteer(name="张伟")
    for v, n in ((small, 5), (large, 50)):
        for i in range(n):
            e = district.entry(v, 60, started_at=district.at(2025, 1 + i % 12, 1 + i % 28, 9))
            if i % 7 == 0:
                district.entry(v, -5, corrects=e, reason="核减")

    def page_queries(v) -> int:
        client.force_login(v.user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("archive:mine")).status_code == 200
        return len(ctx.captured_queries)

    assert page_queries(small) == page_queries(large)


def test_user_without_volunteer_registration_is_told_so(client, district):
    client.force_login(district.user())
    response = client.get(reverse("archive:mine"))
    assert response.status_code == 404
    assert "没有" in response.content.decode() or "not registered" in response.content.decode()


# --- exports ---------------------------------------------------------------------------------------


def _xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'attachment; filename="yigong-archive-' in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_xlsx_export_has_header_one_row_per_entry_and_total(client, served):
    client.force_login(served.user)
    wb = _xlsx(client.get(reverse("archive:mine-export", args=["xlsx"])))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:8] == ("记录编号", "服务日期", "开始", "结束", "活动", "记录组织", "岗位", "时长（分钟）")
    data = [r for r in rows[1:] if isinstance(r[0], int)]
    assert [r[7] for r in data] == [180, -30, 150, 240]  # in the order served; correction after its service
    assert data[1][11] == data[0][0]  # the correction names the record it corrects
    assert data[1][12] == "到岗晚了半小时"
    assert isinstance(data[0][1], datetime)
    assert data[0][1].date() == date(2025, 3, 1)
    assert data[0][2].hour == 9  # local time, not UTC
    assert ws.cell(row=2, column=2).number_format == "yyyy-mm-dd"
    assert ws.cell(row=2, column=8).number_format == "#,##0"
    total = rows[-1]
    assert total[0] == "合计"
    assert total[7] == 540
    assert total[8] == "9:00"
    # A title that looks like a formula is kept as text.
    assert ws.cell(row=5, column=5).data_type == "s"
    assert ws.cell(row=5, column=5).value.startswith("=HYPERLINK")
    summary = {r[0]: r[1] for r in wb.worksheets[1].iter_rows(values_only=True) if r and r[0] is not None}
    assert summary["姓名"] == "李小红"
    assert summary[2025] == 300
    assert summary[2026] == 240


def test_xlsx_headers_are_english_for_an_english_page(client, served):
    client.force_login(served.user)
    client.cookies["yigong_language"] = "en"
    wb = _xlsx(client.get(reverse("archive:mine-export", args=["xlsx"])))
    header = next(wb.worksheets[0].iter_rows(values_only=True))
    assert header[:3] == ("Record no.", "Date", "Start")
    assert wb.worksheets[0].title == "Service records"


def test_csv_export_has_bom_header_and_one_row_per_entry(client, served):
    client.force_login(served.user)
    response = client.get(reverse("archive:mine-export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["记录编号", "服务日期"]
    assert len(rows) == 1 + 4
    assert [r[7] for r in rows[1:]] == ["180", "-30", "150", "240"]
    assert rows[2][8] == "-0:30"
    assert rows[2][1] == "2025-03-01"
    assert rows[1][2] == "09:00"
    assert rows[4][4].startswith("'=HYPERLINK")  # not run as a formula by a spreadsheet


def test_exports_are_audited(client, served):
    client.force_login(served.user)
    client.get(reverse("archive:mine-export", args=["csv"]))
    event = AuditEvent.objects.get(action="archive.export")
    assert event.actor == served.user
    assert event.data["format"] == "csv"
    assert event.data["entries"] == 4


def test_unknown_export_format_is_not_found(client, served):
    client.force_login(served.user)
    assert client.get("/archive/export.pdf").status_code == 404


# --- staff scope ---------------------------------------------------------------------------------


def test_staff_see_the_archive_of_a_volunteer_in_their_subtree(client, district, served):
    for org in (district.station_a, district.street, district.office):
        client.force_login(district.staff(org))
        response = client.get(reverse("archive:volunteer", args=[served.pk]))
        assert response.status_code == 200, org
        assert "李小红" in response.content.decode()
        _xlsx(client.get(reverse("archive:volunteer-export", args=[served.pk, "xlsx"])))


def test_staff_of_a_sibling_station_get_not_found(client, district, served):
    client.force_login(district.staff(district.station_b))
    assert client.get(reverse("archive:volunteer", args=[served.pk])).status_code == 404
    assert client.get(reverse("archive:volunteer-export", args=[served.pk, "xlsx"])).status_code == 404
    assert client.get(reverse("archive:volunteer-export", args=[served.pk, "csv"])).status_code == 404
    assert not AuditEvent.objects.filter(action="archive.export").exists()


def test_another_volunteer_cannot_open_someone_elses_archive(client, district, served):
    client.force_login(district.volunteer(name="王强").user)
    assert client.get(reverse("archive:volunteer", args=[served.pk])).status_code == 404


def test_own_archive_by_id_leads_to_my_archive(client, served):
    client.force_login(served.user)
    response = client.get(reverse("archive:volunteer", args=[served.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("archive:mine")
