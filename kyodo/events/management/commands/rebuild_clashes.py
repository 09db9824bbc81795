"""``manage.py rebuild_clashes``: store every clashing pair of the network again.

Saving an event through the staff screens, the API or a file import stores its pairs as it
goes; run this after events were loaded another way (a restored dump, a bulk load), so that
the network report counts them. It compares every event not cancelled (the network sweep of
``kyodo.events.coordination``) and replaces the stored pairs in one transaction.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kyodo.events.coordination import rebuild_clashes


class Command(BaseCommand):
    help = "Store every clashing pair of events again, for the network report."

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        count = rebuild_clashes()
        self.stdout.write(
            _("%(count)s clashing pairs stored in %(seconds).1f s.")
            % {"count": count, "seconds": time.perf_counter() - start}
        )
