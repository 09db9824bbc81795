from django.urls import path

from kyodo.rooms.views import public

app_name = "rooms"

urlpatterns = [
    path("", public.room_index, name="index"),
    path("mine/", public.my_reservations, name="mine"),
    path("mine/<int:reservation_id>/cancel/", public.cancel_my_reservation, name="cancel"),
    path("centers/<slug:slug>/", public.center_rooms, name="center"),
    path("<int:room_id>/", public.room_detail, name="room"),
    path("<int:room_id>/series/", public.book_series, name="series"),
]
