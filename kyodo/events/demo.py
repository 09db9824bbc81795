"""Demo events of the seeds, dated from the day they are loaded (so the demo always shows
upcoming events). ``load()`` is called by ``manage.py loaddemo``; running it twice on the
same day changes nothing (events are keyed by ``source="demo"`` and ``external_id``).

- 札幌市市民活動サポートセンター: マチなか×NPO (3 times), NPOマネジメント講座 (4 sessions),
  and a draft NPO会計実務セミナー in the same week as the prefecture's NPO法人向け会計講座:
  the deliberate clash the coordination warning finds (seeds 000/003).
- 北海道立女性プラザ and 札幌市男女共同参画センター: 女性弁護士による法律相談 on their
  recurring days (seed 001), booked per session.
- 横浜市市民協働推進センター: 対話&創造ラボ (みらいリンクフォーラム, オープンダイアログ,
  トライアルスタジオ) and the 6-session パブリックアクション course (seed 004).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from kyodo.centers.models import Center
from kyodo.events import actions
from kyodo.events.models import (
    Audience,
    CrossPosting,
    Event,
    EventKind,
    EventQuestion,
    EventStatus,
    RegistrationUnit,
    Topic,
)

TOPICS = [
    ("NPO会計", "エヌピーオーカイケイ"),
    ("NPOマネジメント", "エヌピーオーマネジメント"),
    ("資金調達", "シキンチョウタツ"),
    ("市民活動入門", "シミンカツドウニュウモン"),
    ("協働", "キョウドウ"),
    ("まちづくり", "マチヅクリ"),
    ("対話", "タイワ"),
    ("企業連携", "キギョウレンケイ"),
    ("社会起業", "シャカイキギョウ"),
    ("男女共同参画", "ダンジョキョウドウサンカク"),
    ("法律相談", "ホウリツソウダン"),
    ("広報", "コウホウ"),
    ("ボランティア", "ボランティア"),
    ("子育て", "コソダテ"),
    ("防災", "ボウサイ"),
]

PREFECTURAL = "hokkaido-shimin-katsudo"
CITY = "sapporo-shimin-katsudo"
WOMENS_PLAZA = "hokkaido-womens-plaza"
GENDER_EQUALITY = "sapporo-gender-equality"
YOKOHAMA = "yokohama-kyodo"


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _sessions(
    days: list[datetime.date], start: str, end: str, titles: list[str] | None = None
) -> list[actions.SessionTimes]:
    return [
        actions.SessionTimes(
            day,
            datetime.time.fromisoformat(start),
            datetime.time.fromisoformat(end),
            titles[i] if titles else "",
        )
        for i, day in enumerate(days)
    ]


def _specs(today: datetime.date) -> list[dict[str, Any]]:
    sat = _weekday_on_or_after(today + datetime.timedelta(days=10), 5)
    wed = _weekday_on_or_after(today + datetime.timedelta(days=7), 2)
    clash_wed = _weekday_on_or_after(today + datetime.timedelta(days=17), 2)
    common_npo = {
        "audience_note": "NPO法人・市民活動団体の役員、事務局、会計担当の方",
        "contact_name": "札幌市市民活動サポートセンター",
        "contact_phone": "011-728-5888",
    }
    return [
        {
            "key": "machinaka-npo",
            "center": CITY,
            "kind": EventKind.EVENT,
            "title": "マチなか×NPO",
            "summary": "まちなかの広場で市民活動団体が活動を紹介します。どなたでも参加できます。",
            "description": (
                "市内で活動するNPO・市民活動団体が、地下歩行空間の広場でブースを出し、"
                "活動の紹介や体験コーナーを行います。ボランティアを始めたい方、"
                "団体の活動を知りたい方はお気軽にお越しください。"
            ),
            "audiences": [Audience.CITIZENS, Audience.NPOS],
            "topics": ["市民活動入門", "協働", "ボランティア"],
            "sessions": _sessions(
                [sat, sat + datetime.timedelta(days=35), sat + datetime.timedelta(days=77)],
                "11:00",
                "16:00",
                ["第1回", "第2回", "第3回"],
            ),
            "venue_name": "札幌駅前通地下広場（チ・カ・ホ）北大通交差点広場",
            "venue_address": "札幌市中央区北1条西4丁目",
            "accepts_registrations": False,
            "accessibility_notes": "段差のない会場です。車いすでお越しいただけます。",
            "status": EventStatus.PUBLISHED,
        },
        {
            "key": "npo-management",
            "center": CITY,
            "kind": EventKind.TRAINING,
            "title": "NPOマネジメント講座",
            "summary": "会計、資金調達、広報など団体運営の実務を4回で学ぶ連続講座です。",
            "description": (
                "団体の運営基盤の強化を目的として、会計、資金調達、広報、組織運営の"
                "実務能力向上につながる研修を行います（全4回）。"
            ),
            "audiences": [Audience.NPOS],
            "topics": ["NPOマネジメント", "資金調達", "広報"],
            "sessions": _sessions(
                [wed + datetime.timedelta(days=7 * i) for i in range(4)],
                "18:30",
                "20:30",
                ["第1回 組織運営", "第2回 資金調達", "第3回 広報", "第4回 事業計画"],
            ),
            "venue_name": "研修室",
            "capacity": 30,
            "status": EventStatus.PUBLISHED,
            "questions": [("所属団体名", True), ("講座で聞きたいこと", False)],
            **common_npo,
        },
        {
            "key": "prefecture-npo-accounting",
            "center": PREFECTURAL,
            "kind": EventKind.TRAINING,
            "title": "NPO法人向け会計講座",
            "summary": "NPO法人会計基準に沿った活動計算書の作り方を学びます。",
            "description": (
                "会計担当になったばかりの方を対象に、決算書類の作り方を基礎から説明します。"
            ),
            "audiences": [Audience.NPOS],
            "topics": ["NPO会計"],
            "sessions": _sessions([clash_wed], "13:30", "16:30"),
            "venue_name": "かでる2・7 研修室",
            "venue_address": "札幌市中央区北2条西7丁目",
            "capacity": 40,
            "status": EventStatus.PUBLISHED,
            "contact_name": "北海道NPO活動推進センター",
        },
        {
            "key": "city-npo-accounting",
            "center": CITY,
            "kind": EventKind.SEMINAR,
            "title": "NPO会計実務セミナー",
            "summary": "事業報告書の提出に向けて、NPO法人の会計実務を確認します。",
            "audiences": [Audience.NPOS],
            "topics": ["NPO会計"],
            "sessions": _sessions([clash_wed + datetime.timedelta(days=2)], "18:30", "20:30"),
            "venue_name": "研修室",
            "capacity": 30,
            "status": EventStatus.DRAFT,
            **common_npo,
        },
        {
            "key": "plaza-lawyer",
            "center": WOMENS_PLAZA,
            "kind": EventKind.CONSULTATION,
            "title": "女性弁護士による法律相談",
            "summary": "女性弁護士が離婚、相続、DVなどの相談に応じます（予約制、面談、一人30分）。",
            "audiences": [Audience.WOMEN],
            "topics": ["法律相談", "男女共同参画"],
            "schedule_text": "毎週金曜日 13:00~15:00（第2金曜日 18:00~20:00）",
            "registration_unit": RegistrationUnit.SESSION,
            "capacity": 4,
            "has_waiting_list": False,
            "status": EventStatus.PUBLISHED,
            "how_to_apply": "電話または申込フォームで予約してください。",
        },
        {
            "key": "gender-equality-lawyer",
            "center": GENDER_EQUALITY,
            "kind": EventKind.CONSULTATION,
            "title": "女性弁護士による法律相談",
            "summary": "女性弁護士が相談に応じます（予約制、面談、一人30分）。",
            "audiences": [Audience.WOMEN],
            "topics": ["法律相談", "男女共同参画"],
            "schedule_text": "毎月第2、第4水曜日 13:15～15:45、奇数月 第3水曜日 13:15～15:45",
            "registration_unit": RegistrationUnit.SESSION,
            "capacity": 5,
            "has_waiting_list": False,
            "status": EventStatus.PUBLISHED,
        },
        *_yokohama(today),
    ]


def _yokohama(today: datetime.date) -> list[dict[str, Any]]:
    sat = _weekday_on_or_after(today + datetime.timedelta(days=14), 5)
    lab = [Audience.CITIZENS, Audience.NPOS, Audience.COMPANIES, Audience.GOVERNMENT]
    common = {
        "center": YOKOHAMA,
        "venue_name": "協働ラボ（市庁舎1階）",
        "venue_address": "横浜市中区本町6丁目50番地の10",
        "status": EventStatus.PUBLISHED,
        "accessibility_notes": "手話通訳・要約筆記をご希望の方は申込時にお知らせください。",
    }
    return [
        {
            **common,
            "key": "mirai-link",
            "kind": EventKind.EVENT,
            "title": "みらいリンクフォーラム",
            "summary": "協働の今と未来を学ぶ場。市内外の先進事例から新たな手法の種を見つけます。",
            "audiences": lab,
            "topics": ["協働", "まちづくり"],
            "sessions": _sessions([sat + datetime.timedelta(days=7)], "14:00", "17:00"),
            "capacity": 100,
        },
        {
            **common,
            "key": "open-dialog",
            "kind": EventKind.NETWORKING,
            "title": "オープンダイアログ",
            "summary": "団体や行政から寄せられた地域の課題を、多様な主体で議論する対話の場です。",
            "audiences": lab,
            "topics": ["対話", "協働"],
            "sessions": _sessions([sat + datetime.timedelta(days=28)], "14:00", "16:30"),
            "capacity": 25,
        },
        {
            **common,
            "key": "trial-studio",
            "kind": EventKind.EVENT,
            "title": "トライアルスタジオ",
            "summary": "CSV・SDGsを志向する企業発の公開企画会議です。",
            "audiences": [Audience.COMPANIES, Audience.NPOS, Audience.CITIZENS],
            "topics": ["企業連携", "社会起業"],
            "sessions": _sessions([sat + datetime.timedelta(days=49)], "14:00", "17:00"),
            "capacity": 25,
        },
        {
            **common,
            "key": "public-action",
            "kind": EventKind.TRAINING,
            "title": "パブリックアクション 協働人材養成講座",
            "summary": "協働に向けた人材養成のための連続講座（全6回）。",
            "audiences": [Audience.CITIZENS, Audience.NPOS, Audience.GOVERNMENT],
            "topics": ["協働", "まちづくり", "市民活動入門"],
            "sessions": _sessions(
                [sat + datetime.timedelta(days=14 * i) for i in range(6)],
                "10:00",
                "12:30",
                [f"第{i}回" for i in range(1, 7)],
            ),
            "capacity": 24,
            "fee_yen": 3000,
            "fee_details": "全6回分の資料代",
        },
    ]


@transaction.atomic
def load() -> dict[str, int]:
    """Create or update the demo events; returns counts."""
    today = timezone.localdate()
    topics = {}
    for name, kana in TOPICS:
        topics[name], _created = Topic.objects.update_or_create(
            name=name, defaults={"name_kana": kana}
        )
    centers = {c.slug: c for c in Center.objects.all()}
    counts = {"created": 0, "updated": 0, "skipped": 0}
    saved: dict[str, Event] = {}
    for spec in _specs(today):
        spec = dict(spec)
        center = centers.get(spec.pop("center"))
        if center is None:
            counts["skipped"] += 1
            continue
        key = spec.pop("key")
        sessions = spec.pop("sessions", [])
        audiences = spec.pop("audiences")
        topic_names = spec.pop("topics")
        questions = spec.pop("questions", [])
        if spec.get("schedule_text"):
            spec.setdefault("series_starts_on", today)
            spec.setdefault("series_ends_on", today + datetime.timedelta(days=180))
        event = Event.objects.filter(source="demo", external_id=key).first()
        if event is None:
            event = Event(source="demo", external_id=key, center=center)
            counts["created"] += 1
        else:
            counts["updated"] += 1
        event.center = center
        for field, value in spec.items():
            setattr(event, field, value)
        if event.status == EventStatus.PUBLISHED and event.published_at is None:
            event.published_at = timezone.now()
        event.save()
        actions.replace_explicit_sessions(event, sessions)
        actions.store_schedule(event)
        event.save()
        actions.refresh_event_dates(event)
        event.set_audiences(audiences)
        event.topics.set([topics[name] for name in topic_names])
        for order, (label, required) in enumerate(questions):
            EventQuestion.objects.update_or_create(
                event=event, label=label, defaults={"required": required, "sort_order": order}
            )
        saved[key] = event
    for event in saved.values():
        actions.find_warnings(event)
    # 相互掲載: each women's center shows the other's consultation days.
    pairs = [("plaza-lawyer", GENDER_EQUALITY), ("gender-equality-lawyer", WOMENS_PLAZA)]
    for key, slug in pairs:
        if key in saved and slug in centers:
            CrossPosting.objects.get_or_create(event=saved[key], center=centers[slug])
    return counts
