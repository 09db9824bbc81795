"""The operators' admin for people. Center staff never use it: their roles are managed
in the back office."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from kyodo.accounts.models import LoginFailure, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name")

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Operators add people and fix accounts. A person added here confirms their address
    by choosing a password through "Forgot your password?"."""

    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "name_kana", "preferred_language")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_network_admin", "is_staff", "is_superuser")},
        ),
        (
            _("Dates"),
            {"fields": ("email_verified_at", "privacy_consented_at", "date_joined", "last_login")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "display_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("privacy_consented_at", "date_joined", "last_login")
    list_display = ("email", "display_name", "is_active", "is_network_admin", "is_staff")
    list_filter = ("is_active", "is_network_admin", "is_staff", "is_superuser")
    search_fields = ("email", "display_name", "name_kana")
    ordering = ("email",)
    filter_horizontal = ()


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Recent failed sign-ins; deleting an account's rows lifts its sign-in limit."""

    list_display = ("email", "ip_address", "failed_at")
    search_fields = ("email", "ip_address")
    date_hierarchy = "failed_at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
