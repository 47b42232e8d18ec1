"""The ledger is append-only and hash-chained per district."""

import hashlib
import json
import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection

from tests.attendance.factories import make_volunteer, make_world
from tests.ledger.helpers import add_entry
from yigong.ledger.chain import GENESIS_HASH, canonical_json, entry_hash, fields_of
from yigong.ledger.models import AppendOnlyError, LedgerEntry, LedgerHead
from yigong.ledger.services import append_entry


def test_entries_are_never_updated_through_the_orm(world, carol):
    entry = add_entry(world, carol)
    entry.minutes = 600
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(minutes=600)
    assert LedgerEntry.objects.get(pk=entry.pk).minutes == 120


def test_entries_are_never_deleted_through_the_orm(world, carol):
    entry = add_entry(world, carol)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    world, carol = make_world(), make_volunteer("陈卡罗")
    with pytest.raises(RuntimeError):
        append_entry(actor=world.staff_a, volunteer=carol, organization=world.station_a,
                     service_date=date(2026, 11, 28), minutes=60, source="manual")
    assert not LedgerEntry.objects.exists()


def test_first_entry_creates_the_head_and_links_to_the_genesis_hash(world, carol):
    entry = add_entry(world, carol)
    head = LedgerHead.objects.get(district_code="440307")
    assert entry.seq == 1
    assert entry.prev_hash == GENESIS_HASH
    assert (head.last_entry_id, head.last_hash, head.count) == (entry.pk, entry.hash, 1)


def test_each_entry_hashes_the_previous_hash_and_its_canonical_fields(world, carol):
    first = add_entry(world, carol, 60)
    second = add_entry(world, carol, 90)
    stored = LedgerEntry.objects.get(pk=second.pk)
    assert stored.prev_hash == first.hash
    assert stored.seq == 2
    expected = hashlib.sha256(first.hash.encode() + canonical_json(fields_of(stored))).hexdigest()
    assert stored.hash == expected == entry_hash(first.hash, fields_of(stored))


def test_canonical_json_holds_what_a_certificate_relies_on(world, carol):
    entry = LedgerEntry.objects.get(pk=add_entry(world, carol).pk)
    payload = json.loads(canonical_json(fields_of(entry)))
    assert payload["volunteer_id"] == carol.pk
    assert payload["registration_number"] == carol.registration_number
    assert payload["organization_id"] == world.station_a.pk
    assert payload["organization_name"] == "岗头社区义工服务站"
    assert payload["activity_title"] == "长者饭堂助餐"
    assert payload["service_date"] == "2026-11-28"
    assert payload["minutes"] == 120
    assert payload["reason"] == "纸质签到表"
    assert payload["recorded_by_id"] == world.staff_a.pk
    assert payload["recorded_at"].endswith("Z")
    assert payload["v"] == 1
    assert "id" not in payload


def test_each_district_has_its_own_chain(world, carol):
    other = make_volunteer("王五", district="440306")
    a = add_entry(world, carol)
    b = add_entry(world, other)
    assert a.seq == b.seq == 1
    assert LedgerHead.objects.count() == 2


def test_text_longer_than_its_column_is_cut_before_hashing(world, carol):
    entry = add_entry(world, carol, activity_title="长" * 200)
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert len(stored.activity_title) == 120
    assert entry_hash(stored.prev_hash, fields_of(stored)) == stored.hash


def test_a_user_who_recorded_hours_cannot_be_deleted(world, carol):
    from django.db.models import ProtectedError

    add_entry(world, carol)
    with pytest.raises(ProtectedError):
        world.staff_a.delete()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_appends_form_one_unbroken_chain():
    from yigong.ledger.verify import verify_all

    world = make_world()
    volunteers = [make_volunteer(f"义工{i}") for i in range(8)]
    barrier = threading.Barrier(len(volunteers))
    errors = []

    def run(volunteer):
        try:
            barrier.wait()
            add_entry(world, volunteer, 30)
        except Exception as exc:  # collected and asserted
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(v,)) for v in volunteers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(LedgerEntry.objects.values_list("seq", flat=True)) == list(range(1, 9))
    report = verify_all()
    assert report.intact, [str(p) for p in report.problems]
    assert report.entries == 8
