"""Fill and compile the Japanese catalogue; see scripts/messages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def main() -> int:
    catalogue = polib.pofile(str(PO))
    catalogue.metadata["Language"] = "ja"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    parts: dict[str, str] = {}
    for path in sorted((ROOT / "locale" / "parts").glob("*.json")):
        parts.update(json.loads(path.read_text(encoding="utf-8")))
    for entry in catalogue:
        if entry.msgid_plural:
            if not entry.msgstr_plural.get(0) and entry.msgid in parts:
                entry.msgstr_plural = {0: parts[entry.msgid]}
        elif not entry.msgstr and entry.msgid in parts:
            entry.msgstr = parts[entry.msgid]
        if "fuzzy" in entry.flags and entry.msgid in parts:
            entry.flags.remove("fuzzy")
            if entry.msgid_plural:
                entry.msgstr_plural = {0: parts[entry.msgid]}
            else:
                entry.msgstr = parts[entry.msgid]
            entry.previous_msgid = entry.previous_msgid_plural = None
    catalogue.save()
    catalogue.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in catalogue if not e.translated() or "fuzzy" in e.flags]
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    print(f"{len(catalogue)} messages, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
