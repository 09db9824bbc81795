"""Time the public directory search over 50,000 organizations.

    .venv/bin/python bench/organizations_search.py [--n 50000] [--runs 50]
    KYODO_DATABASE_URL=postgres://… .venv/bin/python bench/organizations_search.py

Creates the organizations in bulk in a fresh SQLite file in the temporary directory
(or in the empty database ``KYODO_DATABASE_URL`` names), with names built from the real
NPO names of ../shared/data/npo and their readings, purposes, fields, areas and
registrations. Then, for 2- and 4-character words and for a combination of filters, it
measures p50/p95 over ``--runs`` runs of:

- the ORM work of a directory page (the filtered count and the first page with its
  child rows, exactly as the view does it);
- the HTML page ``/organizations/?q=…`` and the API ``/api/v1/organizations?q=…``
  through Django's test client (the whole stack but the network);
- a naive ``icontains`` search over the name (count + first page) as the baseline;

and the throughput of the HTML search with 2 worker processes.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "npo"

WORDS = ["子育", "福祉", "さっぽろ", "まちづく"]
FILTERS = {"field": "13", "area": "札幌市中央区", "legal_form": "npo_corporation"}
PURPOSES = [
    "地域の子どもと子育て家庭を支え、安心して子育てができるまちづくりに寄与する。",
    "高齢者や障がいのある人の福祉の増進を図り、誰もが暮らしやすい地域をつくる。",
    "自然環境の保全と環境教育を通じて、持続可能な社会の実現に寄与する。",
    "文化・芸術・スポーツの振興を通じて、市民の交流と健康づくりを進める。",
    "災害への備えと被災地の支援を通じて、安全で安心なまちづくりに寄与する。",
    "外国にルーツのある住民との交流を深め、多文化共生の地域づくりを進める。",
]
AREAS = ["札幌市内", "全道", "中央区", "北区", "東区", "白石区", "南区", "西区", "横浜市内"]
ENDINGS = ["", "の会", "ネットワーク", "クラブ", "協会", "ひろば", "研究会", "サポートセンター"]


def setup_django() -> str:
    if "KYODO_DATABASE_URL" not in os.environ:
        path = Path(tempfile.gettempdir()) / "kyodo-bench-organizations-search.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["KYODO_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    os.environ.setdefault("KYODO_DEBUG", "0")
    os.environ.setdefault("KYODO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    return os.environ["KYODO_DATABASE_URL"]


def real_names() -> list[tuple[str, str, str, str]]:
    """(name without legal form, reading, prefecture, municipality) of the real rows."""
    from kyodo.organizations.matching import strip_legal_form

    found: dict[str, tuple[str, str, str, str]] = {}
    for path in sorted(SHARED.glob("nta_houjin_npo_diffs_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                core = strip_legal_form(row["商号又は名称"])
                if core:
                    found[core] = (
                        core,
                        row["フリガナ"],
                        row["国内所在地（都道府県）"],
                        row["国内所在地（市区町村）"],
                    )
    if not found:
        raise SystemExit(f"The NTA files are missing from {SHARED}.")
    return sorted(found.values())


def populate(count: int) -> None:
    from django.db import transaction

    from kyodo.centers.models import Center
    from kyodo.organizations.models import (
        ActivityArea,
        CenterRegistration,
        LegalForm,
        Organization,
        OrganizationActivityField,
    )

    rng = random.Random(7)
    names = real_names()
    center, _created = Center.objects.get_or_create(
        slug="bench-sapporo",
        defaults={
            "name": "札幌市市民活動サポートセンター",
            "name_kana": "サッポロシシミンカツドウサポートセンター",
            "prefecture": "北海道",
            "municipality": "札幌市",
        },
    )
    forms = [LegalForm.NPO_CORPORATION] * 6 + [
        LegalForm.VOLUNTARY_GROUP,
        LegalForm.NEIGHBORHOOD_ASSOCIATION,
        LegalForm.GENERAL_INCORPORATED_ASSOCIATION,
    ]
    batch: list[Organization] = []
    extras: list[tuple[list[int], list[str], bool]] = []
    seen: set[str] = set()
    index = 0

    def flush() -> None:
        with transaction.atomic():
            created = Organization.objects.bulk_create(batch)
            fields, areas, registrations = [], [], []
            for org, (codes, area_names, registered) in zip(created, extras, strict=True):
                fields += [OrganizationActivityField(organization=org, code=c) for c in codes]
                areas += [
                    ActivityArea(organization=org, name=name, position=p)
                    for p, name in enumerate(area_names)
                ]
                if registered:
                    registrations.append(CenterRegistration(organization=org, center=center))
            OrganizationActivityField.objects.bulk_create(fields)
            ActivityArea.objects.bulk_create(areas)
            CenterRegistration.objects.bulk_create(registrations)
        batch.clear()
        extras.clear()

    towns = sorted({municipality[-3:-1] for _c, _k, _p, municipality in names} - {""})
    while len(seen) < count:
        core, kana, prefecture, municipality = names[index % len(names)]
        round_ = index // len(names)
        ending = "" if round_ == 0 else ENDINGS[(index + round_) % len(ENDINGS)]
        prefix = "" if round_ < 2 else towns[(index * 7 + round_) % len(towns)]
        name = f"{prefix}{core}{ending}"
        index += 1
        if name in seen:
            continue
        seen.add(name)
        legal_form = forms[index % len(forms)]
        org = Organization(
            name=("特定非営利活動法人" if legal_form == LegalForm.NPO_CORPORATION else "") + name,
            name_kana=kana if round_ == 0 else "",
            legal_form=legal_form,
            prefecture=prefecture,
            municipality=municipality,
            purpose=rng.choice(PURPOSES),
            phone=f"011-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
        )
        area_names = rng.sample(AREAS, rng.randrange(0, 3))
        org.refresh_derived_fields(other_names=[], areas=area_names)
        batch.append(org)
        codes = sorted(rng.sample(range(1, 21), rng.randrange(1, 4)))
        extras.append((codes, area_names, rng.random() < 0.2))
        if len(batch) >= 2000:
            flush()
    if batch:
        flush()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure(runs: int, work: Callable[[], Any]) -> tuple[float, float]:
    work()  # warm the caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def orm_page(params: dict[str, str]) -> Callable[[], Any]:
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from kyodo.organizations import exports
    from kyodo.organizations.forms import DirectoryFilterForm
    from kyodo.organizations.models import Organization

    def work() -> Any:
        data = QueryDict(mutable=True)
        data.update(params)
        form = DirectoryFilterForm(data)
        form.is_valid()
        qs = exports.for_public_listing(form.filter(Organization.objects.public()))
        page = Paginator(qs, 20).page(1) if qs.exists() else []
        return [o.public_data() for o in page]

    return work


def naive_page(word: str) -> Callable[[], Any]:
    from kyodo.organizations.models import Organization

    def work() -> Any:
        qs = Organization.objects.filter(name__icontains=word).order_by("name_reading_sort")
        return qs.count(), list(qs[:20])

    return work


def client_get(path: str, params: dict[str, str]) -> Callable[[], Any]:
    from django.test import Client

    client = Client()

    def work() -> Any:
        response = client.get(path, params)
        assert response.status_code == 200, (path, params, response.status_code)
        return response

    return work


def _worker(args: tuple[str, int]) -> int:
    url, requests = args
    os.environ["KYODO_DATABASE_URL"] = url
    setup_django()
    from django.test import Client

    client = Client()
    for i in range(requests):
        client.get("/organizations/", {"q": WORDS[i % len(WORDS)]})
    return requests


def throughput(url: str, requests: int) -> float:
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.map(_worker, [(url, 2)] * 2)  # start up and warm both workers
        started = time.perf_counter()
        done = sum(pool.map(_worker, [(url, requests)] * 2))
        return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the organization directory search.")
    parser.add_argument("--n", type=int, default=50_000, help="organizations to create")
    parser.add_argument("--runs", type=int, default=50, help="runs per measurement")
    parser.add_argument("--requests", type=int, default=100, help="requests per worker")
    args = parser.parse_args()
    url = setup_django()
    from django.core.management import call_command
    from django.db import connection

    from kyodo.organizations.models import Organization

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not Organization.objects.exists():
        populate(args.n)
    print(
        f"database: {connection.vendor}; {Organization.objects.count()} organizations "
        f"(created in {time.perf_counter() - started:.0f} s)"
    )
    print(f"{'measurement':46} {'p50 ms':>8} {'p95 ms':>8}")

    def report(label: str, figures: tuple[float, float]) -> float:
        print(f"{label:46} {figures[0]:8.1f} {figures[1]:8.1f}")
        return figures[1]

    for word in WORDS:
        params = {"q": word}
        ours = report(f"ORM page q={word}", measure(args.runs, orm_page(params)))
        naive = report(f"naive icontains q={word}", measure(args.runs, naive_page(word)))
        report(
            f"HTML /organizations/?q={word}",
            measure(args.runs, client_get("/organizations/", params)),
        )
        report(
            f"API /api/v1/organizations?q={word}",
            measure(args.runs, client_get("/api/v1/organizations", params)),
        )
        print(f"{'':46} naive/ours at p95: {naive / ours:.1f}×")
    combined = {**FILTERS, "q": "福祉"}
    label = "&".join(f"{k}={v}" for k, v in combined.items())
    report(f"ORM page {label}"[:46], measure(args.runs, orm_page(combined)))
    report(
        "HTML page with those filters", measure(args.runs, client_get("/organizations/", combined))
    )
    report(
        "API with those filters", measure(args.runs, client_get("/api/v1/organizations", combined))
    )
    report(
        "HTML page, no filter (first page)", measure(args.runs, client_get("/organizations/", {}))
    )
    connection.close()
    rate = throughput(url, args.requests)
    print(f"HTML search throughput, 2 worker processes: {rate:.0f} requests/s")


if __name__ == "__main__":
    main()
