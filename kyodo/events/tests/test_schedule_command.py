"""The ``schedule`` command: the contract of issue 4 item 2, expected results by hand."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(phrase: str, start: str, end: str, *extra: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("schedule", phrase, "--from", start, "--to", end, *extra, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def run_json(phrase: str, start: str, end: str) -> tuple[int, dict[str, Any]]:
    code, out = run(phrase, start, end, "--json")
    return code, json.loads(out)


def dates(data: dict[str, Any]) -> list[str]:
    return [item["date"] for item in data["occurrences"]]


def test_the_seed_consultation_days_every_second_and_fourth_wednesday_are_understood() -> None:
    # given the women's plaza phrase of seed 000
    # when
    code, data = run_json("毎月第2、第4水曜日 13:15～15:45", "2026-12-01", "2027-01-31")
    # then
    assert code == 0
    assert set(data) == {"reading", "gif_code", "rrule", "occurrences", "unparsed"}
    assert data["gif_code"] == "24We"
    assert "RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE" in data["rrule"]
    assert dates(data) == ["2026-12-09", "2026-12-23", "2027-01-13", "2027-01-27"]
    assert data["occurrences"][0] == {"date": "2026-12-09", "start": "13:15", "end": "15:45"}
    assert data["unparsed"] == []


def test_odd_months_third_wednesday_is_read_as_january_march_and_so_on() -> None:
    code, data = run_json("奇数月 第3水曜日 13:15～15:45", "2026-12-01", "2027-05-31")
    assert code == 0
    assert dates(data) == ["2027-01-20", "2027-03-17", "2027-05-19"]
    assert "BYMONTH=1,3,5,7,9,11" in data["rrule"]


def test_every_friday_afternoon_lawyer_consultation() -> None:
    code, data = run_json("毎週金曜日 13:00~15:00", "2026-12-01", "2026-12-31")
    assert code == 0
    assert data["gif_code"] == "0Fr"
    assert dates(data) == ["2026-12-04", "2026-12-11", "2026-12-18", "2026-12-25"]


def test_second_friday_evening() -> None:
    code, data = run_json("第2金曜日 18:00~20:00", "2026-12-01", "2027-02-28")
    assert code == 0
    assert dates(data) == ["2026-12-11", "2027-01-08", "2027-02-12"]
    assert data["occurrences"][0]["start"] == "18:00"


def test_weekly_course_with_a_count_and_an_excluded_holiday_from_the_sample() -> None:
    # given phrase 18 of the sample: 8 Fridays from the reference date, 11 February excluded
    code, data = run_json("2月11日を除く毎週金曜日・全8回", "2027-01-08", "2027-03-31")
    assert code == 0
    assert len(data["occurrences"]) == 8
    assert "2027-02-11" not in dates(data)
    assert dates(data)[0] == "2027-01-08"


def test_month_exclusions_are_applied_sample_phrase_45() -> None:
    code, data = run_json("毎月第3日曜日(7、8、3月除く)", "2027-01-01", "2027-09-30")
    assert code == 0
    assert dates(data) == [
        "2027-01-17",
        "2027-02-21",
        "2027-04-18",
        "2027-05-16",
        "2027-06-20",
        "2027-09-19",
    ]


def test_first_to_third_tuesday_from_the_sample_reports_the_consultation_length() -> None:
    # given sample phrase 67: the 25 minutes per consultation is not a schedule
    code, data = run_json("第1~3火曜13時~16時(相談時間1回25分)", "2026-12-01", "2026-12-31")
    # then the understood part is listed, the rest is reported and the status is 2
    assert code == 2
    assert dates(data) == ["2026-12-01", "2026-12-08", "2026-12-15"]
    assert data["unparsed"] == ["相談時間1回25分"]


def test_prose_around_a_schedule_is_reported_never_silently_dropped_sample_phrase_28() -> None:
    phrase = (
        "南流山ぽかぽかサロンは、8月をのぞく毎月第3木曜日に南流山福祉会館の大広間で開催しています"
    )
    code, data = run_json(phrase, "2027-06-01", "2027-09-30")
    assert code == 2
    assert dates(data) == ["2027-06-17", "2027-07-15", "2027-09-16"]
    assert "南流山福祉会館の大広間で開催しています" in data["unparsed"]


def test_a_phrase_with_nothing_understood_exits_with_2_and_no_occurrences() -> None:
    code, data = run_json(
        "雨天中止の場合はホームページでお知らせします", "2026-12-01", "2026-12-31"
    )
    assert code == 2
    assert data["occurrences"] == []
    assert data["unparsed"]


def test_human_output_lists_reading_code_rule_and_dates() -> None:
    code, out = run("毎月第2、第4水曜日 13:15～15:45", "2026-12-01", "2026-12-31")
    assert code == 0
    assert "毎月 第2・第4 水曜日" in out
    assert "24We" in out
    assert "2026-12-09 13:15〜15:45" in out


def test_human_output_shows_the_part_not_understood() -> None:
    code, out = run("第1~3火曜13時~16時(相談時間1回25分)", "2026-12-01", "2026-12-31")
    assert code == 2
    assert "「相談時間1回25分」" in out


def test_a_bad_date_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("毎週金曜日", "2026-02-30", "2026-03-31")


def test_an_end_before_the_start_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="--to"):
        run("毎週金曜日", "2026-03-31", "2026-03-01")
