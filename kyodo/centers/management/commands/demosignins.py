"""``manage.py demosignins --url URL``: print where the demo runs and its sign-ins."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kyodo.centers.demo import people
from kyodo.centers.models import Role


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def role_label(role: str) -> str:
    if role == people.NETWORK_ADMIN:
        return _("Network administrator")
    if role == people.CITIZEN:
        return _("Citizen (no staff role)")
    return str(Role(role).label)


class Command(BaseCommand):
    help = "Print the demo URL and the demo sign-ins, one per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the demo runs.")
        parser.add_argument("--language", default="ja", help="Language of the role names.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            rows = [
                (role_label(p["role"]), p["email"], people.DEMO_PASSWORD) for p in people.PEOPLE
            ]
            heading = (_("Role"), _("E-mail address"), _("Password"))
            title = _("Kyodo demo: %(url)s") % {"url": options["url"]}
        widths = [max(_width(row[i]) for row in [heading, *rows]) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(title)
        self.stdout.write("")
        for row in [heading, tuple("-" * w for w in widths), *rows]:
            self.stdout.write(
                "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write("")
