"""Loading regions (district → street → community) from a CSV file: all rows or none."""

from __future__ import annotations

from importlib import resources

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from yigong.core.errors import ValidationFailed
from yigong.core.models import AuditEvent
from yigong.regions.models import Region
from yigong.regions.services import load_regions_csv

pytestmark = pytest.mark.django_db

GOOD = """code,name,parent_code
440307,龙岗区,
440307001,平湖街道,440307
440307001001,平湖社区,440307001
440307001002,山厦社区,440307001
440307003,坂田街道,440307
440307003001,坂田社区,440307003
"""


def load_errors(text: str) -> dict[str, list[str]]:
    with override("en"), pytest.raises(ValidationFailed) as caught:
        load_regions_csv(text=text)
    assert str(caught.value.message) == "The region file has errors; nothing was loaded."
    return {k: [str(m) for m in v] for k, v in caught.value.fields.items()}


def test_a_good_file_loads_every_level_with_its_parent_and_path():
    result = load_regions_csv(text=GOOD)
    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
    community = Region.objects.get(code="440307001002")
    assert (community.name, community.level, community.parent.code) == ("山厦社区", "community", "440307001")
    assert community.path == "440307/440307001/440307001002/"
    assert Region.objects.get(code="440307").level == "district"
    assert Region.objects.get(code="440307003").level == "street"
    assert list(Region.objects.within(Region.objects.get(code="440307001")).values_list("code", flat=True)) == [
        "440307001", "440307001001", "440307001002",
    ]
    assert AuditEvent.objects.filter(action="regions.load").count() == 1


def test_rows_may_come_in_any_order_and_without_a_header():
    text = "440307001001,平湖社区,440307001\n440307001,平湖街道,440307\n440307,龙岗区,\n"
    assert load_regions_csv(text=text).created == 3
    assert Region.objects.get(code="440307001001").path == "440307/440307001/440307001001/"


def test_a_byte_order_mark_and_blank_lines_are_ignored():
    assert load_regions_csv(text="\ufeff" + GOOD.replace("\n440307003,", "\n\n440307003,")).created == 6


def test_loading_the_same_file_again_changes_nothing():
    load_regions_csv(text=GOOD)
    paths = dict(Region.objects.values_list("code", "path"))
    result = load_regions_csv(text=GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert dict(Region.objects.values_list("code", "path")) == paths


def test_a_later_snapshot_renames_in_place_and_adds_new_rows():
    load_regions_csv(text=GOOD)
    pk = Region.objects.get(code="440307001001").pk
    result = load_regions_csv(text="code,name,parent_code\n440307001001,平湖新社区,440307001\n"
                                   "440307001003,良安田社区,440307001\n")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert Region.objects.get(pk=pk).name == "平湖新社区"


def test_a_file_may_add_communities_under_streets_already_loaded():
    load_regions_csv(text=GOOD)
    assert load_regions_csv(text="440307003002,南坑社区,440307003\n").created == 1


@pytest.mark.parametrize(("row", "message"), [
    ("440307001009,只有两列", "A street or community needs a parent code."),
    ("440307001009,太多,440307001,多余", "Expected 3 columns: code, name, parent code."),
    ("4403070019,十位数,440307001", "Code 4403070019 must have 6, 9 or 12 digits."),
    ("44030700100A,字母,440307001", "Code 44030700100A must have 6, 9 or 12 digits."),
    ("440307001009,,440307001", "The name is empty."),
    ("440307001009," + "长" * 65 + ",440307001", "The name is too long (64 characters at most)."),
    ("440307001001,重复社区,440307001", "Code 440307001001 appears twice."),
    ("440307001009,不在其下,440307003", "Code 440307001009 does not lie under parent 440307003."),
    ("440307001009,跳过街道,440307", "Code 440307001009 does not lie under parent 440307."),
    ("440307009,无父街道,", "A street or community needs a parent code."),
    ("440308,有父区,440307", "A district (6-digit code) has no parent code."),
    ("440307012001,未知街道下,440307012", "Parent code 440307012 is unknown."),
])
def test_each_bad_row_is_named_by_its_line_and_nothing_is_loaded(row, message):
    text = GOOD + row + "\n"
    assert load_errors(text) == {"line 8": [message]}
    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_bad_row_is_reported_at_once():
    text = "code,name,parent_code\n440307,龙岗区,\n12,短,\n440307001,,440307\n440307001001,社区,440307009\n"
    assert set(load_errors(text)) == {"line 3", "line 4", "line 5"}


def test_an_empty_file_is_refused():
    with override("en"), pytest.raises(ValidationFailed) as caught:
        load_regions_csv(text="code,name,parent_code\n")
    assert str(caught.value.message) == "The region file has no rows; nothing was loaded."


def test_the_shipped_longgang_streets_load_eleven_streets():
    text = resources.files("yigong.regions").joinpath("data/longgang-streets-2016.csv").read_text("utf-8")
    load_regions_csv(text=text)
    names = set(Region.objects.streets().values_list("name", flat=True))
    assert names == {f"{n}街道" for n in ["平湖", "坂田", "布吉", "南湾", "横岗", "龙城", "龙岗", "坪地", "宝龙",
                                          "园山", "吉华"]}


def test_the_management_command_loads_a_file_and_names_bad_lines(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("load_regions", str(good))
    assert "6 created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,parent_code\n440307001005,,440307001\n", encoding="utf-8")
    with override("en"), pytest.raises(CommandError) as caught:
        call_command("load_regions", str(bad))
    assert "line 2: The name is empty." in str(caught.value)
    assert Region.objects.count() == 6
