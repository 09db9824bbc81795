from django.urls import path

from kyodo.centers.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.back_office, name="home"),
]
