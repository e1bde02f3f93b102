"""The Comparison: ``unspin compare``'s output, one typed object with a published JSON Schema.

    Comparison
      stories:   [Story]    two or more articles on one event, told side by side
        articles:  [StoryArticle]   each article named by its ``input``
        claims:    [AlignedClaim]   the same quantity about the same thing, one figure per
                                    article, disagreements marked
        only_here: [OnlyHere]       check-worthy claims no other article of the story makes
        sources:   [StorySource]    who is cited, by which articles
        language:  [ArticleLanguage] loaded wording, techniques and their targets per article
        links:     [StoryLink]      why the articles were put together (the pairs that linked)
      unrelated: [ArticleRef]   articles that share a story with no other
      errors:    [InputProblem] inputs that could not be read or analysed
      grouping:  GroupingInfo   the rule's settings

Spans (``start``, ``end``, ``text``) are code-point offsets into the named article's
``Report.text`` (what ``unspin analyze`` reports for it): ``text[start:end] == span.text``.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from unspin.report import Span

COMPARISON_SCHEMA_VERSION = "1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArticleRef(_Model):
    """An article, named by its ``input``: the path or URL it was given as, or its record id."""

    input: str
    outlet: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None


class StoryArticle(ArticleRef):
    """One article of a story, with what it rests on."""

    words: int = 0
    claims: int = Field(0, description="Check-worthy claims.")
    attribution: dict[str, int] = Field(
        default_factory=dict, description="Claims by attribution kind (direct_quote, "
        "attributed, anonymous, hedged, unattributed).")
    source_kinds: dict[str, int] = Field(
        default_factory=dict, description="Cited sources by kind (person, organisation, "
        "outlet, document, anonymous, other).")
    only_here: int = Field(0, description="Claims told only by this article in the story.")


class ClaimAttribution(_Model):
    """On whose word a figure rests, as the article tells it."""

    kind: Literal["direct_quote", "attributed", "anonymous", "hedged", "unattributed",
                  "not_a_claim"] = Field(description="'not_a_claim': the sentence was not "
                                         "judged check-worthy, so it was not attributed.")
    source: Span | None = None
    cue: Span | None = None
    hedge: Span | None = None


class Figure(_Model):
    """One article's figure for an aligned claim."""

    input: str
    outlet: str | None = None
    value: float | None
    number: str
    quantity: Span = Field(description="The quantity as written, e.g. '92 Ukrainian drones'.")
    sentence: Span
    attribution: ClaimAttribution
    also: list[Span] = Field(default_factory=list,
                             description="Other places the article gives the same figure.")


class AlignedClaim(_Model):
    """The same quantity about the same thing, across the articles that give it."""

    about: str = Field(description="What is counted or measured, e.g. 'drones'.")
    kind: str
    context: list[str] = Field(default_factory=list,
                               description="Words the figures' sentences share.")
    figures: list[Figure]
    agreement: Literal["same", "rounded", "differ"] = Field(
        description="'same': one value; 'rounded': the values are equal once rounded to the "
        "least precise figure's significant digits ('$13.6 million' and '$13,625,777'); "
        "'differ': they are not.")
    agree: bool = Field(description="The figures agree (same or rounded).")
    attributions_agree: bool = Field(description="All the figures rest on the same kind of "
                                     "attribution and, where named, a matching source.")
    disagreement: str | None = Field(None, description="What differs, in words.")
    missing: list[str] = Field(default_factory=list,
                               description="Inputs of the story's articles that give no "
                               "figure for it.")


class OnlyHere(_Model):
    """A check-worthy claim that no other article of the story makes."""

    input: str
    outlet: str | None = None
    sentence: Span
    checkworthiness: float
    attribution: ClaimAttribution
    quantities: list[Span] = Field(default_factory=list)
    closest: float = Field(description="Word similarity (0..1) of the most similar sentence "
                           "of another article of the story.")


class Citation(_Model):
    """One article's use of a source."""

    input: str
    outlet: str | None = None
    name: str = Field(description="The source's name as this article has it.")
    kind: str
    mentions: int
    claims: int
    where: list[str]
    first: Span | None = None


class StorySource(_Model):
    """A source, merged across the articles that cite it."""

    name: str
    kind: str
    cited_by: list[Citation]
    only_here: bool = Field(description="Cited by one article of the story only.")


class Count(_Model):
    technique: str
    count: int


class LoadedSpan(Span):
    score: float


class Target(_Model):
    """A named person or group that an article's loaded wording is aimed at or next to."""

    name: str
    label: str
    count: int
    wording: list[LoadedSpan]


class ArticleLanguage(_Model):
    """How one article of a story is written."""

    input: str
    outlet: str | None = None
    words: int
    techniques: int
    techniques_per_100_words: float
    loaded: int = Field(description="Loaded_Language spans.")
    loaded_per_100_words: float
    top_techniques: list[Count]
    loaded_wording: list[LoadedSpan]
    targets: list[Target]


class StoryLink(_Model):
    """Two articles the grouping rule linked, with the score and its parts."""

    a: str
    b: str
    score: float
    words: float
    embedding: float
    names: float


class Story(_Model):
    id: int
    articles: list[StoryArticle]
    claims: list[AlignedClaim]
    only_here: list[OnlyHere]
    sources: list[StorySource]
    language: list[ArticleLanguage]
    links: list[StoryLink]


class InputProblem(_Model):
    input: str
    error: str


class GroupingInfo(_Model):
    threshold: float
    undated_threshold: float
    window_days: float
    w_embedding: float
    w_names: float
    embeddings: bool = Field(description="Whether articles had encoder embeddings.")


class Comparison(_Model):
    """Everything ``unspin compare`` found in a set of articles."""

    schema_version: str = COMPARISON_SCHEMA_VERSION
    stories: list[Story]
    unrelated: list[ArticleRef]
    errors: list[InputProblem] = Field(default_factory=list)
    grouping: GroupingInfo

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


def comparison_schema() -> dict:
    """The JSON Schema of :class:`Comparison` (draft 2020-12)."""
    schema = Comparison.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://unspin.invalid/schema/comparison-{COMPARISON_SCHEMA_VERSION}.json"
    return schema


def comparison_schema_json() -> str:
    return json.dumps(comparison_schema(), indent=2)
