"""The filters of the public directory, its exports and ``GET /api/v1/organizations``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.centers.models import Center
from kyodo.japanese import kana
from kyodo.organizations import search
from kyodo.organizations.models import (
    ActivityArea,
    ActivityField,
    CertificationKind,
    LegalForm,
    Organization,
    OrganizationQuerySet,
    Status,
    search_terms,
)
from kyodo.organizations.prepared import Param, Slot
from kyodo.ui.widgets import LongSelect

ANY_CERTIFICATION = "any"
ALL_STATUSES = "all"
SORT_READING = "reading"
SORT_NEWEST = "newest"
INDEX_ROWS: tuple[str, ...] = (*kana.GOJUON_ROWS, kana.OTHER)
MAX_QUERY_LENGTH = 100


AREAS_CACHE_KEY = "organizations:directory-areas"


def directory_areas() -> list[tuple[str, list[str]]]:
    """[(group label, [area, …]), …] offered by the area filter: the prefectures and
    municipalities of the public directory, and the areas groups name (全道, 札幌市内,
    中央区 …).

    Reading them scans the registry, so the list is kept in the cache for
    ``KYODO_ORGANIZATION_AREAS_CACHE_SECONDS`` (5 minutes; 0 turns the cache off): a new
    area shows in the list a few minutes late, and filtering by it works at once.
    """
    seconds = int(getattr(settings, "KYODO_ORGANIZATION_AREAS_CACHE_SECONDS", 300))
    if seconds:
        cached = cache.get(AREAS_CACHE_KEY)
        if cached is not None:
            return list(cached)
    prefectures: set[str] = set()
    municipalities: set[str] = set()
    places = (
        Organization.objects.public().order_by().values_list("prefecture", "municipality")
    ).distinct()
    for prefecture, municipality in places:
        if prefecture:
            prefectures.add(prefecture)
        if municipality:
            municipalities.add(municipality)
    # Area names are common words (全道, 中央区); reading them for every record is cheap.
    named = set(ActivityArea.objects.order_by().values_list("name", flat=True).distinct())
    areas = [
        (str(_("Prefecture")), sorted(prefectures)),
        (str(_("Municipality")), sorted(municipalities)),
        (str(_("Area of activity")), sorted(named - prefectures - municipalities)),
    ]
    if seconds:
        cache.set(AREAS_CACHE_KEY, areas, seconds)
    return areas


def _area_choices(areas: list[tuple[str, list[str]]]) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("All areas"))]
    for label, names in areas:
        if names:
            choices.append((label, [(name, name) for name in names]))
    return choices


def _shared(choices: list[tuple[Any, Any]]) -> Callable[[], list[tuple[Any, Any]]]:
    """Fixed choices as a function: Django deep-copies a list of choices into every form
    it builds (about 400 Python calls a request for this form's), a function it shares."""
    return lambda: choices


def _center_choices(centers: QuerySet[Center] | None) -> Callable[[], list[tuple[str, Any]]]:
    """The choices of the center filter (the active centers by reading unless
    ``centers`` is given), read once, when the form first validates or renders the
    field: the API reads them only for a request that names a center, and a page reads
    ids and names rather than building a ``Center`` for each."""

    @functools.cache
    def read() -> list[tuple[str, Any]]:
        chosen = centers if centers is not None else Center.objects.active()
        names = chosen.order_by("name_kana", "name").values_list("pk", "name")
        return [("", _("Any center")), *((str(pk), name) for pk, name in names)]

    return read


class DirectoryFilterForm(forms.Form):
    """Filters of the public directory, its exports and ``GET /api/v1/organizations``.

    Every field is optional; a value that is not one of the choices is reported on its
    field and that filter is left out (the API answers 422 instead)."""

    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "Two characters or more of a name, a reading or an area, e.g. 子育 or さっぽろ."
        ),
    )
    field = forms.TypedChoiceField(
        label=_("Field of activity"),
        required=False,
        widget=LongSelect,
        coerce=int,
        empty_value=None,
        choices=_shared([("", _("All fields")), *ActivityField.choices]),
    )
    area = forms.CharField(label=_("Area"), required=False, max_length=60, widget=LongSelect)
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        widget=LongSelect,
        choices=_shared([("", _("All legal forms")), *LegalForm.choices]),
    )
    center = forms.TypedChoiceField(
        label=_("Registered at"),
        required=False,
        widget=LongSelect,
        coerce=int,
        empty_value=None,
    )
    certification = forms.ChoiceField(
        label=_("Certification"),
        required=False,
        widget=LongSelect,
        choices=_shared(
            [
                ("", _("With or without")),
                (ANY_CERTIFICATION, _("Any certification in force")),
                *CertificationKind.choices,
            ]
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=LongSelect,
        choices=_shared(
            [
                (Status.ACTIVE.value, _("Active")),
                (Status.DISSOLVED.value, _("Dissolved")),
                (ALL_STATUSES, _("Active and dissolved")),
            ]
        ),
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        widget=LongSelect,
        choices=_shared(
            [(SORT_READING, _("By reading (50音順)")), (SORT_NEWEST, _("Newest first"))]
        ),
    )
    row = forms.ChoiceField(
        label=_("Index row"),
        required=False,
        choices=_shared([("", ""), *((row, row) for row in INDEX_ROWS)]),
        widget=forms.HiddenInput,
    )

    FILTERS = ("q", "field", "area", "legal_form", "center", "certification", "row")

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, list[str]]] | None = None,
        centers: QuerySet[Center] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = _area_choices(areas or [])
        chosen = str(self.data.get(self.add_prefix("area"), "")).strip() if self.is_bound else ""
        offered = {value for _group, options in choices[1:] for value, _label in options}
        if chosen and chosen not in offered and len(chosen) <= 60:
            choices.append((chosen, chosen))  # an area the list does not offer (yet)
        self.fields["area"].widget.choices = choices
        self.fields["center"].choices = _center_choices(centers)  # type: ignore[attr-defined]

    def clean_status(self) -> str:
        return str(self.cleaned_data.get("status") or Status.ACTIVE.value)

    def clean_sort(self) -> str:
        return str(self.cleaned_data.get("sort") or SORT_READING)

    @property
    def data_or_defaults(self) -> dict[str, Any]:
        data = dict(self.cleaned_data) if hasattr(self, "cleaned_data") else {}
        data.setdefault("status", Status.ACTIVE.value)
        data.setdefault("sort", SORT_READING)
        return data

    @property
    def query(self) -> str:
        return str(self.data_or_defaults.get("q") or "").strip()

    @property
    def query_too_short(self) -> bool:
        """A keyword was given but every word of it is shorter than two characters."""
        return bool(self.query) and not search_terms(self.query)

    @property
    def is_filtered(self) -> bool:
        data = self.data_or_defaults
        return any(data.get(name) for name in self.FILTERS) or (
            data["status"] != Status.ACTIVE.value
        )

    @property
    def current_row(self) -> str:
        return str(self.data_or_defaults.get("row") or "")

    def filter_values(self, using: str = "default") -> dict[str, Any]:
        """The values of the valid filters, named as ``filter`` names its ``Param``s:
        ``field``, ``area``, ``legal_form``, ``center``, ``certification`` (a kind),
        ``today`` (with any certification filter), ``row``, ``term0``… (the folded words
        of the search) and ``index`` (the search index's condition, when the index
        serves the search: ``search.candidates``)."""
        data = self.data_or_defaults
        values: dict[str, Any] = {
            name: data[name]
            for name in ("field", "area", "legal_form", "center", "row")
            if data.get(name) not in (None, "")
        }
        if data.get("certification"):
            values["today"] = timezone.localdate()
            if data["certification"] != ANY_CERTIFICATION:
                values["certification"] = data["certification"]
        terms = search_terms(self.query)
        values.update({f"term{number}": term for number, term in enumerate(terms)})
        if terms:
            narrowed = search.candidates(terms, using=using)
            if narrowed is not None:
                values["index"] = narrowed
        return values

    @staticmethod
    def tested_terms(values: dict[str, Any]) -> list[str]:
        """The names of the words of ``values`` (``filter_values``) that the substring
        test decides: all but those the search index answers exactly."""
        narrowed = values.get("index")
        return [
            name
            for name in sorted(values)
            if name.startswith("term") and (narrowed is None or not narrowed.answers(values[name]))
        ]

    def filter(
        self,
        organizations: OrganizationQuerySet,
        values: dict[str, Any] | None = None,
        *,
        prepared: bool = False,
    ) -> OrganizationQuerySet:
        """Apply the valid filters (``filter_values()`` unless given) and the order to an
        ``OrganizationQuerySet``; with ``prepared``, a ``Param`` of each value in its
        place (``kyodo.organizations.prepared``)."""
        data = self.data_or_defaults
        if values is None:
            values = self.filter_values(organizations.db)

        def value(name: str) -> Any:
            return Param(name) if prepared else values[name]

        if data["status"] == Status.ACTIVE.value:
            organizations = organizations.active()
        elif data["status"] == Status.DISSOLVED.value:
            organizations = organizations.dissolved()
        if "field" in values:
            organizations = organizations.with_activity_field(value("field"))
        if "area" in values:
            organizations = organizations.in_area(value("area"))
        if "legal_form" in values:
            organizations = organizations.of_legal_form(value("legal_form"))
        if "center" in values:
            organizations = organizations.registered_at(value("center"))
        if "today" in values:
            kind = value("certification") if "certification" in values else None
            organizations = organizations.certified(kind, day=value("today"))
        if "row" in values:
            organizations = organizations.filter(name_reading_row=value("row"))
        if any(name.startswith("term") for name in values):
            narrowed = values.get("index")
            tested = [value(name) for name in self.tested_terms(values)]
            if prepared and narrowed is not None:
                narrowed = search.MatchesSearchIndex(narrowed.terms, slot=Slot("index"))
            organizations = organizations.containing(tested, narrowed)
        elif self.query:  # only words shorter than two characters: nothing
            organizations = organizations.none()
        if data["sort"] == SORT_NEWEST:
            return organizations.newest()
        return organizations.by_reading()
