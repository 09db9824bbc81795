"""Links to the same page with other query parameters, for pages that show many."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict


class QueryLinks:
    """``links(page=3, row=None)`` gives what ``{% querystring page=3 row=None %}`` gives
    for the same query: the parameters in their order, a changed one in its place, a new
    one at the end, None leaving it out.

    The tag copies the whole query (a deep copy) and encodes it for each link, about 100
    Python calls a link; a page of results with its 50音 index and page numbers has 25.
    """

    def __init__(self, query: QueryDict) -> None:
        self.lists: list[tuple[str, list[str]]] = list(query.lists())

    def __call__(self, **changes: Any) -> str:
        pairs: list[tuple[str, str]] = []
        for key, values in self.lists:
            if key not in changes:
                pairs.extend((key, value) for value in values)
            elif changes[key] is not None:
                pairs.append((key, str(changes[key])))
        present = {key for key, _values in self.lists}
        pairs.extend(
            (key, str(value))
            for key, value in changes.items()
            if key not in present and value is not None
        )
        if not pairs and not self.lists:
            return ""
        return f"?{urlencode(pairs)}"
