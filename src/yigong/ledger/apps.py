from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "yigong.ledger"
    label = "ledger"
    verbose_name = _("Service-hour ledger")

    def ready(self):
        from yigong.volunteers.services import EXPORT_SECTIONS

        EXPORT_SECTIONS["service_records"] = _export_service_records


def _export_service_records(volunteer) -> list[dict]:
    """The volunteer's service records for their personal-data download (PIPL art. 45)."""
    from yigong.ledger.models import LedgerEntry

    return [
        {
            "id": e.pk, "kind": e.kind, "source": e.source, "corrects": e.corrects_id,
            "organization": e.organization_name, "activity": e.activity_title, "position": e.position_name,
            "date": e.service_date.isoformat(),
            "started_at": e.started_at.isoformat() if e.started_at else None,
            "ended_at": e.ended_at.isoformat() if e.ended_at else None,
            "minutes": e.minutes, "reason": e.reason, "recorded_at": e.recorded_at.isoformat(),
            "hash": e.hash,
        }
        for e in LedgerEntry.objects.filter(volunteer=volunteer).order_by("id").iterator(chunk_size=2000)
    ]
