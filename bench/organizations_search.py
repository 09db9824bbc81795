"""Time the public directory search over 50,000 organizations, through the whole HTTP stack.

    .venv/bin/python bench/organizations_search.py [--n 50000] [--runs 100] [--seconds 15]
    url=$(KYODO_TEST_PG_PORT=55441 KYODO_TEST_PG_DIR=/tmp/pg-orgsearch scripts/postgres start)
    KYODO_DATABASE_URL=$url .venv/bin/python bench/organizations_search.py
    KYODO_TEST_PG_PORT=55441 KYODO_TEST_PG_DIR=/tmp/pg-orgsearch scripts/postgres stop

Creates the organizations in bulk in a fresh SQLite file in the temporary directory
(``--reuse`` keeps the file of an earlier run), or in the empty database
``KYODO_DATABASE_URL`` names, with names built from the real NPO names of
../shared/data/npo and their readings, purposes, fields, areas and registrations; then
refreshes the planner's statistics as an import does.

Then it serves the site with Python's WSGI server in 2 worker processes sharing one
socket (``DEBUG`` off), and reports for 2- and 4-character words (issue 3: API p95 ≤ 15
ms, HTML p95 ≤ 30 ms for one client, ≥ 5× faster than a naive search at p95):

- p50/p95 of ``/api/v1/organizations?q=…`` and ``/organizations/?q=…`` for one client;
- the same through a second pair of workers running the naive search: a queryset built
  for each request (no prepared statement), ``icontains`` on the same folded text
  without the index, and Django's Paginator (exact ``COUNT(*)``); and the ratio naive /
  indexed at p95;
- the ORM work alone (filters, count, page, child rows), indexed and naive;
- a few cases outside the targets: a word in most names, filters, deep pages, the
  list of areas of the filter form when its cache is cold;
- the throughput of each pair of workers with 4 clients at once;
- the Python calls of one request (``sys.setprofile``), which unlike the times do not
  change with the load of the machine.

Besides the wall time it reports the CPU time the Django worker spent on each request
(``X-Bench-CPU``), which grows far less than the wall time when other programs share the
processors; on PostgreSQL it leaves out the database server's own work.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import multiprocessing
import os
import platform
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "npo"

WORDS = ["子育", "福祉", "さっぽろ", "まちづく"]  # the targets: 2 and 4 characters
FILTERS = {"field": "13", "area": "札幌市中央区", "legal_form": "npo_corporation"}
PURPOSES = [
    "地域の子どもと子育て家庭を支え、安心して子育てができるまちづくりに寄与する。",
    "高齢者や障がいのある人の福祉の増進を図り、誰もが暮らしやすい地域をつくる。",
    "自然環境の保全と環境教育を通じて、持続可能な社会の実現に寄与する。",
    "文化・芸術・スポーツの振興を通じて、市民の交流と健康づくりを進める。",
    "災害への備えと被災地の支援を通じて、安全で安心なまちづくりに寄与する。",
    "外国にルーツのある住民との交流を深め、多文化共生の地域づくりを進める。",
]
AREAS = ["札幌市内", "全道", "中央区", "北区", "東区", "白石区", "南区", "西区", "横浜市内"]
ENDINGS = ["", "の会", "ネットワーク", "クラブ", "協会", "ひろば", "研究会", "サポートセンター"]
CLIENTS = 4


def setup_django(reuse: bool = False) -> str:
    if "KYODO_DATABASE_URL" not in os.environ:
        path = Path(tempfile.gettempdir()) / "kyodo-bench-organizations-search.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["KYODO_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    os.environ.setdefault("KYODO_DEBUG", "0")
    os.environ.setdefault("KYODO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    return os.environ["KYODO_DATABASE_URL"]


def real_names() -> list[tuple[str, str, str, str]]:
    """(name without legal form, reading, prefecture, municipality) of the real rows."""
    from kyodo.organizations.matching import strip_legal_form

    found: dict[str, tuple[str, str, str, str]] = {}
    for path in sorted(SHARED.glob("nta_houjin_npo_diffs_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                core = strip_legal_form(row["商号又は名称"])
                if core:
                    found[core] = (
                        core,
                        row["フリガナ"],
                        row["国内所在地（都道府県）"],
                        row["国内所在地（市区町村）"],
                    )
    if not found:
        raise SystemExit(f"The NTA files are missing from {SHARED}.")
    return sorted(found.values())


def populate(count: int) -> None:
    from django.db import transaction

    from kyodo.centers.models import Center
    from kyodo.organizations.models import (
        ActivityArea,
        CenterRegistration,
        LegalForm,
        Organization,
        OrganizationActivityField,
    )

    rng = random.Random(7)
    names = real_names()
    center, _created = Center.objects.get_or_create(
        slug="bench-sapporo",
        defaults={
            "name": "札幌市市民活動サポートセンター",
            "name_kana": "サッポロシシミンカツドウサポートセンター",
            "prefecture": "北海道",
            "municipality": "札幌市",
        },
    )
    forms = [LegalForm.NPO_CORPORATION] * 6 + [
        LegalForm.VOLUNTARY_GROUP,
        LegalForm.NEIGHBORHOOD_ASSOCIATION,
        LegalForm.GENERAL_INCORPORATED_ASSOCIATION,
    ]
    batch: list[Organization] = []
    extras: list[tuple[list[int], list[str], bool]] = []
    seen: set[str] = set()
    index = 0

    def flush() -> None:
        with transaction.atomic():
            created = Organization.objects.bulk_create(batch)
            fields, areas, registrations = [], [], []
            for org, (codes, area_names, registered) in zip(created, extras, strict=True):
                fields += [OrganizationActivityField(organization=org, code=c) for c in codes]
                areas += [
                    ActivityArea(organization=org, name=name, position=p)
                    for p, name in enumerate(area_names)
                ]
                if registered:
                    registrations.append(CenterRegistration(organization=org, center=center))
            OrganizationActivityField.objects.bulk_create(fields)
            ActivityArea.objects.bulk_create(areas)
            CenterRegistration.objects.bulk_create(registrations)
        batch.clear()
        extras.clear()

    towns = sorted({municipality[-3:-1] for _c, _k, _p, municipality in names} - {""})
    while len(seen) < count:
        core, kana, prefecture, municipality = names[index % len(names)]
        round_ = index // len(names)
        ending = "" if round_ == 0 else ENDINGS[(index + round_) % len(ENDINGS)]
        prefix = "" if round_ < 2 else towns[(index * 7 + round_) % len(towns)]
        name = f"{prefix}{core}{ending}"
        index += 1
        if name in seen:
            continue
        seen.add(name)
        legal_form = forms[index % len(forms)]
        org = Organization(
            name=("特定非営利活動法人" if legal_form == LegalForm.NPO_CORPORATION else "") + name,
            name_kana=kana if round_ == 0 else "",
            legal_form=legal_form,
            prefecture=prefecture,
            municipality=municipality,
            purpose=rng.choice(PURPOSES),
            phone=f"011-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
        )
        area_names = rng.sample(AREAS, rng.randrange(0, 3))
        org.refresh_derived_fields(other_names=[], areas=area_names)
        batch.append(org)
        codes = sorted(rng.sample(range(1, 21), rng.randrange(1, 4)))
        extras.append((codes, area_names, rng.random() < 0.2))
        if len(batch) >= 2000:
            flush()
    if batch:
        flush()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


Figures = tuple[float, float, float, float]  # wall p50, p95; CPU p50, p95 (ms)


def measure(runs: int, work: Callable[[], float | None]) -> Figures:
    """Wall time of ``work`` and CPU time (what it returns: the server's CPU time for
    an HTTP request, else the CPU time of this process)."""
    for _ in range(3):
        work()  # warm the caches
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        reported = work()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append(reported if reported is not None else (time.process_time() - used) * 1000)
    return (*percentiles(wall), *percentiles(cpu))


# --- The naive search, for the baseline ---------------------------------------------------------


@contextlib.contextmanager
def naive_search() -> Iterator[None]:
    """Search as a first version would: a queryset per request (no prepared statement),
    ``icontains`` on the folded text of every record (no index) and Django's Paginator
    (an exact ``COUNT(*)``, any OFFSET)."""
    from django.core.paginator import Paginator
    from django.db.models import Q

    from kyodo.organizations import prepared, search
    from kyodo.organizations.models import Organization, OrganizationQuerySet

    def containing(self: Any, terms: Any, narrowed: Any = None) -> Any:
        query = Q()
        for term in terms:
            query &= Q(search_text__icontains=term)
        return self.filter(query)

    def no_index(terms: Any, *, using: str) -> None:
        return None

    def queryset(form: Any, columns: tuple[str, ...]) -> Any:
        return form.filter(Organization.objects.public().only(*columns))

    def exact_page(queryset: Any, number: int, *, per_page: int, **kwargs: Any) -> Any:
        paginator = Paginator(queryset, per_page)
        page = paginator.get_page(number)
        return search.ResultPage(
            number=page.number,
            items=list(page),
            per_page=per_page,
            count=paginator.count,
            count_is_capped=False,
            has_next=page.has_next(),
        )

    saved = (
        OrganizationQuerySet.containing,
        search.candidates,
        prepared.directory_rows,
        search.result_page,
    )
    OrganizationQuerySet.containing = containing  # type: ignore[method-assign]
    search.candidates = no_index  # type: ignore[assignment]
    prepared.directory_rows = queryset  # type: ignore[assignment]
    search.result_page = exact_page  # type: ignore[assignment]
    try:
        yield
    finally:
        (
            OrganizationQuerySet.containing,  # type: ignore[method-assign]
            search.candidates,
            prepared.directory_rows,
            search.result_page,
        ) = saved


def orm_page(params: dict[str, str]) -> Callable[[], None]:
    """What the API does with the database, without HTTP."""
    from kyodo.centers.models import Center
    from kyodo.organizations import exports, prepared, search
    from kyodo.organizations.forms import DirectoryFilterForm
    from kyodo.organizations.models import LISTING_COLUMNS, load_listings

    def work() -> None:
        form = DirectoryFilterForm(params, centers=Center.objects.active())
        form.is_valid()
        page = search.result_page(prepared.directory_rows(form, LISTING_COLUMNS), 1, per_page=20)
        load_listings(page.items)
        list(exports.public_items(page.items, absolute_url=lambda path: path))

    return work


def search_only(word: str) -> Callable[[], None]:
    """The search itself: the matches counted and the first page of records."""
    from kyodo.organizations import prepared, search
    from kyodo.organizations.forms import DirectoryFilterForm
    from kyodo.organizations.models import LISTING_COLUMNS

    form = DirectoryFilterForm({"q": word})
    form.is_valid()

    def work() -> None:
        search.result_page(prepared.directory_rows(form, LISTING_COLUMNS), 1, per_page=20)

    return work


def naive_search_only(word: str) -> Callable[[], None]:
    work = search_only(word)

    def naive_work() -> None:
        with naive_search():
            work()

    return naive_work


def naive_orm_page(params: dict[str, str]) -> Callable[[], None]:
    work = orm_page(params)

    def naive_work() -> None:
        with naive_search():
            work()

    return naive_work


# --- Serving: WSGI worker processes sharing one socket ------------------------------------------


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _with_cpu_time(application: Any) -> Any:
    """The WSGI application, answering with its CPU time in ``X-Bench-CPU`` (ms): unlike
    the wall time, it does not grow when other programs share the processors."""

    def timed(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        started = time.process_time()
        answer: list[Any] = []
        body = b"".join(application(environ, lambda *args: answer.append(args)))
        status, headers = answer[0][:2]
        cpu = (time.process_time() - started) * 1000
        start_response(status, [*headers, ("X-Bench-CPU", f"{cpu:.3f}")])
        return [body]

    return timed


def _serve(listener: socket.socket, naive: bool, conn_max_age: int) -> None:
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    connections["default"].settings_dict["CONN_MAX_AGE"] = conn_max_age

    with naive_search() if naive else contextlib.nullcontext():
        server = WSGIServer(listener.getsockname(), QuietHandler, bind_and_activate=False)
        server.socket.close()
        server.socket = listener
        server.server_name, server.server_port = "127.0.0.1", listener.getsockname()[1]
        server.setup_environ()
        server.set_app(_with_cpu_time(get_wsgi_application()))
        server.serve_forever()


class Workers:
    """``count`` forked WSGI servers accepting on one listening socket."""

    def __init__(self, count: int, *, naive: bool = False, conn_max_age: int = 0) -> None:
        from django.db import connections

        connections.close_all()  # the children open their own
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.listener.getsockname()[1]
        context = multiprocessing.get_context("fork")
        self.processes = [
            context.Process(target=_serve, args=(self.listener, naive, conn_max_age), daemon=True)
            for _ in range(count)
        ]
        for process in self.processes:
            process.start()

    def get(self, path: str, params: dict[str, str] | None = None) -> float:
        """GET the page; the server's CPU time for it (ms)."""
        target = path + ("?" + urllib.parse.urlencode(params) if params else "")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"{target}: HTTP {response.status}")
        return float(response.getheader("X-Bench-CPU") or 0)

    def close(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join()
        self.listener.close()


def throughput(workers: Workers, seconds: float, paths: list[tuple[str, dict[str, str]]]) -> str:
    """Requests per second with ``CLIENTS`` clients at once, and their p50/p95."""
    stop = time.perf_counter() + seconds
    samples: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        index = offset
        while time.perf_counter() < stop:
            path, params = paths[index % len(paths)]
            started = time.perf_counter()
            workers.get(path, params)
            with lock:
                samples.append((time.perf_counter() - started) * 1000)
            index += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rate = len(samples) / (time.perf_counter() - started)
    p50, p95 = percentiles(samples)
    return f"{rate:6.0f} requests/s (p50 {p50:.1f} ms, p95 {p95:.1f} ms, {CLIENTS} clients)"


# --- The run --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the organization directory search.")
    parser.add_argument("--n", type=int, default=50_000, help="organizations to create")
    parser.add_argument("--runs", type=int, default=100, help="runs per measurement")
    parser.add_argument("--seconds", type=float, default=15, help="per throughput run")
    parser.add_argument("--reuse", action="store_true", help="keep the SQLite file")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=600,
        help="CONN_MAX_AGE of the workers (0: a new connection per request, the settings' "
        "default; PostgreSQL then spends 5-20 ms per request starting a backend)",
    )
    args = parser.parse_args()
    setup_django(reuse=args.reuse)
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from kyodo.organizations import search
    from kyodo.organizations.forms import directory_areas
    from kyodo.organizations.models import Organization

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not Organization.objects.exists():
        populate(args.n)
    created = time.perf_counter() - started
    started = time.perf_counter()
    search.rebuild_index()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a load
    indexed = time.perf_counter() - started
    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        version = str(connection.cursor().connection.info.server_version)
    print(
        f"database: {connection.vendor} {version}; "
        f"{Organization.objects.count()} organizations (created in {created:.0f} s, "
        f"index rebuilt and statistics refreshed in {indexed:.1f} s); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    summary: list[str] = []

    def report(label: str, figures: Figures, note: str = "") -> Figures:
        wall50, wall95, cpu50, cpu95 = figures
        print(f"{label:50} {wall50:7.1f} {wall95:7.1f} {cpu50:7.1f} {cpu95:7.1f}  {note}")
        return figures

    def ratio(naive: Figures, ours: Figures) -> str:
        return f"{naive[1] / ours[1]:.1f}× (CPU {naive[3] / ours[3]:.1f}×)"

    print(
        f"workers: Python's WSGI server, DEBUG off, CONN_MAX_AGE={args.conn_max_age}; "
        f"Python {platform.python_version()} ({os.path.realpath(sys._base_executable)})"
    )
    print(f"\n{'one client; ms':50} {'wall':>15} {'Django CPU':>15}")
    print(f"{'':50} {'p50':>7} {'p95':>7} {'p50':>7} {'p95':>7}")
    served = Workers(2, conn_max_age=args.conn_max_age)
    naive_served = Workers(2, naive=True, conn_max_age=args.conn_max_age)
    api, html = "/api/v1/organizations", "/organizations/"
    try:
        for word in WORDS:
            params = {"q": word}
            matches = Organization.objects.public().active().search(word).count()
            print(f"-- q={word} ({len(word)} characters, {matches} matches)")
            for kind, path, target in (("API", api, 15), ("HTML", html, 30)):
                ours = report(
                    f"{kind} {path}?q={word}",
                    measure(args.runs, lambda p=path, q=params: served.get(p, q)),
                    f"target p95 ≤ {target} ms",
                )
                naive = report(
                    f"{kind} naive: icontains, exact COUNT(*)",
                    measure(args.runs, lambda p=path, q=params: naive_served.get(p, q)),
                )
                print(f"{'':50} naive/indexed at p95: {ratio(naive, ours)}")
                summary.append(
                    f"{kind:4} q={word:6} p95 {ours[1]:5.1f} ms (CPU {ours[3]:4.1f} ms); "
                    f"naive {naive[1]:6.1f} ms; ratio {ratio(naive, ours)}"
                )
            ours = report(
                "ORM only (filters, count, page, child rows)", measure(args.runs, orm_page(params))
            )
            naive = report("ORM only, naive", measure(args.runs, naive_orm_page(params)))
            print(f"{'':50} naive/indexed at p95: {ratio(naive, ours)}")
            ours = report("search only (count + first page)", measure(args.runs, search_only(word)))
            naive = report("search only, naive", measure(args.runs, naive_search_only(word)))
            print(f"{'':50} naive/indexed at p95: {ratio(naive, ours)}")
            summary.append(
                f"search q={word:6} p95 {ours[1]:5.1f} ms; naive {naive[1]:6.1f} ms; "
                f"ratio {ratio(naive, ours)}"
            )

        print("-- outside the targets")
        few = max(10, args.runs // 5)
        for word in ("法人", "協会"):
            matches = Organization.objects.public().active().search(word).count()
            report(
                f"API q={word} ({matches} matches)",
                measure(args.runs, lambda w=word: served.get(api, {"q": w})),
            )
        combined = {**FILTERS, "q": "福祉"}
        report(
            "API q=福祉&field=13&area=札幌市中央区&legal_form=npo",
            measure(args.runs, lambda: served.get(api, combined)),
        )
        report("HTML the same", measure(args.runs, lambda: served.get(html, combined)))
        report("HTML no filter, page 1", measure(args.runs, lambda: served.get(html)))
        report(
            "HTML no filter, page 50 (the last counted)",
            measure(args.runs, lambda: served.get(html, {"page": "50"})),
        )
        report(
            "HTML no filter, page 2000 (OFFSET 39,980)",
            measure(few, lambda: served.get(html, {"page": "2000"})),
        )
        report("API no filter, page 1", measure(args.runs, lambda: served.get(api)))
        report("API naive, no filter, page 1", measure(args.runs, lambda: naive_served.get(api)))

        def cold_areas() -> None:
            cache.clear()
            directory_areas()

        report("areas of the filter form, cache cold (every 5 min)", measure(few, cold_areas))

        mix = [(path, {"q": word}) for word in WORDS for path in (html, api)]
        print(f"\n-- throughput, 2 worker processes, HTML and API searches of {', '.join(WORDS)}")
        print(f"indexed: {throughput(served, args.seconds, mix)}")
        print(f"naive:   {throughput(naive_served, args.seconds, mix)}")
    finally:
        served.close()
        naive_served.close()
    print("\n-- Python calls per request (sys.setprofile, in this process): the same on a")
    print("   busy machine as on an idle one")
    for word in WORDS:
        api_calls, html_calls = python_calls(api, {"q": word}), python_calls(html, {"q": word})
        print(f"q={word:6} API {api_calls:6,d}   HTML {html_calls:6,d}")
    print(f"\n-- summary (load average now {os.getloadavg()[0]:.1f})")
    for line in summary:
        print(line)


def python_calls(path: str, params: dict[str, str]) -> int:
    """How many Python functions one GET of ``path`` calls, the caches warm."""
    from django.test import Client

    client = Client()
    client.get(path, params)
    calls = 0

    def count(frame: Any, event: str, arg: Any) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        client.get(path, params)
    finally:
        sys.setprofile(None)
    return calls


if __name__ == "__main__":
    main()
