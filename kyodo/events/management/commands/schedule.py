"""``manage.py schedule PHRASE --from YYYY-MM-DD --to YYYY-MM-DD [--json]``.

Reads a recurring schedule written in Japanese and prints what the system understood: the
reading, the GIF 1015-1 code, the RRULE and the occurrences in the period, and the parts it
did not understand. With ``--json`` it prints exactly ``kyodo.japanese.schedule.to_json``.
The exit status is 0 when the phrase was understood completely and 2 when any part is left
in ``unparsed`` (the occurrences then hold what was understood).
"""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyodo.japanese.schedule import parse_schedule, to_json


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date in the form YYYY-MM-DD: {value}") from error


class Command(BaseCommand):
    help = "Read a recurring schedule written in Japanese and list its occurrences."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phrase", help="The schedule, e.g. 毎月第2、第4水曜日 13:15～15:45")
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="Print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to must not be before --from.")
        schedule = parse_schedule(options["phrase"], reference=start)
        data = to_json(schedule, start, end)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(f"読み: {data['reading']}")
            self.stdout.write(f"GIFコード: {data['gif_code'] or '(表せません)'}")
            self.stdout.write("RRULE:")
            for line in (data["rrule"] or "(なし)").splitlines():
                self.stdout.write(f"  {line}")
            self.stdout.write(f"日程 ({len(data['occurrences'])}件):")
            for item in data["occurrences"]:
                times = f" {item['start']}〜{item['end'] or ''}" if item["start"] else ""
                self.stdout.write(f"  {item['date']}{times}")
            if data["unparsed"]:
                self.stdout.write("読み取れなかった部分:")
                for part in data["unparsed"]:
                    self.stdout.write(f"  「{part}」")
        self.stdout.flush()
        if data["unparsed"]:
            sys.exit(2)
