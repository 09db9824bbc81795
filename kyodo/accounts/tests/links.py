"""Reading links out of the mails the accounts app sends."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.mail import EmailMessage


def links_in(message: EmailMessage) -> list[str]:
    """The paths of the links in a mail's plain-text body, in order."""
    return [urlsplit(url).path for url in re.findall(r"https?://\S+", str(message.body))]


def link_in(message: EmailMessage) -> str:
    links = links_in(message)
    assert links, f"no link in: {message.body}"
    return links[0]
