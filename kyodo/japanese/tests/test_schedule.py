"""Recurring schedules written in Japanese: every sample phrase, the seeds, the constructs
the events issue lists and the tricky cases, with expectations worked out by hand from the
calendar (2022: 1/1 Sat; holidays 1/1, 1/10, 2/11, 2/23, 3/21, 5/3–5/5 …)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rruleset, rrulestr

from kyodo.japanese.schedule import Occurrence, Schedule, parse_schedule, to_json
from kyodo.japanese.schedule.model import EVERY_WEEK, LAST, Rule
from kyodo.japanese.tests.shared_data import SHARED_DATA, requires_shared_data

SAMPLE_CSV = SHARED_DATA / "schedules" / "schedule_phrases_sample.csv"
TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Case:
    """A phrase, the window it is queried for (its start is also the reference date), and
    what must come out: the GIF code, lines the RRULE text must hold, the first
    occurrences (``"2022-01-14 13:00-15:00"``, ``"2022-01-14 10:00-"`` for a start only,
    ``"2022-01-14"`` without times) and the parts not understood."""

    phrase: str
    start: str
    end: str
    gif: str | None
    rrule: tuple[str, ...]
    first: str  # occurrences separated by ", "
    unparsed: tuple[str, ...] = ()
    every: bool = True  # ``first`` lists every occurrence of the window, not only the first


def _label(item: Occurrence) -> str:
    text = item.date.isoformat()
    if item.start_time is not None:
        end = item.end_time.strftime("%H:%M") if item.end_time else ""
        text += f" {item.start_time:%H:%M}-{end}"
    return text


def _run(case: Case) -> tuple[Schedule, list[str], str | None]:
    start, end = date.fromisoformat(case.start), date.fromisoformat(case.end)
    schedule = parse_schedule(case.phrase, reference=start)
    labels = [_label(item) for item in schedule.occurrences(start, end)]
    return schedule, labels, schedule.rrule_between(start, end)


def _check(case: Case) -> None:
    # when
    schedule, labels, rrule = _run(case)

    # then
    assert schedule.gif_code == case.gif
    assert schedule.unparsed == list(case.unparsed)
    assert schedule.is_complete is (not case.unparsed)
    for line in case.rrule:
        assert rrule is not None and line in rrule.split("\n"), (line, rrule)
    first = case.first.split(", ")
    if case.every:
        assert labels == first
    else:
        assert labels[: len(first)] == first


# Every phrase of ../shared/data/schedules/schedule_phrases_sample.csv, verbatim, by id.
SAMPLES: dict[int, Case] = {
    1: Case(
        "午前8時30分から午後5時15分(土日祝日除く)",
        "2022-01-01",
        "2022-01-14",
        "0Mo0Tu0We0Th0Fr",
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "EXDATE;TZID=Asia/Tokyo:20220110T083000"),
        "2022-01-03 08:30-17:15, 2022-01-04 08:30-17:15, 2022-01-05 08:30-17:15, "
        "2022-01-06 08:30-17:15, 2022-01-07 08:30-17:15, 2022-01-11 08:30-17:15",
        every=False,
    ),
    2: Case(
        "8時30分から17時15分(土日祝除く)",
        "2022-01-01",
        "2022-01-14",
        "0Mo0Tu0We0Th0Fr",
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",),
        "2022-01-03 08:30-17:15, 2022-01-04 08:30-17:15, 2022-01-05 08:30-17:15, "
        "2022-01-06 08:30-17:15, 2022-01-07 08:30-17:15, 2022-01-11 08:30-17:15",
        every=False,
    ),
    4: Case(
        "月曜・祝日を除く　午前8時30分から午後5時",
        "2022-01-01",
        "2022-01-31",
        "0Tu0We0Th0Fr0Sa0Su",
        ("RRULE:FREQ=WEEKLY;BYDAY=TU,WE,TH,FR,SA,SU", "EXDATE;TZID=Asia/Tokyo:20220101T083000"),
        "2022-01-02 08:30-17:00, 2022-01-04 08:30-17:00, 2022-01-05 08:30-17:00",
        every=False,
    ),
    6: Case(
        "1月14日(金曜)から3月25日(金曜)毎週金曜※2月11日を除く(全10回)",
        "2022-01-01",
        "2022-12-31",
        "0Fr",
        (
            "DTSTART;VALUE=DATE:20220114",
            "RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20220325",
            "EXDATE;VALUE=DATE:20220211",
        ),
        "2022-01-14, 2022-01-21, 2022-01-28, 2022-02-04, 2022-02-18, 2022-02-25, 2022-03-04, "
        "2022-03-11, 2022-03-18, 2022-03-25",
    ),
    8: Case(
        "毎週月曜日　全4回　午後1時~4時",
        "2022-01-01",
        "2022-12-31",
        "0Mo",
        ("RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20220124T040000Z",),
        "2022-01-03 13:00-16:00, 2022-01-10 13:00-16:00, 2022-01-17 13:00-16:00, "
        "2022-01-24 13:00-16:00",
    ),
    10: Case(
        "毎月第1・3木曜日15時30分から約15分間",
        "2022-01-01",
        "2022-02-28",
        "13Th",
        ("DTSTART;TZID=Asia/Tokyo:20220106T153000", "RRULE:FREQ=MONTHLY;BYDAY=1TH,3TH"),
        "2022-01-06 15:30-15:45, 2022-01-20 15:30-15:45, 2022-02-03 15:30-15:45, "
        "2022-02-17 15:30-15:45",
    ),
    14: Case(
        "第2日曜日はリサイクルの日(リサイクルプラザ)",
        "2022-01-01",
        "2022-03-31",
        "2Su",
        ("RRULE:FREQ=MONTHLY;BYDAY=2SU",),
        "2022-01-09, 2022-02-13, 2022-03-13",
        ("リサイクルの日(リサイクルプラザ)",),
    ),
    18: Case(
        "2月11日を除く毎週金曜日・全8回",
        "2022-01-01",
        "2022-12-31",
        "0Fr",
        ("RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20220304", "EXDATE;VALUE=DATE:20220211"),
        "2022-01-07, 2022-01-14, 2022-01-21, 2022-01-28, 2022-02-04, 2022-02-18, 2022-02-25, "
        "2022-03-04",
    ),
    21: Case(
        "第1~第4水曜日",
        "2022-03-01",
        "2022-03-31",
        "1234We",
        ("RRULE:FREQ=MONTHLY;BYDAY=1WE,2WE,3WE,4WE",),
        "2022-03-02, 2022-03-09, 2022-03-16, 2022-03-23",  # not the fifth, 3/30
    ),
    24: Case(
        "毎月第2、第4土曜日",
        "2022-01-01",
        "2022-02-28",
        "24Sa",
        ("RRULE:FREQ=MONTHLY;BYDAY=2SA,4SA",),
        "2022-01-08, 2022-01-22, 2022-02-12, 2022-02-26",
    ),
    26: Case(
        "第2土曜、午前10時から、2カ月に1回のペースで開催",
        "2022-01-01",
        "2022-07-31",
        None,
        ("DTSTART;TZID=Asia/Tokyo:20220108T100000", "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=2SA"),
        "2022-01-08 10:00-, 2022-03-12 10:00-, 2022-05-14 10:00-, 2022-07-09 10:00-",
        ("開催",),
    ),
    28: Case(
        "南流山ぽかぽかサロンは、8月をのぞく毎月第3木曜日に南流山福祉会館の大広間で開催しています",
        "2022-07-01",
        "2022-09-30",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,7,9,10,11,12;BYDAY=3TH",),
        "2022-07-21, 2022-09-15",
        ("南流山ぽかぽかサロンは", "南流山福祉会館の大広間で開催しています"),
    ),
    31: Case(
        "毎週日曜日公開",
        "2022-01-01",
        "2022-01-16",
        "0Su",
        ("RRULE:FREQ=WEEKLY;BYDAY=SU",),
        "2022-01-02, 2022-01-09, 2022-01-16",
        ("公開",),
    ),
    35: Case(
        "第5水曜日は映画会",
        "2022-01-01",
        "2022-06-30",
        "5We",
        ("RRULE:FREQ=MONTHLY;BYDAY=5WE",),
        "2022-03-30, 2022-06-29",
        ("映画会",),
    ),
    41: Case(
        "・開室日:　原則として、毎月第2・第4木曜日",
        "2022-01-01",
        "2022-02-28",
        "24Th",
        ("RRULE:FREQ=MONTHLY;BYDAY=2TH,4TH",),
        "2022-01-13, 2022-01-27, 2022-02-10, 2022-02-24",
        ("原則として",),
    ),
    43: Case(
        "毎週木曜:10時30分~11時30分・19時~20時",
        "2022-01-01",
        "2022-01-13",
        "0Th",
        (
            "DTSTART;TZID=Asia/Tokyo:20220106T103000",
            "DTSTART;TZID=Asia/Tokyo:20220106T190000",
            "RRULE:FREQ=WEEKLY;BYDAY=TH",
        ),
        "2022-01-06 10:30-11:30, 2022-01-06 19:00-20:00, 2022-01-13 10:30-11:30, "
        "2022-01-13 19:00-20:00",
    ),
    45: Case(
        "毎月第3日曜日(7、8、3月除く)市内小学校の校庭・体育館を開放しています",
        "2022-02-01",
        "2022-04-30",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTH=1,2,4,5,6,9,10,11,12;BYDAY=3SU",),
        "2022-02-20, 2022-04-17",
        ("市内小学校の校庭・体育館を開放しています",),
    ),
    49: Case(
        "全6回シリーズで奇数月の第3土曜日に実施します",
        "2022-01-01",
        "2023-12-31",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=3SA;UNTIL=20221119",),
        "2022-01-15, 2022-03-19, 2022-05-21, 2022-07-16, 2022-09-17, 2022-11-19",
        ("実施します",),
    ),
    54: Case(
        "毎月第2水曜日",
        "2022-01-01",
        "2022-03-31",
        "2We",
        ("DTSTART;VALUE=DATE:20220112", "RRULE:FREQ=MONTHLY;BYDAY=2WE"),
        "2022-01-12, 2022-02-09, 2022-03-09",
    ),
    58: Case(
        "4月~12月の毎月第1日曜日早朝、市内の商店や農家などが出店します",
        "2022-01-01",
        "2022-05-31",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTH=4,5,6,7,8,9,10,11,12;BYDAY=1SU",),
        "2022-04-03, 2022-05-01",
        ("早朝、市内の商店や農家などが出店します",),
    ),
    60: Case(
        "月曜日から金曜日まで(土、日、休日、年末年始は休み)",
        "2021-12-27",
        "2022-01-14",
        "0Mo0Tu0We0Th0Fr",
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "EXDATE;VALUE=DATE:20211229"),
        "2021-12-27, 2021-12-28, 2022-01-04, 2022-01-05, 2022-01-06, 2022-01-07, 2022-01-11, "
        "2022-01-12, 2022-01-13, 2022-01-14",
    ),
    63: Case(
        "毎月第4日曜日",
        "2022-01-01",
        "2022-03-31",
        "4Su",
        ("RRULE:FREQ=MONTHLY;BYDAY=4SU",),
        "2022-01-23, 2022-02-27, 2022-03-27",
    ),
    67: Case(
        "第1~3火曜13時~16時(相談時間1回25分)",
        "2022-01-01",
        "2022-02-28",
        "123Tu",
        ("RRULE:FREQ=MONTHLY;BYDAY=1TU,2TU,3TU",),
        "2022-01-04 13:00-16:00, 2022-01-11 13:00-16:00, 2022-01-18 13:00-16:00, "
        "2022-02-01 13:00-16:00, 2022-02-08 13:00-16:00, 2022-02-15 13:00-16:00",
        ("相談時間1回25分",),
    ),
    69: Case(
        "月~金曜10時~18時、祝・休日除く",
        "2022-02-07",
        "2022-02-14",
        "0Mo0Tu0We0Th0Fr",
        ("EXDATE;TZID=Asia/Tokyo:20220211T100000",),
        "2022-02-07 10:00-18:00, 2022-02-08 10:00-18:00, 2022-02-09 10:00-18:00, "
        "2022-02-10 10:00-18:00, 2022-02-14 10:00-18:00",
    ),
    72: Case(
        "月~土曜(祝日を含む)",
        "2022-01-08",
        "2022-01-11",
        "0Mo0Tu0We0Th0Fr0Sa",
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA",),
        "2022-01-08, 2022-01-10, 2022-01-11",  # 1/10 is 成人の日
    ),
    76: Case(
        "土・日曜、祝・休日 11〜17時(12月29日〜1月3日を除く)",
        "2021-12-25",
        "2022-01-16",
        None,
        (
            "RRULE:FREQ=WEEKLY;BYDAY=SA,SU",
            "EXDATE;TZID=Asia/Tokyo:20220101T110000",
            "RDATE;TZID=Asia/Tokyo:20220110T110000",
        ),
        "2021-12-25 11:00-17:00, 2021-12-26 11:00-17:00, 2022-01-08 11:00-17:00, "
        "2022-01-09 11:00-17:00, 2022-01-10 11:00-17:00, 2022-01-15 11:00-17:00, "
        "2022-01-16 11:00-17:00",
    ),
    79: Case(
        "休館日 年末年始 (12月29日〜1月3日)",
        "2022-12-01",
        "2023-01-31",
        None,
        (
            "RRULE:FREQ=DAILY;BYMONTH=12;BYMONTHDAY=29,30,31",
            "RRULE:FREQ=DAILY;BYMONTH=1;BYMONTHDAY=1,2,3",
        ),
        "2022-12-29, 2022-12-30, 2022-12-31, 2023-01-01, 2023-01-02, 2023-01-03",
    ),
    85: Case(
        "定期点検・清掃日(毎月第3木曜日。但し、祝日と重なる場合は翌日)",
        "2025-02-01",
        "2025-04-30",
        "3Th",
        ("RRULE:FREQ=MONTHLY;BYDAY=3TH", "EXDATE;VALUE=DATE:20250320", "RDATE;VALUE=DATE:20250321"),
        "2025-02-20, 2025-03-21, 2025-04-17",  # 2025-03-20 is 春分の日
    ),
    87: Case(
        "月曜日~土曜日 9:00~21:00 日曜日・祝日 9:00~17:00",
        "2022-01-08",
        "2022-01-11",
        None,
        (
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA",
            "EXDATE;TZID=Asia/Tokyo:20220110T090000",
            "RRULE:FREQ=WEEKLY;BYDAY=SU",
            "RDATE;TZID=Asia/Tokyo:20220110T090000",
        ),
        "2022-01-08 09:00-21:00, 2022-01-09 09:00-17:00, 2022-01-10 09:00-17:00, "
        "2022-01-11 09:00-21:00",
    ),
    94: Case(
        "毎週月曜日・水曜日・金曜日(祝日は除く)は市役所2階13番窓口の広聴相談課、第2・4土曜日は市政情報センター(ル・シーニュ5階)で法律相談を実施",
        "2022-02-07",
        "2022-02-14",
        "0Mo0We0Fr24Sa",
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR", "RRULE:FREQ=MONTHLY;BYDAY=2SA,4SA"),
        "2022-02-07, 2022-02-09, 2022-02-12, 2022-02-14",  # 2/11 is 建国記念の日
        ("市役所2階13番窓口の広聴相談課", "市政情報センター(ル・シーニュ5階)で法律相談を実施"),
    ),
}

# The consultation days of seeds 001 and 003, as the seeds print them.
SEEDS = [
    Case(
        "毎週金曜日 13:00~15:00",
        "2022-01-01",
        "2022-01-21",
        "0Fr",
        ("DTSTART;TZID=Asia/Tokyo:20220107T130000", "RRULE:FREQ=WEEKLY;BYDAY=FR"),
        "2022-01-07 13:00-15:00, 2022-01-14 13:00-15:00, 2022-01-21 13:00-15:00",
    ),
    Case(
        "第2金曜日 18:00~20:00",
        "2022-01-01",
        "2022-03-31",
        "2Fr",
        ("RRULE:FREQ=MONTHLY;BYDAY=2FR",),
        "2022-01-14 18:00-20:00, 2022-02-11 18:00-20:00, 2022-03-11 18:00-20:00",
    ),
    Case(
        "毎月第2、第4水曜日 13:15~15:45",
        "2022-01-01",
        "2022-02-28",
        "24We",
        ("DTSTART;TZID=Asia/Tokyo:20220112T131500", "RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE"),
        "2022-01-12 13:15-15:45, 2022-01-26 13:15-15:45, 2022-02-09 13:15-15:45, "
        "2022-02-23 13:15-15:45",
    ),
    Case(
        "奇数月 第3水曜日 13:15~15:45",
        "2022-01-01",
        "2022-05-31",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=3WE",),
        "2022-01-19 13:15-15:45, 2022-03-16 13:15-15:45, 2022-05-18 13:15-15:45",
    ),
    Case(
        "毎週金曜日 13:00~15:00  \n（第2金曜日 18:00~20:00）",
        "2022-01-01",
        "2022-02-11",
        "0Fr",
        ("EXDATE;TZID=Asia/Tokyo:20220114T130000", "RRULE:FREQ=MONTHLY;BYDAY=2FR"),
        "2022-01-07 13:00-15:00, 2022-01-14 18:00-20:00, 2022-01-21 13:00-15:00, "
        "2022-01-28 13:00-15:00, 2022-02-04 13:00-15:00, 2022-02-11 18:00-20:00",
    ),
    Case(
        "毎月第2.4金曜日",
        "2022-01-01",
        "2022-01-31",
        "24Fr",
        ("RRULE:FREQ=MONTHLY;BYDAY=2FR,4FR",),
        "2022-01-14, 2022-01-28",
    ),
]

# The constructs listed in the events issue, one phrase each (reference 2022-01-01 unless
# the window says otherwise).
CONSTRUCTS = [
    Case(
        "毎週金曜日",
        "2022-01-01",
        "2022-01-14",
        "0Fr",
        (),
        "2022-01-07, 2022-01-14",
        every=False,
    ),
    Case(
        "毎週月・水・金",
        "2022-01-01",
        "2022-01-07",
        "0Mo0We0Fr",
        (),
        "2022-01-03, 2022-01-05, 2022-01-07",
    ),
    Case(
        "月曜日・水曜日・金曜日",
        "2022-01-01",
        "2022-01-07",
        "0Mo0We0Fr",
        (),
        "2022-01-03, 2022-01-05, 2022-01-07",
    ),
    Case(
        "月~金曜",
        "2022-01-01",
        "2022-01-09",
        "0Mo0Tu0We0Th0Fr",
        (),
        "2022-01-03, 2022-01-04, 2022-01-05, 2022-01-06, 2022-01-07",
    ),
    Case(
        "月曜日から金曜日まで",
        "2022-01-01",
        "2022-01-09",
        "0Mo0Tu0We0Th0Fr",
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",),
        "2022-01-03, 2022-01-04, 2022-01-05, 2022-01-06, 2022-01-07",
    ),
    Case(
        "土・日曜",
        "2022-01-01",
        "2022-01-09",
        "0Sa0Su",
        (),
        "2022-01-01, 2022-01-02, 2022-01-08, 2022-01-09",
    ),
    Case(
        "毎月第2・4水曜日",
        "2022-01-01",
        "2022-01-31",
        "24We",
        (),
        "2022-01-12, 2022-01-26",
    ),
    Case(
        "第1・3月曜日",
        "2022-01-01",
        "2022-02-28",
        "13Mo",
        ("RRULE:FREQ=MONTHLY;BYDAY=1MO,3MO",),
        "2022-01-03, 2022-01-17, 2022-02-07, 2022-02-21",
    ),
    Case(
        "第1~3木曜日",
        "2022-01-01",
        "2022-01-31",
        "123Th",
        (),
        "2022-01-06, 2022-01-13, 2022-01-20",
    ),
    Case(
        "第2～第4金曜日",
        "2022-01-01",
        "2022-01-31",
        "234Fr",
        (),
        "2022-01-14, 2022-01-21, 2022-01-28",
    ),
    Case(
        "第1,4火曜日と第4木曜日",
        "2022-01-01",
        "2022-01-31",
        "14Tu4Th",
        ("RRULE:FREQ=MONTHLY;BYDAY=1TU,4TU,4TH",),
        "2022-01-04, 2022-01-25, 2022-01-27",
    ),
    Case(
        "最終金曜日",
        "2022-01-01",
        "2022-03-31",
        "6Fr",
        ("RRULE:FREQ=MONTHLY;BYDAY=-1FR",),
        "2022-01-28, 2022-02-25, 2022-03-25",
    ),
    Case(
        "隔週日曜日",
        "2022-01-01",
        "2022-01-31",
        "7Su",
        ("RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=SU",),
        "2022-01-02, 2022-01-16, 2022-01-30",
    ),
    Case(
        "隔週土曜日(1月8日から)",
        "2022-01-01",
        "2022-02-05",
        "7Sa",
        ("DTSTART;VALUE=DATE:20220108",),
        "2022-01-08, 2022-01-22, 2022-02-05",
    ),
    Case(
        "毎月15日",
        "2022-01-01",
        "2022-03-31",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=15",),
        "2022-01-15, 2022-02-15, 2022-03-15",
    ),
    Case(
        "毎月1日と15日 10時",
        "2022-01-01",
        "2022-01-31",
        None,
        (),
        "2022-01-01 10:00-, 2022-01-15 10:00-",
    ),
    Case(
        "偶数月 第1土曜日",
        "2022-01-01",
        "2022-06-30",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1SA",),
        "2022-02-05, 2022-04-02, 2022-06-04",
    ),
    Case(
        "毎月第2火曜日(8月をのぞく)",
        "2022-07-01",
        "2022-09-30",
        None,
        (),
        "2022-07-12, 2022-09-13",
    ),
    Case(
        "4月～12月の毎月第2土曜日",
        "2022-03-01",
        "2022-05-31",
        None,
        (),
        "2022-04-09, 2022-05-14",
    ),
    Case(
        "祝日を除く毎週月曜日",
        "2022-01-01",
        "2022-01-24",
        "0Mo",
        ("EXDATE;VALUE=DATE:20220110",),
        "2022-01-03, 2022-01-17, 2022-01-24",
    ),
    Case(
        "毎週月曜日(祝日は除く)",
        "2022-01-01",
        "2022-01-24",
        "0Mo",
        (),
        "2022-01-03, 2022-01-17, 2022-01-24",
    ),
    Case(
        "平日 9時~17時",
        "2022-01-07",
        "2022-01-11",
        "0Mo0Tu0We0Th0Fr",
        (),
        "2022-01-07 09:00-17:00, 2022-01-11 09:00-17:00",
    ),
    Case(
        "毎週月曜日（祝日の場合は翌日）",
        "2022-01-01",
        "2022-01-17",
        "0Mo",
        ("EXDATE;VALUE=DATE:20220110", "RDATE;VALUE=DATE:20220111"),
        "2022-01-03, 2022-01-11, 2022-01-17",
    ),
    Case(
        "毎週月曜日（祝日と重なる場合は翌日）",
        "2022-01-01",
        "2022-01-17",
        "0Mo",
        (),
        "2022-01-03, 2022-01-11, 2022-01-17",
    ),
    Case(
        "毎週火曜日(祝日の場合は翌平日)",
        "2022-05-01",
        "2022-05-10",
        "0Tu",
        (),
        "2022-05-06, 2022-05-10",
    ),
    Case(
        "毎週火曜日(祝日の場合は翌日)",
        "2022-05-01",
        "2022-05-10",
        "0Tu",
        (),
        "2022-05-04, 2022-05-10",
    ),
    Case(
        "毎日 9時~17時(年末年始を除く)",
        "2022-12-27",
        "2023-01-05",
        "0Mo0Tu0We0Th0Fr0Sa0Su",
        ("RRULE:FREQ=DAILY",),
        "2022-12-27 09:00-17:00, 2022-12-28 09:00-17:00, 2023-01-04 09:00-17:00, "
        "2023-01-05 09:00-17:00",
    ),
    Case(
        "毎週水曜日(年末年始は休み)",
        "2021-12-20",
        "2022-01-12",
        "0We",
        ("EXDATE;VALUE=DATE:20211229",),
        "2021-12-22, 2022-01-05, 2022-01-12",
    ),
    Case(
        "令和4年1月11日から2月1日まで毎週火曜日",
        "2022-01-01",
        "2022-12-31",
        "0Tu",
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20220201",),
        "2022-01-11, 2022-01-18, 2022-01-25, 2022-02-01",
    ),
    Case(
        "2022年1月11日～2月1日 毎週火曜日 10時～12時",
        "2022-01-01",
        "2022-12-31",
        "0Tu",
        ("RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20220201T010000Z",),
        "2022-01-11 10:00-12:00, 2022-01-18 10:00-12:00, 2022-01-25 10:00-12:00, "
        "2022-02-01 10:00-12:00",
    ),
    Case(
        "1月14日(金曜)から3月25日(金曜)毎週金曜",
        "2021-12-01",
        "2022-01-31",
        "0Fr",
        (),
        "2022-01-14, 2022-01-21, 2022-01-28",
    ),
    Case(
        "毎週水曜日 全3回",
        "2022-01-01",
        "2022-12-31",
        "0We",
        (),
        "2022-01-05, 2022-01-12, 2022-01-19",
    ),
    Case(
        "毎週金曜日(2月11日を除く)",
        "2022-02-01",
        "2022-02-28",
        "0Fr",
        (),
        "2022-02-04, 2022-02-18, 2022-02-25",
    ),
    Case(
        "毎週火曜日 午前9時30分から正午まで",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 09:30-12:00",
    ),
    Case(
        "毎週火曜日 13時～16時",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 13:00-16:00",
    ),
    Case(
        "毎週火曜日 13時から16時まで",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 13:00-16:00",
    ),
    Case(
        "毎週火曜日 13:15〜15:45",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 13:15-15:45",
    ),
    Case(
        "毎週火曜日 9時30分",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 09:30-",
    ),
    Case(
        "毎週火曜日 9時半~",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 09:30-",
    ),
    Case(
        "毎週火曜日 ０９：３０～１２：００",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 09:30-12:00",
    ),
    Case(
        "毎週火曜日 午後1時~4時",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        ("DTSTART;TZID=Asia/Tokyo:20220104T130000",),
        "2022-01-04 13:00-16:00",
    ),
    Case(
        "毎週火曜日 午前10時から",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 10:00-",
    ),
    Case(
        "毎週火曜日 10時から2時間",
        "2022-01-01",
        "2022-01-04",
        "0Tu",
        (),
        "2022-01-04 10:00-12:00",
    ),
    Case(
        "【毎週水曜日】10時～12時",
        "2022-01-01",
        "2022-01-05",
        "0We",
        (),
        "2022-01-05 10:00-12:00",
    ),
    Case(
        "毎週水曜日　10時‐12時",
        "2022-01-01",
        "2022-01-05",
        "0We",
        (),
        "2022-01-05 10:00-12:00",
    ),
    Case(
        "毎週水曜日、金曜日",
        "2022-01-01",
        "2022-01-07",
        "0We0Fr",
        (),
        "2022-01-05, 2022-01-07",
    ),
    Case(
        "毎週水曜日と金曜日",
        "2022-01-01",
        "2022-01-07",
        "0We0Fr",
        (),
        "2022-01-05, 2022-01-07",
    ),
    Case(
        "毎週 月 水 金 10時ー12時",
        "2022-01-01",
        "2022-01-07",
        "0Mo0We0Fr",
        (),
        "2022-01-03 10:00-12:00, 2022-01-05 10:00-12:00, 2022-01-07 10:00-12:00",
    ),
    Case(
        "毎月第二・第四土曜日 午前１０時～正午",
        "2022-01-01",
        "2022-01-31",
        "24Sa",
        (),
        "2022-01-08 10:00-12:00, 2022-01-22 10:00-12:00",
    ),
    Case(
        "毎月末日",
        "2022-01-01",
        "2022-03-31",
        None,
        ("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",),
        "2022-01-31, 2022-02-28, 2022-03-31",
    ),
]

# What the open-data files of events write in their date remarks (日時備考).
REMARKS = [
    Case(
        "令和3年9月から令和4年3月まで毎週木曜日",
        "2021-09-01",
        "2021-09-30",
        "0Th",
        ("RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20220331",),
        "2021-09-02, 2021-09-09, 2021-09-16, 2021-09-23, 2021-09-30",
    ),
    Case(
        "4月から12月まで毎週土曜日",
        "2022-03-01",
        "2022-04-09",
        "0Sa",
        ("DTSTART;VALUE=DATE:20220402",),
        "2022-04-02, 2022-04-09",
    ),
    Case(
        "毎週水曜日\n開始日: 2022/1/5\n終了日: 2022/1/26",
        "2022-01-01",
        "2022-12-31",
        "0We",
        ("RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20220126",),
        "2022-01-05, 2022-01-12, 2022-01-19, 2022-01-26",
    ),
    Case(
        "毎週土曜日 開始時刻: 9:30 終了時刻: 16:00",
        "2022-01-01",
        "2022-01-08",
        "0Sa",
        (),
        "2022-01-01 09:30-16:00, 2022-01-08 09:30-16:00",
    ),
    Case(
        "1月11日火曜日から2月1日火曜日まで毎週火曜日",
        "2022-01-01",
        "2022-12-31",
        "0Tu",
        (),
        "2022-01-11, 2022-01-18, 2022-01-25, 2022-02-01",
    ),
    Case(
        "毎週土曜日 終了時刻: 16:00",
        "2022-01-01",
        "2022-01-08",
        "0Sa",
        (),
        "2022-01-01, 2022-01-08",
        ("終了時刻: 16:00",),
    ),
    Case(
        "10月13日から3月23日(毎月第2、第4水曜)\n午前10時から11時30分",
        "2022-03-01",
        "2022-12-31",
        "24We",
        ("RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE;UNTIL=20220323T010000Z",),
        "2022-03-09 10:00-11:30, 2022-03-23 10:00-11:30",
    ),
]

# Rooms (issue 5): opening hours and closed days.
ROOMS = [
    Case(
        "月曜休館",
        "2022-01-01",
        "2022-01-17",
        "0Mo",
        (),
        "2022-01-03, 2022-01-10, 2022-01-17",
    ),
    Case(
        "第3木曜日 点検日",
        "2022-01-01",
        "2022-02-28",
        "3Th",
        (),
        "2022-01-20, 2022-02-17",
    ),
    Case(
        "開館時間 9:00~21:00 休館日 毎週月曜日、年末年始",
        "2022-12-26",
        "2023-01-05",
        "0Mo0Tu0We0Th0Fr0Sa0Su",
        (),
        "2022-12-27 09:00-21:00, 2022-12-28 09:00-21:00, 2023-01-04 09:00-21:00, "
        "2023-01-05 09:00-21:00",
    ),
    Case(
        "月曜日~土曜日 9:00~21:00 休館日 第3木曜日",
        "2022-01-19",
        "2022-01-21",
        "0Mo0Tu0We0Th0Fr0Sa",
        ("EXDATE;TZID=Asia/Tokyo:20220120T090000",),
        "2022-01-19 09:00-21:00, 2022-01-21 09:00-21:00",
    ),
    Case(
        "休館日 毎週月曜日(祝日の場合は翌日)",
        "2022-01-01",
        "2022-01-17",
        "0Mo",
        ("EXDATE;VALUE=DATE:20220110", "RDATE;VALUE=DATE:20220111"),
        "2022-01-03, 2022-01-11, 2022-01-17",
    ),
    Case(
        "土日祝日は休館",
        "2022-01-08",
        "2022-01-11",
        None,
        (),
        "2022-01-08, 2022-01-09, 2022-01-10",
    ),
]


@requires_shared_data
def test_the_table_holds_every_phrase_of_the_sample_file_verbatim() -> None:
    # given
    with SAMPLE_CSV.open(encoding="utf-8") as file:
        rows = {int(row["id"]): row["phrase"] for row in csv.DictReader(file)}

    # then
    assert {number: case.phrase for number, case in SAMPLES.items()} == rows


@pytest.mark.parametrize("case", [pytest.param(c, id=f"csv-{n}") for n, c in SAMPLES.items()])
def test_sample_phrases_are_read_as_worked_out_by_hand(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.phrase) for c in SEEDS])
def test_the_consultation_days_of_the_seeds_are_read(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.phrase) for c in CONSTRUCTS])
def test_each_construct_of_the_issue_is_understood(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.phrase) for c in REMARKS])
def test_date_remarks_of_event_files_are_understood(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.phrase) for c in ROOMS])
def test_opening_hours_and_closed_days_of_rooms_are_understood(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize(
    ("phrase", "reading"),
    [
        ("毎月第2、第4水曜日 13:15～15:45", "毎月 第2・第4 水曜日 13:15〜15:45"),
        ("毎週金曜日 13:00~15:00", "毎週 金曜日 13:00〜15:00"),
        ("奇数月 第3水曜日 13:15~15:45", "奇数月（1・3・5・7・9・11月）の 第3 水曜日 13:15〜15:45"),
        (
            "午前8時30分から午後5時15分(土日祝日除く)",
            "毎週 月〜金曜日 8:30〜17:15（祝日・休日を除く）",
        ),
        ("8月をのぞく毎月第3木曜日", "8月を除く 毎月 第3 木曜日"),
        ("4月~12月の毎月第1日曜日", "4〜12月の 毎月 第1 日曜日"),
        (
            "2月11日を除く毎週金曜日・全8回",
            "毎週 金曜日（2月11日を除く） 全8回（2022年1月7日〜2022年3月4日）",
        ),
        (
            "令和4年1月11日から2月1日まで毎週火曜日",
            "2022年1月11日〜2022年2月1日の 毎週 火曜日",
        ),
        (
            "隔週日曜日",
            "隔週 日曜日（起点の記載がないため、基準日以降の最初の該当日 2022年1月2日 を起点に"
            "2週ごと）",
        ),
        ("毎月第1・3木曜日15時30分から約15分間", "毎月 第1・第3 木曜日 15:30〜15:45（約15分間）"),
        ("休館日 年末年始 (12月29日〜1月3日)", "休館日：毎年 12月29日〜1月3日（年末年始）"),
        (
            "月曜日~土曜日 9:00~21:00 日曜日・祝日 9:00~17:00",
            "毎週 月〜土曜日 9:00〜21:00 / 毎週 日曜日・祝日 9:00〜17:00（同じ日に複数の規則が"
            "当たる場合は、祝日・第n曜日・日付など、より限定された規則だけを適用）",
        ),
        ("13:00~15:00", "13:00〜15:00（日付・曜日の指定なし）"),
    ],
)
def test_the_reading_restates_the_schedule_in_plain_japanese(phrase: str, reading: str) -> None:
    # when
    schedule = parse_schedule(phrase, reference=date(2022, 1, 1))

    # then
    assert schedule.reading == reading


# --- Tricky cases ------------------------------------------------------------------------------


def test_a_fifth_wednesday_is_skipped_in_months_without_one() -> None:
    # given: February 2022 has four Wednesdays, March five
    schedule = parse_schedule("毎月第5水曜日 10時~12時", reference=date(2022, 2, 1))

    # when
    in_february = schedule.occurrences(date(2022, 2, 1), date(2022, 2, 28))
    in_march = schedule.occurrences(date(2022, 3, 1), date(2022, 3, 31))

    # then
    assert in_february == []
    assert in_march == [Occurrence(date(2022, 3, 30), time(10), time(12))]


def test_an_excluded_date_that_is_a_holiday_is_excluded_once() -> None:
    # given: 2022-02-11 is both 建国記念の日 and the date written
    schedule = parse_schedule("祝日を除く毎週金曜日(2月11日を除く)", reference=date(2022, 2, 1))

    # when
    rrule = schedule.rrule_between(date(2022, 2, 1), date(2022, 2, 28)) or ""

    # then
    assert [o.date.day for o in schedule.occurrences(date(2022, 2, 1), date(2022, 2, 28))] == [
        4,
        18,
        25,
    ]
    assert rrule.count("EXDATE") == 1


def test_every_other_week_keeps_its_rhythm_across_the_year_end() -> None:
    # given
    schedule = parse_schedule("隔週水曜日 18時~20時", reference=date(2022, 12, 1))

    # when
    found = schedule.occurrences(date(2022, 12, 1), date(2023, 1, 31))

    # then
    assert [o.date for o in found] == [
        date(2022, 12, 7),
        date(2022, 12, 21),
        date(2023, 1, 4),
        date(2023, 1, 18),
    ]


def test_every_other_week_queried_before_its_anchor_keeps_the_same_weeks() -> None:
    # given: the anchor is the first Sunday on or after the reference date, 2022-01-16
    schedule = parse_schedule("隔週日曜日", reference=date(2022, 1, 10))

    # when
    found = schedule.occurrences(date(2022, 1, 1), date(2022, 1, 31))

    # then
    assert [o.date.day for o in found] == [2, 16, 30]


def test_a_daily_schedule_skips_the_new_year_holidays() -> None:
    # given
    schedule = parse_schedule("毎日(年末年始を除く)", reference=date(2022, 12, 1))

    # when
    found = {o.date for o in schedule.occurrences(date(2022, 12, 28), date(2023, 1, 4))}

    # then
    assert found == {date(2022, 12, 28), date(2023, 1, 4)}


def test_a_japanese_era_period_is_read_whatever_the_reference_year() -> None:
    # given
    schedule = parse_schedule("令和4年1月11日から2月1日まで毎週火曜日", reference=date(2030, 6, 1))

    # when
    found = schedule.occurrences(date(2022, 1, 1), date(2022, 12, 31))

    # then
    assert [o.date.isoformat() for o in found] == [
        "2022-01-11",
        "2022-01-18",
        "2022-01-25",
        "2022-02-01",
    ]


def test_a_count_that_does_not_match_its_period_is_reported_and_not_applied() -> None:
    # given: 11 Fridays from 1/14 to 3/25 2022 (2/11 included), not 10
    schedule = parse_schedule("1月14日から3月25日 毎週金曜 全10回", reference=date(2022, 1, 1))

    # then
    assert schedule.unparsed == ["全10回"]
    assert len(schedule.occurrences(date(2022, 1, 1), date(2022, 12, 31))) == 11


def test_a_weekday_that_matches_no_nearby_year_is_reported() -> None:
    # given: 1月14日 is a Friday in 2022, a Saturday in 2023, a Sunday in 2024
    schedule = parse_schedule("1月14日(月曜)から3月25日毎週金曜", reference=date(2023, 1, 1))

    # then
    assert schedule.unparsed == ["(月曜)"]


def test_the_weekday_written_after_a_date_picks_its_year() -> None:
    # given: 2022-07-01 is nearer to the reference but a Friday; 2021-07-01 is a Thursday
    schedule = parse_schedule("7月1日(木曜)から毎週木曜日", reference=date(2022, 1, 1))

    # when
    found = schedule.occurrences(date(2021, 6, 1), date(2021, 7, 15))

    # then
    assert schedule.is_complete
    assert [o.date for o in found] == [date(2021, 7, 1), date(2021, 7, 8), date(2021, 7, 15)]


def test_a_deadline_is_reported_not_read_as_a_day_of_the_schedule() -> None:
    # when
    schedule = parse_schedule(
        "毎週火曜日 午前10時から正午\n申込期限日: 2022/1/28", reference=date(2022, 1, 1)
    )

    # then
    assert schedule.unparsed == ["申込期限日: 2022/1/28"]
    assert [o.date.day for o in schedule.occurrences(date(2022, 1, 1), date(2022, 1, 31))] == [
        4,
        11,
        18,
        25,
    ]


def test_a_time_given_as_a_deadline_is_not_read_as_a_start() -> None:
    # when
    schedule = parse_schedule("1月28日(金曜日)正午までに電話で申込", reference=date(2022, 1, 1))

    # then
    assert all(
        o.start_time is None for o in schedule.occurrences(date(2022, 1, 1), date(2022, 12, 31))
    )
    assert schedule.unparsed == ["正午までに電話で申込"]


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("12時~13時", time(12), time(13)),
        ("午前0時~午前6時", time(0), time(6)),
        ("午後0時~午後1時", time(12), time(13)),
        ("午前11時~午後12時", time(11), time(12)),
        ("午後12時30分~午後1時", time(12, 30), time(13)),
        ("午前9時~正午", time(9), time(12)),
        ("午前１１時～１２時", time(11), time(12)),
        ("11〜17時", time(11), time(17)),
    ],
)
def test_noon_and_midnight_are_read_as_written_today(phrase: str, start: time, end: time) -> None:
    # when
    schedule = parse_schedule(f"毎週火曜日 {phrase}", reference=date(2022, 1, 1))

    # then
    assert schedule.occurrences(date(2022, 1, 4), date(2022, 1, 4)) == [
        Occurrence(date(2022, 1, 4), start, end)
    ]
    assert schedule.is_complete


@pytest.mark.parametrize("times", ["16時~13時", "10時~24時", "午前10時~3時"])
def test_an_impossible_time_range_is_reported_not_half_read(times: str) -> None:
    # when
    schedule = parse_schedule(f"毎週火曜日 {times}", reference=date(2022, 1, 1))

    # then
    assert schedule.unparsed == [times]
    assert schedule.occurrences(date(2022, 1, 4), date(2022, 1, 4)) == [
        Occurrence(date(2022, 1, 4), None, None)
    ]


def test_a_holiday_named_as_such_takes_precedence_over_the_weekday_rule() -> None:
    # given: 2022-01-10 is 成人の日, a Monday
    schedule = parse_schedule("月曜日~土曜日 9:00~21:00 日曜日・祝日 9:00~17:00")

    # when
    found = schedule.occurrences(date(2022, 1, 10), date(2022, 1, 10))

    # then
    assert found == [Occurrence(date(2022, 1, 10), time(9), time(17))]


def test_closed_days_can_be_read_apart_from_the_opening_hours() -> None:
    # given
    hours = parse_schedule("月曜日~土曜日 9:00~21:00 日曜日・祝日 9:00~17:00")
    closed = parse_schedule("休館日 年末年始 (12月29日〜1月3日)", reference=date(2022, 12, 1))

    # when
    days = closed.closed_dates(date(2022, 12, 1), date(2023, 1, 31))

    # then
    assert closed.is_closure and all(rule.is_closure for rule in closed.rules)
    assert not hours.is_closure and not any(rule.is_closure for rule in hours.rules)
    assert days == [date(2022, 12, d) for d in (29, 30, 31)] + [date(2023, 1, d) for d in (1, 2, 3)]


def test_a_phrase_not_understood_at_all_is_reported_whole() -> None:
    # when
    schedule = parse_schedule("詳しくはお問い合わせください", reference=date(2022, 1, 1))

    # then
    assert schedule.rrule is None
    assert schedule.gif_code is None
    assert schedule.occurrences(date(2022, 1, 1), date(2022, 12, 31)) == []
    assert schedule.unparsed == ["詳しくはお問い合わせください"]
    assert not schedule.is_complete


def test_the_json_object_of_the_command_line_has_the_agreed_shape() -> None:
    # given
    schedule = parse_schedule("毎月第2、第4水曜日 13:15～15:45", reference=date(2022, 1, 1))

    # when
    found = to_json(schedule, date(2022, 1, 1), date(2022, 1, 31))

    # then
    assert found == {
        "reading": "毎月 第2・第4 水曜日 13:15〜15:45",
        "gif_code": "24We",
        "rrule": "DTSTART;TZID=Asia/Tokyo:20220112T131500\nRRULE:FREQ=MONTHLY;BYDAY=2WE,4WE",
        "occurrences": [
            {"date": "2022-01-12", "start": "13:15", "end": "15:45"},
            {"date": "2022-01-26", "start": "13:15", "end": "15:45"},
        ],
        "unparsed": [],
    }


# --- Properties over every sample phrase ---------------------------------------------------


def _selected_by(rule: Rule, day: date) -> bool:
    """Whether ``rule`` may yield ``day``, checked from the rule's parts, not its expansion."""
    if rule.months is not None and day.month not in rule.months:
        return False
    if (rule.start_on and day < rule.start_on) or (rule.end_on and day > rule.end_on):
        return False
    if rule.holiday_shift is not None:
        return True  # a shifted day is checked by the tests of shifts
    if rule.excluded.matches(day):
        return False
    nth = (day.day - 1) // 7 + 1
    for weekday, ordinal in rule.days.weekdays:
        if weekday == day.weekday() and ordinal in (EVERY_WEEK, nth):
            return True
        if weekday == day.weekday() and ordinal == LAST and _is_last_weekday(day):
            return True
    return rule.days.matches(day)


def _is_last_weekday(day: date) -> bool:
    following = date.fromordinal(day.toordinal() + 7)
    return following.month != day.month


@pytest.mark.parametrize("case", [pytest.param(c, id=f"csv-{n}") for n, c in SAMPLES.items()])
def test_every_occurrence_lies_in_the_range_and_meets_the_rules(case: Case) -> None:
    # given
    start, end = date(2021, 11, 1), date(2023, 2, 28)
    schedule = parse_schedule(case.phrase, reference=date.fromisoformat(case.start))

    # when
    found = schedule.occurrences(start, end)

    # then
    assert found == sorted(found, key=lambda o: (o.date, o.start_time or time.min))
    opened = [r for r in schedule.rules if r.selects_days and not r.is_closure]
    closures = [r for r in schedule.rules if r.selects_days and r.is_closure]
    rules = opened or closures
    if not opened:
        closures = []
    for item in found:
        assert start <= item.date <= end
        assert any(_selected_by(rule, item.date) for rule in rules), item
        assert not any(rule.dates_between(item.date, item.date) for rule in closures), item
        times = {(slot.start, slot.end) for rule in rules for slot in rule.times}
        assert (item.start_time, item.end_time) in times or not times


def _expand(rrule: str, start: date, end: date) -> set[tuple[date, time | None]]:
    """Expand our RFC 5545 text with dateutil (which reads every property but RDATE with
    parameters, so RDATE is added by hand)."""
    found: set[tuple[date, time | None]] = set()
    for block in rrule.split("\n\n"):
        lines = block.split("\n")
        rdates = [line for line in lines if line.startswith("RDATE")]
        rules = [line for line in lines if not line.startswith("RDATE")]
        timed = "TZID=" in rules[0]
        recurrence = rrulestr("\n".join(rules), forceset=True)
        assert isinstance(recurrence, rruleset)
        for line in rdates:
            value = line.split(":", 1)[1]
            if timed:
                recurrence.rdate(datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=TOKYO))
            else:
                recurrence.rdate(datetime.combine(date.fromisoformat(value), time()))
        low = datetime.combine(start, time.min, tzinfo=TOKYO if timed else None)
        high = datetime.combine(end, time.max, tzinfo=TOKYO if timed else None)
        for moment in recurrence.between(low, high, inc=True):
            found.add((moment.date(), moment.time() if timed else None))
    return found


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.phrase[:20])
        for c in [*SAMPLES.values(), *SEEDS, *CONSTRUCTS, *REMARKS, *ROOMS]
    ],
)
def test_the_rrule_text_expands_to_the_same_occurrences(case: Case) -> None:
    # given
    start, end = date.fromisoformat(case.start), date.fromisoformat(case.end)
    schedule = parse_schedule(case.phrase, reference=start)
    rrule = schedule.rrule_between(start, end)

    # when
    expected = {(o.date, o.start_time) for o in schedule.occurrences(start, end)}

    # then
    if rrule is None:
        assert expected == set()
    else:
        assert _expand(rrule, start, end) == expected
        assert all(re.fullmatch(r"[A-Z]+[;:].+", line) for line in rrule.split("\n") if line)
