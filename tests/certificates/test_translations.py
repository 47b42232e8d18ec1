"""The certificates app's Simplified Chinese catalog is complete, current and compiled."""

import re
from pathlib import Path

import polib

import yigong

LC = Path(yigong.__file__).parent / "certificates" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(LC / "django.po"))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy
    assert not [e for e in po if e.obsolete]


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(LC / "django.po")):
        wanted = sorted(re.findall(r"%\(\w+\)[sd]", entry.msgid))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            assert sorted(re.findall(r"%\(\w+\)[sd]", text)) == wanted, entry.msgid


def test_mo_is_compiled_from_the_po():
    po = {(e.msgid, e.msgid_plural or ""): e for e in polib.pofile(str(LC / "django.po")) if e.translated()}
    mo = {(e.msgid, e.msgid_plural or ""): e for e in polib.mofile(str(LC / "django.mo")) if e.msgid}
    assert set(po) == set(mo)
    for key, entry in po.items():
        assert (mo[key].msgstr_plural or mo[key].msgstr) == (entry.msgstr_plural or entry.msgstr), key
