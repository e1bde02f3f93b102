"""The Report: unspin's public contract, one typed object per analysed article.

Every span-like item carries ``start`` and ``end`` (code points into ``Report.text``, end
exclusive) and ``text``, and ``report.text[item.start:item.end] == item.text`` holds for all of
them. Keys that a stage does not fill yet are empty lists or ``None``, never invented values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "2"


class Span(BaseModel):
    """A piece of ``Report.text``: ``text[start:end] == self.text``."""

    model_config = ConfigDict(extra="forbid")

    start: int = Field(ge=0, description="First code point, inclusive.")
    end: int = Field(ge=0, description="Last code point, exclusive.")
    text: str


def strip_range(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` of ``text`` without the whitespace at either end (``start == end``
    when it holds only whitespace)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Caption(Span):
    """A photo caption, image description or credit line that is not body text."""

    kind: Literal["caption", "credit"] = "caption"


class TechniqueScore(BaseModel):
    """One technique with the model's confidence (0..1) that it is present."""

    model_config = ConfigDict(extra="forbid")

    technique: str
    score: float = Field(ge=0.0, le=1.0)


class PassageTechniques(Span):
    """Which techniques a passage chosen by the user uses, judged in its article's context
    (``unspin classify``): every technique, most likely first. ``text`` is the passage as it
    stands in the article's text."""

    techniques: list[TechniqueScore] = Field(description="All techniques, most likely first; "
                                             "the scores of one passage sum to 1.")
    inside: float = Field(default=0.0, ge=0.0, le=1.0,
                          description="The highest probability, over the passage's tokens, "
                                      "of lying inside a persuasion span (the score that "
                                      "starts a span when the article is analysed).")
    uses_technique: bool = Field(default=True,
                                 description="False when no token of the passage reaches the "
                                             "threshold at which analysis starts a span: the "
                                             "passage reads as plain, and the technique "
                                             "scores only say what it would be if it were "
                                             "one.")


class Paragraph(Span):
    """A body paragraph; ``techniques`` holds those judged present in it, best first."""

    index: int = Field(ge=0)
    techniques: list[TechniqueScore] = Field(default_factory=list)


class Sentence(Span):
    """A sentence, with the index of the paragraph it belongs to (-1: title or caption)."""

    index: int = Field(ge=0)
    paragraph: int = Field(ge=-1)
    part: Literal["title", "caption", "body"] = "body"
    loaded: float | None = Field(default=None, ge=0.0, le=1.0,
                                 description="Calibrated probability that the sentence uses "
                                             "loaded wording (BABE's sentence label).")


class Mention(Span):
    """One mention of an entity."""

    sentence: int = Field(ge=0)


class Entity(BaseModel):
    """A person, organisation, place or group, merged across its mentions in the article."""

    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=0)
    name: str = Field(description="Canonical name: the longest full form used in the article.")
    label: Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"]
    mentions: list[Mention]


class Quantity(Span):
    """A number with what it counts or its unit, e.g. "92 Ukrainian drones" or "4 percent"."""

    value: float | None = Field(description="The numeric value, e.g. 92.0; None if unparsable.")
    number: str = Field(description="The number as written, e.g. '92' or 'three'.")
    unit: str | None = Field(description="What is counted or the unit, e.g. 'drones', 'percent'.")
    kind: Literal["count", "percent", "money", "duration", "date", "ordinal", "measure", "other"]
    sentence: int = Field(ge=0)


class Hedge(Span):
    """A hedge or distancing cue ("reportedly", "allegedly", "sources say") in a sentence."""

    kind: Literal["adverb", "phrase", "passive_report", "anonymous_source"]
    sentence: int = Field(ge=0)


class Technique(Span):
    """A persuasion technique used at this span, with the model's confidence.

    ``voice`` is "quote" when the span lies inside a quotation: the words are the speaker's,
    not the outlet's, and densities such as ``loaded_per_100_words`` leave them out."""

    technique: str
    score: float = Field(ge=0.0, le=1.0)
    definition: str = ""
    voice: Literal["outlet", "quote"] = "outlet"


class Attribution(BaseModel):
    """On whose word a claim rests."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["direct_quote", "attributed", "anonymous", "hedged", "unattributed"]
    source: Span | None = None
    cue: Span | None = None
    hedge: Span | None = None


def claim_id(index: int) -> str:
    """The number every view gives the claim ``claims[index]``: "C1" for the first."""
    return f"C{index + 1}"


def claim_index(number: str) -> int:
    """The place in ``claims`` of the claim numbered ``number`` ("C1" -> 0)."""
    return int(number[1:]) - 1


class Claim(Span):
    """A check-worthy sentence, with the quantities and entities it contains."""

    id: str = Field(default="", pattern=r"^(C[1-9][0-9]*)?$",
                    description="The claim's number in every view and in sources[].claims: "
                                "C1 is claims[0] (filled when the report is built).")
    sentence: int = Field(ge=0)
    checkworthiness: float = Field(ge=0.0, le=1.0)
    quantities: list[int] = Field(default_factory=list, description="Indices into quantities.")
    entities: list[int] = Field(default_factory=list, description="Ids of entities mentioned.")
    attribution: Attribution | None = None


class Source(BaseModel):
    """A source cited by the article, merged across its mentions."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Literal["person", "organisation", "outlet", "document", "anonymous", "other"]
    mentions: list[Span]
    where: list[Literal["title", "caption", "body"]]
    claims: list[str] = Field(default_factory=list,
                              description="The claims it supports, by id (C1 is claims[0]).")

    @field_validator("claims", mode="before")
    @classmethod
    def _claim_numbers(cls, value: object) -> object:
        """Schema 1 listed claims by 0-based index; read those as ids (0 -> "C1")."""
        if isinstance(value, list):
            return [claim_id(v) if isinstance(v, int) and not isinstance(v, bool) else v
                    for v in value]
        return value


class Evidence(Span):
    """A body sentence that drove a stance decision."""

    similarity: float = Field(description="TF-IDF cosine of the sentence with the headline or "
                              "caption (0..1).")
    cues: list[str] = Field(default_factory=list, description="Refutation, negation and hedge "
                            "words in the sentence, as written.")


class Stance(Span):
    """How a headline or caption (this span) relates to the body, in the FNC-1 scheme."""

    stance: Literal["agree", "disagree", "discuss", "unrelated"]
    score: float = Field(ge=0.0, le=1.0, description="The probability of ``stance``.")
    scores: dict[str, float] = Field(description="The probability of each of the four stances.")
    evidence: list[Evidence] = Field(default_factory=list, description="The body sentences "
                                     "that drove the decision, in text order.")


class Consistency(BaseModel):
    """The headline and each caption against the body."""

    model_config = ConfigDict(extra="forbid")

    headline: Stance | None = None
    captions: list[Stance] = Field(default_factory=list)


class Genre(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Literal["opinion", "reporting", "satire"]
    scores: dict[str, float]


class FrameScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    frame: str
    score: float = Field(ge=0.0, le=1.0)


class Flag(BaseModel):
    """Something a reader should look at, with the span that shows it (if any)."""

    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    start: int | None = None
    end: int | None = None
    text: str | None = None


class Meta(BaseModel):
    """What is known about the article besides its text."""

    model_config = ConfigDict(extra="forbid")

    byline: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str = "en"
    language_score: float | None = None


class Report(BaseModel):
    """Everything unspin found in one article. See the module docstring for the span rule."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    text: str
    title: Span | None
    meta: Meta = Field(default_factory=Meta)
    captions: list[Caption] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    hedges: list[Hedge] = Field(default_factory=list)
    techniques: list[Technique] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    consistency: Consistency | None = None
    genre: Genre | None = None
    frames: list[FrameScore] = Field(default_factory=list)
    frames_judged: bool = Field(
        default=True,
        description="False when the frames were not judged: the frame model recognises "
                    "too little of the article (its evidence, metrics.frames_evidence, is "
                    "under the model's floor), or it is not installed. frames is then empty "
                    "because nothing was judged, not because no frame is used.")
    flags: list[Flag] = Field(default_factory=list)
    metrics: dict[str, float] = Field(default_factory=dict)
    versions: dict[str, str] = Field(default_factory=dict)

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text, exactly as the published schema describes it."""
        return self.model_dump_json(indent=indent)

    @model_validator(mode="after")
    def _spans_are_exact(self) -> Report:
        self.check()
        return self

    def check(self) -> None:
        """Raise ValueError unless every span is exact (``text[start:end] == item.text``)
        and every ``sentence`` index names a sentence that holds the item's start.

        Runs when a Report is built; call it again after changing a report in place. It
        numbers the claims that have no id yet (C1, C2, ... in order) and raises unless
        every claim id is its place and every source's claims name claims that exist."""
        for k, claim in enumerate(self.claims):
            if not claim.id:
                claim.id = claim_id(k)
            elif claim.id != claim_id(k):
                raise ValueError(f"claims[{k}]: id {claim.id!r} should be {claim_id(k)!r}")
        for k, source in enumerate(self.sources):
            for c in source.claims:
                if not c.startswith("C") or not c[1:].isdigit() or \
                        not 1 <= int(c[1:]) <= len(self.claims):
                    raise ValueError(f"sources[{k}].claims: no claim {c!r}")
        n = len(self.text)
        for where, item in _spans(self):
            start, end, text = item.start, item.end, item.text
            if start is None and end is None:
                continue
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= n
                    and self.text[start:end] == text):
                raise ValueError(f"{where}: span [{start}, {end}) {text!r} is not exact")
        sentences = self.sentences
        for where, item in _sentence_items(self):
            i = item.sentence
            if not 0 <= i < len(sentences) or not (
                    sentences[i].start <= item.start < max(sentences[i].end, item.start + 1)):
                raise ValueError(f"{where}: sentence {i} does not hold [{item.start}, "
                                 f"{item.end}) {item.text!r}")


def _spans(node: object, where: str = "report") -> Iterator[tuple[str, Span | Flag]]:
    """(path, item) for every Span and Flag inside ``node`` (a model, list or dict)."""
    if isinstance(node, Span | Flag):
        yield where, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name != "text":
                yield from _spans(getattr(node, name), f"{where}.{name}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _spans(value, f"{where}[{i}]")


def _sentence_items(report: Report) -> Iterator[tuple[str, Mention | Quantity | Hedge | Claim]]:
    """(path, item) for every item that names its sentence by index."""
    for e, entity in enumerate(report.entities):
        for m, mention in enumerate(entity.mentions):
            yield f"entities[{e}].mentions[{m}]", mention
    for name in ("quantities", "hedges", "claims"):
        for i, item in enumerate(getattr(report, name)):
            yield f"{name}[{i}]", item


def report_schema() -> dict:
    """The JSON Schema of :class:`Report` (draft 2020-12), as published by ``unspin schema``."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://unspin.invalid/schema/report-{SCHEMA_VERSION}.json"
    return schema


def report_schema_json() -> str:
    return json.dumps(report_schema(), indent=2)
