"""The staff import screen: the file and the column mapping of a center's list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kyodo.centers.models import Center

from ._widgets import DateInput


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Kind of file"),
        widget=forms.RadioSelect,
        choices=[
            ("nta", _("National Tax Agency corporate-number data (CSV)")),
            ("npo_portal", _("Cabinet Office NPO portal (CSV)")),
            ("center_list", _("A center's list of registered groups (CSV or .xlsx)")),
        ],
    )
    center = forms.ModelChoiceField(
        label=_("Center of the list"),
        required=False,
        queryset=Center.objects.none(),
        help_text=_("Only for a center's list: the center the groups are registered at."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV in UTF-8 or Shift_JIS (CP932), or an Excel .xlsx sheet."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}),
    )
    as_of = forms.DateField(
        label=_("Data as of"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today (NPO portal files carry their date in the name)."),
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == "center_list" and not data.get("center"):
            self.add_error("center", _("Choose the center whose list this is."))
        return data


class ColumnMapForm(forms.Form):
    """What each column of a center's list holds, when its headers were not recognised."""

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        fields: list[tuple[str, str]],
        initial_map: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.field_labels = dict(fields)
        choices = [("", _("Do not import")), *fields]
        by_header = {header: name for name, header in (initial_map or {}).items()}
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(column %(number)s without a header)") % {"number": index + 1},
                required=False,
                choices=choices,
                initial=by_header.get(header, ""),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            name = data.get(f"column_{index}")
            if not name:
                continue
            if name in seen:
                self.add_error(
                    f"column_{index}",
                    _("%(field)s is already the column 「%(header)s」.")
                    % {"field": self.field_labels[name], "header": seen[name]},
                )
            elif not header:
                self.add_error(f"column_{index}", _("A column without a header cannot be used."))
            else:
                seen[name] = header
        if "name" not in seen and not self.errors:
            raise ValidationError(_("Choose the column that holds the name of each group."))
        data["column_map"] = {name: header for name, header in seen.items()}
        return data
