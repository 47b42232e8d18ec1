"""Every string of the five page apps is translated into Simplified Chinese, and compiled."""

from pathlib import Path

import polib
import pytest

import yigong

APPS = ["core", "accounts", "volunteers", "organizations", "regions"]
ROOT = Path(yigong.__file__).parent


def catalog(app):
    return ROOT / app / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.mark.parametrize("app", APPS)
def test_po_file_has_no_untranslated_or_fuzzy_entries(app):
    po = polib.pofile(str(catalog(app) / "django.po"))
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy
    assert po.metadata["Plural-Forms"].startswith("nplurals=1")


@pytest.mark.parametrize("app", APPS)
def test_placeholders_survive_translation(app):
    import re

    for entry in polib.pofile(str(catalog(app) / "django.po")):
        wanted = sorted(re.findall(r"%\(\w+\)[sd]", entry.msgid))
        strings = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in strings:
            assert sorted(re.findall(r"%\(\w+\)[sd]", text)) == wanted, entry.msgid


@pytest.mark.parametrize("app", APPS)
def test_mo_file_is_compiled_from_the_current_po_file(app):
    po = polib.pofile(str(catalog(app) / "django.po"))
    mo = polib.mofile(str(catalog(app) / "django.mo"))

    def key(e):
        return (e.msgctxt or "", e.msgid, e.msgid_plural or "")

    def value(e):
        return tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else (e.msgstr,)

    expected = {key(e): value(e) for e in po.translated_entries() if not e.obsolete}
    compiled = {key(e): value(e) for e in mo if e.msgid}
    assert compiled == expected


@pytest.mark.parametrize("app", APPS)
def test_po_file_holds_every_string_in_the_source(app, tmp_path):
    """Re-extract the app's strings (as `makemessages` does) and compare with the committed catalog."""
    import os
    import shutil
    import subprocess
    import sys

    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(catalog(app) / "django.po"))

    def keys(po):
        return {(e.msgctxt or "", e.msgid, e.msgid_plural or "") for e in po if not e.obsolete}

    assert keys(fresh) == keys(committed), "run makemessages and translate the new strings"
