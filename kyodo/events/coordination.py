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

The module has four parts:

- the comparison, pure functions on ``Features`` (``compare``, ``clashes_with``);
- the network sweep (``all_clashes``, ``top_clashes``): every clashing pair among many
  events, comparing only pairs that share an audience, come within ``WINDOW_DAYS`` and share
  a topic or enough title bigrams to reach the threshold (a prefix filter, see ``_sweep``);
- reading the database (``features_from_db``, ``clashes_for``): the clash check of one
  event looks its candidates up in one indexed query of ``Event.clash_terms`` (a shared
  topic or title bigram, a session in a near month, a shared audience; see
  ``candidates_for``) and compares only those;
- the stored pairs (``refresh_clashes``, ``rebuild_clashes``, ``network_clashes``): every
  clashing pair of the network is kept in ``EventClash``. Saving an event or changing its
  status stores its pairs again (the clash check has just found them), a bulk load that
  did not go through the actions stores them all again with the sweep, and the network
  report of a fiscal year counts and ranks the stored rows by the period each carries: a
  dense network has millions of pairs, too many to compare again for each reading of the
  report.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, F, Func, Q, QuerySet

from kyodo.events.expressions import IsOneOf
from kyodo.japanese.text import comparison_key

if TYPE_CHECKING:
    from kyodo.events.models import Event

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
        bigrams: Iterable[str] | None = None,
    ) -> Features:
        """``bigrams`` are the stored ``title_bigrams`` of the title when known (computed
        from the title otherwise)."""
        return cls(
            key=key,
            title=title,
            audiences=frozenset(audiences),
            topics=frozenset(topics),
            dates=tuple(sorted(set(dates))),
            center=center,
            kind=kind,
            bigrams=title_bigrams(title) if bigrams is None else frozenset(bigrams),
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


def bigram_text(title: str) -> str:
    """The title bigrams as stored in ``Event.title_bigrams``: separated and surrounded by
    spaces (a bigram never holds a space), so that ``contains=" 会計 "`` finds one."""
    grams = title_bigrams(title)
    return f" {' '.join(sorted(grams))} " if grams else ""


# Prefixes of the terms in ``Event.clash_terms`` other than the title bigrams: each such
# term is longer than two characters, so that none is ever taken for a bigram.
TOPIC_TERM, AUDIENCE_TERM, MONTH_TERM = "t:", "a:", "m:"
NO_AUDIENCE_TERM = "a:-"


def _topic_term(name: str) -> str:
    return TOPIC_TERM + "".join(name.split())


def _month_term(day: datetime.date) -> str:
    return f"{MONTH_TERM}{day:%Y-%m}"


def clash_terms(features: Features) -> str:
    """``Event.clash_terms``: what the clash check of another event looks this one up by,
    separated and surrounded by spaces. The title bigrams, the topics, the audiences
    (``NO_AUDIENCE_TERM`` for none) and the months of the sessions not cancelled."""
    terms = set(features.bigrams)
    terms.update(_topic_term(name) for name in features.topics)
    terms.update(AUDIENCE_TERM + code for code in features.audiences)
    if not features.audiences:
        terms.add(NO_AUDIENCE_TERM)
    terms.update(_month_term(day) for day in features.dates)
    return f" {' '.join(sorted(terms))} "


# The SQLite index of ``Event.clash_terms`` (migration 0007): an FTS5 table whose rowid
# is the event's id, written with the column (``_store_clash_terms``,
# ``_store_event_clash_terms``).
CLASH_TERMS_FTS = "events_clash_terms"


class HasClashTerms(Func):
    """True for the events whose ``clash_terms`` hold a term of each of ``groups``.

    PostgreSQL: an overlap of arrays per group, which the GIN index ``event_clash_terms``
    answers in one scan. SQLite: the ids that the FTS5 table ``CLASH_TERMS_FTS`` matches
    (both made by migration 0007)."""

    output_field = BooleanField()

    def __init__(self, groups: Sequence[Iterable[str]]) -> None:
        super().__init__(F("pk"), F("clash_terms"))
        self.groups = [sorted(set(group)) for group in groups]

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.source_expressions[1])
        sql = " AND ".join(f"string_to_array({column}, ' ') && %s::text[]" for _ in self.groups)
        return f"({sql})", tuple(p for group in self.groups for p in (*params, group))

    def as_sqlite(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        pk, params = compiler.compile(self.source_expressions[0])
        query = " AND ".join(
            "(" + " OR ".join('"' + term.replace('"', '""') + '"' for term in group) + ")"
            for group in self.groups
        )
        fts = CLASH_TERMS_FTS
        sql = f"{pk} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"  # noqa: S608
        return sql, (*params, query)

    def as_sql(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("The clash terms are indexed on SQLite and PostgreSQL only.")


def stored_bigrams(text: str, title: str) -> frozenset[str]:
    """The bigrams of a stored ``Event.title_bigrams`` (from the title when not stored)."""
    return frozenset(text.split()) if text else title_bigrams(title)


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


# --- The network sweep ---------------------------------------------------------------------


def _min_shared(count: int) -> int:
    """The fewest bigrams a title of ``count`` bigrams shares with another whose Jaccard
    similarity reaches ``THRESHOLD`` (rounded down a hair, so never too many)."""
    return max(1, math.ceil(THRESHOLD * count - 1e-9))


def _days_apart_ordinals(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    if len(a) > len(b):
        a, b = b, a
    best = 1 << 30
    size = len(b)
    for day in a:
        i = bisect.bisect_left(b, day)
        if i < size and b[i] - day < best:
            best = b[i] - day
        if i and day - b[i - 1] < best:
            best = day - b[i - 1]
        if best == 0:
            return 0
    return best


def _sweep(
    events: Sequence[Features], limit: int | None
) -> tuple[int, list[tuple[float, int, int]], list[Features]]:
    """Every clashing pair among ``events``: how many, and the best ``limit`` of them (all
    when ``limit`` is None) as (score, i, j) over the returned list of events (i < j).

    The events are taken in order of their first day. Each is put in an index under its
    topics and under the *prefix* of its title bigrams: the ``n - m + 1`` rarest of its
    ``n`` bigrams, where ``m`` is the fewest it must share with a title to reach the
    threshold on title similarity alone. Two titles that similar always share a bigram of
    both prefixes (the prefix filter of set-similarity joins), and two events without a
    shared topic must be that similar to clash, so an event is compared only with the
    earlier events found under its own topics and prefix bigrams, among those whose last
    day is within ``WINDOW_DAYS`` of its first. The score is ``compare``'s, computed
    inline on small integers; ``compare`` builds the ``Match`` of the pairs returned."""
    order = sorted((e for e in events if e.dates), key=lambda e: e.dates[0])
    frequency: dict[str, int] = {}
    for event in order:
        for gram in event.bigrams:
            frequency[gram] = frequency.get(gram, 0) + 1
    # Rarest first; topics get negative ids so that they never meet a bigram.
    gram_ids = {g: i for i, g in enumerate(sorted(frequency, key=lambda g: (frequency[g], g)))}
    topic_ids: dict[str, int] = {}
    audience_bits: dict[str, int] = {}
    firsts: list[int] = []
    lasts: list[int] = []
    days: list[tuple[int, ...]] = []
    masks: list[int] = []
    topics: list[frozenset[int]] = []
    grams: list[frozenset[int]] = []
    consultation: list[bool] = []
    keys: list[list[int]] = []
    for event in order:
        ordinals = tuple(d.toordinal() for d in event.dates)
        days.append(ordinals)
        firsts.append(ordinals[0])
        lasts.append(ordinals[-1])
        mask = 0
        for code in event.audiences:
            mask |= 1 << audience_bits.setdefault(code, len(audience_bits))
        masks.append(mask)
        own_topics = frozenset(-1 - topic_ids.setdefault(t, len(topic_ids)) for t in event.topics)
        topics.append(own_topics)
        own_grams = sorted(gram_ids[g] for g in event.bigrams)
        grams.append(frozenset(own_grams))
        prefix = own_grams[: len(own_grams) - _min_shared(len(own_grams)) + 1]
        keys.append([*own_topics, *prefix])
        consultation.append(event.kind == CONSULTATION)

    window = WINDOW_DAYS
    # compare()'s date factor and threshold; a score is rounded to 4 places, so a raw
    # score this far from the threshold is decided without rounding.
    factors = [1.0 - (1.0 - FAR_DATE_FACTOR) * gap / WINDOW_DAYS for gap in range(window + 1)]
    surely_below, surely_above = THRESHOLD - 1e-4, THRESHOLD + 1e-4
    n_topics = [len(t) for t in topics]
    n_grams = [len(g) for g in grams]
    index: dict[int, list[int]] = {}
    pruned_on: dict[int, int] = {}
    total = 0
    best: list[tuple[float, int, int]] = []  # a heap of (raw score, -j, -i), worst first
    floor = -1.0
    for i in range(len(order)):
        first = firsts[i]
        horizon = first - window
        candidates: set[int] = set()
        for key in keys[i]:
            bucket = index.get(key)
            if bucket is None:
                continue
            if pruned_on.get(key) != first:  # drop the events long over, once a day
                pruned_on[key] = first
                if lasts[bucket[0]] < horizon or len(bucket) > 64:
                    bucket[:] = [j for j in bucket if lasts[j] >= horizon]
            candidates.update(bucket)
        if not candidates:
            for key in keys[i]:
                index.setdefault(key, []).append(i)
            continue
        mask_i, topics_i, grams_i, days_i = masks[i], topics[i], grams[i], days[i]
        single_i = len(days_i) == 1
        consultation_i = consultation[i]
        n_topics_i, n_grams_i = n_topics[i], n_grams[i]
        for j in candidates:
            mask_j = masks[j]
            if mask_i and mask_j and not mask_i & mask_j:
                continue
            last_j = lasts[j]
            if last_j < horizon:
                continue
            if last_j <= first:  # every day of j is on or before the first day of i
                gap = first - last_j
            elif single_i:  # j runs past the one day of i: the nearest day of j to it
                days_j = days[j]
                k = bisect.bisect_left(days_j, first)
                gap = days_j[k] - first
                if k and first - days_j[k - 1] < gap:
                    gap = first - days_j[k - 1]
            else:
                gap = _days_apart_ordinals(days_i, days[j])
            if gap > window or (gap and consultation_i and consultation[j]):
                continue
            shared = len(topics_i & topics[j]) if n_topics_i else 0
            topic_similarity = shared / (n_topics_i + n_topics[j] - shared) if shared else 0.0
            common = len(grams_i & grams[j]) if n_grams_i else 0
            title_similarity = common / (n_grams_i + n_grams[j] - common) if common else 0.0
            # max(topic, title, (topic + title) / 2) is max(topic, title), exactly.
            content = topic_similarity if topic_similarity >= title_similarity else title_similarity
            if shared and title_similarity >= 0.15:
                content = min(1.0, content + 0.2)
            raw = content * factors[gap]
            if raw < surely_below or (raw < surely_above and round(raw, 4) < THRESHOLD):
                continue
            total += 1
            if limit is None:
                best.append((raw, -j, -i))
            elif len(best) < limit:
                heapq.heappush(best, (raw, -j, -i))
                if len(best) == limit:
                    floor = best[0][0]
            elif raw >= floor:
                item = (raw, -j, -i)  # larger is better: higher score, then earlier pairs
                if item > best[0]:
                    heapq.heapreplace(best, item)
                    floor = best[0][0]
        for key in keys[i]:
            index.setdefault(key, []).append(i)
    ranked = [(raw, -minus_j, -minus_i) for raw, minus_j, minus_i in sorted(best, reverse=True)]
    return total, ranked, order


def _matches(
    order: list[Features], ranked: list[tuple[float, int, int]]
) -> list[tuple[Features, Features, Match]]:
    found = []
    for _raw, i, j in ranked:
        match = compare(order[i], order[j])
        if match is not None:
            found.append((order[i], order[j], match))
    found.sort(key=lambda item: -item[2].score)  # stable: equal scores keep their order
    return found


def all_clashes(events: Sequence[Features]) -> list[tuple[Features, Features, Match]]:
    """Every clashing pair among ``events``, each pair once, best first (ties: the pair
    whose events come first)."""
    _total, ranked, order = _sweep(events, None)
    return _matches(order, ranked)


def top_clashes(
    events: Sequence[Features], limit: int
) -> tuple[int, list[tuple[Features, Features, Match]]]:
    """How many pairs of ``events`` clash, and the ``limit`` best, best first. Only those
    get a ``Match``: a network of thousands of events can have a great many pairs."""
    total, ranked, order = _sweep(events, limit)
    return total, _matches(order, ranked)


# --- Reading the database ------------------------------------------------------------------

# Up to this many events are named by id in a query; more are named by a subquery.
MANY_EVENTS = 2000


def _models(apps: Any = None) -> tuple[Any, Any, Any, Any]:
    """``Event``, ``EventAudience``, ``EventSession`` and ``EventClash``: the current
    models, or a migration's historical ones from ``apps``."""
    if apps is None:
        from kyodo.events.models import Event, EventAudience, EventClash, EventSession

        return Event, EventAudience, EventSession, EventClash
    return (
        apps.get_model("events", "Event"),
        apps.get_model("events", "EventAudience"),
        apps.get_model("events", "EventSession"),
        apps.get_model("events", "EventClash"),
    )


def features_from_db(events: Any, apps: Any = None) -> list[Features]:
    """The ``Features`` of events, a QuerySet of events or a list of them, ordered by id,
    in four queries: the events, their audiences, topics and the days of their sessions
    not cancelled. The last three name the events by id, or for many events (a fiscal
    year of the network) by the QuerySet itself as a subquery. ``apps``: a migration's
    models."""
    Event = _models(apps)[0]

    if isinstance(events, QuerySet):
        chosen: Any = events.order_by().values("pk")
    else:
        chosen = [event.pk for event in events]
    rows = list(Event.objects.filter(pk__in=chosen).order_by("pk").values_list(*_ROW))
    ids: Any = [row[0] for row in rows] if len(rows) <= MANY_EVENTS else chosen
    return _features(rows, ids, apps)


# What ``_features`` reads of an event row.
_ROW = ("pk", "title", "title_bigrams", "center_id", "kind")


def _features(rows: list[tuple[Any, ...]], ids: Any, apps: Any = None) -> list[Features]:
    """The ``Features`` of the event ``rows`` (``_ROW``), whose ids are ``ids`` (a list or
    a subquery), in three queries."""
    Event, EventAudience, EventSession, _clash = _models(apps)
    of_ids = IsOneOf("event_id", ids) if isinstance(ids, list) else Q(event_id__in=ids)
    audiences: dict[int, list[str]] = {}
    for event_id, code in EventAudience.objects.filter(of_ids).values_list("event_id", "audience"):
        audiences.setdefault(event_id, []).append(code)
    topics: dict[int, list[str]] = {}
    for event_id, name in Event.topics.through.objects.filter(of_ids).values_list(
        "event_id", "topic__name"
    ):
        topics.setdefault(event_id, []).append(name)
    dates: dict[int, list[datetime.date]] = {}
    for event_id, day in EventSession.objects.filter(of_ids, is_cancelled=False).values_list(
        "event_id", "date"
    ):
        dates.setdefault(event_id, []).append(day)
    return [
        Features.build(
            key=pk,
            title=title,
            audiences=audiences.get(pk, ()),
            topics=topics.get(pk, ()),
            dates=dates.get(pk, ()),
            center=center_id,
            kind=kind,
            bigrams=stored_bigrams(stored, title),
        )
        for pk, title, stored, center_id, kind in rows
    ]


def _near(dates: Sequence[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """The days within ``WINDOW_DAYS`` of ``dates`` (sorted), as merged ranges."""
    reach = datetime.timedelta(days=WINDOW_DAYS)
    ranges: list[tuple[datetime.date, datetime.date]] = []
    for day in dates:
        start, end = day - reach, day + reach
        if ranges and start <= ranges[-1][1] + datetime.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((start, end))
    return ranges


def candidates_for(event: Event, mine: Features) -> Any:
    """The events that could clash with ``event`` (features ``mine``), as a QuerySet, in
    one look-up of the index of ``Event.clash_terms``: not cancelled, sharing a topic or
    one of the bigrams that any title similar enough must share (``_min_shared``), with a
    session in a month within ``WINDOW_DAYS`` of one of its sessions and (when ``mine``
    has audiences) for one of them or for none in particular. Everything else scores below
    the threshold, so ``clashes_with`` over these finds exactly what it finds over all
    events; the months are coarser than ``WINDOW_DAYS``, and ``compare`` drops the events
    whose sessions are too far apart."""
    from kyodo.events.models import Event, EventStatus

    grams = sorted(mine.bigrams)
    grams = grams[: len(grams) - _min_shared(len(grams)) + 1]
    content = [*grams, *(_topic_term(name) for name in mine.topics)]
    if not mine.dates or not content:
        return Event.objects.none()
    months = set()
    for start, end in _near(mine.dates):
        day = start.replace(day=1)
        while day <= end:
            months.add(_month_term(day))
            day = (day + datetime.timedelta(days=32)).replace(day=1)
    groups = [content, months]
    if mine.audiences:
        groups.append([*(AUDIENCE_TERM + code for code in mine.audiences), NO_AUDIENCE_TERM])
    return (
        Event.objects.filter(HasClashTerms(groups))
        .exclude(pk=event.pk)
        .exclude(status=EventStatus.CANCELLED)
        .order_by()
    )


def clashes_for(event: Event, mine: Features | None = None) -> list[tuple[Features, Match]]:
    """The clash check when ``event`` is saved: the other events that clash with it, best
    first (about ten queries whatever the size of the network). ``mine``: the event's
    ``Features`` when the caller has just read them."""
    if mine is None:
        (mine,) = features_from_db([event])
    return clashes_with(mine, _candidate_features(event, mine))


def _candidate_features(event: Event, mine: Features) -> list[Features]:
    """The ``Features`` of ``candidates_for(event, mine)``."""
    if not mine.dates:
        return []
    # The candidates are read first and named by id in the three queries that follow: as a
    # subquery of each, PostgreSQL without statistics on tables filled in the same
    # transaction (a file import) nests its loops and takes seconds.
    candidates = candidates_for(event, mine)
    rows = list(candidates.order_by("pk").values_list(*_ROW)[: MANY_EVENTS + 1])
    if len(rows) > MANY_EVENTS:
        return features_from_db(candidates)
    return _features(rows, [row[0] for row in rows])


# --- The stored pairs ----------------------------------------------------------------------

# Rows written by one statement when every pair is stored again.
INSERT_BATCH = 5000


def refresh_clashes(
    event: Event,
    found: Sequence[tuple[Features, Match]] | None = None,
    mine: Features | None = None,
) -> None:
    """Store the pairs of ``event`` again after it was saved or changed status: those
    ``clashes_for`` finds (``found`` and the event's features ``mine``, when the caller
    has just looked), none when it is cancelled. Another event saved at the same moment
    may store one of these pairs too: the later write wins. The event's ``clash_terms``,
    by which the clash check of the other events finds it, are stored again too."""
    from django.db import connection

    from kyodo.events.models import Event, EventClash, EventStatus

    if event.status == EventStatus.CANCELLED:
        found = []
    else:
        if mine is None:
            (mine,) = features_from_db([event])
        event.clash_terms = clash_terms(mine)
        _store_event_clash_terms(Event, event.pk, event.clash_terms)
        if found is None:
            found = clashes_with(mine, _candidate_features(event, mine))
    EventClash.objects.filter(Q(first_id=event.pk) | Q(second_id=event.pk)).delete()
    if found and mine is not None:
        # One plain statement per row (a few hundred at most): building model instances
        # for them cost more than writing them.
        with connection.cursor() as cursor:
            cursor.executemany(
                _upsert_pair_sql(EventClash),
                [_pair_row(mine, other, match.score) for other, match in found],
            )


def _pair_row(a: Features, b: Features, score: float) -> tuple[Any, ...]:
    """The columns of the stored pair of ``a`` and ``b``: the lower id first, the score,
    the later of their first days and the earlier of their last days."""
    first, second = sorted((int(a.key), int(b.key)))
    return (first, second, score, max(a.dates[0], b.dates[0]), min(a.dates[-1], b.dates[-1]))


# The columns of ``_pair_row``.
_PAIR_COLUMNS = ("first_id", "second_id", "score", "latest_start", "earliest_end")


def _upsert_pair_sql(EventClash: Any) -> str:
    """INSERT of one pair (``_pair_row``) that keeps the later values when another writer
    stored the pair meanwhile (SQLite and PostgreSQL)."""
    from django.db import connection

    quote = connection.ops.quote_name
    first, second, *rest = (quote(name) for name in _PAIR_COLUMNS)
    marks = ", ".join(["%s"] * len(_PAIR_COLUMNS))
    updates = ", ".join(f"{name} = excluded.{name}" for name in rest)
    return (
        f"INSERT INTO {quote(EventClash._meta.db_table)} "  # noqa: S608
        f"({', '.join((first, second, *rest))}) VALUES ({marks}) "
        f"ON CONFLICT ({first}, {second}) DO UPDATE SET {updates}"
    )


def rebuild_clashes(apps: Any = None) -> int:
    """Store every clashing pair among the events not cancelled again, found by the sweep,
    and return how many there are: after a bulk load that did not go through the actions
    (``manage.py rebuild_clashes``) and by the migration that made the table."""
    from django.db import connection, transaction

    Event, _audience, _session, EventClash = _models(apps)
    features = features_from_db(Event.objects.exclude(status="cancelled"), apps=apps)
    _total, ranked, order = _sweep(features, None)
    # Plain INSERTs and UPDATEs: a dense network has millions of pairs, too many to build
    # model instances for. The names are the model's own, quoted.
    quote = connection.ops.quote_name
    table = quote(EventClash._meta.db_table)
    # The columns of the table at this migration (a prefix of ``_PAIR_COLUMNS``): the
    # pair's period came with 0009.
    names = {field.column for field in EventClash._meta.fields}
    columns = tuple(name for name in _PAIR_COLUMNS if name in names)
    marks = ", ".join(["%s"] * len(columns))
    insert = (
        f"INSERT INTO {table} ({', '.join(quote(name) for name in columns)}) "  # noqa: S608
        f"VALUES ({marks})"
    )
    with transaction.atomic():
        if any(field.name == "clash_terms" for field in Event._meta.fields):  # after 0007
            _store_clash_terms(Event, features)
        EventClash.objects.all().delete()
        with connection.cursor() as cursor:
            for start in range(0, len(ranked), INSERT_BATCH):
                rows = [
                    _pair_row(order[i], order[j], round(raw, 4))[: len(columns)]
                    for raw, i, j in ranked[start : start + INSERT_BATCH]
                ]
                cursor.executemany(insert, rows)
    return len(ranked)


def store_clash_terms(apps: Any = None) -> None:
    """Store ``Event.clash_terms`` of every event not cancelled again (migration 0007)."""
    Event = _models(apps)[0]
    _store_clash_terms(Event, features_from_db(Event.objects.exclude(status="cancelled"), apps))


def _store_clash_terms(Event: Any, features: Sequence[Features]) -> None:
    """Store the ``clash_terms`` of every event of ``features`` (all the events not
    cancelled): on SQLite the index is emptied and filled again, which also drops the
    events deleted since."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {CLASH_TERMS_FTS}")  # noqa: S608
        for start in range(0, len(features), INSERT_BATCH):
            rows = [(clash_terms(f), int(f.key)) for f in features[start : start + INSERT_BATCH]]
            cursor.executemany(_clash_terms_update(Event), rows)
            if connection.vendor == "sqlite":
                cursor.executemany(_FTS_INSERT, [(pk, terms) for terms, pk in rows])


def _store_event_clash_terms(Event: Any, pk: int, terms: str) -> None:
    """Store one event's ``clash_terms``, and its entry of the SQLite index when they
    changed."""
    from django.db import connection

    with connection.cursor() as cursor:
        column = connection.ops.quote_name("clash_terms")
        cursor.execute(f"{_clash_terms_update(Event)} AND {column} <> %s", [terms, pk, terms])
        if cursor.rowcount and connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {CLASH_TERMS_FTS} WHERE rowid = %s", [pk])  # noqa: S608
            cursor.execute(_FTS_INSERT, [pk, terms])


_FTS_INSERT = f"INSERT INTO {CLASH_TERMS_FTS}(rowid, terms) VALUES (%s, %s)"  # noqa: S608


def _clash_terms_update(Event: Any) -> str:
    """UPDATE of one event's ``clash_terms`` (parameters: the terms, the id)."""
    from django.db import connection

    quote = connection.ops.quote_name
    return (
        f"UPDATE {quote(Event._meta.db_table)} SET {quote('clash_terms')} = %s "  # noqa: S608
        f"WHERE {quote('id')} = %s"
    )


def network_clashes(
    *,
    start: datetime.date,
    end: datetime.date,
    centers: Iterable[int] | None,
    limit: int,
) -> tuple[int, list[tuple[Features, Features, Match]]]:
    """The network report: how many stored pairs join two events that run between
    ``start`` and ``end`` (a fiscal year), are not cancelled and are the reader's to see
    (published, or of one of ``centers``; any when ``centers`` is None), and the ``limit``
    best of them, best first (ties: the lower ids first). Three or four queries (the
    events hidden from the reader, the count, the count of their pairs when there are
    any, the best pairs), and the features of the events shown."""
    from kyodo.events.models import Event, EventStatus

    # Read down the index of statuses: the events not published are few.
    not_published = [status for status in EventStatus.values if status != EventStatus.PUBLISHED]
    hidden = Event.objects.filter(status__in=not_published, starts_on__lte=end, ends_on__gte=start)
    if centers is not None:
        hidden = hidden.filter(
            Q(status=EventStatus.CANCELLED) | ~Q(center_id__in=sorted(set(centers)))
        )
    else:
        hidden = hidden.filter(status=EventStatus.CANCELLED)
    total, best = _count_and_rank(start=start, end=end, hidden=hidden, limit=limit)
    ids = sorted({pk for pair in best for pk in pair})
    features = {f.key: f for f in features_from_db(Event.objects.filter(pk__in=ids))}
    found = []
    for first, second in best:
        if first in features and second in features:  # (not deleted in the meantime)
            match = compare(features[first], features[second])
            if match is not None:
                found.append((features[first], features[second], match))
    return total, found


def _count_and_rank(
    *, start: datetime.date, end: datetime.date, hidden: Any, limit: int
) -> tuple[int, list[tuple[int, int]]]:
    """How many stored pairs join two events that run between ``start`` and ``end``, less
    those with an event of ``hidden`` (the events of those days the reader may not see, as
    a QuerySet), and the ids of the ``limit`` best of them.

    Each pair carries the later of its events' first days and the earlier of their last
    days, so the pairs of a year are counted from one index without reading an event row
    for each of millions of pairs; the hidden events (drafts of the centers that do not
    share them, cancelled events) are few, and their pairs are counted apart and taken
    away. The best pairs are read down the score index."""
    from kyodo.events.models import EventClash

    in_period = EventClash.objects.filter(latest_start__lte=end, earliest_end__gte=start)
    hidden_ids = list(hidden.order_by().values_list("pk", flat=True)[: MANY_EVENTS + 1])
    if len(hidden_ids) > MANY_EVENTS:
        of_hidden = Q(first_id__in=hidden.values("pk")) | Q(second_id__in=hidden.values("pk"))
    elif hidden_ids:
        of_hidden = IsOneOf("first_id", hidden_ids) | IsOneOf("second_id", hidden_ids)
    else:
        of_hidden = None
    total = in_period.count()
    shown = in_period
    if of_hidden is not None:
        total -= in_period.filter(of_hidden).count()
        shown = in_period.exclude(of_hidden)
    best = shown.order_by("-score", "first_id", "second_id").values_list("first_id", "second_id")
    return total, list(best[:limit])
