"""Writing to the audit log. Every read or change of personal data calls ``record_event``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from kyodo.audit.models import Action, AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from kyodo.accounts.models import User
    from kyodo.centers.models import Center


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from.

    Behind a reverse proxy set KYODO_TRUSTED_PROXY_HOPS; we only use REMOTE_ADDR here,
    which the proxy (or runserver) fills in, so a client cannot forge it.
    """
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    actor: User | None,
    action: Action | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    center: Center | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit log.

    ``target`` names the record (its model label, primary key and ``str``); for records
    that are not model instances (a CSV export, a search), pass ``object_type`` and
    friends instead.
    """
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)[:200]
    actor_label = ""
    if actor is not None and actor.is_authenticated:
        actor_label = actor.email
    else:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        center=center,
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
        path=(request.get_full_path() if request else "")[:300],
        details=details or {},
    )
