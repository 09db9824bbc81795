"""The shared vocabulary of topics (NPO会計, 子育て, 防災…), kept by the network
administrators so that every center tags its events with the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kyodo.audit.actions import record_event
from kyodo.audit.models import Action
from kyodo.centers import access
from kyodo.events.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from kyodo.accounts.models import User


def may_manage_topics(user: User | AnonymousUser | None) -> bool:
    """The vocabulary belongs to the whole network: only its administrators change it.

    (There is no per-center permission for it; ``access.is_network_admin`` decides.)"""
    return access.is_network_admin(user)


def _require_admin(by: User) -> None:
    if not may_manage_topics(by):
        raise PermissionDenied


@transaction.atomic
def save_topic(*, by: User, topic: Topic, request: HttpRequest | None = None) -> Topic:
    """Add a topic to the vocabulary, or rename one (events keep it under its new name)."""
    _require_admin(by)
    if Topic.objects.filter(name=topic.name).exclude(pk=topic.pk).exists():
        raise ValidationError({"name": _("This topic is already in the vocabulary.")})
    creating = topic.pk is None
    topic.save()
    record_event(
        actor=by,
        action=Action.CREATE if creating else Action.UPDATE,
        target=topic,
        request=request,
    )
    return topic


@transaction.atomic
def delete_topic(*, by: User, topic: Topic, request: HttpRequest | None = None) -> None:
    """Take a topic out of the vocabulary. A topic events still use is refused: rename it,
    or take it off those events first, so that no event loses its topic unnoticed."""
    _require_admin(by)
    used = topic.event_set.count()
    if used:
        raise ValidationError(
            ngettext(
                "%(count)s event uses this topic. Rename it instead, or take it off the "
                "event first.",
                "%(count)s events use this topic. Rename it instead, or take it off those "
                "events first.",
                used,
            )
            % {"count": used}
        )
    record_event(actor=by, action=Action.DELETE, target=topic, request=request)
    topic.delete()
