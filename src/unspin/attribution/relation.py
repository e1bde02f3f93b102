"""The attribution relation: who (``source``) said, wrote, showed or believes (``cue``) what
(``content``), as :func:`unspin.attribution.find_relations` returns it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from unspin.report import Span

SourceKind = Literal["named", "anonymous", "pronoun"]


RelationKind = Literal["report", "stance"]


@dataclass
class Relation:
    """One attribution relation: ``source`` (or None) said / showed / believes (``cue``)
    ``content``. ``sentence`` is the index of the sentence holding the cue; ``quoted`` is
    True when the content is mostly inside quotation marks; ``resolved`` is the full name
    a pronoun or a one-word name was resolved to; ``agent`` is True when the source is
    someone who can hold a position (:func:`_is_agent`: a person, a group, an institution;
    not "Such actions" or "The data"), which a ``stance`` needs to speak for a claim."""

    source: Span | None
    cue: Span | None
    content: Span
    sentence: int
    quoted: bool
    source_kind: SourceKind
    resolved: str | None = None
    kind: RelationKind = "report"
    main_clause: bool = True
    agent: bool = True
