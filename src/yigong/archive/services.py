"""Writes of the archive app: producing an export (audited, because it carries personal data)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yigong.archive import exports, selectors
from yigong.core import audit
from yigong.core.errors import NotFound, ValidationFailed
from yigong.volunteers.models import Volunteer

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class ArchiveFile:
    filename: str
    content_type: str
    content: bytes


def can_view_archive(user, volunteer: Volunteer) -> bool:
    """The volunteer themself, or staff whose subtree the volunteer is in."""
    if not getattr(user, "is_authenticated", False):
        return False
    if volunteer.user_id is not None and volunteer.user_id == user.pk:
        return True
    return Volunteer.objects.visible_to(user).filter(pk=volunteer.pk).exists()


@transaction.atomic
def export_archive(*, actor, volunteer: Volunteer, fmt: str) -> ArchiveFile:
    """The volunteer's archive as an xlsx workbook or a CSV file, in the active language."""
    if fmt not in FORMATS:
        raise ValidationFailed(
            _("Choose a file format: xlsx or csv."), fields={"format": [_("Unknown format: %(format)s.") % {"format": fmt}]},
        )
    if not can_view_archive(actor, volunteer):
        raise NotFound(_("No such volunteer in your area."))
    rows = selectors.ledger_rows(volunteer)
    if fmt == "xlsx":
        summary = selectors.hours_summary(volunteer)
        content = exports.build_xlsx(volunteer=volunteer, rows=rows, summary=summary)
        content_type = exports.XLSX_CONTENT_TYPE
    else:
        content = exports.build_csv(rows=rows)
        content_type = exports.CSV_CONTENT_TYPE
    audit.record(actor=actor, action="archive.export", target=volunteer, format=fmt, entries=len(rows))
    return ArchiveFile(filename=exports.file_name(volunteer, fmt), content_type=content_type, content=content)
