"""Prepared statements for the pages of the public directory and of
``GET /api/v1/organizations``.

Building and compiling the queryset of a page of results and of its count took about
2,000 Python calls, 40 % of an API request (``bench/organizations_search.py``). Their
SQL depends only on the *shape* of a request (which filters are given, the status and
the order, how many words are searched and whether through the search index, the
columns, the slice), not on its values. So the queryset of a shape is built once with a
``Param`` in place of each value, by the same ``DirectoryFilterForm.filter`` and
``OrganizationQuerySet`` methods as every other list; it is compiled once per thread
(each thread has its own database connections) and run with the values of each request
(``DirectoryFilterForm.filter_values``). The records are built from the rows as Django
builds them (``Model.from_db`` after the database's converters).

``kyodo/organizations/tests/test_prepared.py`` checks that every filter finds what its
queryset finds.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connections, router
from django.db.models import (
    CharField,
    DateField,
    Expression,
    Field,
    IntegerField,
    Model,
    QuerySet,
    TextField,
    signals,
)
from django.db.models.base import ModelState

if TYPE_CHECKING:
    from kyodo.organizations.forms.directory import DirectoryFilterForm
    from kyodo.organizations.models import OrganizationQuerySet

MAX_STATEMENTS = 256  # per thread: shapes × pages (the first pages are the common ones)
_OUTPUT_FIELDS: dict[str, Field[Any, Any]] = {
    "field": IntegerField(),
    "center": IntegerField(),
    "today": DateField(),
    "area": CharField(),
    "legal_form": CharField(),
    "certification": CharField(),
    "row": CharField(),
}


class Slot:
    """The place of a value in the parameters of a compiled statement."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


class Param(Expression):
    """A value of a prepared statement, named ``name`` in the values of each request."""

    def __init__(self, name: str) -> None:
        super().__init__(output_field=_OUTPUT_FIELDS.get(name, TextField()))
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return "%s", (Slot(self.name),)

    def __repr__(self) -> str:
        return f"Param({self.name!r})"


@dataclass(frozen=True)
class Statement:
    """One compiled statement: its SQL, its parameters (``Slot``s for the values of a
    request) and, for rows of records, how to build them."""

    sql: str
    params: tuple[Any, ...]
    compiler: Any = None  # for the converters of the database's values
    model: Any = None
    names: tuple[str, ...] = ()  # the attributes the columns fill
    converters: Any = None

    def execute(self, alias: str, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        connection = connections[alias]
        params = [
            _adapted(connection, values[p.name]) if isinstance(p, Slot) else p for p in self.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def records(self, alias: str, values: dict[str, Any]) -> list[Any]:
        rows = self.execute(alias, values)
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return instances(self.model, alias, self.names, rows)


def instances(
    model: type[Model], alias: str, names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[Any]:
    """Records of ``model`` from rows of the columns ``names`` (attnames; the others
    deferred), as ``Model.from_db`` makes them, without running ``Model.__init__``: it
    walks every field of the model to set each one (20 µs a record of 60 fields, half
    the work of reading a page). A model that has ``pre_init`` or ``post_init``
    receivers gets ``from_db`` itself."""
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return [model.from_db(alias, names, row) for row in rows]
    new = model.__new__
    made = []
    for row in rows:
        record = new(model)
        state = ModelState()
        state.adding, state.db = False, alias
        attributes = record.__dict__
        attributes["_state"] = state
        attributes.update(zip(names, row, strict=True))
        made.append(record)
    return made


def _adapted(connection: Any, value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return connection.ops.adapt_datefield_value(value)
    return value


# The statements compiled by this thread (a thread has its own connections, and a
# statement keeps the compiler of its connection for the converters), freed with it.
_local = threading.local()


def _cached(alias: str, key: tuple[Any, ...], compile_: Callable[[], Statement]) -> Statement:
    statements: OrderedDict[tuple[Any, ...], Statement] | None = getattr(_local, "statements", None)
    if statements is None:
        statements = _local.statements = OrderedDict()
    key = (alias, *key)
    statement = statements.get(key)
    if statement is not None:
        statements.move_to_end(key)
        return statement
    statement = statements[key] = compile_()
    if len(statements) > MAX_STATEMENTS:
        statements.popitem(last=False)
    return statement


def _rows_statement(queryset: QuerySet[Any], alias: str) -> Statement:
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    klass_info = compiler.klass_info
    selected = [column for column, _sql, _alias in compiler.select]
    if klass_info["select_fields"] != list(range(len(selected))):
        raise ValueError("A prepared statement reads the columns of one model, nothing else.")
    return Statement(
        sql=sql,
        params=tuple(params),
        compiler=compiler,
        model=klass_info["model"],
        names=tuple(column.target.attname for column in selected),
        converters=compiler.get_converters(selected),
    )


def _count_statement(queryset: QuerySet[Any], alias: str, cap: int) -> Statement:
    inner = queryset.order_by().values("pk")[: cap + 1]
    sql, params = inner.query.get_compiler(using=alias).as_sql()
    return Statement(sql=f"SELECT COUNT(*) FROM ({sql}) capped", params=tuple(params))  # noqa: S608


def directory_rows(form: DirectoryFilterForm, columns: tuple[str, ...]) -> PreparedRows:
    """The ``search.Rows`` of the public directory (``Organization.objects.public()``)
    filtered by ``form``, reading ``columns``."""
    from kyodo.organizations.models import Organization

    return PreparedRows(
        form, lambda: Organization.objects.public().only(*columns), columns, Organization
    )


class PreparedRows:
    """The page and the count of a directory request through the statements of its
    shape. ``key`` names the queryset ``base()`` gives (of ``model``), which a statement
    starts from: the same key always comes with the same base."""

    def __init__(
        self,
        form: DirectoryFilterForm,
        base: Callable[[], OrganizationQuerySet],
        key: Any,
        model: type[Model],
    ) -> None:
        self.alias = router.db_for_read(model)
        self.filters = form.filter_values(self.alias)
        self.form, self.base = form, base
        data = form.data_or_defaults
        self.shape = (
            key,
            tuple(sorted(self.filters)),
            tuple(form.tested_terms(self.filters)),  # the words whose text is tested
            data["status"],
            data["sort"],
        )
        vendor = connections[self.alias].vendor
        # the search index's condition is one parameter: its query or array of bigrams
        self.values = {
            name: value.value(vendor) if name == "index" else value
            for name, value in self.filters.items()
        }

    def _queryset(self) -> QuerySet[Any]:
        return self.form.filter(self.base().using(self.alias), self.filters, prepared=True)

    def rows(self, offset: int, limit: int) -> list[Any]:
        if self.form.query_too_short:  # only words shorter than two characters: nothing
            return []
        statement = _cached(
            self.alias,
            ("rows", self.shape, offset, limit),
            lambda: _rows_statement(self._queryset()[offset : offset + limit], self.alias),
        )
        return statement.records(self.alias, self.values)

    def count(self, cap: int) -> int:
        if self.form.query_too_short:
            return 0
        statement = _cached(
            self.alias,
            ("count", self.shape, cap),
            lambda: _count_statement(self._queryset(), self.alias, cap),
        )
        return int(statement.execute(self.alias, self.values)[0][0])
