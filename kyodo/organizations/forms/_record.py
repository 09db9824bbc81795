"""Parts of a record's form shared by the staff edit and the group's own profile: the
lists (fields of activity, areas, links) and the corporate number."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from kyodo.japanese.corporate_number import CorporateNumberError, normalize_corporate_number
from kyodo.organizations.models import (
    ActivityField,
    LinkKind,
    Organization,
)

# Hosts of the social networks, to tell the kind of a link from its address.
LINK_HOSTS: dict[str, str] = {
    "x.com": LinkKind.X,
    "twitter.com": LinkKind.X,
    "facebook.com": LinkKind.FACEBOOK,
    "fb.com": LinkKind.FACEBOOK,
    "instagram.com": LinkKind.INSTAGRAM,
    "youtube.com": LinkKind.YOUTUBE,
    "youtu.be": LinkKind.YOUTUBE,
    "line.me": LinkKind.LINE,
    "lin.ee": LinkKind.LINE,
    "note.com": LinkKind.NOTE,
    "ameblo.jp": LinkKind.BLOG,
    "hatenablog.com": LinkKind.BLOG,
    "blog.goo.ne.jp": LinkKind.BLOG,
}
MAX_LINKS = 10


class LinksField(forms.CharField):
    """Web and SNS addresses, one per line; each link's kind is told by its host."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        text = super().to_python(value)
        links: list[dict[str, str]] = []
        validate = URLValidator(schemes=["http", "https"])
        for line in str(text or "").splitlines():
            url = line.strip()
            if not url:
                continue
            try:
                validate(url)
            except ValidationError as error:
                raise ValidationError(
                    _("「%(url)s」 is not a web address; write it as https://…"),
                    code="invalid_url",
                    params={"url": url[:80]},
                ) from error
            if len(url) > 500:
                raise ValidationError(_("A web address may have at most 500 characters."))
            links.append({"kind": link_kind(url), "url": url})
        if len(links) > MAX_LINKS:
            raise ValidationError(
                _("Give at most %(count)s links."), params={"count": MAX_LINKS}, code="too_many"
            )
        return links

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(link["url"]) for link in value)
        return value


def link_kind(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for known, kind in LINK_HOSTS.items():
        if host == known or host.endswith("." + known):
            return str(kind)
    return str(LinkKind.OTHER)


class AreasField(forms.CharField):
    """Areas of activity, one per line or separated by 、 or commas."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = str(super().to_python(value) or "")
        for separator in ("、", "，", ",", "・"):
            text = text.replace(separator, "\n")
        areas = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        if any(len(area) > 60 for area in areas):
            raise ValidationError(_("Write each area in 60 characters or fewer."))
        if len(areas) > 20:
            raise ValidationError(_("Give at most 20 areas."))
        return areas

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(area) for area in value)
        return value


class _ListFieldsMixin(forms.Form):
    """Fields of activity, areas and links of a record, with their initial values."""

    activity_fields = forms.TypedMultipleChoiceField(
        label=_("Fields of activity"),
        required=False,
        coerce=int,
        choices=ActivityField.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    activity_areas = AreasField(
        label=_("Areas of activity"),
        required=False,
        help_text=_("One area per line, e.g. 札幌市内 or 中央区."),
    )
    links = LinksField(
        label=_("Web and SNS links"),
        required=False,
        help_text=_("One address per line, e.g. https://www.instagram.com/… (at most 10)."),
    )


def list_initial(organization: Organization) -> dict[str, Any]:
    return {
        "activity_fields": organization.activity_field_codes(),
        "activity_areas": organization.activity_area_names(),
        "links": [{"kind": link.kind, "url": link.url} for link in organization.links.all()],
    }


class _CorporateNumberMixin(forms.ModelForm):
    """The corporate number, normalised, and refused on its field when another record
    has it (rather than as the form-wide error of the database constraint)."""

    taken_message = _("Another record has this corporate number; merge the two instead.")

    def clean_corporate_number(self) -> str:
        number = str(self.cleaned_data.get("corporate_number") or "").strip()
        if not number:
            return ""
        try:
            number = normalize_corporate_number(number)
        except CorporateNumberError as error:
            raise ValidationError(str(error)) from error
        others = Organization.objects.filter(corporate_number=number).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(self.taken_message)
        return number

    def _get_validation_exclusions(self) -> set[str]:
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        exclusions.add("corporate_number")  # checked above, with a message on the field
        return exclusions
