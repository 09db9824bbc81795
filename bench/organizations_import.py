"""Time the NTA import: N corporations (plus changes) into an empty registry.

    .venv/bin/python bench/organizations_import.py [--n 50000]
    KYODO_DATABASE_URL=postgres://… .venv/bin/python bench/organizations_import.py

Goal (issue 3): 50,000 NTA rows in ≤ 60 s. Uses a fresh SQLite file in the temporary
directory unless ``KYODO_DATABASE_URL`` is set (then that database must be empty).
"""

from __future__ import annotations

import argparse
import time

from organizations_data import groups, nta_file, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the NTA import.")
    parser.add_argument("--n", type=int, default=50_000, help="rows in the file")
    args = parser.parse_args()
    url = setup_django()
    from kyodo.organizations import actions
    from kyodo.organizations.models import Organization

    creations = int(args.n * 0.8)
    data = nta_file(list(groups(creations)), changes=args.n - creations)
    started = time.perf_counter()
    report = actions.import_organizations(source="nta", data=data, file_name="bench.csv")
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = actions.import_organizations(source="nta", data=data, file_name="bench.csv")
    second = time.perf_counter() - started
    print(f"database: {url.split('://')[0]}")
    print(f"NTA import of {args.n} rows ({creations} corporations): {first:.1f} s {report.counts}")
    print(f"the same file again: {second:.1f} s, unchanged {again.counts['unchanged']}")
    print(f"organizations: {Organization.objects.count()}")


if __name__ == "__main__":
    main()
