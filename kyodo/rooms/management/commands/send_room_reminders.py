"""``manage.py send_room_reminders``: e-mail a reminder for tomorrow's reservations.

Cron-friendly: run it once a day (e.g. at 10:00); a reservation is reminded once only,
so running it twice sends nothing more. ``--date`` sends for another day.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kyodo.rooms.actions import send_reminders


class Command(BaseCommand):
    help = "Send reminders for the room reservations of tomorrow (or of --date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate() + datetime.timedelta(days=1)
        sent = send_reminders(on=day)
        self.stdout.write(f"{sent} reminder(s) sent for {day.isoformat()}.")
