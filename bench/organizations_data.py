"""Synthetic but realistic organization data for the organization benchmarks.

Names are built from the real NPO names of the NTA files (legal form removed) combined
with real place names and common endings, so that they share bigrams the way real names
do (北海道…, …ネットワーク, 子ども…). Corporate numbers have valid check digits. Used by
``bench/organizations_import.py`` and ``bench/organizations_linking.py``; not a test
fixture.
"""

from __future__ import annotations

import csv
import os
import random
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "npo"
NTA_FILES = sorted(SHARED.glob("nta_houjin_npo_diffs_*.csv"))

ENDINGS = [
    "の会",
    "ネットワーク",
    "クラブ",
    "協会",
    "サポートセンター",
    "ひろば",
    "研究会",
    "倶楽部",
]


def setup_django(database_url: str | None = None) -> str:
    """Use ``KYODO_DATABASE_URL`` if set, else a fresh SQLite file; migrate; return the URL."""
    if "KYODO_DATABASE_URL" not in os.environ:
        path = Path(tempfile.gettempdir()) / "kyodo-bench-organizations.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["KYODO_DATABASE_URL"] = database_url or f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return os.environ["KYODO_DATABASE_URL"]


@dataclass
class Group:
    number: str
    name: str
    kana: str
    prefecture: str
    municipality: str
    street: str
    postcode: str


def real_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in NTA_FILES:
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    if not rows:
        raise SystemExit(f"The NTA files are missing from {SHARED}.")
    return rows


def groups(count: int, *, seed: int = 7) -> Iterator[Group]:
    """``count`` distinct groups with valid corporate numbers."""
    from kyodo.japanese.corporate_number import check_digit
    from kyodo.organizations.matching import strip_legal_form

    rows = real_rows()
    rng = random.Random(seed)
    cores = sorted({strip_legal_form(r["商号又は名称"]) for r in rows} - {""})
    places = sorted({(r["国内所在地（都道府県）"], r["国内所在地（市区町村）"]) for r in rows})
    streets = [r["国内所在地（丁目番地等）"] for r in rows if r["国内所在地（丁目番地等）"]]
    postcodes = [r["郵便番号"] for r in rows if r["郵便番号"]]
    towns = sorted({re.sub(r"^.*?[市区町村]", "", m)[:4] or m[:2] for _p, m in places} - {""})
    seen: set[str] = set()
    index = 0
    while len(seen) < count:
        # First the real names; then names spliced from two real ones (the head of one,
        # the tail of another), some with a place in front or a common ending, so that
        # they share words the way real names do without being variants of each other.
        if index < len(cores):
            name = f"特定非営利活動法人{cores[index]}"
        else:
            head, tail = rng.choice(cores), rng.choice(cores)
            core = head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :]
            prefix = rng.choice(towns) if rng.random() < 0.3 else ""
            ending = rng.choice(ENDINGS) if rng.random() < 0.3 else ""
            name = f"特定非営利活動法人{prefix}{core}{ending}"
        index += 1
        if name in seen:
            continue
        seen.add(name)
        base = f"9{len(seen):011d}"
        prefecture, municipality = places[rng.randrange(len(places))]
        yield Group(
            number=f"{check_digit(base)}{base}",
            name=name,
            kana="",
            prefecture=prefecture,
            municipality=municipality,
            street=rng.choice(streets),
            # Real postcodes hold one or two groups each; 50,000 groups on the ~1,700
            # postcodes of the files would crowd every postcode, so vary the last digits.
            postcode=rng.choice(postcodes)[:5] + f"{rng.randrange(100):02d}",
        )


NTA_HEADER = (
    "一連番号,法人番号,処理区分,訂正区分,更新年月日,変更年月日,商号又は名称,商号又は名称イメージID,"
    "法人種別,国内所在地（都道府県）,国内所在地（市区町村）,国内所在地（丁目番地等）,"
    "国内所在地イメージID,都道府県コード,市区町村コード,郵便番号,国外所在地,国外所在地イメージID,"
    "登記記録の閉鎖等年月日,登記記録の閉鎖等の事由,承継先法人番号,変更事由の詳細,法人番号指定年月日,"
    "最新履歴,商号又は名称（英語表記）,国内所在地（都道府県）（英語表記）,"
    "国内所在地（市区町村丁目番地等）（英語表記）,国外所在地（英語表記）,フリガナ,検索対象除外"
)


def nta_line(serial: int, group: Group, code: str = "01", day: str = "2021-07-19") -> str:
    cells = [str(serial), group.number, code, "0", day, day, group.name, "", "399",
             group.prefecture, group.municipality, group.street, "", "01", "101", group.postcode,
             "", "", day if code == "21" else "", "01" if code == "21" else "", "", "",
             "2015-10-05", "1", "", "", "", "", group.kana, "0"]  # fmt: skip
    return ",".join(cells)


def nta_file(groups_: list[Group], *, changes: int = 0, seed: int = 11) -> bytes:
    """An NTA file (official 30 columns, with a header) creating ``groups_`` and then
    ``changes`` address changes and closures among them."""
    rng = random.Random(seed)
    lines = [NTA_HEADER]
    for serial, group in enumerate(groups_, start=1):
        lines.append(nta_line(serial, group))
    for serial in range(changes):
        group = groups_[rng.randrange(len(groups_))]
        code = "21" if serial % 5 == 0 else "12"
        moved = Group(**{**group.__dict__, "street": f"{group.street}２階"})
        lines.append(nta_line(serial + 1, moved, code=code, day="2024-04-01"))
    return ("\n".join(lines) + "\n").encode("utf-8")


def center_list(
    known: list[Group], new: list[Group], *, seed: int = 13
) -> tuple[bytes, dict[str, str]]:
    """A center's list: the ``known`` groups written as centers write them (no corporate
    number, no legal form, hyphenated address) and ``new`` groups; returns the file and
    {団体ID: expected corporate number} for the known ones."""
    from kyodo.organizations.matching import kanji_numerals_to_digits, strip_legal_form

    rng = random.Random(seed)
    rows = ["団体ID,団体名,所在地,郵便番号,電話番号"]
    expected: dict[str, str] = {}
    everyone = [(g, True) for g in known] + [(g, False) for g in new]
    rng.shuffle(everyone)
    for index, (group, is_known) in enumerate(everyone, start=1):
        bare = strip_legal_form(group.name)
        name = bare if index % 2 else f"NPO法人{bare}"
        street = kanji_numerals_to_digits(group.street)
        postcode = f"{group.postcode[:3]}-{group.postcode[3:]}" if index % 3 else ""
        rows.append(f"{index:06d},{name},{group.municipality}{street},{postcode},")
        if is_known:
            expected[f"{index:06d}"] = group.number
    return ("\n".join(rows) + "\n").encode("utf-8"), expected
