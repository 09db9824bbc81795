"""Scoring and blocking for linking (名寄せ)."""

from __future__ import annotations

import pytest
from django.utils import translation

from kyodo.organizations import matching
from kyodo.organizations.matching import MatchIndex, MatchRecord


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("特定非営利活動法人子育て応援かざぐるま", "子育て応援かざぐるま"),
        ("ＮＰＯ法人　子育て応援かざぐるま", "子育て応援かざぐるま"),
        ("（特非）子育て応援かざぐるま", "子育て応援かざぐるま"),
        ("認定NPO法人 子育て応援カザグルマ", "子育て応援かざぐるま"),
        ("子育て応援かざぐるま（特活）", "子育て応援かざぐるま"),
        ("一般社団法人札幌子ども会連合会", "札幌子ども会連合会"),
        ("(一社)札幌子ども会連合会", "札幌子ども会連合会"),
        ("認定こども園ひまわり", "認定こども園ひまわり"),  # 認定 alone is part of the name
        ("ＮＰＯ法人ＳｏＲｉ", "sori"),
    ],
)
def test_the_name_key_ignores_legal_forms_width_case_spaces_and_kana(name: str, key: str) -> None:
    assert matching.name_key(name) == key


@pytest.mark.parametrize(
    ("street", "key"),
    [
        ("南九条西４丁目１－７韓国文化会館４階", "南9条西4-1-7韓国文化会館4階"),
        ("南9条西4丁目1番7号", "南9条西4-1-7"),
        ("大通西１０丁目４番地", "大通西10-4"),
        ("北二十三条西５丁目１８番３２２", "北23条西5-18-322"),
        ("字幌新３８１ー１", "幌新381-1"),
    ],
)
def test_street_keys_fold_numerals_and_block_words(street: str, key: str) -> None:
    assert matching.street_key(street) == key


def nta(**kwargs: str) -> MatchRecord:
    values = {
        "name": "特定非営利活動法人北海道フードバンクネットワーク",
        "name_kana": "ホッカイドウフードバンクネットワーク",
        "corporate_number": "3430005015451",
        "postcode": "0650014",
        "municipality": "札幌市東区",
        "street": "北十四条東１０丁目１番２１号ＰＯＬＡ１階",
    } | kwargs
    return MatchRecord.build(**values)


def center(**kwargs: str) -> MatchRecord:
    values = {
        "name": "北海道フードバンクネットワーク",
        "postcode": "065-0014",
        "municipality": "札幌市東区",
        "street": "北14条東10丁目1-21",
    } | kwargs
    return MatchRecord.build(**values)


def test_the_same_group_written_differently_scores_above_the_automatic_link() -> None:
    # when
    result = matching.score(center(), nta())

    # then
    assert result.value >= matching.AUTO_LINK
    codes = [reason.code for reason in result.reasons]
    assert codes[:1] == ["same_name"] and "same_street" in codes and "same_postcode" in codes


def test_different_corporate_numbers_never_link_and_equal_ones_always_do() -> None:
    assert matching.score(nta(), nta(corporate_number="8430005004276")).value == 0
    assert matching.score(nta(name="全然違う名前"), nta()).value == 100


def test_a_branch_of_a_group_is_not_the_group() -> None:
    # when
    at_the_office = matching.score(center(name="北海道フードバンクネットワーク 札幌支部"), nta())
    elsewhere = matching.score(
        center(name="北海道フードバンクネットワーク青年部", street="北10条西3丁目", postcode=""),
        nta(),
    )

    # then: at most a question for staff when it shares the address
    assert at_the_office.value < matching.AUTO_LINK
    assert "extended_name" in [reason.code for reason in at_the_office.reasons]
    assert elsewhere.value < matching.REVIEW


def test_a_renamed_group_at_the_same_address_and_phone_goes_to_review() -> None:
    # given
    old = center(name="住んでみたい北海道推進会議", phone="011-200-0000")
    new = nta(name="特定非営利活動法人みんなの北海道２１００", phone="011-200-0000")

    # when
    result = matching.score(old, new)

    # then
    assert matching.REVIEW <= result.value < matching.AUTO_LINK


def test_a_former_name_of_the_master_record_counts_as_its_name() -> None:
    # given
    master = MatchRecord.build(
        name="特定非営利活動法人みんなの北海道２１００",
        other_names=["特定非営利活動法人住んでみたい北海道推進会議"],
        municipality="札幌市中央区",
    )

    # when
    result = matching.score(
        MatchRecord.build(name="住んでみたい北海道推進会議", municipality="札幌市中央区"), master
    )

    # then
    assert result.reasons[0].code == "other_same_name"
    assert result.value >= matching.AUTO_LINK


def test_a_short_name_alone_is_not_enough_to_link() -> None:
    # when
    result = matching.score(
        MatchRecord.build(name="あすなろ"), MatchRecord.build(name="特定非営利活動法人あすなろ")
    )

    # then
    assert matching.REVIEW <= result.value < matching.AUTO_LINK


def test_two_records_that_match_about_as_well_go_to_review() -> None:
    # given
    index = MatchIndex()
    index.add(MatchRecord.build(name="ひまわり会", municipality="札幌市北区"), 1)
    index.add(MatchRecord.build(name="NPO法人ひまわり会", municipality="札幌市北区"), 2)

    # when
    decision = index.decide(MatchRecord.build(name="ひまわり会", municipality="札幌市北区"))

    # then
    assert decision.kind == matching.REVIEW_DECISION
    assert {c.ref for c in decision.candidates} == {1, 2}


def test_blocking_finds_candidates_by_name_postcode_or_phone_only() -> None:
    # given
    index = MatchIndex()
    index.add(nta(), "food bank")
    index.add(MatchRecord.build(name="手稲あそびの会", phone="090-1234-5678"), "asobi")
    index.add(MatchRecord.build(name="もいわ子育てひろば", postcode="0050012"), "moiwa")

    # when
    by_name = index.match(center(postcode="", street=""))
    by_phone = index.match(MatchRecord.build(name="手稲あそびの会", phone="09012345678"))
    unrelated = index.match(MatchRecord.build(name="港北まちの写真クラブ"))

    # then
    assert [c.ref for c in by_name] == ["food bank"]
    assert [c.ref for c in by_phone] == ["asobi"]
    assert unrelated == []


def test_reasons_are_described_in_words_of_the_active_language() -> None:
    # given
    result = matching.score(center(), nta())

    # when
    japanese = matching.describe(result.reasons_as_data())
    with translation.override("en"):
        english = matching.describe(result.reasons_as_data())

    # then
    assert "郵便番号が一致" in japanese
    assert "Same postcode" in english
