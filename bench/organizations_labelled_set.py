"""Build the labelled pairs for linking (名寄せ) from the real NTA rows.

    .venv/bin/python bench/organizations_labelled_set.py [--out PATH]

Writes ``kyodo/organizations/tests/data/linking_pairs.csv`` (deterministic: the same input
gives the same file). Side A is a master record as the NTA data gives it, with its
corporate number; side B is the same or another organization written the way a center's
list writes it, WITHOUT a corporate number (a center list rarely has one), so the pairs
measure the name / address matcher, not the corporate-number rule.

How each pair is derived (column ``derivation``):

same organization (label ``same``)
- ``name_change``: a 処理区分 11 row: the name before (side A, with the address of then)
  and the new name (side B, with the address of the change);
- ``legal_form_variant``: the official name against 「NPO法人X」, 「(特非)X」, 「X」 or
  「特定非営利活動法人 X」, the address rewritten as centers write it (digits, hyphens,
  without the building), the postcode with a hyphen or missing, the reading in
  hiragana, katakana or missing;
- ``width_space_variant``: names with Latin letters or digits, full-width against
  half-width, spaces added or removed;
- ``address_moved``: a 処理区分 12 row: the new address (side A) against the old one
  (side B, a center list not yet updated).

different organizations (label ``different``)
- ``similar_name``: two corporations (different corporate numbers) whose names, legal
  form removed, have a bigram Dice coefficient of at least 0.6 or contain each other;
- ``branch``: the name plus 支部, 連合会, 青年部… (constructed from a real name) with a
  street of another real corporation in the same municipality;
- ``same_address``: two corporations at the same postcode and lot (a building that
  houses several NPOs).

Column ``split``: ``dev`` or ``test`` by the CRC32 of side A's corporate number; the
thresholds in ``matching/`` were tuned on ``dev`` only.

Source: 国税庁法人番号公表サイト 差分データ (Hokkaido and Yokohama subsets in
../shared/data/npo). 出典：国税庁法人番号公表サイト（国税庁）を加工して作成.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import zlib
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "data" / "npo"
FILES = [
    SHARED / "nta_houjin_npo_diffs_hokkaido_2021-07_2026-08.csv",
    SHARED / "nta_houjin_npo_diffs_yokohama_2021-07_2026-08.csv",
]
OUT = ROOT / "kyodo" / "organizations" / "tests" / "data" / "linking_pairs.csv"
COLUMNS = [
    "pair_id",
    "derivation",
    "label",
    "split",
    "a_corporate_number",
    "a_name",
    "a_kana",
    "a_postcode",
    "a_prefecture",
    "a_municipality",
    "a_street",
    "b_name",
    "b_kana",
    "b_postcode",
    "b_address",
    "b_corporate_number",
    "note",
]
FULLWIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
)
BRANCH_WORDS = ["札幌支部", "連合会", "青年部", "連絡協議会", "横浜支部", "友の会", "女性部"]


def setup_django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    django.setup()


def load_rows() -> list[dict[str, str]]:
    rows = []
    for path in FILES:
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def state_key(row: dict[str, str]) -> tuple[str, str, int]:
    return (row["変更年月日"] or row["更新年月日"], row["更新年月日"], int(row["一連番号"]))


def bare_name(name: str) -> str:
    from kyodo.organizations.matching import strip_legal_form

    return strip_legal_form(name)


def center_name(name: str, style: int) -> str:
    """The name as a center's list writes it."""
    from kyodo.japanese.text import normalize_width

    bare = re.sub(r"^(認定)?(特定非営利活動法人|ＮＰＯ法人|NPO法人)\s*", "", name)
    forms = [f"NPO法人{bare}", f"(特非){bare}", bare, f"特定非営利活動法人　{bare}"]
    written = forms[style % len(forms)]
    return normalize_width(written) if style % 3 == 0 else written


def center_address(row: dict[str, str], style: int) -> str:
    """The address as a center's list writes it: digits, hyphens, maybe no building."""
    from kyodo.japanese.text import normalize_width
    from kyodo.organizations.matching import kanji_numerals_to_digits

    municipality, street = row["国内所在地（市区町村）"], row["国内所在地（丁目番地等）"]
    if style % 4 == 0:
        return f"{row['国内所在地（都道府県）']}{municipality}{street}"
    street = kanji_numerals_to_digits(normalize_width(street))
    if style % 4 >= 2:
        street = re.sub(r"(\d+)丁目(\d+)番地?(\d+)号?", r"\1-\2-\3", street)
        street = re.sub(r"(\d+)丁目(\d+)番地?", r"\1-\2", street)
        street = re.sub(r"(\d+)番地?(\d+)号?", r"\1-\2", street)
        street = street.replace("－", "-")
    if style % 4 == 3:
        match = re.match(r"^.*?\d+(?:-\d+)+", street)
        street = match.group() if match else street
    return f"{municipality}{street}"


def center_postcode(postcode: str, style: int) -> str:
    if not postcode or style % 3 == 2:
        return ""
    return f"{postcode[:3]}-{postcode[3:]}" if style % 3 == 0 else postcode


def center_kana(kana: str, style: int) -> str:
    from kyodo.japanese.text import katakana_to_hiragana

    if style % 3 == 1:
        return katakana_to_hiragana(kana)
    return "" if style % 3 == 2 else kana


def side_a(row: dict[str, str]) -> dict[str, str]:
    return {
        "a_corporate_number": row["法人番号"],
        "a_name": row["商号又は名称"],
        "a_kana": row["フリガナ"],
        "a_postcode": row["郵便番号"],
        "a_prefecture": row["国内所在地（都道府県）"],
        "a_municipality": row["国内所在地（市区町村）"],
        "a_street": row["国内所在地（丁目番地等）"],
    }


def split_of(number: str) -> str:
    return "dev" if zlib.crc32(number.encode()) % 2 == 0 else "test"


def build() -> list[dict[str, Any]]:
    from kyodo.organizations.matching import bigrams, dice, name_key

    rows = load_rows()
    by_number: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_number[row["法人番号"]].append(row)
    for history in by_number.values():
        history.sort(key=state_key)
    latest = {number: history[-1] for number, history in sorted(by_number.items())}
    rng = random.Random(20260101)
    pairs: list[dict[str, Any]] = []

    def add(derivation: str, label: str, a: dict[str, str], b: dict[str, str], note: str) -> None:
        pairs.append(
            {
                "derivation": derivation,
                "label": label,
                "split": split_of(a["a_corporate_number"]),
                **a,
                **b,
                "b_corporate_number": "",
                "note": note,
            }
        )

    # same: name changes
    for number, history in sorted(by_number.items()):
        for index, row in enumerate(history):
            if row["処理区分"] != "11" or index == 0:
                continue
            before = next(
                (r for r in reversed(history[:index]) if r["商号又は名称"] != row["商号又は名称"]),
                None,
            )
            if before is None:
                continue
            style = int(number[-3:])
            b = {
                "b_name": center_name(row["商号又は名称"], style),
                "b_kana": center_kana(row["フリガナ"], style),
                "b_postcode": center_postcode(row["郵便番号"], style),
                "b_address": center_address(row, style),
            }
            add("name_change", "same", side_a(before), b, f"処理区分11 {row['変更年月日']}")
    # same: legal-form variants and width/space variants of current names
    numbers = sorted(latest)
    for number in rng.sample(numbers, 500):
        row, style = latest[number], rng.randrange(1000)
        b = {
            "b_name": center_name(row["商号又は名称"], style),
            "b_kana": center_kana(row["フリガナ"], style + 1),
            "b_postcode": center_postcode(row["郵便番号"], style + 2),
            "b_address": center_address(row, style + 3),
        }
        add("legal_form_variant", "same", side_a(row), b, f"style {style}")
    latin = [n for n in numbers if re.search("[Ａ-Ｚａ-ｚ０-９]", latest[n]["商号又は名称"])]
    for number in latin:
        row, style = latest[number], rng.randrange(1000)
        from kyodo.japanese.text import normalize_width

        name = normalize_width(row["商号又は名称"])
        name = name.replace(" ", "") if style % 2 else re.sub(r"(法人)", r"\1 ", name, count=1)
        b = {
            "b_name": name,
            "b_kana": center_kana(row["フリガナ"], style),
            "b_postcode": center_postcode(row["郵便番号"], style),
            "b_address": center_address(row, style + 1),
        }
        add("width_space_variant", "same", side_a(row), b, "")
    # same: moved offices (a center list with the old address)
    moved = [n for n in numbers if any(r["処理区分"] == "12" for r in by_number[n][1:])]
    for number in rng.sample(moved, min(250, len(moved))):
        history, style = by_number[number], rng.randrange(1000)
        row = latest[number]
        old = next(
            (
                r
                for r in reversed(history)
                if r["国内所在地（丁目番地等）"] != row["国内所在地（丁目番地等）"]
            ),
            None,
        )
        if old is None:
            continue
        b = {
            "b_name": center_name(old["商号又は名称"], style),
            "b_kana": center_kana(old["フリガナ"], style),
            "b_postcode": center_postcode(old["郵便番号"], style),
            "b_address": center_address(old, style),
        }
        add("address_moved", "same", side_a(row), b, f"moved {row['変更年月日']}")
    # different: similar names
    keys = {n: name_key(latest[n]["商号又は名称"]) for n in numbers}
    grams = {n: bigrams(k) for n, k in keys.items()}
    similar: set[tuple[str, str]] = set()
    for first, second in combinations(numbers, 2):
        key_a, key_b = keys[first], keys[second]
        if not key_a or not key_b:
            continue
        contained = key_a in key_b or key_b in key_a
        if dice(grams[first], grams[second]) >= 0.6 or (
            len(key_a) >= 3 and len(key_b) >= 3 and contained
        ):
            similar.add((first, second))
    for first, second in sorted(similar):
        style = rng.randrange(1000)
        row = latest[second]
        b = {
            "b_name": center_name(row["商号又は名称"], style),
            "b_kana": center_kana(row["フリガナ"], style),
            "b_postcode": center_postcode(row["郵便番号"], style),
            "b_address": center_address(row, style),
        }
        score = dice(grams[first], grams[second])
        add("similar_name", "different", side_a(latest[first]), b, f"dice {score:.2f} vs {second}")
    # different: branches and federations of a real group
    by_municipality: dict[str, list[str]] = defaultdict(list)
    for number in numbers:
        by_municipality[latest[number]["国内所在地（市区町村）"]].append(number)
    for number in rng.sample(numbers, 150):
        row, style = latest[number], rng.randrange(1000)
        neighbours = [n for n in by_municipality[row["国内所在地（市区町村）"]] if n != number]
        if not neighbours:
            continue
        other = latest[rng.choice(neighbours)]
        word = BRANCH_WORDS[style % len(BRANCH_WORDS)]
        bare = re.sub(r"^(特定非営利活動法人|ＮＰＯ法人|NPO法人)\s*", "", row["商号又は名称"])
        b = {
            "b_name": f"{bare}{' ' if style % 2 else ''}{word}",
            "b_kana": "",
            "b_postcode": center_postcode(other["郵便番号"], style),
            "b_address": center_address(other, style),
        }
        add("branch", "different", side_a(row), b, f"+{word}")
    # different: two corporations at the same address
    from kyodo.organizations.matching import street_core, street_key

    places: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for number in numbers:
        row = latest[number]
        core = street_core(street_key(row["国内所在地（丁目番地等）"]))
        places[(row["郵便番号"], row["国内所在地（市区町村）"], core)].append(number)
    for place, members in sorted(places.items()):
        if len(members) < 2 or not place[0]:
            continue
        for first, second in list(combinations(members, 2))[:3]:
            style = rng.randrange(1000)
            row = latest[second]
            b = {
                "b_name": center_name(row["商号又は名称"], style),
                "b_kana": center_kana(row["フリガナ"], style),
                "b_postcode": center_postcode(row["郵便番号"], style),
                "b_address": center_address(row, style),
            }
            add("same_address", "different", side_a(latest[first]), b, f"vs {second}")
    for index, pair in enumerate(pairs, start=1):
        pair["pair_id"] = index
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    setup_django()
    pairs = build()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(pairs)
    counts: dict[str, int] = defaultdict(int)
    for pair in pairs:
        counts[f"{pair['label']}/{pair['derivation']}"] += 1
    for key, count in sorted(counts.items()):
        print(f"{key}: {count}")
    print(f"{len(pairs)} pairs written to {args.out}")


if __name__ == "__main__":
    main()
