from django.urls import path

from kyodo.rooms.views import staff

app_name = "rooms_staff"

urlpatterns = [
    path("centers/<slug:slug>/", staff.week_grid, name="grid"),
    path("centers/<slug:slug>/rooms/", staff.room_list, name="rooms"),
    path("centers/<slug:slug>/rooms/new/", staff.room_edit, name="room_add"),
    path("centers/<slug:slug>/rooms/<int:room_id>/", staff.room_edit, name="room_edit"),
    path("centers/<slug:slug>/rooms/<int:room_id>/book/", staff.book_on_behalf, name="book"),
    path("centers/<slug:slug>/rooms/<int:room_id>/series/", staff.book_series, name="series"),
    path("centers/<slug:slug>/series/<int:series_id>/", staff.series_detail, name="series_detail"),
    path(
        "centers/<slug:slug>/reservations/<int:reservation_id>/",
        staff.reservation_detail,
        name="reservation",
    ),
    path("centers/<slug:slug>/occupancy/", staff.occupancy, name="occupancy"),
    path("centers/<slug:slug>/occupancy.csv", staff.occupancy_csv, name="occupancy_csv"),
    path("centers/<slug:slug>/referrals/", staff.referrals, name="referrals"),
    path("centers/<slug:slug>/referrals/new/", staff.refer, name="refer"),
    path(
        "centers/<slug:slug>/referrals/<int:referral_id>/outcome/",
        staff.referral_outcome,
        name="referral_outcome",
    ),
]
