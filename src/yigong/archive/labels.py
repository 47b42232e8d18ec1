"""Short labels of a ledger entry's source and kind, as the archive and its exports show them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SOURCE_LABELS = {
    "checkin": _("check-in/out"),
    "manual": _("entered by organizer"),
    "import": _("imported"),
    "correction": _("correction"),
}

KIND_LABELS = {
    "service": _("service"),
    "correction": _("correction"),
}


def source_label(code: str) -> str:
    return str(SOURCE_LABELS.get(code, code))


def kind_label(code: str) -> str:
    return str(KIND_LABELS.get(code, code))
