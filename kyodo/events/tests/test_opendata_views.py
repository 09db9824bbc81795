"""The open data download of the public calendar, and the attribution of imported events."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from kyodo.events.opendata.columns import COLUMNS

pytestmark = pytest.mark.django_db


def test_the_network_event_list_downloads_in_the_event_list_layout(client: Client) -> None:
    # when
    response = client.get(reverse("events:opendata_network"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == [column.name for column in COLUMNS]


def test_an_unknown_center_has_no_event_list(client: Client) -> None:
    # when
    response = client.get(reverse("events:opendata_center", kwargs={"slug": "no-such-center"}))

    # then
    assert response.status_code == 404
