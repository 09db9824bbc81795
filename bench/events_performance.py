"""Timings of the network calendar at the size of issue 4: 25 centers × 2,000 events a year.

    .venv/bin/python bench/events_performance.py [--events-per-center 2000] [--runs 20]

Uses a fresh SQLite file in /tmp unless KYODO_DATABASE_URL names another database (an
empty PostgreSQL database, for instance). Prints p50/p95 in milliseconds of:
the month page (the whole network, and one center), the events API for a month, the clash
check when saving an event, the network clash report of a fiscal year, and parsing a
schedule phrase. Targets: month page and API p95 ≤ 100 ms, clash check ≤ 200 ms, report
≤ 2 s, parsing ≤ 5 ms.
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
# that clashes are as rare as in a real network rather than between every pair of events.
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


def timed(function: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def build(per_center: int, fiscal_year: int) -> None:
    from kyodo.centers.models import Center
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
        events = Event.objects.bulk_create(
            [
                Event(
                    center=center,
                    title=rng.choice(TOPICS) + rng.choice(FRAMINGS),
                    status=EventStatus.PUBLISHED,
                    kind="consultation" if i % 10 == 0 else "training",
                )
                for i in range(per_center)
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

    from kyodo.accounts.models import User
    from kyodo.events import actions
    from kyodo.events.models import Event, EventSession
    from kyodo.japanese.schedule import parse_schedule

    call_command("migrate", verbosity=0)
    fiscal_year = 2026
    t0 = time.perf_counter()
    if not Event.objects.exists():  # a database from an earlier run is reused as it is
        build(args.events_per_center, fiscal_year)
    print(
        f"data: {Event.objects.count()} events, {EventSession.objects.count()} sessions "
        f"({time.perf_counter() - t0:.0f} s to build)"
    )
    client = Client()
    User.objects.filter(email="bench@example.jp").delete()
    admin = User.objects.create(
        email="bench@example.jp",
        is_network_admin=True,
        email_verified_at=datetime.datetime.now(datetime.UTC),
    )
    staff_client = Client()
    staff_client.force_login(admin)

    def check(response: object) -> None:
        assert getattr(response, "status_code", 0) == 200, response

    month = {"year": "2026", "month": "10"}
    rows: list[tuple[str, Callable[[], object]]] = [
        ("month page, network", lambda: check(client.get("/events/month/", month))),
        (
            "month page, one center",
            lambda: check(client.get("/events/month/", {**month, "center": "bench-3"})),
        ),
        (
            "events API, a month (page of 100)",
            lambda: check(client.get("/api/v1/events", {"from": "2026-10-01", "to": "2026-10-31"})),
        ),
        (
            "events API, a month, one center",
            lambda: check(
                client.get(
                    "/api/v1/events",
                    {"from": "2026-10-01", "to": "2026-10-31", "center": "bench-3"},
                )
            ),
        ),
    ]
    sample = list(Event.objects.order_by("?")[: args.runs])
    it = iter(sample * 2)
    rows.append(("clash check on save", lambda: actions.find_warnings(next(it))))
    rows.append(
        (
            "parse a schedule phrase",
            lambda: parse_schedule(
                "毎月第2、第4水曜日 13:15～15:45", reference=datetime.date(2026, 4, 1)
            ),
        )
    )
    for name, function in rows:
        p50, p95 = timed(function, args.runs)
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    p50, p95 = timed(
        lambda: check(staff_client.get("/staff/events/network/", {"year": fiscal_year})), 3
    )
    print(f"network clash report, fiscal year: p50 {p50:.0f} ms, max {p95:.0f} ms")


if __name__ == "__main__":
    main()
