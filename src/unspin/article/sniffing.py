"""Sniffing: whether a decoded input is JSON records, HTML or plain text."""

from __future__ import annotations

import json
import re

_HTML_START = re.compile(
    r"^(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(?:!doctype|html))", re.I
)
_HTML_TAG = re.compile(r"<(?:body|article|p|div|head|title|main)[\s>]", re.I)


def _sniff(text: str) -> str:
    """ "records", "html" or "text" for a decoded input."""
    head = text.lstrip()
    if head[:1] in ("{", "[") and _parses_as_json(head):
        return "records"
    if _looks_like_html(head):
        return "html"
    return "text"


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
        return True
    except RecursionError:
        return True  # JSON nested too deeply: the records reader says so
    except ValueError:
        pass
    first = text.split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except RecursionError:
        return True
    except ValueError:
        return False


def _looks_like_html(text: str) -> bool:
    """True if ``text`` starts like an HTML document or has HTML block tags near the start."""
    head = text.lstrip()[:2000]
    if _HTML_START.match(head):
        return True
    return (
        head.startswith("<")
        and bool(_HTML_TAG.search(head))
        or bool(re.search(r"<(?:body|article)[\s>]|<p>", head[:1000], re.I))
    )
