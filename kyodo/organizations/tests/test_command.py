"""``manage.py import_organizations``: the report on stdout, errors on stderr, exit status."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.organizations.models import Organization
from kyodo.organizations.tests.conftest import Network
from kyodo.organizations.tests.test_import_nta import KAZAGURUMA, MINDAN, nta_row

pytestmark = pytest.mark.django_db

ROWS = "\n".join(
    [
        nta_row(
            1,
            KAZAGURUMA,
            "01",
            "2021-07-19",
            "2015-10-05",
            "特定非営利活動法人子育て応援かざぐるま",
        ),
        nta_row(2, MINDAN, "01", "2021-07-15", "2017-07-20", "特定非営利活動法人民団福祉会"),
        nta_row(3, "9430005013181", "01", "2021-07-15", "2017-07-20", "特定非営利活動法人誤り"),
    ]
)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_organizations", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_counts_and_one_line_per_row_that_did_something(
    tmp_path: Path,
) -> None:
    # given
    path = tmp_path / "diff_20210719.csv"
    path.write_text(ROWS, encoding="cp932")

    # when
    output = run("--source", "nta", str(path))

    # then
    lines = output.splitlines()
    assert lines[0].startswith("diff_20210719.csv (nta): created 2, updated 0")
    assert "rejected 1" in lines[0]
    assert any(line.startswith("  row 3 [9430005013181] rejected") for line in lines)
    assert Organization.objects.count() == 2


def test_the_json_report_lists_counts_and_rows(tmp_path: Path) -> None:
    # given
    path = tmp_path / "diff.csv"
    path.write_text(ROWS, encoding="utf-8")

    # when
    report = json.loads(run("--source", "nta", "--json", str(path)))

    # then
    assert report["source"] == "nta" and report["file"] == "diff.csv"
    assert report["counts"] == {
        "created": 2,
        "updated": 0,
        "linked": 0,
        "needs_review": 0,
        "rejected": 1,
        "unchanged": 0,
    }
    assert report["rows"][0] == {
        "row": 1,
        "origin_id": KAZAGURUMA,
        "outcome": "created",
        "reason": "",
        "organization_id": Organization.objects.get(corporate_number=KAZAGURUMA).pk,
    }


def test_a_center_list_needs_an_existing_center(tmp_path: Path, network: Network) -> None:
    # given
    path = tmp_path / "list.csv"
    path.write_text("団体名\n手稲あそびの会\n", encoding="utf-8")

    # then
    with pytest.raises(CommandError, match="--center"):
        run("--source", "center", str(path))
    with pytest.raises(CommandError, match="no center"):
        run("--source", "center", "--center", "nowhere", str(path))
    output = run("--source", "center", "--center", network.own.slug, str(path))
    assert "created 1" in output
    output = run("--source", "center", "--center", str(network.own.pk), str(path))
    assert "unchanged 1" in output


def test_a_file_level_error_is_a_command_error_with_exit_status_1(tmp_path: Path) -> None:
    # given
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    # when: (run_from_argv prints a CommandError on stderr and exits with its returncode)
    with pytest.raises(CommandError) as error:
        run("--source", "nta", str(path))

    # then
    assert error.value.returncode == 1
    assert "empty.csv: ファイルが空です。" in str(error.value)  # Japanese, the default language
    assert not Organization.objects.exists()
