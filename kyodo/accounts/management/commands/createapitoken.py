"""``manage.py createapitoken EMAIL [--name NAME]``: print a new API token for a person.

Only the token goes to standard output, so a script can capture it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyodo.accounts.actions import issue_api_token
from kyodo.accounts.models import User


class Command(BaseCommand):
    help = "Create an API token for the person with this e-mail address and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The person's e-mail address (their sign-in name).")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["username"]).strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No person has the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"The account of {email!r} is deactivated.")
        name = str(options["name"]).strip() or "createapitoken"
        _token, key = issue_api_token(user=user, name=name[:100])
        self.stdout.write(key)
