"""The network in the operators' admin. Staff use the back office; changes of roles and
sharing rules go through the back office so they are checked and recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kyodo.centers.models import Center, CenterService, Partnership, SharingRule, StaffMembership


class CenterServiceInline(admin.TabularInline):
    model = CenterService
    extra = 0


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "prefecture", "municipality", "parent", "is_active")
    list_filter = ("kind", "prefecture", "is_active")
    search_fields = ("name", "name_kana", "municipality", "area_served")
    list_select_related = ("parent",)
    inlines = [CenterServiceInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("first", "second", "description")
    list_select_related = ("first", "second")


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to operators, changed only through the back office (audited)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SharingRule)
class SharingRuleAdmin(_ReadOnlyAdmin):
    list_display = ("owner", "partner", "kind", "created_at")
    list_select_related = ("owner", "partner")


@admin.register(StaffMembership)
class StaffMembershipAdmin(_ReadOnlyAdmin):
    list_display = ("user", "center", "role", "started_on", "ended_on")
    list_filter = ("role",)
    search_fields = ("user__email", "user__display_name", "center__name")
    list_select_related = ("user", "center")
