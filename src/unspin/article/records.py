"""JSON records: one object, a list of objects, or JSON Lines, each read as an article."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from unspin.article.captions import _caption_kind
from unspin.article.dates import _normalise_date
from unspin.article.html import _extract_html
from unspin.article.model import Article, CaptionKind, _assemble, _collapse, _head, _shift
from unspin.article.plaintext import _normalise_newlines, _parse_plain
from unspin.article.sniffing import _looks_like_html
from unspin.errors import InputError

_TEXT_KEYS = ("text", "body", "content")


def parse_record(obj: dict) -> Article:
    """Read one article from a JSON object.

    Fields: ``text`` (or ``body`` or ``content``; required; plain text or HTML), ``title``,
    ``url``, ``date``, ``outlet``, ``byline`` and ``captions`` (a list of strings). The text is
    built as: title, captions, body, separated by blank lines; a plain body is kept verbatim
    (newlines normalised) and split into paragraphs like :func:`parse_text` does.

    Raises :class:`InputError` naming the record if it has no text or a field has a bad type.
    """
    if not isinstance(obj, dict):
        raise InputError(f"an article record must be a JSON object, not {_json_type(obj)}")
    name = _record_name(obj)
    body = _record_body(obj, name)
    title = _record_str(obj, "title", name)
    meta = {key: _record_str(obj, key, name) for key in ("url", "date", "outlet", "byline")}
    meta["date"] = _normalise_date(meta["date"])
    captions = _record_captions(obj.get("captions"), name)
    if _looks_like_html(body):
        return _html_record(body, title, captions, meta)
    return _plain_record(body, title, captions, meta)


def _plain_record(
    body: str,
    title: str | None,
    captions: list[tuple[str, CaptionKind]],
    meta: dict[str, str | None],
) -> Article:
    builder, title_span, caption_spans = _head(title, captions)
    body = _normalise_newlines(body)
    offset = builder.add_raw(body)
    plain = _parse_plain(body, detect_title=False)
    paragraphs = plain.paragraphs
    if title and paragraphs and paragraphs[0].text == title:
        paragraphs = paragraphs[1:]
    caption_spans += [_shift(c, offset) for c in plain.captions]
    return Article(
        text=builder.text(),
        title=title_span,
        captions=sorted(caption_spans, key=lambda c: c.start),
        paragraphs=[_shift(p, offset) for p in paragraphs],
        byline=meta["byline"] or plain.byline,
        date=meta["date"] or plain.date,
        outlet=meta["outlet"],
        url=meta["url"],
    )


def _html_record(
    body: str,
    title: str | None,
    captions: list[tuple[str, CaptionKind]],
    meta: dict[str, str | None],
) -> Article:
    parts = _extract_html(body, url=meta["url"])
    known = {text.casefold() for text, _ in captions}
    captions = captions + [(t, k) for t, k in parts.captions if t.casefold() not in known]
    return _assemble(
        title or parts.title,
        captions,
        parts.paragraphs,
        byline=meta["byline"] or parts.byline,
        date=meta["date"] or parts.date,
        outlet=meta["outlet"] or parts.outlet,
        url=meta["url"] or parts.url,
    )


def _json_type(value: object) -> str:
    names = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _record_name(obj: dict) -> str:
    """A short name for a record in error messages."""
    for key in ("id", "title", "url"):
        value = obj.get(key)
        if isinstance(value, str | int) and str(value).strip():
            label = _collapse(str(value))
            return f'"{label[:57]}..."' if len(label) > 60 else f'"{label}"'
    return "without a title"


def _record_body(obj: dict, name: str) -> str:
    for key in _TEXT_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f'record {name}: "{key}" must be a string, not {_json_type(value)}')
        if value.strip():
            return value
    raise InputError(f'record {name} has no text (expected a "text", "body" or "content" field)')


def _record_str(obj: dict, key: str, name: str) -> str | None:
    """A metadata field as a stripped string (lists of names are joined), or ``None``."""
    value = obj.get(key)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = ", ".join(v.strip() for v in value if v.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if value is None or isinstance(value, str):
        return _collapse(value or "") or None
    raise InputError(f'record {name}: "{key}" must be a string, not {_json_type(value)}')


def _record_captions(value: object, name: str) -> list[tuple[str, CaptionKind]]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f'record {name}: "captions" must be a list of strings')
    captions: list[tuple[str, CaptionKind]] = []
    for item in value:
        text = item.get("text") if isinstance(item, dict) else item
        if not isinstance(text, str):
            raise InputError(f'record {name}: "captions" must be a list of strings')
        text = _collapse(text)
        if text:
            captions.append((text, "credit" if _caption_kind(text) == "credit" else "caption"))
    return captions


@dataclass(frozen=True)
class Record:
    """One record of a JSON input: where it is, and its article or why it could not be read.

    ``label`` is "line N" (JSON Lines), "record N" (a JSON array) or "" (a single object).
    Exactly one of ``article`` and ``error`` is set.
    """

    label: str
    article: Article | None = None
    error: InputError | None = None


def read_records(data: str) -> list[Article]:
    """Read articles from JSON (one object or a list of objects) or JSON Lines.

    Raises :class:`InputError` for invalid JSON ("line N: ..." for JSON Lines), for items that
    are not objects, and for records without text: the first bad record fails the whole input.
    :func:`read_record_items` reads every good record and names the bad ones instead.
    """
    articles = []
    for record in read_record_items(data):
        if record.error is not None:
            raise record.error
        articles.append(record.article)
    return articles


def read_record_items(data: str) -> list[Record]:
    """Every record of a JSON, JSON array or JSON Lines input, each read on its own.

    A bad line or record becomes a :class:`Record` with its ``error`` ("line 3: not valid
    JSON ...") and does not stop the others. Raises :class:`InputError` only when the input as
    a whole is unusable: empty, nested too deeply, or not JSON at all.
    """
    data = _normalise_newlines(data)
    if not data.strip():
        raise InputError("input is empty")
    try:
        parsed = _loads(data)
    except json.JSONDecodeError as exc:
        records = _json_lines(data, exc)
    else:
        if not isinstance(parsed, list):
            records = [_read_one(parsed, "")]
        else:
            records = [_read_one(obj, f"record {n}") for n, obj in enumerate(parsed, start=1)]
    if not records:
        raise InputError("no articles found in the JSON input")
    return records


def _loads(text: str) -> Any:
    """``json.loads``, with nesting too deep for the parser turned into :class:`InputError`."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError("the JSON input is nested too deeply to read") from None


def _read_one(obj: Any, label: str) -> Record:
    """A :class:`Record` for one parsed JSON value: its article, or the error reading it."""
    try:
        return Record(label, article=_labelled_record(obj, label))
    except InputError as exc:
        return Record(label, error=exc)


def _labelled_record(obj: Any, label: str) -> Article:
    """:func:`parse_record`, with errors prefixed by where the record is ("line 3: ...")."""
    prefix = f"{label}: " if label else ""
    if not isinstance(obj, dict):
        raise InputError(f"{prefix}found {_json_type(obj)}, not a JSON object")
    try:
        return parse_record(obj)
    except InputError as exc:
        raise InputError(f"{prefix}{exc}") from exc


def _json_lines(data: str, whole_error: json.JSONDecodeError) -> list[Record]:
    """A :class:`Record` for each non-empty line of a JSON Lines text.

    A line that is not JSON becomes a record with an error ("line N: not valid JSON ..."). If
    even the first line is not JSON, the input was meant as one JSON document, so the whole
    input fails with ``whole_error``, with its position.
    """
    records: list[Record] = []
    for number, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        label = f"line {number}"
        try:
            obj = _loads(line)
        except (json.JSONDecodeError, InputError) as error:
            if not records:
                raise _not_json(whole_error, whole_error.lineno) from whole_error
            records.append(Record(label, error=_not_json(error, number)))
            continue
        records.append(_read_one(obj, label))
    return records


def _not_json(error: Exception, number: int) -> InputError:
    """The one-line error for line ``number`` that ``json`` could not read."""
    if isinstance(error, json.JSONDecodeError):
        return InputError(f"line {number}: not valid JSON ({error.msg} at column {error.colno})")
    return InputError(f"line {number}: {error}")
