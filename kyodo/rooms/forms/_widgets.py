"""The date and time inputs of the rooms forms."""

from __future__ import annotations

from django import forms

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
