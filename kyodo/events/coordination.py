"""Coordination between centers (開催時期、内容が重複しないように調整): which events clash.

Two events *clash* when a person would tell the organisers to talk to each other: they
are for the same people, about the same thing, at about the same time.

- **Audience**: they must share an audience (市民, NPO法人…). Events for different
  audiences (市民向け vs 中間支援組織向け) do not compete for the same people and are never
  reported, however similar their titles. An event without audiences is compared on
  content and dates alone.
- **Period**: the nearest two sessions are at most ``WINDOW_DAYS`` apart (the same day,
  the same week, or overlapping runs of two courses). The same title a year later is
  not a clash. Two consultation days (相談会) clash only on the same day: partner centers
  offer them on different weekdays on purpose, to complement each other (seed 001).
- **Content**: the topics they share (Jaccard of the topic sets) and the similarity of
  their titles (Jaccard of the character bigrams of ``comparison_key``, after taking out
  words every title has, such as 講座 or セミナー).

score = content × date factor (1 on the same day, falling to ``FAR_DATE_FACTOR`` at
``WINDOW_DAYS``); a pair is reported at ``THRESHOLD`` or above. The labelled set in
``data/coordination_pairs.csv`` measures it (``bench/events_coordination.py``).

The functions here are pure (no database): ``features_of`` and ``actions`` build the
``Features`` from rows.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kyodo.japanese.text import comparison_key

WINDOW_DAYS = 10
FAR_DATE_FACTOR = 0.6
THRESHOLD = 0.3
CONSULTATION = "consultation"

# Words that say what kind of event it is, not what it is about.
_GENERIC = re.compile(
    r"(講座|セミナー|研修会?|勉強会|講習会?|説明会|教室|入門|基礎|実務|実践|"
    r"向け|のための|について|第\d+回|\d+月|令和\d+年度?|\d{4}年度?|オンライン|開催|"
    r"イベント|フォーラム|ワークショップ|相談会|相談)"
)


@dataclass(frozen=True)
class Features:
    """What the comparison needs of an event."""

    key: int | str
    title: str
    audiences: frozenset[str]
    topics: frozenset[str]
    dates: tuple[datetime.date, ...]  # sorted, distinct
    center: int | str | None = None
    kind: str = ""
    bigrams: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def build(
        cls,
        *,
        key: int | str,
        title: str,
        audiences: Iterable[str],
        topics: Iterable[str],
        dates: Iterable[datetime.date],
        center: int | str | None = None,
        kind: str = "",
    ) -> Features:
        return cls(
            key=key,
            title=title,
            audiences=frozenset(audiences),
            topics=frozenset(topics),
            dates=tuple(sorted(set(dates))),
            center=center,
            kind=kind,
            bigrams=title_bigrams(title),
        )

    @property
    def first(self) -> datetime.date | None:
        return self.dates[0] if self.dates else None

    @property
    def last(self) -> datetime.date | None:
        return self.dates[-1] if self.dates else None


@dataclass(frozen=True)
class Match:
    score: float
    days_apart: int
    shared_audiences: frozenset[str]
    shared_topics: frozenset[str]
    title_similarity: float
    topic_similarity: float

    def reasons(self) -> list[dict[str, object]]:
        """Machine-readable reasons, rendered by the templates in the reader's language."""
        found: list[dict[str, object]] = [{"code": "days_apart", "days": self.days_apart}]
        if self.shared_audiences:
            found.append({"code": "audiences", "values": sorted(self.shared_audiences)})
        if self.shared_topics:
            found.append({"code": "topics", "values": sorted(self.shared_topics)})
        if self.title_similarity >= 0.2:
            found.append({"code": "title", "similarity": round(self.title_similarity, 2)})
        return found


def title_bigrams(title: str) -> frozenset[str]:
    key = _GENERIC.sub(" ", comparison_key(title, fold_kana=True))
    grams: set[str] = set()
    for word in key.split():
        if len(word) == 1:
            grams.add(word)
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return frozenset(grams)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def days_apart(a: Sequence[datetime.date], b: Sequence[datetime.date]) -> int | None:
    """The smallest number of days between a date of ``a`` and a date of ``b`` (sorted)."""
    if not a or not b:
        return None
    if len(a) > len(b):
        a, b = b, a
    best: int | None = None
    for day in a:
        i = bisect.bisect_left(b, day)
        for j in (i - 1, i):
            if 0 <= j < len(b):
                gap = abs((b[j] - day).days)
                if best is None or gap < best:
                    best = gap
                    if best == 0:
                        return 0
    return best


def compare(a: Features, b: Features) -> Match | None:
    """The match between two events, or None when they cannot clash."""
    shared_audiences = a.audiences & b.audiences
    if a.audiences and b.audiences and not shared_audiences:
        return None
    gap = days_apart(a.dates, b.dates)
    window = 0 if a.kind == b.kind == CONSULTATION else WINDOW_DAYS
    if gap is None or gap > window:
        return None
    topic_similarity = jaccard(a.topics, b.topics)
    title_similarity = jaccard(a.bigrams, b.bigrams)
    content = max(topic_similarity, title_similarity, (topic_similarity + title_similarity) / 2)
    if a.topics & b.topics and title_similarity >= 0.15:
        content = min(1.0, content + 0.2)
    date_factor = 1.0 - (1.0 - FAR_DATE_FACTOR) * gap / WINDOW_DAYS
    return Match(
        score=round(content * date_factor, 4),
        days_apart=gap,
        shared_audiences=shared_audiences,
        shared_topics=a.topics & b.topics,
        title_similarity=title_similarity,
        topic_similarity=topic_similarity,
    )


def is_clash(match: Match | None) -> bool:
    return match is not None and match.score >= THRESHOLD


def clashes_with(event: Features, others: Iterable[Features]) -> list[tuple[Features, Match]]:
    """The other events that clash with ``event``, best first."""
    found = []
    for other in others:
        if other.key == event.key:
            continue
        match = compare(event, other)
        if match is not None and is_clash(match):
            found.append((other, match))
    found.sort(key=lambda pair: -pair[1].score)
    return found


ANY_AUDIENCE = "*"


def _tokens(event: Features) -> set[str]:
    """What two events must share to reach the threshold: a topic or a title bigram."""
    return {f"t:{topic}" for topic in event.topics} | {f"b:{gram}" for gram in event.bigrams}


def _keys(event: Features) -> set[tuple[str, str]]:
    """The index keys of an event: (audience, token) for each audience and token."""
    audiences = event.audiences or {ANY_AUDIENCE}
    return {(audience, token) for audience in audiences for token in _tokens(event)}


def all_clashes(events: Sequence[Features]) -> list[tuple[Features, Features, Match]]:
    """Every clashing pair among ``events``, each pair once, best first.

    A sweep over the events sorted by first date, with an index by (audience, topic or title
    bigram) of the events still running: an event is compared only with those whose runs
    come within ``WINDOW_DAYS`` of it, that share an audience (or have none) and share a
    topic or a title bigram with it (without either, the content score is 0)."""
    ordered = sorted((e for e in events if e.dates), key=lambda e: e.dates[0])
    found: list[tuple[Features, Features, Match]] = []
    window = datetime.timedelta(days=WINDOW_DAYS)
    index: dict[tuple[str, str], list[Features]] = {}
    audiences_seen: set[str] = set()
    for event in ordered:
        start = event.dates[0]
        tokens = _tokens(event)
        if event.audiences:
            lookup = {(a, t) for a in (*event.audiences, ANY_AUDIENCE) for t in tokens}
        else:  # an event for no audience in particular is compared with every audience
            lookup = {(a, t) for a in (*audiences_seen, ANY_AUDIENCE) for t in tokens}
        candidates: dict[int | str, Features] = {}
        for key in lookup:
            bucket = index.get(key)
            if not bucket:
                continue
            if bucket[0].dates[-1] + window < start:
                bucket = [other for other in bucket if other.dates[-1] + window >= start]
                index[key] = bucket
            for other in bucket:
                candidates[other.key] = other
        for other in candidates.values():
            match = compare(other, event)
            if match is not None and is_clash(match):
                found.append((other, event, match))
        for key in _keys(event):
            index.setdefault(key, []).append(event)
        audiences_seen |= event.audiences
    found.sort(key=lambda item: -item[2].score)
    return found
