"""The fee: free (0), an amount, or not stated (None), on the staff form, the staff page,
the calendar filter and the open data."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.urls import reverse

from kyodo.events.forms import EventFilterForm
from kyodo.events.models import Event
from kyodo.events.opendata.columns import HEADER
from kyodo.events.opendata.exporter import export_events
from kyodo.events.opendata.mapping import values_from_rows
from kyodo.events.opendata.reader import read_event_file
from kyodo.events.tests.factories import EventFactory
from kyodo.events.tests.test_staff import event_form


@pytest.mark.parametrize(
    ("kind", "amount", "stored"),
    [("free", "", 0), ("paid", "1500", 1500), ("paid", "１０００", 1000), ("unknown", "", None)],
)
def test_staff_say_whether_the_event_is_free_paid_or_not_decided(
    net: Any, client: Any, kind: str, amount: str, stored: int | None
) -> None:
    client.force_login(net.city_staff)
    response = client.post(
        reverse("events_staff:create"),
        event_form(net.city, dates="2027-01-09", fee_kind=kind, fee_yen=amount),
    )
    assert response.status_code == 302
    assert Event.objects.get().fee_yen == stored


@pytest.mark.parametrize(
    ("kind", "amount"), [("paid", ""), ("paid", "0"), ("free", "500"), ("unknown", "500"), ("", "")]
)
def test_a_fee_that_does_not_fit_the_choice_is_refused_with_the_input_kept(
    net: Any, client: Any, kind: str, amount: str
) -> None:
    client.force_login(net.city_staff)
    response = client.post(
        reverse("events_staff:create"),
        event_form(net.city, dates="2027-01-09", fee_kind=kind, fee_yen=amount),
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.has_error("fee_yen") or form.has_error("fee_kind")
    assert (
        'value="2027-01-09"' in response.content.decode()
        or "2027-01-09" in response.content.decode()
    )
    assert not Event.objects.exists()


def test_the_edit_form_shows_the_stored_choice(net: Any, client: Any) -> None:
    event = EventFactory.create(center=net.city, fee_yen=None)
    client.force_login(net.city_staff)
    page = client.get(reverse("events_staff:edit", args=[event.pk])).content.decode()
    assert re.search(r'value="unknown"[^>]*checked', page)


def test_the_staff_page_says_the_fee_is_not_stated(net: Any, client: Any) -> None:
    from django.utils.translation import gettext

    event = EventFactory.create(center=net.city, fee_yen=None)
    client.force_login(net.city_staff)
    page = client.get(reverse("events_staff:detail", args=[event.pk])).content.decode()
    assert gettext("Not stated") in page


def test_the_free_filter_does_not_match_an_unknown_fee(db: Any) -> None:
    free = EventFactory.create(title="無料講座", fee_yen=0)
    EventFactory.create(title="料金未定講座", fee_yen=None)
    EventFactory.create(title="有料講座", fee_yen=500)
    form = EventFilterForm({"free": "on"})
    assert form.is_valid()
    assert list(form.filter_events(Event.objects.all())) == [free]


def _file(fee: str) -> bytes:
    values = {name: "" for name in HEADER}
    values.update({"NO": "1", "名称": "親子防災教室", "開始日": "2026-12-05", "料金(基本)": fee})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerow([values[name] for name in HEADER])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("fee", "stored"), [("無料", 0), ("0", 0), ("500円", 500), ("", None), ("材料費実費", None)]
)
def test_an_empty_or_unclear_fee_in_open_data_is_not_stated_not_free(
    db: Any, fee: str, stored: int | None
) -> None:
    [row] = read_event_file(_file(fee)).rows
    assert values_from_rows([row], external_id="x").fields["fee_yen"] == stored


def test_the_export_leaves_an_unknown_fee_empty(db: Any) -> None:
    unknown = EventFactory.create(title="料金未定講座", fee_yen=None)
    free = EventFactory.create(title="無料講座", fee_yen=0)
    text = export_events([unknown, free]).decode("utf-8-sig")
    rows = {row["名称"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["料金未定講座"]["料金(基本)"] == ""
    assert rows["無料講座"]["料金(基本)"] == "0"
