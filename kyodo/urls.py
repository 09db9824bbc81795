from django.contrib import admin
from django.urls import include, path

from kyodo import views
from kyodo.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("kyodo.accounts.urls")),
    path("centers/", include("kyodo.centers.urls")),
    path("organizations/", include("kyodo.organizations.urls")),
    path("staff/", include("kyodo.centers.urls_staff")),
    path("staff/audit/", include("kyodo.audit.urls")),
    path("staff/organizations/", include("kyodo.organizations.urls_staff")),
    path("rooms/", include("kyodo.rooms.urls")),
    path("staff/rooms/", include("kyodo.rooms.urls_staff")),
    path("events/", include("kyodo.events.urls")),
    path("staff/events/", include("kyodo.events.urls_staff")),
    path("api/v1/", api.urls),
    path("operators/", admin.site.urls),
]

handler400 = "kyodo.views.bad_request"
handler403 = "kyodo.views.permission_denied"
handler404 = "kyodo.views.page_not_found"
handler500 = "kyodo.views.server_error"
