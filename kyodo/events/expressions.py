"""Query expressions shared by the events code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, F, Func


class IsOneOf(Func):
    """``field IN ids`` for a list of ids, written on PostgreSQL as ``= ANY`` of one array
    parameter: a thousand candidates cost one parameter rather than a thousand, which
    Django and the driver would each prepare one by one."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: Sequence[int]) -> None:
        super().__init__(F(field))
        self.ids = list(ids)

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s::bigint[])", (*params, self.ids)

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", ()
        marks = ", ".join(["%s"] * len(self.ids))
        return f"{column} IN ({marks})", (*params, *self.ids)
