"""A small district: office → federation → streets A and B; a community station and a school team
under A. Alice volunteers (member of the school team); Bob is staff of street A, Charlie of street B."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import transaction

from yigong.accounts.models import User
from yigong.ledger.models import LedgerEntry
from yigong.organizations.models import Membership, Organization
from yigong.organizations.validators import credit_code_check_char
from yigong.volunteers.models import Volunteer

NOW = datetime(2026, 7, 1, 4, 0, tzinfo=UTC)  # noon in Shanghai


def _org(name, kind, parent=None, **kw) -> Organization:
    org = Organization.objects.create(name=name, kind=kind, parent=parent, status=Organization.Status.ACTIVE, **kw)
    org.path = (parent.path if parent else "") + f"{org.pk:08d}/"
    org.save(update_fields=["path"])
    return org


def credit_code(seed: str) -> str:
    first17 = ("91440300" + seed * 9)[:17]
    return first17 + credit_code_check_char(first17)


def make_volunteer(name: str, username: str, number: str, *, community=None, id_number="440307199001011234"):
    user = User.objects.create_user(username=username, password="pw-long-enough-1", display_name=name)
    volunteer = Volunteer.objects.create(
        user=user, registration_number=number, district_code="440307", name=name, id_type="resident_id",
        id_number=id_number, id_masked=id_number[:4] + "*" * 10 + id_number[-4:], home_community=community,
        registered_at=NOW, privacy_notice_version="2026-11", consented_at=NOW,
    )
    return volunteer


def staff_of(org: Organization, username: str, name: str) -> User:
    user = User.objects.create_user(username=username, password="pw-long-enough-1", display_name=name)
    Membership.objects.create(user=user, organization=org, role=Membership.Role.STAFF,
                              status=Membership.Status.ACTIVE)
    return user


def record(volunteer, org, day: date, minutes: int, title: str = "社区长者探访", actor=None) -> LedgerEntry:
    """A confirmed service entry, through the ledger's own service."""
    from yigong.ledger.services import append_entry

    with transaction.atomic():
        return append_entry(actor=actor, volunteer=volunteer, organization=org, service_date=day,
                            minutes=minutes, source=LedgerEntry.Source.MANUAL, activity_title=title,
                            reason="test", now=NOW)


