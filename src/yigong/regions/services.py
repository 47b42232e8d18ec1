from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from yigong.core import audit
from yigong.core.errors import ValidationFailed
from yigong.regions.models import Region

_LEVEL_BY_LENGTH = {6: Region.Level.DISTRICT, 9: Region.Level.STREET, 12: Region.Level.COMMUNITY}
_NAME_MAX = Region._meta.get_field("name").max_length


@dataclass
class LoadResult:
    created: int
    updated: int
    unchanged: int = 0


def _row_error(code: str, name: str, parent: str, seen: set[str]) -> str | None:
    if not code.isdigit() or len(code) not in _LEVEL_BY_LENGTH:
        return _("Code %(code)s must have 6, 9 or 12 digits.") % {"code": code}
    if not name:
        return _("The name is empty.")
    if len(name) > _NAME_MAX:
        return _("The name is too long (%(max)d characters at most).") % {"max": _NAME_MAX}
    if code in seen:
        return _("Code %(code)s appears twice.") % {"code": code}
    if len(code) == 6:
        if parent:
            return _("A district (6-digit code) has no parent code.")
        return None
    if not parent:
        return _("A street or community needs a parent code.")
    if len(parent) != len(code) - 3 or not code.startswith(parent):
        return _("Code %(code)s does not lie under parent %(parent)s.") % {"code": code, "parent": parent}
    return None


def load_regions_csv(*, text: str, actor=None) -> LoadResult:
    """Load (code, name, parent code) rows. All rows or none; a bad row is named by its line.

    Loading the same file again changes nothing (names are updated in place, never duplicated).
    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if rows and rows[0] and rows[0][0].strip().lower() == "code":
        rows = rows[1:]
        first_line = 2
    else:
        first_line = 1
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[int, str, str, str]] = []
    seen: set[str] = set()
    for offset, row in enumerate(rows):
        line = first_line + offset
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < 2 or len(row) > 3:
            errors[f"line {line}"] = [_("Expected 3 columns: code, name, parent code.")]
            continue
        code, name = row[0].strip(), row[1].strip()
        parent = row[2].strip() if len(row) == 3 else ""
        problem = _row_error(code, name, parent, seen)
        if problem:
            errors[f"line {line}"] = [problem]
            continue
        seen.add(code)
        parsed.append((line, code, name, parent))
    if not parsed and not errors:
        raise ValidationFailed(_("The region file has no rows; nothing was loaded."))
    known = set(Region.objects.filter(code__in={p[3] for p in parsed if p[3]}).values_list("code", flat=True))
    known |= seen
    for line, _code, _name, parent in parsed:
        if parent and parent not in known:
            errors[f"line {line}"] = [_("Parent code %(parent)s is unknown.") % {"parent": parent}]
    if errors:
        raise ValidationFailed(_("The region file has errors; nothing was loaded."), fields=errors)

    created = updated = unchanged = 0
    with transaction.atomic():
        # Parents first: shorter codes are higher levels.
        for _line, code, name, parent in sorted(parsed, key=lambda p: len(p[1])):
            parent_obj = Region.objects.get(code=parent) if parent else None
            level = _LEVEL_BY_LENGTH[len(code)]
            region = Region.objects.select_for_update().filter(code=code).first()
            if region is None:
                region = Region(code=code, name=name, level=level, parent=parent_obj)
                region.path = region.compute_path()
                region.save()
                created += 1
            elif (region.name, region.level, region.parent_id) != (name, level, getattr(parent_obj, "pk", None)):
                region.name, region.level, region.parent = name, level, parent_obj
                region.path = region.compute_path()
                region.save(update_fields=["name", "level", "parent", "path"])
                updated += 1
            else:
                unchanged += 1
        audit.record(actor=actor, action="regions.load", created=created, updated=updated)
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
