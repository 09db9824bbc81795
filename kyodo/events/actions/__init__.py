"""Operations on events, registrations and coordination warnings.

Each operation checks the acting person's permission through ``kyodo.centers.access``
(``PermissionDenied``), validates (``ValidationError`` with a message for the person),
works in one transaction and sends e-mail in ``transaction.on_commit``. Callers use
``from kyodo.events import actions`` and ``actions.<operation>``; the modules of this
package group the operations by subject:

- ``schedules``: explicit sessions and recurring schedules expanded into sessions;
- ``events``: saving, publishing, cancelling, cross-posting (相互掲載);
- ``event_parts``: co-hosts (共催・後援) and the questions asked on registration;
- ``coordination``: the clash check between centers and the decisions on it;
- ``registrations``: registrations, the waiting list, attendance, and the participant
  database kept with consent;
- ``topics``: the shared vocabulary of topics (network administrators);
- ``venues``: a room reservation as the venue of a session.
"""

from ._base import _require, normalise_email
from .coordination import decide_warning, find_warnings, mark_warnings_seen
from .event_parts import add_cohost, move_question, remove_cohost, remove_question, save_question
from .events import (
    change_event_status,
    cross_post_event,
    publish_event,
    remove_cross_posting,
    save_event,
)
from .registrations import (
    RegistrationRefused,
    cancel_registration,
    email_key_of_token,
    mark_attendance,
    participant_history,
    participant_of,
    register_for_event,
    seats_taken,
    withdraw_consent,
    withdraw_consent_token,
    withdraw_consent_url,
)
from .schedules import (
    DEFAULT_SERIES_DAYS,
    MAX_SCHEDULE_SESSIONS,
    SessionTimes,
    read_schedule,
    refresh_event_dates,
    replace_explicit_sessions,
    series_window,
    store_schedule,
)
from .topics import delete_topic, may_manage_topics, save_topic
from .venues import (
    book_room_for_session,
    link_session_reservation,
    reservations_on_the_day,
    session_slot,
    sync_venue_room,
    unlink_session_reservation,
)

__all__ = [
    "DEFAULT_SERIES_DAYS",
    "MAX_SCHEDULE_SESSIONS",
    "RegistrationRefused",
    "SessionTimes",
    "_require",
    "add_cohost",
    "book_room_for_session",
    "cancel_registration",
    "change_event_status",
    "cross_post_event",
    "decide_warning",
    "delete_topic",
    "email_key_of_token",
    "find_warnings",
    "link_session_reservation",
    "mark_attendance",
    "mark_warnings_seen",
    "may_manage_topics",
    "move_question",
    "normalise_email",
    "participant_history",
    "participant_of",
    "publish_event",
    "read_schedule",
    "refresh_event_dates",
    "register_for_event",
    "remove_cohost",
    "remove_cross_posting",
    "remove_question",
    "replace_explicit_sessions",
    "reservations_on_the_day",
    "save_event",
    "save_question",
    "save_topic",
    "seats_taken",
    "series_window",
    "session_slot",
    "store_schedule",
    "sync_venue_room",
    "unlink_session_reservation",
    "withdraw_consent",
    "withdraw_consent_token",
    "withdraw_consent_url",
]
