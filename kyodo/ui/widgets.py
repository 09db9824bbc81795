"""Widgets shared by the forms of every app."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A select rendered in Python rather than through a template per option (Django's
    select renders each option through two templates: ~30 µs an option, 5 ms for the
    areas). The attributes (id, aria-describedby, aria-invalid) are those of any
    widget, and the markup that of Django's select."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final.pop("maxlength", None)  # from the CharField; not an attribute of a select
        chosen = {str(v) for v in self.format_value(value)}
        parts: list[str] = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(f'<optgroup label="{escape(str(group_value))}">')
                parts.extend(_option(v, label, chosen) for v, label in group_label)
                parts.append("</optgroup>")
            else:
                parts.append(_option(group_value, group_label, chosen))
        attributes = "".join(
            f" {key}" if value is True else f' {key}="{escape(str(value))}"'
            for key, value in final.items()
            if value is not False
        )
        return mark_safe(  # noqa: S308 (every value escaped above)
            f'<select name="{escape(name)}"{attributes}>{"".join(parts)}</select>'
        )


def _option(value: Any, label: Any, chosen: set[str]) -> str:
    text = "" if value is None else str(value)
    selected = " selected" if text in chosen else ""
    return f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>'
