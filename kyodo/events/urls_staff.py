from django.urls import path

from kyodo.events.views import event_parts, imports, staff, topics

app_name = "events_staff"

urlpatterns = [
    path("", staff.event_list, name="list"),
    path("new/", staff.event_create, name="create"),
    path("schedule-preview/", staff.schedule_preview, name="schedule_preview"),
    path("network/", staff.network_report, name="network"),
    path("participants/<int:pk>/", staff.participant_history, name="participant"),
    path("topics/", topics.topics, name="topics"),
    path("topics/<int:pk>/", topics.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/delete/", topics.topic_delete, name="topic_delete"),
    path("import/", imports.event_import, name="import"),
    path("import/run/", imports.event_import_run, name="import_run"),
    path("import/report/", imports.event_import_report, name="import_report"),
    path("<int:pk>/", staff.event_detail, name="detail"),
    path("<int:pk>/edit/", staff.event_edit, name="edit"),
    path("<int:pk>/coordination/", staff.coordination_view, name="coordination"),
    path("<int:pk>/publish/", staff.event_publish, name="publish"),
    path("<int:pk>/status/", staff.event_status, name="status"),
    path("<int:pk>/cross-post/", staff.cross_post, name="cross_post"),
    path("<int:pk>/cohosts/", event_parts.cohosts, name="cohosts"),
    path(
        "<int:pk>/cohosts/<int:cohost_pk>/remove/",
        event_parts.cohost_remove,
        name="cohost_remove",
    ),
    path("<int:pk>/questions/", event_parts.questions, name="questions"),
    path(
        "<int:pk>/questions/<int:question_pk>/",
        event_parts.question_edit,
        name="question_edit",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/remove/",
        event_parts.question_remove,
        name="question_remove",
    ),
    path(
        "<int:pk>/questions/<int:question_pk>/move/",
        event_parts.question_move,
        name="question_move",
    ),
    path(
        "<int:pk>/sessions/<int:session_pk>/venue/",
        event_parts.session_venue,
        name="session_venue",
    ),
    path("<int:pk>/registrations/", staff.attendance, name="attendance"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/",
        staff.registration_update,
        name="registration_update",
    ),
]
