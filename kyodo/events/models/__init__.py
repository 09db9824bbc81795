"""Events and trainings of the network (イベント・講座): the network calendar.

- ``Event``: owned by one center, with co-hosts (``EventCoHost``: centers or organizations
  as 共催・後援・協力), a kind, audiences (``EventAudience``, a fixed vocabulary), topics
  (``Topic``, a shared vocabulary), a venue (a center's room, or a center and an address)
  and/or an online URL, registrations settings and a status.
- ``EventSession``: one dated occurrence. An event has either explicit sessions (a
  6-session course has 6 rows, ``from_schedule`` False) or a recurring schedule phrase
  (``Event.schedule_text``, read by ``kyodo.japanese.schedule``) whose occurrences within
  the series window are stored as sessions with ``from_schedule`` True. Calendars, feeds,
  the API and the coordination check all read sessions, so both kinds work the same.
- ``CrossPosting``: a center shows another center's published event on its calendar
  (相互掲載); a center's calendar also shows the events it co-hosts as a center
  (``EventQuerySet.on_calendar_of``). Any published event may be cross-posted; drafts are
  visible to partner staff for coordination only when the owner shares
  ``RecordKind.EVENTS`` with them.
- ``EventQuestion`` / ``Registration``: what the event asks and who registered, with the
  waiting list (``position``) and a cancellation token.
- ``Participant``: a person across events (the participant database of seed 004), kept
  only with the person's consent and keyed by the normalised e-mail address.
- ``CoordinationWarning``: a possible clash with another event, found when staff save or
  publish, with what staff saw and decided.
- ``EventClash``: every clashing pair of the network, kept up to date as events are saved,
  which the network report counts and ranks.

A package by sub-topic (``vocabularies``, ``events``, ``registrations``,
``coordination``); every name is importable from ``kyodo.events.models``.
"""

from __future__ import annotations

from .coordination import CoordinationWarning, EventClash
from .events import (
    CrossPosting,
    Event,
    EventAudience,
    EventCoHost,
    EventQuerySet,
    EventSession,
    EventSessionQuerySet,
)
from .registrations import (
    EventQuestion,
    Participant,
    Registration,
    RegistrationQuerySet,
    new_cancel_token,
)
from .vocabularies import (
    Audience,
    CoHostRole,
    Decision,
    EventKind,
    EventStatus,
    QuestionKind,
    RegistrationStatus,
    RegistrationUnit,
    Topic,
)

__all__ = [
    "Audience",
    "CoHostRole",
    "CoordinationWarning",
    "CrossPosting",
    "Decision",
    "Event",
    "EventAudience",
    "EventClash",
    "EventCoHost",
    "EventKind",
    "EventQuerySet",
    "EventQuestion",
    "EventSession",
    "EventSessionQuerySet",
    "EventStatus",
    "Participant",
    "QuestionKind",
    "Registration",
    "RegistrationQuerySet",
    "RegistrationStatus",
    "RegistrationUnit",
    "Topic",
    "new_cancel_token",
]
