"""`ledger_verify` walks each chain and names entries altered, removed or inserted behind the app's back."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.ledger.helpers import add_entry
from yigong.ledger.models import LedgerEntry, LedgerHead
from yigong.ledger.services import correct_entry
from yigong.ledger.verify import verify_all

TABLE = LedgerEntry._meta.db_table


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("{t}", connection.ops.quote_name(TABLE)), params)


def _verify():
    out, err = [], []

    class W:
        def __init__(self, sink):
            self.sink = sink

        def write(self, text):
            self.sink.append(text)

        def flush(self):
            pass

    try:
        call_command("ledger_verify", stdout=W(out), stderr=W(err))
    except CommandError as exc:
        return False, "".join(out), "".join(err) + str(exc)
    return True, "".join(out), "".join(err)


@pytest.fixture
def chain(world, carol, dave):
    entries = [add_entry(world, v, m) for v, m in ((carol, 60), (dave, 90), (carol, 120), (dave, 30))]
    entries.append(correct_entry(actor=world.staff_a, entry=entries[0], new_minutes=45, reason="核对"))
    return entries


def test_intact_ledger_verifies_with_a_summary(chain):
    ok, out, _ = _verify()
    assert ok
    assert "ledger intact: 1 chain(s), 5 entries verified" in out
    assert f"last #{chain[-1].pk}" in out


def test_empty_ledger_verifies(db):
    ok, out, _ = _verify()
    assert ok
    assert "0 entries" in out


def test_minutes_changed_with_raw_sql_are_detected_naming_the_entry(chain):
    _sql("UPDATE {t} SET minutes = 600 WHERE id = %s", chain[1].pk)
    ok, _, err = _verify()
    assert not ok
    assert f"entry #{chain[1].pk}: altered" in err
    assert f"#{chain[1].pk}" in err.splitlines()[-1]


@pytest.mark.parametrize(("column", "value"), [
    ("reason", "伪造"), ("registration_number", "440307202699999"), ("service_date", "2026-01-01"),
    ("recorded_at", "2020-01-01 00:00:00"), ("activity_title", "别的活动"), ("kind", "service"),
])
def test_any_hashed_column_changed_is_detected(chain, column, value):
    target = chain[-1]
    _sql(f"UPDATE {{t}} SET {column} = %s WHERE id = %s", value, target.pk)  # noqa: S608 (test columns)
    report = verify_all()
    assert [p.entry_id for p in report.problems if "altered" in p.message] == [target.pk]


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_link_to_the_next(chain):
    from yigong.ledger.chain import entry_hash, fields_of

    victim = LedgerEntry.objects.get(pk=chain[1].pk)
    victim.minutes = 900
    forged = entry_hash(victim.prev_hash, fields_of(victim))
    _sql("UPDATE {t} SET minutes = 900, hash = %s WHERE id = %s", forged, victim.pk)
    ok, _, err = _verify()
    assert not ok
    assert f"entry #{chain[2].pk}: does not follow entry #{victim.pk}" in err


def test_an_entry_removed_from_the_middle_is_detected_naming_its_successor(chain):
    _sql("DELETE FROM {t} WHERE id = %s", chain[2].pk)
    ok, _, err = _verify()
    assert not ok
    assert f"entry #{chain[3].pk}: does not follow entry #{chain[1].pk}" in err
    assert "1 entry removed before it" in err


def test_the_last_entry_removed_is_detected_by_the_head(chain):
    _sql("DELETE FROM {t} WHERE id = %s", chain[-1].pk)
    ok, _, err = _verify()
    assert not ok
    assert f"entry #{chain[-1].pk}: is missing" in err
    assert "removed from the end" in err


def test_an_entry_inserted_behind_the_apps_back_at_the_end_is_detected(chain):
    """A copy of the last entry, with its own position and a made-up hash, appended by raw SQL."""
    last = LedgerEntry.objects.get(pk=chain[-1].pk)
    columns = [f.column for f in LedgerEntry._meta.concrete_fields if f.column != "id"]
    replaced = {"hash": "%s", "seq": "%s"}
    select = ", ".join(replaced.get(c, connection.ops.quote_name(c)) for c in columns)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    params = [("f" * 64) if c == "hash" else last.seq + 1 for c in columns if c in replaced]
    _sql(f"INSERT INTO {{t}} ({quoted}) SELECT {select} FROM {{t}} WHERE id = %s", *params, last.pk)  # noqa: S608
    inserted = LedgerEntry.objects.order_by("-id").first()
    assert inserted.pk > last.pk
    ok, _, err = _verify()
    assert not ok
    assert f"entry #{inserted.pk}: comes after the head's last entry #{last.pk}" in err
    assert f"entry #{inserted.pk}: altered" in err


def test_a_head_that_counts_differently_is_reported(chain):
    LedgerHead.objects.filter(district_code="440307").update(count=4)
    ok, _, err = _verify()
    assert not ok
    assert "records 4 entries, found 5" in err


def test_verify_walks_in_chunks_across_passes(chain, monkeypatch):
    from yigong.ledger import verify

    monkeypatch.setattr(verify, "CHUNK", 2)
    assert verify_all().intact


def test_an_entry_created_with_the_orm_instead_of_append_entry_is_detected(world, carol, chain):
    from datetime import date

    from django.utils import timezone

    rogue = LedgerEntry.objects.create(
        district_code="440307", volunteer=carol, registration_number=carol.registration_number,
        organization=world.station_a, organization_name="x", activity_title="x", service_date=date(2026, 1, 1),
        minutes=600, source="manual", recorded_at=timezone.now(), prev_hash=chain[-1].hash, hash="e" * 64,
    )
    report = verify_all()
    messages = [p.message for p in report.problems if p.entry_id == rogue.pk]
    assert any("no position in the chain" in m for m in messages)
    assert any("altered" in m for m in messages)
    assert any("comes after the head" in m for m in messages)
