"""What groups send: a claim to manage their page, their profile and their news."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyodo.japanese.text import to_halfwidth_digits
from kyodo.organizations.models import (
    Organization,
)

from ._record import _CorporateNumberMixin, _ListFieldsMixin, list_initial


class ClaimForm(forms.Form):
    """A person asks to manage the page of their group."""

    role = forms.ChoiceField(
        label=_("Your position"),
        choices=[("representative", _("Representative")), ("member", _("Member"))],
        widget=forms.RadioSelect,
        initial="member",
    )
    role_in_group = forms.CharField(
        label=_("Your role in the group"),
        max_length=60,
        help_text=_("e.g. 代表, 事務局長, 会計"),
    )
    phone = forms.CharField(
        label=_("Telephone number"),
        max_length=30,
        help_text=_("Where the center's staff can reach you to confirm. It is not published."),
    )
    message = forms.CharField(
        label=_("Message to the center"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_phone(self) -> str:
        phone = to_halfwidth_digits(str(self.cleaned_data.get("phone", ""))).strip()
        phone = phone.replace("ー", "-").replace("－", "-").replace("‐", "-")
        digits = "".join(c for c in phone if c.isdigit())
        if not 10 <= len(digits) <= 11 or any(c not in "0123456789-() " for c in phone):
            raise ValidationError(_("Write a telephone number with 10 or 11 digits."))
        return phone


GROUP_PROFILE_FIELDS = (
    "name",
    "name_kana",
    "corporate_number",
    "competent_authority",
    "representative",
    "representative_is_public",
    "purpose",
    "activities",
    "phone",
    "phone_is_public",
    "fax",
    "fax_is_public",
    "email",
    "email_is_public",
    "contact_person",
    "contact_person_is_public",
    "address_is_public",
    "website",
)


class GroupProfileForm(_ListFieldsMixin, _CorporateNumberMixin):
    """What a group edits of its own record. A change of the name, corporate number or
    competent authority waits for staff; the rest shows at once."""

    taken_message = _(
        "Another organization has this corporate number. Please check it, or ask the center."
    )

    website = forms.URLField(
        label=_("Website"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = GROUP_PROFILE_FIELDS
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "activities": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "name": _("A new name shows once the center has confirmed it."),
            "corporate_number": _(
                "The 13-digit number of the National Tax Agency (法人番号); a change shows "
                "once the center has confirmed it."
            ),
            "competent_authority": _("A change shows once the center has confirmed it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance: Organization | None = kwargs.get("instance")
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = list_initial(instance)
        super().__init__(*args, **kwargs)
        self.order_fields([*GROUP_PROFILE_FIELDS[:8], "activity_fields", "activity_areas"])

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class NewsItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )
    published_at = forms.DateTimeField(
        label=_("Published at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Leave empty to publish now; a later date publishes the item then."),
    )
    is_published = forms.BooleanField(
        label=_("Publish on the group's page"),
        required=False,
        initial=True,
        help_text=_("Untick to keep the item as a draft."),
    )
