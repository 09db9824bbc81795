"""How well linking does on the labelled pairs built from the real NTA rows
(tests/data/linking_pairs.csv; see bench/organizations_labelled_set.py for how each pair
was derived). Side B never has a corporate number, so this measures the name / address
matcher. Thresholds below were set from the measured figures (``bench/organizations_linking.py``)
with a small margin; the matcher's own thresholds were tuned on the ``dev`` half only."""

from __future__ import annotations

import pytest

from kyodo.organizations import matching
from kyodo.organizations.tests.labelled import evaluate, load_pairs


def test_the_labelled_set_covers_each_kind_of_pair() -> None:
    # given
    pairs = load_pairs()

    # then
    kinds = {(pair["label"], pair["derivation"]) for pair in pairs}
    assert kinds == {
        ("same", "name_change"),
        ("same", "legal_form_variant"),
        ("same", "width_space_variant"),
        ("same", "address_moved"),
        ("different", "similar_name"),
        ("different", "branch"),
        ("different", "same_address"),
    }
    assert len(pairs) > 1500
    assert all(pair["b_corporate_number"] == "" for pair in pairs)


@pytest.mark.parametrize("split", ["test", None], ids=["held-out half", "all pairs"])
def test_automatic_links_are_precise_and_review_catches_most_of_the_rest(
    split: str | None,
) -> None:
    # when
    metrics = evaluate(load_pairs(split))

    # then: measured 1.000 / 0.86 and 0.988 / 0.962 on the held-out half
    auto_precision, auto_recall = metrics.auto_link
    assert auto_precision >= 0.99
    assert auto_recall >= 0.82
    precision, recall = metrics.link_or_review
    assert precision >= 0.97
    assert recall >= 0.95


def test_branches_and_federations_of_a_group_never_link_automatically() -> None:
    # when
    metrics = evaluate([p for p in load_pairs() if p["derivation"] == "branch"])

    # then
    assert metrics.by_derivation[("branch", matching.LINK)] == 0
    assert metrics.by_derivation[("branch", matching.REVIEW_DECISION)] == 0


def test_legal_form_and_width_variants_of_the_same_name_link_automatically() -> None:
    # given
    pairs = [
        p for p in load_pairs() if p["derivation"] in ("legal_form_variant", "width_space_variant")
    ]

    # when
    metrics = evaluate(pairs)

    # then: all but a handful (names of 3 characters or fewer go to review)
    linked = sum(n for (_d, decision), n in metrics.by_derivation.items() if decision == "link")
    assert linked / len(pairs) >= 0.97
