from django.urls import path

from kyodo.centers.views import public

app_name = "centers"

urlpatterns = [
    path("", public.center_list, name="list"),
    path("<slug:slug>/", public.center_detail, name="detail"),
]
