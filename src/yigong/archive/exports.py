"""The archive as files: an Excel workbook (openpyxl) and a CSV that Excel opens correctly.

Both have one row per ledger entry (services and corrections, in the order served) under a header
row in the active language. Times are local (the platform's time zone). The workbook adds a total
row and a summary sheet with the yearly totals; the CSV stays a flat table for machines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yigong.archive.hours import hours_minutes
from yigong.archive.labels import kind_label, source_label
from yigong.archive.selectors import HoursSummary
from yigong.ledger.models import LedgerEntry
from yigong.volunteers.models import Volunteer

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _local(value: datetime | None) -> datetime | None:
    """Local wall-clock time without tzinfo (Excel has no time zones)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]
    value: Callable[[LedgerEntry], object]
    number_format: str = ""
    width: int = 12
    align_right: bool = False


def _columns() -> list[Column]:
    return [
        Column(lambda: _("Record no."), lambda e: e.pk, "0", 10),
        Column(lambda: _("Date"), lambda e: e.service_date, "yyyy-mm-dd", 12),
        Column(lambda: _("Start"), lambda e: _local(e.started_at), "hh:mm", 8),
        Column(lambda: _("End"), lambda e: _local(e.ended_at), "hh:mm", 8),
        Column(lambda: _("Activity"), lambda e: e.activity_title, "", 30),
        Column(lambda: _("Recording organization"), lambda e: e.organization_name, "", 28),
        Column(lambda: _("Position"), lambda e: e.position_name, "", 16),
        Column(lambda: _("Minutes"), lambda e: e.minutes, "#,##0", 10),
        Column(lambda: _("Hours (h:mm)"), lambda e: hours_minutes(e.minutes), "", 12, True),
        Column(lambda: _("Source"), lambda e: source_label(e.source), "", 16),
        Column(lambda: _("Kind"), lambda e: kind_label(e.kind), "", 10),
        Column(lambda: _("Corrects record no."), lambda e: e.corrects_id, "0", 12),
        Column(lambda: _("Reason"), lambda e: e.reason, "", 30),
        Column(lambda: _("Recorded at"), lambda e: _local(e.recorded_at), "yyyy-mm-dd hh:mm", 17),
    ]


MINUTES_COLUMN = 8  # 1-based, "Minutes"
HOURS_COLUMN = 9


def file_name(volunteer: Volunteer, extension: str) -> str:
    return f"yigong-archive-{volunteer.registration_number}-{timezone.localdate():%Y%m%d}.{extension}"


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="F0F2F5", end_color="F0F2F5")


def _text(cell, value) -> None:
    """Put user-supplied text in a cell as text: a title starting with "=" is not a formula."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def build_xlsx(*, volunteer: Volunteer, rows: list[LedgerEntry], summary: HoursSummary) -> bytes:
    columns = _columns()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Service records")[:31]
    ws.append([c.header() for c in columns])
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, entry in enumerate(rows, start=2):
        for i, column in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=i)
            _text(cell, column.value(entry))
            if column.number_format:
                cell.number_format = column.number_format
            if column.align_right:
                cell.alignment = Alignment(horizontal="right")
    last = len(rows) + 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width

    total_row = last + 2
    ws.cell(row=total_row, column=1, value=_("Total")).font = _HEADER_FONT
    total = ws.cell(row=total_row, column=MINUTES_COLUMN, value=summary.total_minutes)
    total.number_format, total.font = "#,##0", _HEADER_FONT
    hours = ws.cell(row=total_row, column=HOURS_COLUMN, value=summary.total_hours)
    hours.font, hours.alignment = _HEADER_FONT, Alignment(horizontal="right")

    sheet = wb.create_sheet(_("Summary")[:31])
    sheet.append([_("Personal volunteer service archive")])
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [
        (_("Name"), volunteer.name),
        (_("Registration number"), volunteer.registration_number),
        (_("ID number"), volunteer.id_masked),
        (_("Exported at"), _local(timezone.now())),
        (_("Total minutes"), summary.total_minutes),
        (_("Total hours (h:mm)"), summary.total_hours),
        (_("Service records"), summary.services),
    ]
    for label, value in facts:
        sheet.append([label, None])
        cell = sheet.cell(row=sheet.max_row, column=2)
        _text(cell, value)
        cell.alignment = Alignment(horizontal="left")
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, int):
            cell.number_format = "#,##0"
    sheet.append([])
    sheet.append([_("Year"), _("Minutes"), _("Hours (h:mm)"), _("Service records")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for year in summary.years:
        sheet.append([year.year, year.minutes, year.hours, year.services])
        row = sheet[sheet.max_row]
        row[0].number_format = "0"
        row[1].number_format = "#,##0"
        row[2].alignment = Alignment(horizontal="right")
    for letter, width in (("A", 22), ("B", 26), ("C", 14), ("D", 14)):
        sheet.column_dimensions[letter].width = width

    wb.properties.title = _("Personal volunteer service archive")
    wb.properties.creator = "Yigong"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # a spreadsheet must not run it as a formula (CSV injection)
    return str(value)


def _csv_time(value: datetime | None) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def build_csv(*, rows: list[LedgerEntry]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Chinese correctly; CRLF line ends."""
    columns = _columns()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header() for c in columns])
    for entry in rows:
        values = []
        for i, column in enumerate(columns, start=1):
            value = column.value(entry)
            if i in (3, 4):  # start and end: the date is in its own column
                values.append(_csv_time(value))
            elif i in (MINUTES_COLUMN, HOURS_COLUMN) or isinstance(value, int):
                values.append(str(value))  # numbers, including negative corrections, stay numbers
            else:
                values.append(_csv_value(value))
        writer.writerow(values)
    return out.getvalue().encode("utf-8-sig")
