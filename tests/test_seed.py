"""The scale-data generator (`manage seed_scale` / `yigong seed`) with tiny numbers: what it writes is
consistent, its ledger chain verifies, and the same seed gives the same data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from yigong.activities.models import Activity, ShiftSlot
from yigong.core import crypto
from yigong.dashboards.selectors import street_month_figures
from yigong.demo.scale import seed_scale
from yigong.ledger.models import LedgerEntry, LedgerHead
from yigong.ledger.verify import verify_all
from yigong.organizations.models import Membership, Organization
from yigong.volunteers.models import RegistrationCounter, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)


def _seed(**overrides):
    numbers = {"volunteers": 30, "organizations": 20, "activities": 12, "entries": 150, "seed": 7}
    numbers.update(overrides)
    return seed_scale(stream=None, **numbers)


def test_seed_writes_the_numbers_asked_for_and_a_chain_that_verifies():
    _seed()
    assert Volunteer.objects.count() == 30
    assert Organization.objects.count() == 20
    assert Activity.objects.count() == 12
    assert LedgerEntry.objects.count() == 150
    report = verify_all()
    assert report.intact, [str(p) for p in report.problems]
    head = LedgerHead.objects.get()
    assert head.count == 150
    assert head.last_entry_id == LedgerEntry.objects.order_by("-id").first().pk


def test_a_second_seed_continues_the_existing_chain():
    _seed()
    _seed(volunteers=5, organizations=3, activities=2, entries=40, seed=8)
    assert LedgerEntry.objects.count() == 190
    assert verify_all().intact
    assert list(LedgerEntry.objects.order_by("id").values_list("seq", flat=True)) == list(range(1, 191))


def test_seeded_volunteers_are_stored_like_registered_ones():
    _seed()
    volunteer = Volunteer.objects.select_related("user").first()
    raw = Volunteer.objects.filter(pk=volunteer.pk).values_list("id_number", flat=True).query
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(*raw.sql_with_params())
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:")
    assert volunteer.id_number not in stored
    assert volunteer.id_hash == crypto.lookup_hash("cnid", volunteer.id_number)
    assert not volunteer.user.has_usable_password()
    assert Membership.objects.filter(user=volunteer.user, status=Membership.Status.ACTIVE).exists()
    counter = RegistrationCounter.objects.get()
    assert counter.last == 30  # later registrations never reuse a seeded number


def test_every_activity_has_an_upcoming_shift_with_places():
    _seed()
    assert ShiftSlot.objects.filter(shift__starts_at__gt=LedgerEntry.objects.latest("service_date").started_at,
                                    places__gt=0).count() >= 12


def _people():
    return list(Volunteer.objects.order_by("id").values_list("name", "birth_date", "sex", "home_community__code"))


def test_the_same_seed_gives_the_same_people_and_another_seed_others():
    _seed(entries=0, activities=0)
    first = _people()
    Membership.objects.all().delete()
    users = list(Volunteer.objects.values_list("user_id", flat=True))
    Volunteer.objects.all().delete()
    get_user_model().objects.filter(pk__in=users).delete()
    _seed(entries=0, activities=0)
    assert _people() == first
    assert len(set(first)) > 20  # and they differ from one another
    _seed(entries=0, activities=0, seed=8)
    assert _people()[30:] != first


def test_dashboard_figures_add_up_to_the_ledger():
    _seed()
    first, last = (LedgerEntry.objects.earliest("service_date").service_date,
                   LedgerEntry.objects.latest("service_date").service_date)
    figures = street_month_figures(date_from=first, date_to=last)
    assert sum(f.minutes for f in figures) == sum(LedgerEntry.objects.values_list("minutes", flat=True))
    assert all(f.street_code for f in figures)


def test_command_reports_what_it_wrote_and_refuses_entries_without_volunteers():
    out = StringIO()
    call_command("seed_scale", "--volunteers", "4", "--organizations", "3", "--activities", "2",
                 "--entries", "10", verbosity=0, stdout=out)
    assert "4 volunteers" in out.getvalue()
    assert "10 ledger entries" in out.getvalue()
    with pytest.raises(CommandError, match="need at least one volunteer"):
        call_command("seed_scale", "--volunteers", "0", "--entries", "5", verbosity=0)


def test_yigong_seed_command_adds_data_and_explains_a_refusal(capsys):
    from yigong.cli import main

    assert main(["seed", "--volunteers", "3", "--organizations", "2", "--activities", "1", "--entries", "4"]) == 0
    assert LedgerEntry.objects.count() == 4
    assert verify_all().intact
    assert main(["seed", "--volunteers", "0", "--activities", "0", "--entries", "3"]) == 1
    assert "need at least one volunteer" in capsys.readouterr().err
