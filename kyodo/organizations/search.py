"""The search index of organizations, and the pages of search results.

``OrganizationQuerySet.search`` finds the records whose ``search_text`` (names, readings,
former names and areas, folded by ``search_key``) contains every word of a search, as a
substring: 読み聞か, ひきこも and 子育 must all be found, so word tokenisers will not do.
A plain ``LIKE '%word%'`` reads all 50,000 records; so each record also keeps its text as
overlapping 2-character tokens (bigrams) in ``search_tokens``, which the database indexes:

- SQLite: the FTS5 table ``organizations_search`` over ``search_tokens`` (external
  content, kept in step by triggers on the organization table); a word is searched as
  the phrase of its bigrams. A word matching very many records is read faster by the
  plain scan in the directory's order (which stops at the first page), so then the
  index is left out (``DENSE_CANDIDATES``).
- PostgreSQL: a GIN index on ``string_to_array(search_tokens, ' ')``; a word is searched
  as the array of its bigrams (``@>``), and the planner chooses between the index and
  the ordered scan from its statistics. (pg_trgm cannot serve 2-character words, and
  pg_bigm is not packaged for Debian.)

The index only narrows the candidates: the substring test on ``search_text``
(``ContainsText``) still decides, so the results are exactly those of the plain scan.
A word of two characters is one bigram, which the index finds exactly (its folding adds
nothing to ``search_key``'s), so the index alone decides it
(``MatchesSearchIndex.answers``): the test would read the text of every candidate for
nothing (~1 ms for 900 candidates). The index is built by migration
``0005_search_index``, kept in step by the database itself (triggers, index) whenever
``search_tokens`` is written, and rebuilt by ``manage.py rebuild_organization_search``.

Counting every match of a common word costs as much as the search itself, so pages of
results count up to ``MAX_COUNT`` (``ResultPage``): "1,000 or more".
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from django.db import connections
from django.db.models import BooleanField, F, Func, QuerySet, Value
from django.db.models.sql.compiler import SQLCompiler

FTS_TABLE: Final = "organizations_search"
PG_INDEX: Final = "organization_search_tokens"
SQLITE_TRIGGERS: Final = (
    "organizations_search_insert",
    "organizations_search_delete",
    "organizations_search_update",
)
# Above this many candidates a word is read by the ordered scan on SQLite: sorting the
# candidates costs ~2.5 µs each, while the scan finds a page of 20 in (20 / share) rows.
DENSE_CANDIDATES: Final = 2500
MAX_COUNT: Final = 1000


# --- Tokens -----------------------------------------------------------------------------


def bigrams(key: str) -> list[str]:
    """The overlapping 2-character tokens of a folded text, in order (``子育て`` →
    ``子育``, ``育て``)."""
    return [key[i : i + 2] for i in range(len(key) - 1)]


def index_tokens(search_text: str) -> str:
    """``search_tokens`` of a record: the bigrams of each line of its ``search_text``,
    separated by spaces (the folded text holds no whitespace)."""
    return " ".join(token for line in search_text.split("\n") for token in bigrams(line))


def _is_indexed(term: str) -> bool:
    """Whether every bigram of ``term`` is one token of the FTS5 tokenizer, which
    splits on whitespace and control characters only."""
    return len(term) >= 2 and not any(
        unicodedata.category(char)[0] == "Z" or unicodedata.category(char) == "Cc" for char in term
    )


def fts_query(terms: Iterable[str]) -> str:
    """The FTS5 query of ``terms``: every term as the phrase of its bigrams."""
    phrases = (" ".join(token.replace('"', '""') for token in bigrams(t)) for t in terms)
    return " AND ".join(f'"{phrase}"' for phrase in phrases)


# --- The condition ----------------------------------------------------------------------


class MatchesSearchIndex(Func):
    """True for the records that the search index names as candidates for every term;
    SQL of SQLite and PostgreSQL only (see :func:`candidates`).

    Its one parameter is ``value(vendor)``, or ``slot`` when given (a placeholder of a
    prepared statement, ``kyodo.organizations.prepared``)."""

    output_field = BooleanField()

    def __init__(self, terms: Sequence[str], *, slot: Any = None) -> None:
        super().__init__(F("pk"), F("search_tokens"))
        self.terms = tuple(terms)
        self.slot = slot

    def answers(self, term: str) -> bool:
        """Whether the index alone finds exactly the records containing ``term``: a word
        the condition searches that is a single bigram (on SQLite, one token of the
        tokenizer, ``_is_indexed``; on PostgreSQL, one element of the array)."""
        return len(term) == 2 and term in self.terms

    def value(self, vendor: str) -> Any:
        """The parameter: an FTS5 query on SQLite, the array of bigrams on PostgreSQL."""
        if vendor == "sqlite":
            return fts_query(self.terms)
        return sorted({token for term in self.terms for token in bigrams(term)})

    def _parameter(self, connection: Any) -> Any:
        return self.value(connection.vendor) if self.slot is None else self.slot

    def as_sqlite(
        self, compiler: SQLCompiler, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        pk, params = compiler.compile(self.source_expressions[0])
        sql = f"{pk} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
        return sql, (*params, self._parameter(connection))

    def as_postgresql(
        self, compiler: SQLCompiler, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        tokens, params = compiler.compile(self.source_expressions[1])
        sql = f"string_to_array({tokens}, ' ') @> %s::text[]"
        return sql, (*params, self._parameter(connection))

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("The search index exists on SQLite and PostgreSQL only.")


class ContainsText(Func):
    """True where the text (an expression) contains ``term`` (a value or a ``Param``),
    compared exactly: ``instr`` on SQLite, ``strpos`` on PostgreSQL. Both sides are
    folded already (``search_key``), so the case folding and the pattern of ``LIKE``
    (``__contains``) would only cost: ``instr`` reads 900 texts in about half the time."""

    function = "INSTR"
    template = "%(function)s(%(expressions)s) > 0"
    output_field = BooleanField()

    def __init__(self, text: Any, term: Any) -> None:
        super().__init__(text, term if hasattr(term, "resolve_expression") else Value(term))

    def as_postgresql(
        self, compiler: SQLCompiler, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, function="strpos", **extra_context)


def candidates(terms: Sequence[str], *, using: str) -> MatchesSearchIndex | None:
    """The condition that narrows a search for ``terms`` (folded words of two characters
    or more) through the index, or None when the plain scan is the better plan."""
    vendor = connections[using].vendor
    if vendor == "postgresql":
        return MatchesSearchIndex(terms)
    if vendor != "sqlite":
        return None
    indexed = [term for term in terms if _is_indexed(term)]
    if not indexed:
        return None
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            "LIMIT %s)",
            [fts_query(indexed), DENSE_CANDIDATES + 1],
        )
        (found,) = cursor.fetchone()
    if found > DENSE_CANDIDATES:
        return None
    return MatchesSearchIndex(indexed)


# --- Upkeep -----------------------------------------------------------------------------


def rebuild_index(*, using: str = "default") -> None:
    """Rebuild the index from ``search_tokens`` (SQLite; PostgreSQL's index is never
    out of step) and refresh the planner's statistics."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('rebuild')")
    refresh_statistics(using=using)


def refresh_statistics(*, using: str = "default") -> None:
    """ANALYZE the organization table (0.15 s at 50,000 records), after loading many
    records: SQLite's planner without statistics takes ``status = 'active'`` for a rare
    value and scans the whole directory instead of the search index's few candidates."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor in ("sqlite", "postgresql"):
            cursor.execute("ANALYZE organizations_organization")


def index_is_installed(*, using: str = "default") -> bool:
    """Whether the index and (on SQLite) the triggers that keep it in step exist: a
    migration that rebuilds the organization table on SQLite drops the triggers."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            names = [FTS_TABLE, *SQLITE_TRIGGERS]
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names
            )
            return bool(cursor.fetchone()[0] == len(names))
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
            return bool(cursor.fetchone()[0] == 1)
    return True


# --- Pages of results -------------------------------------------------------------------


@dataclass
class ResultPage:
    """One page of a list of results, counted up to ``cap``.

    ``count`` is exact when ``count_is_capped`` is false; otherwise more than ``cap``
    records match and ``count`` says ``cap``. The pages after the counted ones stay
    reachable one by one (``has_next``).
    """

    number: int
    items: list[Any]
    per_page: int
    count: int
    count_is_capped: bool
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)

    @property
    def counted_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def is_past_the_end(self) -> bool:
        return not self.items and self.number > 1

    def page_links(self, *, on_each_side: int = 2, on_ends: int = 1) -> list[int | None]:
        """The page numbers to link to among the counted pages (and the current one),
        None for a gap: ``1 None 8 9 10 11 12 None 50``."""
        last = max(self.counted_pages, self.number)
        wanted = {*range(1, min(on_ends, last) + 1), *range(last - on_ends + 1, last + 1)}
        wanted |= set(range(max(1, self.number - on_each_side), self.number + on_each_side + 1))
        numbers = sorted(n for n in wanted if 1 <= n <= last)
        links: list[int | None] = []
        for number in numbers:
            if links and number - (links[-1] or 0) > 1:
                links.append(None)
            links.append(number)
        return links


def page_number(value: Any) -> int:
    """A page number from a query string: 1 when missing or not a positive number."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


class Rows(Protocol):
    """Where ``result_page`` reads a page and the count: a queryset (``QuerySetRows``)
    or a prepared statement (``kyodo.organizations.prepared``)."""

    def rows(self, offset: int, limit: int) -> list[Any]: ...

    def count(self, cap: int) -> int:
        """How many rows there are, up to ``cap + 1``."""
        ...


class QuerySetRows:
    def __init__(self, queryset: QuerySet[Any]) -> None:
        self.queryset = queryset

    def rows(self, offset: int, limit: int) -> list[Any]:
        return list(self.queryset[offset : offset + limit])

    def count(self, cap: int) -> int:
        return self.queryset.order_by()[: cap + 1].count()


def result_page(
    queryset: QuerySet[Any] | Rows,
    number: int,
    *,
    per_page: int,
    cap: int | None = None,
    past_the_end_gives_last: bool = True,
) -> ResultPage:
    """The page ``number`` of ``queryset`` (ordered; or of a prepared statement's
    ``Rows``), counting the matches up to ``cap`` (``MAX_COUNT`` unless given).

    The page is read with one row more than a page, to know whether another follows;
    the count is ``SELECT count(*) FROM (… LIMIT cap + 1)`` without the order, and is
    not needed when the first page holds every match. A number past the last page
    gives the last page when the count is exact and ``past_the_end_gives_last``, else
    an empty page.
    """
    cap = MAX_COUNT if cap is None else cap
    source = QuerySetRows(queryset) if isinstance(queryset, QuerySet) else queryset
    if number == 1:
        rows = source.rows(0, per_page + 1)
        if len(rows) <= per_page:  # every match is on this page: that is the count
            cap = max(cap, len(rows))
            count = len(rows)
        else:
            count = source.count(cap)
    else:
        count = source.count(cap)
        if count <= cap and past_the_end_gives_last:
            number = min(number, max(1, math.ceil(count / per_page)))
        offset = (number - 1) * per_page
        rows = source.rows(offset, per_page + 1) if count else []
    return ResultPage(
        number=number,
        items=rows[:per_page],
        per_page=per_page,
        count=min(count, cap),
        count_is_capped=count > cap,
        has_next=len(rows) > per_page,
    )
