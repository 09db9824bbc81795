"""Coordination between centers: comparing events and keeping the warnings staff decide on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.events import coordination
from kyodo.events.models import (
    CoordinationWarning,
    Decision,
    Event,
)

from ._base import _require

if TYPE_CHECKING:
    from kyodo.accounts.models import User


@transaction.atomic
def find_warnings(event: Event) -> list[CoordinationWarning]:
    """Compare ``event`` with the other events near its dates (``coordination.clashes_for``,
    which looks the candidates up with indexed queries) and keep a warning per clash.

    Warnings already decided keep their decision; those that no longer apply and were
    never decided are removed. The warnings are written in a few bulk queries, however
    many there are. The event's pairs in the network report are stored again too
    (``coordination.refresh_clashes``)."""
    (mine,) = coordination.features_from_db([event])
    clashes = coordination.clashes_for(event, mine)
    coordination.refresh_clashes(event, clashes, mine)
    found = {int(other.key): match for other, match in clashes}
    event.warnings.exclude(other_event_id__in=found).filter(decision="").delete()
    existing = {w.other_event_id: w for w in event.warnings.filter(other_event_id__in=found)}
    new, changed = [], []
    for other_id, match in found.items():
        warning = existing.get(other_id)
        reasons = match.reasons()
        if warning is None:
            new.append(
                CoordinationWarning(
                    event=event, other_event_id=other_id, score=match.score, reasons=reasons
                )
            )
        elif warning.score != match.score or warning.reasons != reasons:
            warning.score, warning.reasons = match.score, reasons
            changed.append(warning)
    CoordinationWarning.objects.bulk_create(new, batch_size=500)
    CoordinationWarning.objects.bulk_update(changed, ["score", "reasons"], batch_size=500)
    # The warnings as written (their other events are read when asked for: the staff
    # screens that show them read them again with everything they show).
    return sorted([*existing.values(), *new], key=lambda warning: -warning.score)


@transaction.atomic
def mark_warnings_seen(*, by: User, event: Event) -> None:
    _require(by, event.center)
    event.warnings.filter(seen_at__isnull=True).update(seen_by=by, seen_at=timezone.now())


@transaction.atomic
def decide_warning(
    *, by: User, warning: CoordinationWarning, decision: str, note: str = ""
) -> None:
    _require(by, warning.event.center)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose what you decided.")})
    now = timezone.now()
    warning.decision, warning.note = decision, note
    warning.decided_by, warning.decided_at = by, now
    if warning.seen_at is None:
        warning.seen_by, warning.seen_at = by, now
    warning.save()
