"""The prepared statements of the directory's pages find what the queryset of the same
filters finds, and keep finding it when the values change and the shape does not."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import signals

from kyodo.centers.tests.conftest import Network
from kyodo.organizations import prepared, search
from kyodo.organizations.forms import DirectoryFilterForm
from kyodo.organizations.models import LISTING_COLUMNS, Organization
from kyodo.organizations.tests.factories import OrganizationFactory
from kyodo.organizations.tests.ui_data import Directory, make_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(network: Network) -> Directory:
    made = make_directory(network)
    for number in range(25):  # more than a page of the same words
        OrganizationFactory.create(
            name=f"さっぽろ子育て応援団{number:02d}",
            name_kana=f"サッポロコソダテオウエンダン{number:02d}",
            corporate_number="",
            fields=[13],
            areas=["札幌市内"],
        )
    return made


def filters(network: Network) -> list[dict[str, Any]]:
    return [
        {},
        {"q": "子育"},
        {"q": "子育て さっぽろ"},
        {"q": "こそだて"},  # the reading, in hiragana
        {"q": "ホスピス"},
        {"q": "まったく無い言葉"},
        {"q": "子"},  # a word too short: nothing
        {"field": "13"},
        {"field": "13", "q": "子育"},
        {"area": "札幌市内"},
        {"area": "札幌市中央区", "legal_form": "npo_corporation"},
        {"center": str(network.own.pk)},
        {"certification": "any"},
        {"certification": "certified", "q": "ホスピス"},
        {"row": "さ行"},
        {"status": "dissolved"},
        {"status": "all", "sort": "newest"},
        {"sort": "newest", "q": "子育"},
    ]


def ids(items: list[Organization]) -> list[int]:
    return [organization.pk for organization in items]


@pytest.mark.parametrize("number", [1, 2, 99])
def test_each_filter_finds_the_same_page_and_count_as_its_queryset(
    network: Network, directory: Directory, number: int
) -> None:
    for data in filters(network):
        form = DirectoryFilterForm(data)
        assert form.is_valid(), form.errors
        # when
        expected = search.result_page(
            form.filter(Organization.objects.public()), number, per_page=20, cap=30
        )
        page = search.result_page(
            prepared.directory_rows(form, LISTING_COLUMNS), number, per_page=20, cap=30
        )
        # then
        assert ids(page.items) == ids(expected.items), data
        assert (page.count, page.count_is_capped, page.has_next) == (
            expected.count,
            expected.count_is_capped,
            expected.has_next,
        ), data


def test_a_statement_prepared_for_one_word_finds_the_matches_of_another(
    directory: Directory,
) -> None:
    # given: the same shape (one word through the index, its text tested), first with 子育て
    first = DirectoryFilterForm({"q": "子育て"})
    first.is_valid()
    search.result_page(prepared.directory_rows(first, LISTING_COLUMNS), 1, per_page=20)
    # when
    second = DirectoryFilterForm({"q": "ホスピス"})
    second.is_valid()
    page = search.result_page(prepared.directory_rows(second, LISTING_COLUMNS), 1, per_page=20)
    # then
    assert ids(page.items) == [directory.hospice.pk]
    assert page.count == 1


def test_the_records_of_a_page_hold_the_columns_read_and_their_values_converted(
    directory: Directory,
) -> None:
    # given
    form = DirectoryFilterForm({"q": "ホスピス"})
    form.is_valid()
    # when
    (record,) = prepared.directory_rows(form, LISTING_COLUMNS).rows(0, 21)
    # then: dates as dates, booleans as booleans, the other columns left to read on demand
    hospice = Organization.objects.get(pk=directory.hospice.pk)
    assert record.established_on == hospice.established_on
    assert record.address_is_public is hospice.address_is_public is False
    assert record.get_deferred_fields() >= {"search_text", "search_tokens", "created_at"}
    assert record.public_data() == hospice.public_data()


def test_the_records_are_those_django_makes_from_the_same_rows(directory: Directory) -> None:
    # given
    form = DirectoryFilterForm({"q": "子育"})
    form.is_valid()
    # when
    records = prepared.directory_rows(form, LISTING_COLUMNS).rows(0, 21)
    # then
    made = list(form.filter(Organization.objects.public().only(*LISTING_COLUMNS))[:21])
    assert ids(records) == ids(made) and records
    for record, expected in zip(records, made, strict=True):
        state, expected_state = vars(record).pop("_state"), vars(expected).pop("_state")
        assert vars(record) == vars(expected)
        assert (
            (state.adding, state.db)
            == (expected_state.adding, expected_state.db)
            == (
                False,
                "default",
            )
        )
        assert record.get_deferred_fields() == expected.get_deferred_fields()


def test_a_model_with_init_receivers_gets_its_records_from_from_db(directory: Directory) -> None:
    # given
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Organization)
    try:
        # when
        (record,) = prepared.instances(
            Organization, "default", ["id", "name"], [(directory.hospice.pk, "ホスピス")]
        )
    finally:
        signals.post_init.disconnect(receiver, sender=Organization)
    # then
    assert seen == [record]
    assert (record.pk, record.name, record._state.adding) == (
        directory.hospice.pk,
        "ホスピス",
        False,
    )
