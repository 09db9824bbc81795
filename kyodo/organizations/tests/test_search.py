"""The search of organizations through its index of 2-character tokens: the same results
as the plain substring scan, an index kept in step by every way records are written,
and pages counted up to a cap."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from kyodo.japanese.text import hiragana_to_katakana, katakana_to_hiragana
from kyodo.organizations import actions, search
from kyodo.organizations.models import (
    Organization,
    OrganizationName,
    SourceKind,
    Status,
    search_terms,
)
from kyodo.organizations.tests.conftest import Importer, Network
from kyodo.organizations.tests.factories import OrganizationFactory
from kyodo.organizations.tests.test_actions import KAZAGURUMA_NTA, staff_of
from kyodo.organizations.tests.test_import_nta import KAZAGURUMA, nta_row

LIST = reverse("organizations:list")
API = "/api/v1/organizations"

# Names as sources write them: kanji, both kana, half-width katakana, full-width and
# ASCII letters, middle dots, dashes and wave dashes, LIKE's wildcards and quotes.
NAMES = [
    ("特定非営利活動法人子育て応援かざぐるま", "コソダテオウエンカザグルマ", ["札幌市内"]),
    ("ＮＰＯ法人さっぽろ子ども劇場", "サッポロコドモゲキジョウ", ["全道"]),
    ("ｻｯﾎﾟﾛ読み聞かせの会", "", ["中央区"]),
    ("ひきこもり支援ネットワーク・北海道", "ヒキコモリシエンネットワークホッカイドウ", []),
    ("Sapporo International Club", "", ["札幌市内", "北区"]),
    ("ＳＡＰＰＯＲＯ　ＦＣ　ジュニア", "", []),
    ("まちづくりコミュニティ・ラボ", "マチヅクリコミュニティラボ", ["東区"]),
    ("一般社団法人地域福祉サポート", "チイキフクシサポート", ["白石区"]),
    ("障がい者福祉ネット‐はまなす", "", ["横浜市内"]),
    ("ヴォイス・オブ・ユース", "ヴォイスオブユース", []),
    ("こども食堂－みんなの家", "コドモショクドウミンナノイエ", ["南区"]),
    ("子ども〜未来の会", "", []),
    ("100%の笑顔プロジェクト", "", []),
    ("team_Ｈ北大", "", []),
    ('劇団"風"の会', "", []),
    ("特定非営利活動法人北海道こどもホスピスプロジェクト", "", ["全道"]),
    ("ぶっくん読み聞かせボランティア", "ブックンヨミキカセボランティア", ["西区"]),
    ("藻岩山の自然を守る会", "モイワヤマノシゼンヲマモルカイ", []),
    ("おやこひろば・ぽっけ", "オヤコヒロバポッケ", ["手稲区"]),
    ("認定NPO法人ふれあい福祉の森", "フレアイフクシノモリ", ["清田区"]),
    ("ΣΟΦΙΑ・Straße国際交流ǅ会", "", []),  # letters whose case folding differs
]
MISSES = ["存在しない語", "ほげほげ", "zz", "福祉子育"]


def make_records() -> list[Organization]:
    records = []
    for name, kana, areas in NAMES:
        records.append(
            OrganizationFactory.create(name=name, name_kana=kana, corporate_number="", areas=areas)
        )
    renamed = records[6]
    OrganizationName.objects.create(
        organization=renamed, kind=OrganizationName.Kind.FORMER, name="街づくり研究所",
        source=SourceKind.STAFF,
    )  # fmt: skip
    renamed.save(update_fields=[])
    return records


def variants(word: str) -> list[str]:
    """The word as people may type it: as is, in the other kana, in full width."""
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    return [word, hiragana_to_katakana(word), katakana_to_hiragana(word), full_width]


def queries(records: list[Organization]) -> list[str]:
    """Substrings of 2 to 5 characters of every line of every search text, in the ways
    people type them, pairs of them, and words that match nothing."""
    rng = random.Random(3)
    found: list[str] = []
    for record in records:
        for line in record.search_text.split("\n"):
            for size in (2, 3, 4, 5):
                if len(line) >= size:
                    start = rng.randrange(len(line) - size + 1)
                    found += variants(line[start : start + size])
    found += [f"{a} {b}" for a, b in zip(found[::7], found[3::11], strict=False)]
    return [*dict.fromkeys(found), *MISSES, "法人", "子育て　さっぽろ", "ｻｯﾎﾟﾛ"]


def expected(records: list[Organization], query: str) -> set[int]:
    terms = search_terms(query)
    return {r.pk for r in records if all(term in r.search_text for term in terms)}


def assert_index_in_step() -> None:
    """Every record's tokens are those of its text, and (SQLite) the FTS index holds
    exactly the records' tokens (FTS5's integrity check against its content table)."""
    for text, tokens in Organization.objects.values_list("search_text", "search_tokens"):
        assert tokens == search.index_tokens(text)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) "  # noqa: S608
                "VALUES ('integrity-check', 1)"
            )


def found(query: str) -> set[int]:
    return set(Organization.objects.search(query).values_list("pk", flat=True))


# --- Same results as the plain scan ---------------------------------------------------------------


@pytest.mark.parametrize("plan", ["index", "scan"])
def test_the_search_finds_exactly_what_the_plain_substring_scan_finds(
    network: Network, monkeypatch: pytest.MonkeyPatch, plan: str
) -> None:
    # given: names in every script and width, and every way of typing parts of them
    records = make_records()
    monkeypatch.setattr(search, "DENSE_CANDIDATES", 10**9 if plan == "index" else -1)
    checked = queries(records)
    assert len(checked) > 300

    # when
    results = {query: found(query) for query in checked}

    # then
    for query in checked:
        assert results[query] == expected(records, query), query
    assert sum(1 for pks in results.values() if pks) > 250
    assert all(not results[miss] for miss in MISSES)


def test_the_search_reads_the_index_unless_the_word_is_everywhere(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    make_records()
    monkeypatch.setattr(search, "DENSE_CANDIDATES", 3)

    # when
    rare = str(Organization.objects.search("読み聞か").query)
    common = str(Organization.objects.search("法人").query)

    # then: PostgreSQL's planner makes that choice itself from its statistics
    uses_index = "MATCH" if connection.vendor == "sqlite" else "string_to_array"
    assert uses_index in rare
    assert (uses_index in common) is (connection.vendor == "postgresql")


def test_the_index_alone_decides_a_word_of_two_characters(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    make_records()
    monkeypatch.setattr(search, "DENSE_CANDIDATES", 10**9)
    substring_test = "INSTR(" if connection.vendor == "sqlite" else "strpos("

    # when
    two = str(Organization.objects.search("福祉").query)
    three = str(Organization.objects.search("読み聞").query)
    both = str(Organization.objects.search("福祉 読み聞").query)

    # then: a bigram is one token of the index; a longer word is a phrase of them, which
    # may run across the end of a line, so its text is tested
    assert substring_test not in two
    assert substring_test in three
    assert both.count(substring_test) == 1


def test_a_word_of_one_character_finds_nothing_and_an_empty_search_everything(
    network: Network,
) -> None:
    # given
    records = make_records()
    # then
    assert found("子") == set()
    assert found("  ") == {r.pk for r in records}
    assert found("子 育て") == expected(records, "育て")


# --- The index keeps in step ----------------------------------------------------------------------


def test_the_search_index_and_its_triggers_are_installed(db: Any) -> None:
    # then: a migration that rebuilds the organization table on SQLite drops the triggers
    # and must install them again (migrations/_search_index_sql.py)
    assert search.index_is_installed()


def test_a_record_renamed_by_staff_is_found_by_its_new_and_its_former_name(
    network: Network,
) -> None:
    # given
    organization = OrganizationFactory.create(name="もいわ子育てひろば", corporate_number="")

    # when
    actions.apply_staff_edit(
        organization=organization, changes={"name": "もいわ親子ひろば"}, by=staff_of(network)
    )

    # then
    assert found("親子ひろ") == {organization.pk}
    assert found("子育て") == {organization.pk}  # the former name is kept
    assert_index_in_step()


def test_areas_given_to_a_record_are_found_and_areas_taken_away_are_not(
    network: Network,
) -> None:
    # given
    organization = OrganizationFactory.create(corporate_number="", areas=["清田区"])

    # when
    organization.set_activity_areas(["厚別区"])

    # then
    assert found("厚別") == {organization.pk}
    assert found("清田") == set()
    assert_index_in_step()


def test_a_merge_lets_the_removed_name_find_the_kept_record_and_a_split_undoes_it(
    run_import: Importer, network: Network
) -> None:
    # given: a center's record and the official one, not linked
    header = "団体ID,団体名,所在地,郵便番号,電話番号,登録日\n"
    run_import("center_list", header + "0012,子育て応援かざぐるま,,,,\n", center=network.own)
    run_import("nta", KAZAGURUMA_NTA)
    keep = Organization.objects.get(corporate_number="")
    remove = Organization.objects.get(corporate_number=KAZAGURUMA)
    by = staff_of(network)

    # when
    merge = actions.merge_organizations(keep=keep, remove=remove, by=by)

    # then
    assert set(
        Organization.objects.current().search("かざぐるま").values_list("pk", flat=True)
    ) == {keep.pk}
    assert_index_in_step()

    # when
    restored = actions.split_organization(merge_record=merge, by=by)

    # then
    assert found("かざぐるま") == {keep.pk, restored.pk}
    assert Organization.objects.get(pk=restored.pk).status == Status.ACTIVE
    assert_index_in_step()


def test_an_import_indexes_every_record_it_writes_and_a_change_of_name(
    run_import: Importer, network: Network
) -> None:
    # given
    run_import("nta", KAZAGURUMA_NTA)
    organization = Organization.objects.get(corporate_number=KAZAGURUMA)

    # when: the NTA reports a change of name
    run_import(
        "nta",
        nta_row(2648, KAZAGURUMA, "21", "2024-04-01", "2024-04-01", "特定非営利活動法人風車の家"),
    )

    # then
    assert found("風車の") == {organization.pk}
    assert found("ざぐる") == {organization.pk}
    assert_index_in_step()


def test_a_deleted_record_leaves_nothing_in_the_index(network: Network) -> None:
    # given
    kept, deleted = (
        OrganizationFactory.create(name=name, corporate_number="")
        for name in ("白石こども食堂", "白石こどもの森")
    )

    # when
    deleted.delete()

    # then
    assert found("白石こど") == {kept.pk}
    assert_index_in_step()


def test_the_rebuild_command_mends_texts_written_around_the_application(
    network: Network, capsys: pytest.CaptureFixture[str]
) -> None:
    # given: a restore wrote a stale text and no tokens
    organization = OrganizationFactory.create(name="藻岩山の自然を守る会", corporate_number="")
    Organization.objects.filter(pk=organization.pk).update(search_text="", search_tokens="")
    assert found("藻岩") == set()

    # when
    call_command("rebuild_organization_search")

    # then
    assert found("藻岩") == {organization.pk}
    assert "1 with a new search text" in capsys.readouterr().out
    assert_index_in_step()


def test_the_migration_fills_the_tokens_of_every_text_and_its_reverse_empties_them(
    network: Network,
) -> None:
    # given
    from importlib import import_module

    migration = import_module("kyodo.organizations.migrations.0003_fill_search_tokens")
    make_records()
    Organization.objects.update(search_tokens="")

    editor = SimpleNamespace(connection=connection)  # all the functions read of it

    # when
    migration.fill(apps, editor)
    # then
    assert_index_in_step()

    # when
    migration.empty(apps, editor)
    # then
    assert set(Organization.objects.values_list("search_tokens", flat=True)) == {""}


# --- Pages counted up to a cap --------------------------------------------------------------------


@pytest.fixture
def thirty_groups(network: Network, monkeypatch: pytest.MonkeyPatch) -> list[Organization]:
    monkeypatch.setattr(search, "MAX_COUNT", 25)
    return [
        OrganizationFactory.create(
            name=f"あおば会{n:02d}", name_kana=f"アオバカイ{n:02d}", corporate_number=""
        )
        for n in range(30)
    ]


def test_the_directory_counts_up_to_the_cap_and_pages_on_past_it(
    client: Client, thirty_groups: list[Organization]
) -> None:
    # when
    first = client.get(LIST, {"q": "あおば"})
    second = client.get(LIST, {"q": "あおば", "page": "2"})

    # then
    assert first.context["count"] == 25 and first.context["count_is_capped"]
    assert first.context["page_obj"].has_next
    assert [o.name for o in second.context["organizations"]] == [
        f"あおば会{n:02d}" for n in range(20, 30)
    ]
    assert not second.context["page_obj"].has_next
    assert "25" in first.content.decode()


def test_the_directory_gives_the_last_page_for_a_number_past_an_exact_count(
    client: Client, thirty_groups: list[Organization], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setattr(search, "MAX_COUNT", 1000)
    # when
    response = client.get(LIST, {"q": "あおば", "page": "9"})
    # then
    assert response.context["page_obj"].number == 2
    assert len(response.context["organizations"]) == 10


def test_the_api_says_when_the_count_is_capped_and_whether_a_page_follows(
    client: Client, thirty_groups: list[Organization]
) -> None:
    # when
    first = client.get(API, {"q": "あおば"}).json()
    second = client.get(API, {"q": "あおば", "page": "2"}).json()
    past = client.get(API, {"q": "あおば", "page": "3"}).json()

    # then
    assert (first["count"], first["count_is_capped"], first["has_next"]) == (25, True, True)
    assert [item["name"] for item in second["results"]] == [
        f"あおば会{n:02d}" for n in range(20, 30)
    ]
    assert second["has_next"] is False
    assert past["results"] == [] and past["has_next"] is False


def test_the_directory_search_costs_a_fixed_number_of_queries(
    client: Client, thirty_groups: list[Organization], django_assert_max_num_queries: Any
) -> None:
    # then: candidates, count, page and its child rows, centers of the filter
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"q": "あおば"})
    assert len(response.context["organizations"]) == 20


def test_the_page_links_show_the_ends_and_the_neighbours_with_gaps() -> None:
    # given
    page = search.ResultPage(
        number=9, items=[1], per_page=20, count=1000, count_is_capped=True, has_next=True
    )
    # then
    assert page.page_links() == [1, None, 7, 8, 9, 10, 11, None, 50]
    assert search.page_number("x") == 1 and search.page_number("-3") == 1
    assert search.page_number("4") == 4


def test_a_first_page_holding_every_match_needs_no_count(
    thirty_groups: list[Organization], django_assert_num_queries: Any
) -> None:
    # when
    with django_assert_num_queries(1):
        page = search.result_page(Organization.objects.order_by("pk"), 1, per_page=40)
    # then
    assert (page.count, page.count_is_capped, page.has_next) == (30, False, False)
