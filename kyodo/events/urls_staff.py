from django.urls import path

from kyodo.events.views import staff

app_name = "events_staff"

urlpatterns = [
    path("", staff.event_list, name="list"),
    path("new/", staff.event_create, name="create"),
    path("schedule-preview/", staff.schedule_preview, name="schedule_preview"),
    path("network/", staff.network_report, name="network"),
    path("participants/<int:pk>/", staff.participant_history, name="participant"),
    path("<int:pk>/", staff.event_detail, name="detail"),
    path("<int:pk>/edit/", staff.event_edit, name="edit"),
    path("<int:pk>/coordination/", staff.coordination_view, name="coordination"),
    path("<int:pk>/publish/", staff.event_publish, name="publish"),
    path("<int:pk>/status/", staff.event_status, name="status"),
    path("<int:pk>/cross-post/", staff.cross_post, name="cross_post"),
    path("<int:pk>/registrations/", staff.attendance, name="attendance"),
    path(
        "<int:pk>/registrations/<int:registration_pk>/",
        staff.registration_update,
        name="registration_update",
    ),
]
