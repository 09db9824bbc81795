from django.urls import path

from kyodo.events import feeds
from kyodo.events.views import consent, public

app_name = "events"

urlpatterns = [
    path("", public.event_list, name="list"),
    path("month/", public.event_month, name="month"),
    path("week/", public.event_week, name="week"),
    path("feed.ics", feeds.network_ics, name="feed_ics"),
    path("feed.atom", feeds.LatestEventsFeed(), name="feed_atom"),
    path("centers/<slug:slug>/feed.ics", feeds.center_ics, name="center_ics"),
    path("organizations/<int:pk>/feed.ics", feeds.organization_ics, name="organization_ics"),
    path("opendata/events.csv", public.event_list_csv, name="opendata_network"),
    path(
        "centers/<slug:slug>/opendata/events.csv",
        public.event_list_csv,
        name="opendata_center",
    ),
    path("<int:pk>/", public.event_detail, name="detail"),
    path("<int:pk>/register/", public.register, name="register"),
    path("my-participation/", consent.my_participation, name="my_participation"),
    path("consent/<str:token>/", consent.withdraw_consent, name="withdraw_consent"),
    path(
        "registrations/<str:token>/cancel/",
        public.cancel_registration,
        name="cancel_registration",
    ),
]
