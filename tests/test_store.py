"""The store, on a real SQLite file and on a real PostgreSQL server: the same tests for both.

PostgreSQL: the server named by ``UNSPIN_TEST_PG_URL`` (``.ci/run`` starts one), else one
started here in a temporary folder (``initdb`` + ``pg_ctl``, as the ``postgres`` user when
running as root), else the PostgreSQL half is skipped with the reason.

Two real analyses (the two example articles) are made once per session; other reports are
those two with changed metadata, which makes them different articles for the store.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sa = pytest.importorskip("sqlalchemy")
pytest.importorskip("alembic")

from unspin.article import parse_text  # noqa: E402
from unspin.report import Report  # noqa: E402
from unspin.store import (  # noqa: E402
    SearchQuery,
    Store,
    StoreError,
    article_hash,
    report_hash,
)
from unspin.store import schema as tables  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PORT_TITLE = "Reckless Union Bosses Hold Harbour City Hostage as Port Strike Drags Into Third Week"


# --------------------------------------------------------------------------------------------
# a PostgreSQL server for the session
# --------------------------------------------------------------------------------------------


def _pg_bin() -> Path | None:
    candidates = [os.environ.get("UNSPIN_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(found).resolve().parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server URL (the maintenance database), or skip with the reason."""
    url = os.environ.get("UNSPIN_TEST_PG_URL")
    if url:
        yield url
        return
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    folder = _pg_bin()
    if folder is None:
        pytest.skip("PostgreSQL tests skipped: UNSPIN_TEST_PG_URL is not set and no initdb/"
                    "pg_ctl was found (apt-get install postgresql)")
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="unspin-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("PostgreSQL tests skipped: running as root and there is no postgres "
                        "user to run the server as")
        os.chown(base, user.pw_uid, user.pw_gid)
        runuser = shutil.which("runuser")
        prefix = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-c"]
        if not runuser:
            pytest.skip("PostgreSQL tests skipped: no runuser to start the server as postgres")
    port = _free_port()
    data, log = base / "data", base / "log"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)

    init = run(str(folder / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
               "-E", "UTF8", "--no-sync")
    if init.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"PostgreSQL tests skipped: initdb failed: {init.stderr.strip()[-300:]}")
    options = f"-F -p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=200"
    start = run(str(folder / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                "-w", "-t", "60", "start")
    if start.returncode != 0:
        tail = log.read_text(errors="replace")[-400:] if log.exists() else start.stderr
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"PostgreSQL tests skipped: the server did not start: {tail.strip()}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'reports.db'}"
        return
    server = request.getfixturevalue("pg_server")
    name = f"unspin_test_{uuid.uuid4().hex[:12]}"
    _admin(server, f"CREATE DATABASE {name}")
    head, _, _ = server.rpartition("/")
    try:
        yield f"{head}/{name}"
    finally:
        _admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


# --------------------------------------------------------------------------------------------
# reports
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def analyses() -> dict[str, tuple[object, Report]]:
    """The two example articles (with outlet and date) and their real reports."""
    from unspin.pipeline import default_analyzer

    analyzer = default_analyzer()
    out = {}
    for name, outlet, date in (("port_strike", "Harbour Herald", "2025-03-04"),
                               ("wire_report", "Riverton Gazette", "2025-03-14")):
        text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
        article = parse_text(text, outlet=outlet, date=date)
        out[name] = (article, analyzer(article))
    return out


@pytest.fixture(scope="session")
def port(analyses) -> Report:
    return analyses["port_strike"][1]


@pytest.fixture(scope="session")
def wire(analyses) -> Report:
    return analyses["wire_report"][1]


def variant(report: Report, **meta: str | None) -> Report:
    """The same analysis with other metadata: another article, as far as the store knows."""
    return report.model_copy(update={"meta": report.meta.model_copy(update=meta)})


def rows(store: Store, table: sa.Table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def ids(store: Store, **query) -> list[int]:
    return [item.id for item in store.search(SearchQuery(**query)).items]


# --------------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------------


def test_content_hash_is_known_before_analysis(analyses) -> None:
    for article, report in analyses.values():
        assert article_hash(article) == report_hash(report)
    article, report = analyses["port_strike"]
    assert report_hash(variant(report, outlet="Other Outlet")) != report_hash(report)


def test_migrations_build_the_schema_the_code_expects(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from unspin.store import migrate

    store = Store(db_url)
    try:
        assert migrate.current(store.engine) == migrate.head()
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, tables.metadata)
        # the full-text machinery is the migration's own (FTS5 table, tsvector column)
        diff = [d for d in diff if "fts" not in repr(d) and "search" not in repr(d)]
        assert diff == []
        migrate.downgrade(store.engine, "base")
        assert migrate.current(store.engine) is None
        migrate.upgrade(store.engine)
        assert migrate.current(store.engine) == migrate.head()
    finally:
        store.close()
    again = Store(db_url)  # opening an up-to-date store migrates nothing and keeps working
    assert again.count() == 0
    again.close()


def test_a_report_round_trips_and_is_stored_once(store: Store, port: Report) -> None:
    first = store.add(port)
    assert first.created
    second = store.add(port)
    assert (second.id, second.created) == (first.id, False)
    assert second.analysed_at == first.analysed_at
    stored = store.get(first.id)
    assert stored is not None and stored.report == port
    assert store.count() == 1 and rows(store, tables.articles) == 1
    assert store.find(report_hash(port), tables_key(port)).id == first.id
    # the same article analysed by other model versions: a second report, the same article
    newer = port.model_copy(update={"versions": {**port.versions, "model:claims": "7+new"}})
    third = store.add(newer)
    assert third.created and third.id != first.id
    assert store.count() == 2 and rows(store, tables.articles) == 1
    # normalised rows for each report
    assert rows(store, tables.techniques) == 2 * len(port.techniques)
    assert rows(store, tables.claims) == 2 * len(port.claims)
    assert rows(store, tables.sources) == 2 * len(port.sources)
    assert rows(store, tables.flags) == 2 * len(port.flags)
    assert store.get(999_999) is None


def tables_key(report: Report) -> str:
    from unspin.store import versions_key

    return versions_key(report.versions)


def test_search_by_phrase_source_outlet_flag_technique_genre_and_date(
        store: Store, port: Report, wire: Report) -> None:
    p = store.add(port).id
    w = store.add(wire).id
    assert ids(store) == [w, p]  # newest first
    # free text: stemmed words in any order, quoted phrases in order
    assert ids(store, q='"container terminal"') == [p]
    assert ids(store, q='"terminal container"') == []
    assert ids(store, q="strikes") == [p]  # stemming: strike
    assert ids(store, q="budget council") == [w]
    assert ids(store, q="budget strike") == []
    assert ids(store, q="Okafor") == [p]
    # sources, outlets: names regardless of case and spacing
    assert ids(store, source="Miriam Okafor") == [p]
    assert ids(store, source="  miriam   OKAFOR ") == [p]
    assert ids(store, source="Maria Alvarez") == [w]
    assert ids(store, source="Okafor") == []  # a name, not a substring
    assert ids(store, outlet="harbour herald") == [p]
    assert ids(store, outlet="Riverton Gazette") == [w]
    # flags ("borrowed authority"), techniques, genre
    assert ids(store, flag="unused_source") == [p]
    assert ids(store, technique="Loaded_Language") == [p]
    assert ids(store, genre=port.genre.label) == [p]
    # dates: the article's date, inclusive bounds
    assert ids(store, date_from=dt.date(2025, 3, 10)) == [w]
    assert ids(store, date_to=dt.date(2025, 3, 4)) == [p]
    assert ids(store, date_from=dt.date(2025, 3, 5), date_to=dt.date(2025, 3, 13)) == []
    # everything at once
    assert ids(store, q="port", outlet="Harbour Herald", source="Miriam Okafor",
               flag="unused_source", technique="Loaded_Language",
               date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31)) == [p]
    item = store.search(SearchQuery(q='"container terminal"')).items[0]
    assert item.title == PORT_TITLE and item.outlet == "Harbour Herald"
    assert item.date == "2025-03-04" and item.words == int(port.metrics["words"])
    assert {f.name for f in item.flags} == {f.code for f in port.flags}
    assert {t.name for t in item.techniques} == {t.technique for t in port.techniques}


@pytest.mark.parametrize("q", ['AND OR NOT', '"', 'strike*', 'NEAR(port strike)', "port's",
                               "title:strike", "-strike", "(((", "'; DROP TABLE reports; --"])
def test_free_text_is_never_a_query_language(store: Store, port: Report, q: str) -> None:
    store.add(port)
    store.search(SearchQuery(q=q))  # no error, whatever it finds
    assert store.count() == 1


def test_pages(store: Store, port: Report) -> None:
    added = [store.add(variant(port, outlet=f"Outlet {i}")).id for i in range(5)]
    first = store.search(SearchQuery(limit=2))
    second = store.search(SearchQuery(limit=2, offset=2))
    last = store.search(SearchQuery(limit=2, offset=4))
    assert first.total == second.total == last.total == 5
    got = [i.id for page in (first, second, last) for i in page.items]
    assert got == sorted(added, reverse=True)
    assert store.search(SearchQuery(limit=2, offset=10)).items == []


def test_delete_removes_the_report_its_rows_and_its_text(store: Store, port: Report,
                                                         wire: Report) -> None:
    p = store.add(port).id
    w = store.add(wire).id
    assert store.delete(p)
    assert store.get(p) is None and not store.delete(p)
    assert ids(store) == [w]
    assert ids(store, q='"container terminal"') == []
    assert ids(store, flag="unused_source") == []
    assert rows(store, tables.articles) == 1
    for table, n in ((tables.techniques, len(wire.techniques)), (tables.claims, len(wire.claims)),
                     (tables.sources, len(wire.sources)), (tables.flags, len(wire.flags)),
                     (tables.frames, len(wire.frames))):
        assert rows(store, table) == n
    # stored again after deletion: a new report, found again
    again = store.add(port)
    assert again.created and ids(store, q='"container terminal"') == [again.id]


def test_trends_per_outlet_and_week(store: Store, port: Report, wire: Report) -> None:
    store.add(port)  # Harbour Herald, 2025-03-04 (week of 3 March)
    store.add(variant(port, date="2025-03-06"))  # same week
    store.add(variant(port, date="2025-03-12"))  # next week
    store.add(wire)  # Riverton Gazette, 2025-03-14
    trends = store.trends()
    assert [t.outlet for t in trends] == ["Harbour Herald", "Riverton Gazette"]
    herald = trends[0]
    assert herald.reports == 3
    assert [w.week for w in herald.weeks] == [dt.date(2025, 3, 3), dt.date(2025, 3, 10)]
    first = herald.weeks[0]
    words = 2 * int(port.metrics["words"])
    loaded = sum(1 for t in port.techniques if t.technique == "Loaded_Language")
    unattributed = sum(1 for c in port.claims
                       if c.attribution is None or c.attribution.kind == "unattributed")
    assert (first.reports, first.words, first.flags) == (2, words, 2 * len(port.flags))
    assert first.loaded_wording == 2 * loaded
    assert first.unattributed_claims == 2 * unattributed
    assert first.flags_per_100_words == pytest.approx(100 * 2 * len(port.flags) / words,
                                                      abs=1e-3)
    assert first.loaded_wording_per_100_words == pytest.approx(100 * 2 * loaded / words,
                                                               abs=1e-3)
    only = store.trends(outlet="riverton gazette")
    assert [t.outlet for t in only] == ["Riverton Gazette"]
    assert store.trends(date_from=dt.date(2025, 3, 10), outlet="Harbour Herald")[0].reports == 1


def test_facets(store: Store, port: Report, wire: Report) -> None:
    store.add(port)
    store.add(variant(port, outlet="Harbour Herald", date="2025-03-20"))
    store.add(wire)
    f = store.facets()
    assert [(c.name, c.count) for c in f.outlets] == [("Harbour Herald", 2),
                                                       ("Riverton Gazette", 1)]
    assert ("Miriam Okafor", 2) in [(c.name, c.count) for c in f.sources]
    assert ("unused_source", 2) in [(c.name, c.count) for c in f.flags]
    assert {c.name for c in f.techniques} >= {t.technique for t in port.techniques}
    assert sum(c.count for c in f.genres) == 3


def test_concurrent_writers_lose_nothing(db_url: str, port: Report) -> None:
    """Two stores (two connection pools, as two server processes would have) and eight
    threads write at once: every distinct article is stored exactly once, every repeat gets
    the id of the one stored copy, and no write fails."""
    stores = [Store(db_url), Store(db_url, migrate=False)]
    shared = variant(port, outlet="Shared Outlet")
    per_thread = 6
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)
    lock = threading.Lock()

    def work(k: int) -> None:
        store = stores[k % 2]
        try:
            barrier.wait(timeout=30)
            for i in range(per_thread):
                for key, report in ((f"{k}-{i}", variant(port, outlet=f"Outlet {k}-{i}")),
                                    ("shared", shared)):
                    saved = store.add(report)
                    with lock:
                        results.setdefault(key, []).append(saved.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert errors == []
        assert len(set(results["shared"])) == 1 and len(results["shared"]) == 8 * per_thread
        distinct = {key: v[0] for key, v in results.items()}
        assert len(set(distinct.values())) == len(distinct) == 8 * per_thread + 1
        assert stores[0].count() == len(distinct)
        assert sorted(stores[1].ids()) == sorted(distinct.values())
        assert rows(stores[0], tables.flags) == len(distinct) * len(port.flags)
        assert ids(stores[0], outlet="Outlet 3-5") == [distinct["3-5"]]
    finally:
        for s in stores:
            s.close()


def test_bad_database_urls_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("mysql://somewhere/db")
    with pytest.raises(StoreError, match="not a database URL"):
        Store(str(tmp_path / "reports.db"))  # a path is not a URL
    with pytest.raises(StoreError, match="does not exist"):
        Store(f"sqlite:///{tmp_path}/missing/folder/reports.db")
    port = _free_port()  # nothing listens there
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(f"postgresql://nobody:secret@127.0.0.1:{port}/db")
    try:
        Store(f"postgresql://nobody:secret@127.0.0.1:{port}/db")
    except StoreError as exc:
        assert "secret" not in str(exc)  # the password is never shown
