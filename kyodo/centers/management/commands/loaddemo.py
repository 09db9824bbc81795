"""``manage.py loaddemo``: load the demo network, idempotently.

Loads the centers, partnerships, sharing rules and demo people of
``kyodo.centers.demo``, then the demo data of every other installed Kyodo app that has
a ``demo`` module with a ``load()`` function, in ``INSTALLED_APPS`` order. Running it
twice changes nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from kyodo.centers import demo


class Command(BaseCommand):
    help = "Load the demo data (the centers of the seeds and one person per role)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo.load()
        for kind, counts in report.items():
            summary = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
            self.stdout.write(f"{kind}: {summary or 'none'}")
        for app in apps.get_app_configs():
            if not app.name.startswith("kyodo.") or app.name == "kyodo.centers":
                continue
            try:
                module = importlib.import_module(f"{app.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app.name}.demo":
                    raise
                continue
            load = getattr(module, "load", None)
            if callable(load):
                self.stdout.write(f"{app.label}: loading demo data")
                load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
