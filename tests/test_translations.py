"""The Japanese catalogue is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = settings.BASE_DIR / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def test_every_japanese_message_is_translated_and_none_is_fuzzy() -> None:
    # given
    catalogue = polib.pofile(str(PO))

    # then
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], "run scripts/messages and translate these"
    assert fuzzy == [], "review these fuzzy translations"


def test_the_compiled_catalogue_matches_the_source() -> None:
    # given
    source = polib.pofile(str(PO))
    compiled = polib.mofile(str(PO.with_suffix(".mo")))

    # then
    def pairs(entries: polib._BaseFile) -> dict[str, str]:
        return {
            e.msgid: (e.msgstr_plural.get(0, "") if e.msgid_plural else e.msgstr)
            for e in entries
            if e.msgid and not e.obsolete
        }

    assert pairs(compiled) == pairs(source), "run scripts/messages to recompile django.mo"


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    # given: a copy of the sources without their catalogue, so extraction cannot touch ours
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is not installed; scripts/test installs it")
    skip = shutil.ignore_patterns("__pycache__", "tests", "migrations", "*.pyc")
    for name in ("kyodo", "templates"):
        shutil.copytree(settings.BASE_DIR / name, tmp_path / name, ignore=skip)
    shutil.copy(settings.BASE_DIR / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KYODO_")}

    # when
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / "locale/ja/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}

    # then
    assert sorted(extracted - committed) == [], "run scripts/messages and translate"


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    # given
    placeholder = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")

    def names(text: str) -> set[str]:
        return {m.group(1) or m.group(2) for m in placeholder.finditer(text)}

    # when
    lost = []
    for entry in polib.pofile(str(PO)):
        if not {"python-format", "python-brace-format"} & set(entry.flags):
            continue
        source = entry.msgid_plural or entry.msgid
        translation = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if names(source) - names(translation):
            lost.append((entry.msgid, translation))

    # then
    assert lost == [], "these translations drop a placeholder of their message"
