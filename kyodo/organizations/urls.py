from django.urls import path

from kyodo.organizations.views import group, public

app_name = "organizations"

urlpatterns = [
    path("", public.directory, name="list"),
    path("export.csv", public.export_csv, name="export_csv"),
    path("export.json", public.export_json, name="export_json"),
    path("mine/", group.my_organizations, name="mine"),
    path("<int:pk>/", public.organization_detail, name="detail"),
    path("<int:pk>/claim/", group.claim, name="claim"),
    path("<int:pk>/manage/", group.manage, name="manage"),
    path("<int:pk>/manage/profile/", group.edit_profile, name="edit_profile"),
    path("<int:pk>/manage/news/new/", group.news_create, name="news_create"),
    path("<int:pk>/manage/news/<int:news_pk>/", group.news_edit, name="news_edit"),
    path("<int:pk>/manage/news/<int:news_pk>/delete/", group.news_delete, name="news_delete"),
]
