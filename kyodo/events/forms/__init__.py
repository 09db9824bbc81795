"""Input of the events pages and API. The modules group the forms by audience:

- ``public``: the calendar filters (pages, feeds, ``GET /api/v1/events``) and registration;
- ``event``: the staff event form (dates or a recurring schedule, with its preview), the
  status and the coordination decision;
- ``parts``: the staff screens around an event (co-hosts, questions, topics, the room of
  a session, importing an イベント一覧 file).
"""

from ._widgets import DateInput, DateTimeInput
from .event import (
    FEE_FREE,
    FEE_KINDS,
    FEE_PAID,
    FEE_UNKNOWN,
    DecisionForm,
    EventForm,
    SchedulePreviewForm,
    StatusForm,
    fee_kind_of,
    parse_session_lines,
    preview,
)
from .parts import (
    BookRoomForm,
    CoHostForm,
    EventImportForm,
    LinkReservationForm,
    OrganizationSearchForm,
    QuestionForm,
    TopicForm,
    reservation_label,
)
from .public import EventFilterForm, RegistrationForm

__all__ = [
    "FEE_FREE",
    "FEE_KINDS",
    "FEE_PAID",
    "FEE_UNKNOWN",
    "BookRoomForm",
    "CoHostForm",
    "DateInput",
    "DateTimeInput",
    "DecisionForm",
    "EventFilterForm",
    "EventForm",
    "EventImportForm",
    "LinkReservationForm",
    "OrganizationSearchForm",
    "QuestionForm",
    "RegistrationForm",
    "SchedulePreviewForm",
    "StatusForm",
    "TopicForm",
    "fee_kind_of",
    "parse_session_lines",
    "preview",
    "reservation_label",
]
