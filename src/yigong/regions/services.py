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


@dataclass
class LoadResult:
    created: int
    updated: int


def load_regions_csv(*, text: str, actor=None) -> LoadResult:
    """Load (code, name, parent code) rows. All rows or none; a bad row is named by its line."""
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
        if not code.isdigit() or len(code) not in _LEVEL_BY_LENGTH:
            errors[f"line {line}"] = [_("Code %(code)s must have 6, 9 or 12 digits.") % {"code": code}]
            continue
        if not name:
            errors[f"line {line}"] = [_("The name is empty.")]
            continue
        if code in seen:
            errors[f"line {line}"] = [_("Code %(code)s appears twice.") % {"code": code}]
            continue
        if parent and not code.startswith(parent):
            errors[f"line {line}"] = [
                _("Code %(code)s does not lie under parent %(parent)s.") % {"code": code, "parent": parent}
            ]
            continue
        seen.add(code)
        parsed.append((line, code, name, parent))
    known = set(Region.objects.values_list("code", flat=True)) | seen
    for line, code, _name, parent in parsed:
        if parent and parent not in known:
            errors[f"line {line}"] = [_("Parent code %(parent)s is unknown.") % {"parent": parent}]
        if not parent and _LEVEL_BY_LENGTH[len(code)] != Region.Level.DISTRICT:
            errors[f"line {line}"] = [_("A street or community needs a parent code.")]
    if errors:
        raise ValidationFailed(_("The region file has errors; nothing was loaded."), fields=errors)

    created = updated = 0
    with transaction.atomic():
        # Parents first: shorter codes are higher levels.
        for _line, code, name, parent in sorted(parsed, key=lambda p: len(p[1])):
            parent_obj = Region.objects.get(code=parent) if parent else None
            region, was_created = Region.objects.update_or_create(
                code=code,
                defaults={"name": name, "level": _LEVEL_BY_LENGTH[len(code)], "parent": parent_obj},
            )
            path = region.compute_path()
            if region.path != path:
                region.path = path
                region.save(update_fields=["path"])
            created += was_created
            updated += not was_created
        audit.record(actor=actor, action="regions.load", created=created, updated=updated)
    return LoadResult(created=created, updated=updated)
