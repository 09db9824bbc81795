from django.urls import path

from kyodo.centers.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.back_office, name="home"),
    path("centers/<slug:slug>/", staff.dashboard, name="dashboard"),
    path("centers/<slug:slug>/staff/", staff.memberships, name="memberships"),
    path("centers/<slug:slug>/sharing/", staff.sharing, name="sharing"),
    path("centers/<slug:slug>/profile/", staff.center_edit, name="center_edit"),
]
