"""Batch tables: what a Report becomes in the Parquet datasets, and their Arrow schemas.

One table per kind of item, each row keyed by the article's ``id``:

- ``articles``: one row per analysed article (metadata, genre, frames and whether they were
  judged, counts, densities);
- ``techniques``: one row per technique span;
- ``claims``: one row per check-worthy claim, with its attribution;
- ``sources``: one row per cited source;
- ``flags``: one row per flag;
- ``errors``: one row per input item that could not be read or analysed: ``stage`` is
  ``read``, ``fetch`` or ``duplicate`` (before the analysis) or the analysis stage that failed
  (``language``, ``parsing``, ...: :mod:`unspin.stages`), ``error`` the one-line reason (a
  bug's starts with its exception type).

The schemas (:data:`SCHEMAS`) are the published contract: ``unspin batch --schema`` prints them
as JSON. Offsets are code points into the article's ``text`` (kept in ``articles.text``), so
``text[start:end]`` of a row's article is the row's ``text``, as in the JSON report.
"""

from __future__ import annotations

import json

import pyarrow as pa

from unspin.report import Report

_KEY = [pa.field("id", pa.string(), nullable=False)]
_SPAN = [pa.field("start", pa.int32()), pa.field("end", pa.int32()), pa.field("text", pa.string())]

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(_KEY + [
        pa.field("input", pa.string()),
        pa.field("title", pa.string()),
        pa.field("outlet", pa.string()),
        pa.field("url", pa.string()),
        pa.field("date", pa.string()),
        pa.field("byline", pa.string()),
        pa.field("words", pa.int32()),
        pa.field("genre", pa.string()),
        pa.field("genre_score", pa.float32()),
        pa.field("frames", pa.list_(pa.string())),
        pa.field("frames_judged", pa.bool_()),
        pa.field("techniques", pa.int32()),
        pa.field("techniques_per_100_words", pa.float32()),
        pa.field("claims", pa.int32()),
        pa.field("unattributed_claims", pa.int32()),
        pa.field("flags", pa.int32()),
        pa.field("text", pa.string()),
        pa.field("versions", pa.string()),
    ]),
    "techniques": pa.schema(_KEY + _SPAN + [
        pa.field("technique", pa.string()),
        pa.field("score", pa.float32()),
    ]),
    "claims": pa.schema(_KEY + [pa.field("claim", pa.string())] + _SPAN + [
        pa.field("checkworthiness", pa.float32()),
        pa.field("attribution", pa.string()),
        pa.field("source", pa.string()),
        pa.field("cue", pa.string()),
        pa.field("hedge", pa.string()),
    ]),
    "sources": pa.schema(_KEY + [
        pa.field("name", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("where", pa.list_(pa.string())),
        pa.field("mentions", pa.int32()),
        pa.field("claims", pa.list_(pa.string())),
    ]),
    "flags": pa.schema(_KEY + [pa.field("code", pa.string()), pa.field("message", pa.string())]
                       + _SPAN),
    "errors": pa.schema(_KEY + [
        pa.field("input", pa.string()),
        pa.field("stage", pa.string()),
        pa.field("error", pa.string()),
    ]),
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)


def empty_rows() -> dict[str, list[dict]]:
    """A fresh ``{table: []}`` for every table."""
    return {name: [] for name in TABLES}


def report_rows(item_id: str, source: str, report: Report) -> dict[str, list[dict]]:
    """The rows of one analysed article in every table but ``errors``."""
    rows = empty_rows()
    words = int(report.metrics.get("words", 0))
    rows["articles"].append({
        "id": item_id, "input": source,
        "title": report.title.text if report.title else None,
        "outlet": report.meta.outlet, "url": report.meta.url, "date": report.meta.date,
        "byline": report.meta.byline, "words": words,
        "genre": report.genre.label if report.genre else None,
        "genre_score": report.genre.scores.get(report.genre.label) if report.genre else None,
        "frames": [f.frame for f in report.frames],
        "frames_judged": report.frames_judged,
        "techniques": len(report.techniques),
        "techniques_per_100_words": report.metrics.get("techniques_per_100_words"),
        "claims": len(report.claims),
        "unattributed_claims": sum(1 for c in report.claims
                                   if c.attribution and c.attribution.kind == "unattributed"),
        "flags": len(report.flags), "text": report.text,
        "versions": json.dumps(report.versions, sort_keys=True),
    })
    for t in report.techniques:
        rows["techniques"].append({"id": item_id, "start": t.start, "end": t.end, "text": t.text,
                                   "technique": t.technique, "score": t.score})
    for c in report.claims:
        a = c.attribution
        rows["claims"].append({
            "id": item_id, "claim": c.id, "start": c.start, "end": c.end, "text": c.text,
            "checkworthiness": c.checkworthiness, "attribution": a.kind if a else None,
            "source": a.source.text if a and a.source else None,
            "cue": a.cue.text if a and a.cue else None,
            "hedge": a.hedge.text if a and a.hedge else None,
        })
    for s in report.sources:
        rows["sources"].append({"id": item_id, "name": s.name, "kind": s.kind,
                                "where": list(s.where), "mentions": len(s.mentions),
                                "claims": list(s.claims)})
    for f in report.flags:
        rows["flags"].append({"id": item_id, "code": f.code, "message": f.message,
                              "start": f.start, "end": f.end, "text": f.text})
    return rows


def error_rows(item_id: str, source: str, stage: str, error: str) -> dict[str, list[dict]]:
    """The one ``errors`` row of an item that could not be read or analysed."""
    rows = empty_rows()
    rows["errors"].append({"id": item_id, "input": source, "stage": stage, "error": error})
    return rows


def to_table(name: str, rows: list[dict]) -> pa.Table:
    """Rows of table ``name`` as an Arrow table of its published schema."""
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


def schemas_json() -> str:
    """Every table's schema as JSON: ``{table: [{name, type, nullable}, ...]}``."""
    return json.dumps({name: [{"name": f.name, "type": str(f.type), "nullable": f.nullable}
                              for f in schema] for name, schema in SCHEMAS.items()}, indent=2)
