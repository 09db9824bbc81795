from __future__ import annotations

import csv
from itertools import islice

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kyodo.japanese.corporate_number import (
    CorporateNumberError,
    check_digit,
    is_valid_corporate_number,
    normalize_corporate_number,
    validate_corporate_number,
)
from kyodo.japanese.tests.shared_data import SHARED_DATA, requires_shared_data

# Real numbers of NPO corporations, from the National Tax Agency's published data.
REAL_NUMBERS = [
    pytest.param("4460305001800", id="遠軽町 NPO"),
    pytest.param("9430005014464", id="札幌市白石区 NPO"),
    pytest.param("7430005003114", id="札幌市中央区 NPO"),
    pytest.param("4460105002164", id="芽室町 NPO"),
    pytest.param("2430005006088", id="千歳市 NPO"),
    pytest.param("9440005001544", id="函館市 NPO"),
    pytest.param("1020005006510", id="横浜市戸塚区 NPO"),
    pytest.param("2020005005131", id="横浜市中区 NPO"),
    pytest.param("9020005015801", id="横浜市中区 NPO, check digit 9"),
    pytest.param("1010005019001", id="横浜市金沢区 NPO registered in Tokyo"),
]


def _changed(number: str, position: int) -> str:
    """The number with one digit changed by 1 or 2 (a change by 9, 0↔9, goes unnoticed)."""
    digit = int(number[position])
    new_digit = digit + 1 if digit < 9 else 7
    return number[:position] + str(new_digit) + number[position + 1 :]


def test_check_digit_of_the_national_tax_agency_example() -> None:
    # when / then
    assert check_digit("123456789012") == 7


@pytest.mark.parametrize(
    ("base_number", "expected"),
    [
        pytest.param("000000000000", 9, id="all zeros gives 9, never 0"),
        pytest.param("000000000009", 9, id="sum 9 gives 9"),
        pytest.param("000000000001", 8, id="lowest digit weighs 1"),
        pytest.param("000000000010", 7, id="second digit weighs 2"),
        pytest.param("430005014464", 9, id="real base number"),
    ],
)
def test_check_digit_is_between_1_and_9(base_number: str, expected: int) -> None:
    # when / then
    assert check_digit(base_number) == expected


@pytest.mark.parametrize(
    "base_number",
    [
        pytest.param("12345678901", id="11 digits"),
        pytest.param("1234567890123", id="13 digits"),
        pytest.param("１２３４５６７８９０１２", id="full-width digits"),
        pytest.param("12345678901a", id="letter"),
    ],
)
def test_check_digit_needs_12_ascii_digits(base_number: str) -> None:
    # when / then
    with pytest.raises(ValueError, match="12 ASCII digits"):
        check_digit(base_number)


@pytest.mark.parametrize("number", [pytest.param("7123456789012", id="NTA example"), *REAL_NUMBERS])
def test_real_corporate_numbers_are_valid(number: str) -> None:
    # when / then
    assert is_valid_corporate_number(number)
    assert normalize_corporate_number(number) == number
    validate_corporate_number(number)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("７１２３４５６７８９０１２", "7123456789012", id="full-width digits"),
        pytest.param("  7123456789012\n", "7123456789012", id="surrounding whitespace"),
        pytest.param("　７１２３４５６７８９０１２　", "7123456789012", id="ideographic spaces"),
    ],
)
def test_normalize_corporate_number_folds_width_and_trims(value: str, expected: str) -> None:
    # when / then
    assert normalize_corporate_number(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        pytest.param("7123456789013", "check_digit", id="last digit changed"),
        pytest.param("8123456789012", "check_digit", id="check digit changed"),
        pytest.param("7123456789102", "check_digit", id="two digits swapped"),
        pytest.param("0123456789012", "check_digit", id="check digit 0"),
        pytest.param("712345678901", "format", id="12 digits"),
        pytest.param("71234567890123", "format", id="14 digits"),
        pytest.param("712345678901A", "format", id="letter"),
        pytest.param("7-1234-5678-9012", "format", id="hyphens"),
        pytest.param("7 1234 5678 9012", "format", id="spaces inside"),
        pytest.param("", "format", id="empty"),
        pytest.param("٧١٢٣٤٥٦٧٨٩٠١٢", "format", id="Arabic-Indic digits"),
        pytest.param("7123456789012.", "format", id="trailing dot"),
    ],
)
def test_invalid_corporate_numbers_are_refused(value: str, code: str) -> None:
    # when
    with pytest.raises(CorporateNumberError) as raised:
        normalize_corporate_number(value)

    # then
    assert raised.value.code == code
    assert not is_valid_corporate_number(value)


@pytest.mark.parametrize("number", REAL_NUMBERS)
@pytest.mark.parametrize("position", range(13))
def test_changing_any_one_digit_of_a_real_number_makes_it_invalid(
    number: str, position: int
) -> None:
    # when / then
    assert not is_valid_corporate_number(_changed(number, position))


def test_a_change_between_0_and_9_is_not_caught_by_the_check_digit() -> None:
    # given: a documented limit of the mod-9 rule; 7123456789012 has a 0 at position 10
    number = "7123456789012"

    # when
    changed = number[:10] + "9" + number[11:]

    # then
    assert changed == "7123456789912"
    assert is_valid_corporate_number(changed)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        pytest.param(
            "12345",
            "invalid_format",
            "Enter the 13-digit corporate number (法人番号).",
            id="wrong length",
        ),
        pytest.param(
            "7123456789013",
            "invalid_check_digit",
            "This corporate number's check digit is wrong. Please check the number.",
            id="wrong check digit",
        ),
        pytest.param(
            None, "invalid_format", "Enter the 13-digit corporate number (法人番号).", id="None"
        ),
    ],
)
def test_validator_raises_a_clear_validation_error(
    value: str | None, code: str, message: str
) -> None:
    # when
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        validate_corporate_number(value)

    # then
    assert raised.value.code == code
    with translation.override("en"):
        assert raised.value.messages == [message]


def _published_numbers(limit_per_file: int) -> list[str]:
    numbers: list[str] = []
    for path in sorted((SHARED_DATA / "npo").glob("nta_houjin_npo_diffs_*.csv")):
        with path.open(encoding="utf-8", newline="") as file:
            rows = islice(csv.DictReader(file), limit_per_file)
            numbers.extend(row["法人番号"] for row in rows)
    return numbers


@requires_shared_data
def test_every_published_npo_corporate_number_is_valid() -> None:
    # given
    numbers = _published_numbers(limit_per_file=300)

    # when
    invalid = [number for number in numbers if not is_valid_corporate_number(number)]

    # then
    assert len(numbers) == 600
    assert invalid == []


@requires_shared_data
def test_published_numbers_with_one_digit_changed_are_invalid() -> None:
    # given
    numbers = _published_numbers(limit_per_file=300)

    # when
    accepted = [
        changed
        for index, number in enumerate(numbers)
        if is_valid_corporate_number(changed := _changed(number, index % 13))
    ]

    # then
    assert accepted == []
