"""`yigong ledger verify`: the ledger_verify command through the public CLI, with its exit code."""

import pytest
from django.db import connection

from tests.ledger.helpers import add_entry
from yigong.cli import main
from yigong.ledger.models import LedgerEntry


@pytest.mark.parametrize("args", [["ledger", "--help"], ["ledger", "verify", "--help"]])
def test_ledger_help_exits_0(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 0
    assert "usage: yigong ledger" in capsys.readouterr().out


def test_ledger_without_an_action_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["ledger"])
    assert exit_info.value.code == 2
    assert "ACTION" in capsys.readouterr().err


def test_verify_of_an_intact_ledger_exits_0_with_a_summary(world, carol, capsys):
    add_entry(world, carol, 60)
    add_entry(world, carol, 30)
    assert main(["ledger", "verify"]) == 0
    assert "ledger intact: 1 chain(s), 2 entries verified" in capsys.readouterr().out


def test_verify_of_a_tampered_ledger_exits_1_naming_the_entry(world, carol, capsys):
    add_entry(world, carol, 60)
    victim = add_entry(world, carol, 30)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {LedgerEntry._meta.db_table} SET minutes = 3000 WHERE id = %s", [victim.pk])  # noqa: S608
    assert main(["ledger", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"entry #{victim.pk}: altered" in err
    assert err.strip().splitlines()[-1].startswith("yigong ledger verify: ledger NOT intact")


def test_verify_of_one_district(world, carol, capsys):
    add_entry(world, carol, 60)
    assert main(["ledger", "verify", "--district", "440307"]) == 0
    assert "chain 440307: 1 entries" in capsys.readouterr().out
