"""``kyodo.ui.links.QueryLinks`` writes the links ``{% querystring %}`` writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.html import escape

from kyodo.ui.links import QueryLinks

CASES = [
    ("", {"page": 2}),
    ("", {"page": None}),
    ("page=3", {"page": None}),
    ("q=子育&page=3", {"page": None}),
    ("q=子育&page=3", {"page": 4}),
    ("row=か行&q=a+b&field=13", {"row": "は行", "page": None}),
    ("row=か行&q=a+b&field=13", {"row": None, "page": None}),
    ("field=1&field=2&q=x", {"field": "3"}),
    ("field=1&field=2&q=x", {"sort": "newest", "page": 1}),
    ("q=%26%3D%3F%23&area=札幌市中央区", {"page": 2}),
]


@pytest.mark.parametrize(("query", "changes"), CASES)
def test_each_link_is_the_one_the_querystring_tag_writes(
    query: str, changes: dict[str, Any]
) -> None:
    # given
    request = RequestFactory().get("/organizations/", QueryDict(query))
    arguments = " ".join(
        f"{key}=None" if value is None else f"{key}={value!r}" for key, value in changes.items()
    )
    tag = Template(f"{{% querystring {arguments} %}}")
    context = Context({})
    context.request = request  # type: ignore[attr-defined]
    # when
    written = QueryLinks(request.GET)(**changes)
    # then: the same text once the template escapes it (``&`` as ``&amp;``)
    assert escape(written) == tag.render(context)
