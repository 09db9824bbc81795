"""Inserting tens of thousands of rows fast: :func:`fast_insert` (INSERT, or COPY on
PostgreSQL) instead of the ORM's ``bulk_create``.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router

CHUNK = 500


def fast_insert(
    model: type[models.Model],
    objects: list[Any],
    fields: list[str] | None = None,
    *,
    returning: bool = False,
) -> None:
    """INSERT ``objects`` (model instances, or any objects with the columns' attribute
    names) without the ORM's bulk_create, several times faster for tens of thousands of
    rows. With ``returning`` (model instances only) each object gets its primary key,
    through ``INSERT … RETURNING`` where the database has it (SQLite ≥ 3.35, PostgreSQL),
    else through ``bulk_create``. ``fields`` defaults to every concrete column but the key.
    """
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objects, batch_size=CHUNK)
        return
    quote = connection.ops.quote_name
    if fields is None:
        columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    else:
        columns = [model._meta.get_field(name) for name in fields]  # type: ignore[misc]
    converters = [_converter(column, connection) for column in columns]
    plan = [
        (column.attname, column.name if column.is_relation else None, convert)
        for column, convert in zip(columns, converters, strict=True)
    ]
    automatic = [c for c in columns if getattr(c, "auto_now", False)]
    rows = []
    for obj in objects:
        for column in automatic:
            column.pre_save(obj, add=True)
        row = []
        for attname, relation, convert in plan:
            value = getattr(obj, attname)
            if value is None and relation is not None:
                related = getattr(obj, relation, None)
                value = related.pk if related is not None else None
            row.append(value if convert is None or value is None else convert(value))
        rows.append(row)
    table = quote(model._meta.db_table)
    names = ", ".join(quote(str(column.column)) for column in columns)
    placeholders = "({})".format(", ".join(["%s"] * len(columns)))
    if connection.vendor == "postgresql":
        _insert_copy(connection, model, columns, objects, rows, table, names, returning)
        return
    with connection.cursor() as cursor:
        if not returning:
            sql = f"INSERT INTO {table} ({names}) VALUES {placeholders}"  # noqa: S608
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])
            return
        batch = max(1, min(CHUNK, 30000 // len(columns)))
        key = quote(str(model._meta.pk.column))
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = ", ".join([placeholders] * len(chunk))
            sql = f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {key}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            for obj, (pk,) in zip(objects[start : start + batch], cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias


def _insert_copy(
    connection: Any,
    model: type[models.Model],
    columns: list[Any],
    objects: list[Any],
    rows: list[list[Any]],
    table: str,
    names: str,
    returning: bool,
) -> None:
    """PostgreSQL: ``COPY … FROM STDIN`` (with keys taken from the table's sequence first
    when the objects need them): much faster than INSERTs with tens of thousands of
    parameters, which the driver binds on the client."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if returning:
            key = str(model._meta.pk.column)
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, key, len(rows)],
            )
            keys = [pk for (pk,) in cursor.fetchall()]
            for obj, pk in zip(objects, keys, strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
            rows = [[pk, *row] for pk, row in zip(keys, rows, strict=True)]
            names = f"{quote(key)}, {names}"
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _converter(column: Any, connection: Any) -> Any:
    """How a value becomes a query parameter: as it is for text, numbers, booleans and
    keys, through the backend's adapters for dates, otherwise the field's own method."""
    kind = column.get_internal_type()
    if kind in ("CharField", "TextField", "BooleanField", "ForeignKey", "BigAutoField",
                "PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField",
                "FloatField"):  # fmt: skip
        return None
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return lambda value: column.get_db_prep_save(value, connection)
