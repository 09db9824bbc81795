"""Timings of the network calendar at the size of issue 4: 25 centers × 2,000 events a year.

    .venv/bin/python bench/events_performance.py [--events-per-center 2000] [--runs 20]

Uses a fresh SQLite file in /tmp unless KYODO_DATABASE_URL names another database (an
empty PostgreSQL database, for instance; a database from an earlier run is reused as it
is). Prints p50/p95 in milliseconds of: the month page (the whole network, and one
center), the events API for a month (the first page, and a page further on through the
cursor), the clash check when saving an event, parsing a schedule phrase and the network
clash report of a fiscal year. Targets: month page and API p95 ≤ 100 ms, clash check
≤ 200 ms, report ≤ 2 s, parsing ≤ 5 ms.

The clash check and the report are timed twice: as the staff code calls them
(``actions.find_warnings``, the staff page ``/staff/events/network/``) and through the
``coordination`` functions that look the candidates up in the database
(``clashes_for``) and count and rank the stored pairs of the year (``network_clashes``).
The bulk-loaded events get their pairs stored once, as ``manage.py rebuild_clashes``
does (timed); the report is then compared with the baseline it replaces, comparing the
year's events with each other again. The machine's load average is printed with the figures: other
work on the machine shows in the p95.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
if "KYODO_DATABASE_URL" not in os.environ:
    _db = Path(tempfile.mkdtemp()) / "bench-events.sqlite3"
    os.environ["KYODO_DATABASE_URL"] = f"sqlite:///{_db}"
os.environ.setdefault("KYODO_DEBUG", "0")
os.environ.setdefault("KYODO_ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

# 40 topics; a title is a topic with one of 12 framings (NPO会計 → NPO会計入門講座…), so
# that events clash with some of the others rather than with every one. With 137 events a
# day across the network and one or two of 40 topics each, an event still clashes with
# about 90 others (2.3 million pairs a year): a denser network than a real one, which
# makes the clash check and the report harder, not easier.
TOPICS = [
    "NPO会計",
    "子育て",
    "ボランティア",
    "防災",
    "資金調達",
    "広報",
    "多文化共生",
    "デジタル",
    "市民活動入門",
    "法律相談",
    "協働",
    "まちづくり",
    "環境",
    "傾聴",
    "税務",
    "労務",
    "事業計画",
    "理事会運営",
    "個人情報",
    "SNS発信",
    "クラウドファンディング",
    "子ども食堂",
    "高齢者サロン",
    "町内会運営",
    "男女共同参画",
    "DV防止",
    "起業",
    "企業連携",
    "SDGs",
    "地域福祉",
    "国際交流",
    "スポーツ",
    "文化芸術",
    "観光",
    "農業体験",
    "食育",
    "読書活動",
    "不登校支援",
    "障がい者支援",
    "若者の居場所",
]
FRAMINGS = [
    "入門講座",
    "実務セミナー",
    "相談会",
    "交流会",
    "ワークショップ",
    "フォーラム",
    "基礎講座",
    "連続講座",
    "勉強会",
    "体験会",
    "スクール",
    "カフェ",
]
AUDIENCES = [
    "citizens",
    "npos",
    "intermediaries",
    "companies",
    "government",
    "children",
    "parents",
    "seniors",
    "women",
]


def timed(function: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """p50 and p95 of the wall-clock time, and p50 of this process's CPU time (which the
    other work on the machine does not inflate; it leaves out PostgreSQL's own work), after
    one call to warm up (templates compiled, connection open)."""
    function()
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, statistics.median(cpu)


def build(per_center: int, fiscal_year: int) -> None:
    from kyodo.centers.models import Center
    from kyodo.events.coordination import bigram_text
    from kyodo.events.models import Event, EventAudience, EventSession, EventStatus, Topic

    rng = random.Random(4)
    centers = Center.objects.bulk_create(
        [
            Center(
                slug=f"bench-{i}",
                name=f"ベンチ市民活動センター{i}",
                kind="city",
                prefecture="北海道",
                municipality=f"ベンチ市{i}",
                area_served="市内",
            )
            for i in range(25)
        ]
    )
    topics = Topic.objects.bulk_create([Topic(name=name) for name in TOPICS])
    start = datetime.date(fiscal_year, 4, 1)
    through = Event.topics.through
    for center in centers:
        titles = [rng.choice(TOPICS) + rng.choice(FRAMINGS) for _ in range(per_center)]
        # bulk_create skips Event.save(), which stores the title bigrams: set them here.
        events = Event.objects.bulk_create(
            [
                Event(
                    center=center,
                    title=title,
                    title_bigrams=bigram_text(title),
                    status=EventStatus.PUBLISHED,
                    kind="consultation" if i % 10 == 0 else "training",
                )
                for i, title in enumerate(titles)
            ]
        )
        sessions, audiences, links = [], [], []
        for i, event in enumerate(events):
            first = start + datetime.timedelta(days=rng.randrange(350))
            count = 13 if i % 10 == 0 else rng.choice([1, 1, 1, 2, 3])
            step = 7
            days = [first + datetime.timedelta(days=step * n) for n in range(count)]
            sessions += [
                EventSession(
                    event=event,
                    date=d,
                    start_time=datetime.time(13),
                    end_time=datetime.time(15),
                    from_schedule=i % 10 == 0,
                )
                for d in days
            ]
            event.starts_on, event.ends_on = days[0], days[-1]
            for code in rng.sample(AUDIENCES, rng.choice([1, 2])):
                audiences.append(EventAudience(event=event, audience=code))
            for topic in rng.sample(topics, rng.choice([1, 2])):
                links.append(through(event_id=event.pk, topic_id=topic.pk))
        Event.objects.bulk_update(events, ["starts_on", "ends_on"], batch_size=1000)
        EventSession.objects.bulk_create(sessions, batch_size=2000)
        EventAudience.objects.bulk_create(audiences, batch_size=2000)
        through.objects.bulk_create(links, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events-per-center", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from django.db import connection

    from kyodo.accounts.models import User
    from kyodo.events import actions, coordination
    from kyodo.events.models import Event, EventClash, EventSession, EventStatus
    from kyodo.japanese.fiscal_year import fiscal_year_range
    from kyodo.japanese.schedule import parse_schedule

    call_command("migrate", verbosity=0)
    fiscal_year = 2026
    t0 = time.perf_counter()
    if not Event.objects.exists():  # a database from an earlier run is reused as it is
        build(args.events_per_center, fiscal_year)
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk load: statistics for the planner and
            # the visibility map for index-only scans.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    print(
        f"data: {Event.objects.count()} events, {EventSession.objects.count()} sessions "
        f"({time.perf_counter() - t0:.0f} s to build) on {connection.vendor}"
    )
    if not EventClash.objects.exists():
        # The events were loaded in bulk, not through the actions: store their pairs as
        # ``manage.py rebuild_clashes`` does.
        t0 = time.perf_counter()
        stored = coordination.rebuild_clashes()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE events_eventclash")
                cursor.execute("VACUUM ANALYZE events_event")
        print(f"stored {stored} clashing pairs in {time.perf_counter() - t0:.0f} s")
    client = Client()
    User.objects.filter(email="bench@example.jp").delete()
    admin = User.objects.create(
        email="bench@example.jp",
        is_network_admin=True,
        email_verified_at=datetime.datetime.now(datetime.UTC),
    )
    staff_client = Client()
    staff_client.force_login(admin)

    def check(response: object) -> object:
        assert getattr(response, "status_code", 0) == 200, response
        return response

    month = {"year": "2026", "month": "10"}
    api_month = {"from": "2026-10-01", "to": "2026-10-31"}
    # The cursor of the 50th page of 100, to time a page deep into the month.
    deep: str = ""
    for _ in range(49):
        page = check(client.get("/api/v1/events", {**api_month, "cursor": deep}))
        deep = page.json()["next_cursor"]  # type: ignore[attr-defined]
    rows: list[tuple[str, Callable[[], object]]] = [
        ("month page, network", lambda: check(client.get("/events/month/", month))),
        (
            "month page, one center",
            lambda: check(client.get("/events/month/", {**month, "center": "bench-3"})),
        ),
        (
            "events API, a month (page of 100)",
            lambda: check(client.get("/api/v1/events", api_month)),
        ),
        (
            "events API, a month, 50th page through the cursor",
            lambda: check(client.get("/api/v1/events", {**api_month, "cursor": deep})),
        ),
        (
            "events API, a month, one center",
            lambda: check(client.get("/api/v1/events", {**api_month, "center": "bench-3"})),
        ),
    ]
    sample = list(Event.objects.order_by("?")[: args.runs])
    saves = iter(sample * 3)
    checks = iter(sample * 3)
    rows.append(
        ("clash check on save (actions.find_warnings)", lambda: actions.find_warnings(next(saves)))
    )
    rows.append(
        (
            "clash check, lookup and comparison (coordination.clashes_for)",
            lambda: coordination.clashes_for(next(checks)),
        )
    )
    rows.append(
        (
            "parse a schedule phrase",
            lambda: parse_schedule(
                "毎月第2、第4水曜日 13:15～15:45", reference=datetime.date(2026, 4, 1)
            ),
        )
    )

    for name, function in rows:
        p50, p95, cpu = timed(function, args.runs)
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (cpu p50 {cpu:.1f} ms)")
    start, end = fiscal_year_range(fiscal_year)
    year_events = Event.objects.exclude(status=EventStatus.CANCELLED).filter(
        starts_on__lte=end, ends_on__gte=start, status=EventStatus.PUBLISHED
    )

    def report() -> tuple[int, list[Any]]:
        return coordination.network_clashes(start=start, end=end, centers=None, limit=500)

    total, _top = report()
    per_event = 2 * total / max(year_events.count(), 1)
    print(f"clashing pairs in the fiscal year: {total} ({per_event:.0f} for each event)")
    p50, p95, _cpu = timed(report, args.runs)
    print(
        "network clash report, fiscal year (coordination.network_clashes): "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
    )
    p50, p95, _cpu = timed(
        lambda: check(staff_client.get("/staff/events/network/", {"year": fiscal_year})),
        args.runs,
    )
    print(f"network clash report, fiscal year (staff page): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    report_p50 = p50
    # The baseline the stored pairs replace: comparing the year's events with each other.
    p50, p95, _cpu = timed(
        lambda: coordination.top_clashes(coordination.features_from_db(year_events), 500), 1
    )
    print(
        "baseline: comparing the fiscal year's events again (coordination.top_clashes): "
        f"{p50:.0f} ms, {p50 / max(report_p50, 0.001):.0f}× the stored pairs"
    )
    print(f"load average: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
