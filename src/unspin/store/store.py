"""The store of analysed articles: SQLite by default (WAL, FTS5), PostgreSQL for teams.

    store = Store("sqlite:///reports.db")          # or "postgresql://user@host/db"
    saved = store.add(report)                      # Saved(id, created, analysed_at)
    store.get(saved.id)                            # StoredReport | None
    store.search(SearchQuery(q="container terminal", flag="unused_source"))
    store.trends()                                 # per outlet, by week
    store.delete(saved.id)

One article analysed twice with the same model versions is stored once: an article is keyed
by :func:`article_hash` (its exact text, its title, caption and paragraph spans and its
metadata), a report by (article, :func:`versions_key`). Writers never lose each other's
rows: on SQLite every write is one ``BEGIN IMMEDIATE`` transaction (writers queue on the
database lock, readers keep reading in WAL mode), on PostgreSQL the unique constraints and
``ON CONFLICT DO NOTHING`` settle races. The schema is created and upgraded by the Alembic
migrations shipped in ``unspin/store/migrations`` when a store is opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import StaticPool

from unspin.errors import UnspinError
from unspin.report import SCHEMA_VERSION, Report
from unspin.store import schema as t
from unspin.store.types import (
    Count,
    Facets,
    OutletTrend,
    ReportSummary,
    Saved,
    SearchPage,
    SearchQuery,
    StoredReport,
    TrendPoint,
)

#: The technique whose spans count as loaded wording in the trends.
LOADED_LANGUAGE = "Loaded_Language"

_KEY_LENGTH = 200
_SQLITE_BUSY_MS = 30_000


class StoreError(UnspinError):
    """The store cannot be opened or used (bad URL, server unreachable, ...)."""


# --------------------------------------------------------------------------------------------
# keys
# --------------------------------------------------------------------------------------------


def name_key(name: str | None) -> str | None:
    """How outlet and source names are compared: case-folded, spaces collapsed."""
    if name is None:
        return None
    key = " ".join(name.casefold().split())[:_KEY_LENGTH]
    return key or None


def _digest(value: object) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _span(span: Any) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _content_hash(text: str, title: Any, captions: Iterable[Any], paragraphs: Iterable[Any],
                  meta: Mapping[str, str | None]) -> str:
    return _digest({
        "text": text,
        "title": _span(title),
        "captions": [[c.start, c.end, c.kind] for c in captions],
        "paragraphs": [_span(p) for p in paragraphs],
        "meta": {k: meta.get(k) for k in ("byline", "date", "outlet", "url")},
    })


def article_hash(article: Any) -> str:
    """The content hash of an :class:`~unspin.article.Article`: the same value as
    :func:`report_hash` of its report, so a repeat can be found before analysing it."""
    meta = {"byline": article.byline, "date": article.date, "outlet": article.outlet,
            "url": article.url}
    return _content_hash(article.text, article.title, article.captions, article.paragraphs, meta)


def report_hash(report: Report) -> str:
    """The content hash of the article a :class:`~unspin.report.Report` was made from."""
    return _content_hash(report.text, report.title, report.captions, report.paragraphs,
                         report.meta.model_dump())


def versions_key(versions: Mapping[str, str]) -> str:
    """A key for the model versions (and report schema) a report was made with."""
    return _digest({"schema": SCHEMA_VERSION, **versions})


# --------------------------------------------------------------------------------------------
# URLs and engines
# --------------------------------------------------------------------------------------------


def default_db_path() -> Path:
    """Where the default SQLite store lives: ``$UNSPIN_DATA_DIR`` or the XDG data folder."""
    base = os.environ.get("UNSPIN_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "unspin")
    return Path(base) / "reports.db"


def normalise_db_url(url: str | None) -> str:
    """A SQLAlchemy URL for ``url``: ``None`` is the default SQLite file; ``postgresql://`` and
    ``postgres://`` use the psycopg (3) driver. Raises :class:`StoreError` for anything that is
    not a ``sqlite:`` or ``postgresql:`` URL."""
    if url is None:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if not re.match(r"^(sqlite|postgresql\+psycopg)://", url):
        raise StoreError(
            f"not a database URL: {url!r}; use sqlite:///path/to/reports.db or "
            "postgresql://user:password@host:5432/dbname")
    return url


def display_url(url: str) -> str:
    """``url`` with any password hidden, for messages and logs."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_engine(url: str) -> Engine:
    memory = sa.make_url(url).database in (None, "", ":memory:")
    if memory:
        engine = sa.create_engine(url, poolclass=StaticPool,
                                  connect_args={"check_same_thread": False})
    else:
        path = Path(sa.make_url(url).database)
        if not path.parent.exists():
            raise StoreError(f"the folder of the database {path} does not exist")
        engine = sa.create_engine(url, pool_size=8, max_overflow=24, pool_timeout=60,
                                  connect_args={"check_same_thread": False,
                                                "timeout": _SQLITE_BUSY_MS / 1000})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        # Transactions are begun by the "begin" hook below, not by the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # A writer takes the write lock up front (IMMEDIATE), so two writers queue on the busy
        # timeout instead of failing when a read lock cannot be upgraded.
        write = conn.get_execution_options().get("unspin_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url)
        return sa.create_engine(url, pool_size=8, max_overflow=24, pool_timeout=60,
                                pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot open the database {display_url(url)}: {exc}") from exc


# --------------------------------------------------------------------------------------------
# full-text queries
# --------------------------------------------------------------------------------------------

_QUERY_PART = re.compile(r'"([^"]*)"|([^\s"]+)')


def query_parts(q: str) -> list[str]:
    """The parts of a free-text query: each quoted phrase, and each other word."""
    parts = []
    for phrase, word in _QUERY_PART.findall(q):
        part = " ".join((phrase or word).split())
        if part and re.search(r"\w", part):
            parts.append(part)
    return parts[:32]


def _fts5_query(parts: list[str]) -> str:
    """An FTS5 MATCH expression: every part as a quoted string (so no part is ever read as an
    FTS5 operator), all required."""
    return " AND ".join('"' + p.replace('"', '""') + '"' for p in parts)


# --------------------------------------------------------------------------------------------
# the store
# --------------------------------------------------------------------------------------------


class Store:
    """Analysed articles in a SQL database (see the module docstring).

    ``url``: a SQLAlchemy URL (``sqlite:///path``, ``postgresql://...``) or None for the
    default SQLite file. ``migrate``: bring the schema up to date (the default). Thread-safe:
    one Store is shared by all of a server's threads.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = normalise_db_url(url)
        self.engine = _engine(self.url)
        self.dialect = self.engine.dialect.name
        if migrate:
            from unspin.store.migrate import upgrade

            try:
                upgrade(self.engine)
            except OperationalError as exc:
                self.engine.dispose()
                reason = " ".join(str(exc.orig or exc).split())
                raise StoreError(
                    f"cannot open the database {display_url(self.url)}: {reason}") from exc

    def __repr__(self) -> str:
        return f"Store({display_url(self.url)!r})"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(unspin_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def ping(self) -> None:
        """Raise unless the database answers."""
        with self._read() as conn:
            conn.execute(sa.text("SELECT 1"))

    # --- writing --------------------------------------------------------------------------

    def find(self, content_hash: str, versions: str) -> Saved | None:
        """The stored report of an article (by :func:`article_hash`) made with these model
        versions (by :func:`versions_key`), if there is one."""
        query = (
            sa.select(t.reports.c.id, t.reports.c.analysed_at)
            .join(t.articles, t.articles.c.id == t.reports.c.article_id)
            .where(t.articles.c.content_hash == content_hash,
                   t.reports.c.versions_key == versions)
        )
        with self._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else Saved(id=row.id, created=False,
                                              analysed_at=_utc(row.analysed_at))

    def add(self, report: Report, *, analysed_at: dt.datetime | None = None) -> Saved:
        """Store ``report`` (with its article) unless the same article with the same model
        versions is stored already; either way, return the stored report's id."""
        now = analysed_at or dt.datetime.now(dt.UTC)
        content = report_hash(report)
        versions = versions_key(report.versions)
        with self._write() as conn:
            article_id = self._article_id(conn, report, content, now)
            row = conn.execute(
                self._insert(t.reports)
                .values(**_report_row(report, article_id, versions, now))
                .on_conflict_do_nothing(index_elements=["article_id", "versions_key"])
                .returning(t.reports.c.id)
            ).first()
            if row is None:
                old = conn.execute(
                    sa.select(t.reports.c.id, t.reports.c.analysed_at).where(
                        t.reports.c.article_id == article_id,
                        t.reports.c.versions_key == versions)
                ).one()
                return Saved(id=old.id, created=False, analysed_at=_utc(old.analysed_at))
            report_id = row.id
            for table, rows in _child_rows(report, report_id):
                if rows:
                    conn.execute(table.insert(), rows)
        return Saved(id=report_id, created=True, analysed_at=now)

    def _insert(self, table: sa.Table):
        return (sqlite_dialect.insert(table) if self.dialect == "sqlite"
                else pg_dialect.insert(table))

    def _article_id(self, conn: Connection, report: Report, content: str,
                    now: dt.datetime) -> int:
        meta = report.meta
        row = conn.execute(
            self._insert(t.articles)
            .values(content_hash=content, title=report.title.text if report.title else None,
                    text=report.text, outlet=meta.outlet, byline=meta.byline, url=meta.url,
                    published=meta.date, created_at=now)
            .on_conflict_do_nothing(index_elements=["content_hash"])
            .returning(t.articles.c.id)
        ).first()
        if row is not None:
            return row.id
        return conn.execute(
            sa.select(t.articles.c.id).where(t.articles.c.content_hash == content)
        ).scalar_one()

    def delete(self, report_id: int) -> bool:
        """Delete a stored report and its rows (and its article, if no other report uses it).
        False if there was no such report."""
        with self._write() as conn:
            article_id = conn.execute(
                sa.select(t.reports.c.article_id).where(t.reports.c.id == report_id)
            ).scalar_one_or_none()
            if article_id is None:
                return False
            for table in (t.techniques, t.claims, t.sources, t.flags, t.frames):
                conn.execute(sa.delete(table).where(table.c.report_id == report_id))
            conn.execute(sa.delete(t.reports).where(t.reports.c.id == report_id))
            still_used = conn.execute(
                sa.select(t.reports.c.id).where(t.reports.c.article_id == article_id).limit(1)
            ).first()
            if still_used is None:
                conn.execute(sa.delete(t.articles).where(t.articles.c.id == article_id))
        return True

    # --- reading --------------------------------------------------------------------------

    def get(self, report_id: int) -> StoredReport | None:
        """The stored report with this id, or None."""
        query = sa.select(t.reports.c.id, t.reports.c.analysed_at, t.reports.c.report_json
                          ).where(t.reports.c.id == report_id)
        with self._read() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return StoredReport(id=row.id, analysed_at=_utc(row.analysed_at),
                            report=Report.model_validate_json(row.report_json))

    def count(self) -> int:
        """How many reports are stored."""
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(t.reports)).scalar_one()

    def ids(self) -> list[int]:
        """Every stored report's id, in order."""
        with self._read() as conn:
            return list(conn.execute(sa.select(t.reports.c.id).order_by(t.reports.c.id))
                        .scalars())

    def _filters(self, query: SearchQuery) -> list[sa.ColumnElement[bool]]:
        r = t.reports.c
        where: list[sa.ColumnElement[bool]] = []
        if query.q:
            parts = query_parts(query.q)
            if not parts:
                where.append(sa.false())
            elif self.dialect == "sqlite":
                fts = sa.table("articles_fts", sa.column("rowid"))
                match = sa.literal_column("articles_fts").op("MATCH")(_fts5_query(parts))
                where.append(r.article_id.in_(sa.select(fts.c.rowid).where(match)))
            else:
                tsquery = None
                for part in parts:
                    one = sa.func.phraseto_tsquery("english", part)
                    tsquery = one if tsquery is None else tsquery.op("&&")(one)
                search = sa.literal_column("articles.search")
                where.append(r.article_id.in_(
                    sa.select(t.articles.c.id).where(search.op("@@")(tsquery))))
        if query.outlet:
            where.append(r.outlet_key == name_key(query.outlet))
        if query.source:
            where.append(r.id.in_(sa.select(t.sources.c.report_id)
                                  .where(t.sources.c.name_key == name_key(query.source))))
        if query.technique:
            where.append(r.id.in_(sa.select(t.techniques.c.report_id)
                                  .where(t.techniques.c.technique == query.technique.strip())))
        if query.flag:
            where.append(r.id.in_(sa.select(t.flags.c.report_id)
                                  .where(t.flags.c.code == query.flag.strip())))
        if query.genre:
            where.append(r.genre == query.genre.strip().lower())
        if query.date_from:
            where.append(r.day >= query.date_from)
        if query.date_to:
            where.append(r.day <= query.date_to)
        return where

    def search(self, query: SearchQuery | None = None) -> SearchPage:
        """One page of the stored reports matching ``query`` (all filters), newest first."""
        query = query or SearchQuery()
        r = t.reports.c
        where = self._filters(query)
        rows_q = (
            sa.select(r.id, r.analysed_at, r.title, r.outlet, r.day, r.genre, r.words,
                      r.n_claims, r.n_unattributed, r.n_sources, t.articles.c.url,
                      t.articles.c.published)
            .join(t.articles, t.articles.c.id == r.article_id)
            .where(*where)
            .order_by(r.id.desc())
            .limit(query.limit)
            .offset(query.offset)
        )
        total_q = sa.select(sa.func.count()).select_from(t.reports).where(*where)
        with self._read() as conn:
            total = conn.execute(total_q).scalar_one()
            rows = conn.execute(rows_q).all()
            ids = [row.id for row in rows]
            flag_counts = self._counts(conn, t.flags, t.flags.c.code, ids)
            tech_counts = self._counts(conn, t.techniques, t.techniques.c.technique, ids)
        items = [
            ReportSummary(
                id=row.id, analysed_at=_utc(row.analysed_at), title=row.title, outlet=row.outlet,
                url=row.url, date=row.published, day=row.day, genre=row.genre, words=row.words,
                claims=row.n_claims, unattributed_claims=row.n_unattributed,
                sources=row.n_sources, flags=flag_counts.get(row.id, []),
                techniques=tech_counts.get(row.id, []))
            for row in rows
        ]
        return SearchPage(total=total, limit=query.limit, offset=query.offset, items=items)

    @staticmethod
    def _counts(conn: Connection, table: sa.Table, column: sa.Column,
                ids: list[int]) -> dict[int, list[Count]]:
        if not ids:
            return {}
        rows = conn.execute(
            sa.select(table.c.report_id, column, sa.func.count())
            .where(table.c.report_id.in_(ids))
            .group_by(table.c.report_id, column)
        ).all()
        out: dict[int, list[Count]] = {}
        for report_id, name, n in rows:
            out.setdefault(report_id, []).append(Count(name=name, count=n))
        for counts in out.values():
            counts.sort(key=lambda c: (-c.count, c.name))
        return out

    def facets(self, limit: int = 200) -> Facets:
        """The values the filters can take (outlets, sources, techniques, flags, genres), each
        with the number of reports carrying it, most frequent first."""
        r = t.reports.c

        def by_report(table: sa.Table, key: sa.Column, label: sa.ColumnElement) -> sa.Select:
            n = sa.func.count(sa.distinct(table.c.report_id))
            return (sa.select(sa.func.min(label), n).group_by(key)
                    .order_by(n.desc(), sa.func.min(label)).limit(limit))

        queries = {
            "outlets": sa.select(sa.func.min(r.outlet), sa.func.count()).where(
                r.outlet_key.is_not(None)).group_by(r.outlet_key)
            .order_by(sa.func.count().desc(), sa.func.min(r.outlet)).limit(limit),
            "sources": by_report(t.sources, t.sources.c.name_key, t.sources.c.name),
            "techniques": by_report(t.techniques, t.techniques.c.technique,
                                    t.techniques.c.technique),
            "flags": by_report(t.flags, t.flags.c.code, t.flags.c.code),
            "genres": sa.select(r.genre, sa.func.count()).where(r.genre.is_not(None))
            .group_by(r.genre).order_by(sa.func.count().desc(), r.genre),
        }
        with self._read() as conn:
            found = {name: [Count(name=row[0], count=row[1]) for row in conn.execute(q)]
                     for name, q in queries.items()}
        return Facets(**found)

    def trends(self, *, outlet: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[OutletTrend]:
        """Per outlet and week: stored reports, words, flags, unattributed claims and loaded
        wording (``Loaded_Language`` spans), with rates per 100 words. Outlets with the most
        reports first; weeks in order."""
        r = t.reports.c
        query = (
            sa.select(r.outlet_key, sa.func.min(r.outlet), r.week, sa.func.count(),
                      sa.func.sum(r.words), sa.func.sum(r.n_flags),
                      sa.func.sum(r.n_unattributed), sa.func.sum(r.n_loaded))
            .group_by(r.outlet_key, r.week)
            .order_by(r.outlet_key, r.week)
        )
        if outlet:
            query = query.where(r.outlet_key == name_key(outlet))
        if date_from:
            query = query.where(r.day >= date_from)
        if date_to:
            query = query.where(r.day <= date_to)
        series: dict[str | None, OutletTrend] = {}
        with self._read() as conn:
            for key, name, week, n, words, n_flags, unattributed, loaded in conn.execute(query):
                trend = series.setdefault(key, OutletTrend(outlet=name, reports=0, weeks=[]))
                words, n_flags = int(words or 0), int(n_flags or 0)
                unattributed, loaded = int(unattributed or 0), int(loaded or 0)
                trend.reports += n
                trend.weeks.append(TrendPoint(
                    week=week, reports=n, words=words, flags=n_flags,
                    unattributed_claims=unattributed, loaded_wording=loaded,
                    flags_per_100_words=_per_100(n_flags, words),
                    unattributed_claims_per_100_words=_per_100(unattributed, words),
                    loaded_wording_per_100_words=_per_100(loaded, words)))
        return sorted(series.values(), key=lambda s: (-s.reports, s.outlet is None,
                                                      (s.outlet or "").casefold()))


# --------------------------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------------------------


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _per_100(n: int, words: int) -> float:
    return round(100.0 * n / words, 3) if words else 0.0


def _day(date: str | None, now: dt.datetime) -> dt.date:
    """The article's date when it is a usable ISO date, else the day it was analysed."""
    if date:
        try:
            return dt.date.fromisoformat(date[:10])
        except ValueError:
            pass
    return now.astimezone(dt.UTC).date()


def _unattributed(report: Report) -> int:
    return sum(1 for c in report.claims
               if c.attribution is None or c.attribution.kind == "unattributed")


def _report_row(report: Report, article_id: int, versions: str,
                now: dt.datetime) -> dict[str, Any]:
    day = _day(report.meta.date, now)
    words = report.metrics.get("words")
    if words is None:
        words = len(re.findall(r"[^\W\d_]+", report.text))
    return {
        "article_id": article_id,
        "versions_key": versions,
        "versions": json.dumps(report.versions, sort_keys=True),
        "report_json": report.to_json(indent=None),
        "analysed_at": now,
        "title": report.title.text if report.title else None,
        "outlet": report.meta.outlet,
        "outlet_key": name_key(report.meta.outlet),
        "day": day,
        "week": day - dt.timedelta(days=day.weekday()),
        "genre": report.genre.label if report.genre else None,
        "words": int(words),
        "n_claims": len(report.claims),
        "n_unattributed": _unattributed(report),
        "n_flags": len(report.flags),
        "n_techniques": len(report.techniques),
        "n_loaded": sum(1 for x in report.techniques if x.technique == LOADED_LANGUAGE),
        "n_sources": len(report.sources),
    }


def _child_rows(report: Report, report_id: int) -> list[tuple[sa.Table, list[dict[str, Any]]]]:
    return [
        (t.techniques, [
            {"report_id": report_id, "technique": x.technique, "start": x.start, "end": x.end,
             "text": x.text, "score": x.score}
            for x in report.techniques]),
        (t.claims, [
            {"report_id": report_id, "position": i, "start": c.start, "end": c.end,
             "text": c.text, "checkworthiness": c.checkworthiness,
             "attribution": c.attribution.kind if c.attribution else "unattributed",
             "source": c.attribution.source.text
             if c.attribution and c.attribution.source else None}
            for i, c in enumerate(report.claims)]),
        (t.sources, [
            {"report_id": report_id, "name": s.name, "name_key": name_key(s.name) or "",
             "kind": s.kind, "mentions": len(s.mentions), "places": ",".join(s.where)[:64],
             "n_claims": len(s.claims)}
            for s in report.sources]),
        (t.flags, [
            {"report_id": report_id, "code": f.code, "message": f.message, "start": f.start,
             "end": f.end, "text": f.text}
            for f in report.flags]),
        (t.frames, [
            {"report_id": report_id, "frame": f.frame, "score": f.score}
            for f in report.frames]),
    ]
