"""Renderers: one :class:`~unspin.report.Report` in, one string out.

``render(report, "text")`` gives terminal text (rich; bracket markers when colour is off),
``render(report, "json")`` the JSON of the published schema, and ``render(report, "html")``
one self-contained HTML page. Overlapping spans are resolved in one place,
:mod:`unspin.render.highlight`.
"""

from __future__ import annotations

from typing import Literal, get_args

from unspin.render.highlight import Mark, Segment, segments
from unspin.render.html import render_html
from unspin.render.terminal import render_text
from unspin.report import Report

Format = Literal["text", "json", "html"]
FORMATS: tuple[str, ...] = get_args(Format)

__all__ = [
    "FORMATS",
    "Format",
    "Mark",
    "Segment",
    "render",
    "render_html",
    "render_text",
    "segments",
]


def render(
    report: Report,
    fmt: Format,
    *,
    color: bool | None = None,
    width: int | None = None,
) -> str:
    """``report`` as ``fmt``: ``"text"``, ``"json"`` or ``"html"``.

    ``color`` and ``width`` apply to text only: ``color`` None colours when standard output is
    a colour terminal, ``width`` None uses the terminal's width. JSON is exactly
    ``report.to_json()``; HTML is a complete page that loads nothing from anywhere.
    """
    if fmt == "json":
        return report.to_json()
    if fmt == "text":
        return render_text(report, color=color, width=width)
    if fmt == "html":
        return render_html(report)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
