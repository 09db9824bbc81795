from django.urls import path

from kyodo.organizations.views import imports, queues, staff

app_name = "organizations_staff"

urlpatterns = [
    path("", staff.search, name="search"),
    path("<int:pk>/", staff.record, name="record"),
    path("<int:pk>/edit/", staff.edit, name="edit"),
    path("<int:pk>/history/", staff.history, name="history"),
    path("<int:pk>/registrations/", staff.register, name="register"),
    path("<int:pk>/sources/<int:record_pk>/unlink/", staff.unlink, name="unlink"),
    path("<int:pk>/merge/", staff.merge, name="merge"),
    path("merges/<int:pk>/split/", staff.split, name="split"),
    path("reviews/", queues.review_queue, name="reviews"),
    path("reviews/<int:pk>/", queues.review, name="review"),
    path("proposed-changes/", queues.proposed_changes, name="proposed_changes"),
    path("proposed-changes/<int:pk>/", queues.decide_change, name="decide_change"),
    path("claims/", queues.claims, name="claims"),
    path("claims/<int:pk>/", queues.decide_claim, name="decide_claim"),
    path("imports/", imports.imports, name="imports"),
    path("imports/columns/", imports.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/", imports.import_report, name="import_report"),
]
