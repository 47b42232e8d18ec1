from datetime import date

from django.db import transaction

from yigong.ledger.models import LedgerEntry
from yigong.ledger.services import append_entry


def add_entry(world, volunteer, minutes=120, *, day=date(2026, 11, 28), actor=None, **extra) -> LedgerEntry:
    with transaction.atomic():
        return append_entry(
            actor=actor or world.staff_a, volunteer=volunteer, organization=world.station_a,
            activity=world.activity, service_date=day, minutes=minutes,
            source=LedgerEntry.Source.MANUAL, reason="纸质签到表", **extra,
        )
