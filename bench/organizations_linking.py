"""Linking (名寄せ): precision and recall on the labelled pairs, and the time to link a
center's list of N groups against N master records.

    .venv/bin/python bench/organizations_linking.py              # quality + N = 50,000
    .venv/bin/python bench/organizations_linking.py --n 5000
    .venv/bin/python bench/organizations_linking.py --quality-only
    KYODO_DATABASE_URL=postgres://… .venv/bin/python bench/organizations_linking.py

Quality: the pairs of ``kyodo/organizations/tests/data/linking_pairs.csv`` (built from the
real NTA rows by ``bench/organizations_labelled_set.py``; side B has no corporate
number), scored pair by pair. Precision and recall are given for automatic links and for
"linked or sent to review"; the thresholds were tuned on the ``dev`` half.

Speed: N corporations are imported through the NTA importer, then a center list of N
rows — half of them those corporations written as centers write them (no legal form, no
corporate number, digits and hyphens in the address), half new groups — through the
center-list importer; the time of that import is the linking time (goal: N = 50,000 in
≤ 120 s). The outcome of each row is checked against what was generated.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from organizations_data import center_list, groups, nta_file, setup_django


def quality() -> None:
    from kyodo.organizations import matching
    from kyodo.organizations.tests.labelled import evaluate, load_pairs

    print(f"thresholds: auto-link ≥ {matching.AUTO_LINK}, review ≥ {matching.REVIEW}")
    for split in ("dev", "test", None):
        pairs = load_pairs(split)
        metrics = evaluate(pairs)
        auto_p, auto_r = metrics.auto_link
        both_p, both_r = metrics.link_or_review
        print(
            f"{split or 'all':>4} ({len(pairs)} pairs): auto-link precision {auto_p:.3f} "
            f"recall {auto_r:.3f}; link or review precision {both_p:.3f} recall {both_r:.3f}"
        )
    metrics = evaluate(load_pairs())
    print("decisions by derivation (all pairs):")
    derivations = sorted({d for d, _decision in metrics.by_derivation})
    for derivation in derivations:
        counts = {k: metrics.by_derivation[(derivation, k)] for k in ("link", "review", "new")}
        print(f"  {derivation:<20} link {counts['link']:>4}  review {counts['review']:>4}  "
              f"new {counts['new']:>4}")  # fmt: skip


def speed(n: int) -> None:
    url = setup_django()
    from kyodo.centers.models import Center
    from kyodo.organizations import actions
    from kyodo.organizations.models import Organization, SourceRecord

    everyone = list(groups(n + n // 2))
    masters, newcomers = everyone[:n], everyone[n:]
    started = time.perf_counter()
    actions.import_organizations(source="nta", data=nta_file(masters), file_name="nta.csv")
    loaded = time.perf_counter() - started
    center = Center.objects.create(
        slug="bench-center", name="ベンチ市民活動センター", kind="city", prefecture="北海道",
        area_served="札幌市内",
    )  # fmt: skip
    known = masters[: n // 2]
    data, expected = center_list(known, newcomers[: n - len(known)])
    started = time.perf_counter()
    report = actions.import_organizations(
        source="center_list", data=data, file_name="center.csv", center=center
    )
    linking = time.perf_counter() - started
    numbers = dict(
        SourceRecord.objects.filter(source="center_list").values_list(
            "origin_id", "organization__corporate_number"
        )
    )
    outcomes: Counter[str] = Counter()
    for row in report.rows:
        wanted = expected.get(row.origin_id)
        got = numbers.get(row.origin_id)
        if wanted is None:
            outcomes[f"new group: {row.outcome}" + (" (to a wrong record)" if got else "")] += 1
        elif row.outcome == "linked":
            outcomes["known group: linked " + ("right" if got == wanted else "WRONG")] += 1
        else:
            outcomes[f"known group: {row.outcome}"] += 1
    print(f"database: {url.split('://')[0]}")
    print(f"NTA import of {n} corporations: {loaded:.1f} s")
    print(f"center list of {n} rows linked against {n} records: {linking:.1f} s")
    for key, count in sorted(outcomes.items()):
        print(f"  {key}: {count}")
    linked_right = outcomes["known group: linked right"]
    linked = sum(c for k, c in outcomes.items() if "linked" in k)
    print(f"  end to end: auto-link precision {linked_right / max(linked, 1):.4f}, "
          f"recall {linked_right / max(len(expected), 1):.4f}")  # fmt: skip
    print(f"organizations now: {Organization.objects.count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Linking quality and speed.")
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()
    if args.quality_only:
        setup_django("sqlite://:memory:")
        quality()
        return
    setup_django()
    quality()
    speed(args.n)


if __name__ == "__main__":
    main()
