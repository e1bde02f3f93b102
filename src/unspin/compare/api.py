"""``unspin compare``: read many articles, group them into stories, tell each story side by side.

    compare_inputs(["a.html", "https://...", "corpus/", "articles.jsonl"]) -> Comparison
    compare_reports(reports, inputs, embeddings=None) -> Comparison

Each article is named by its *input*: the path or URL it was given as; for a directory, the
path of each file in it; for a JSON Lines, JSON, CSV or Parquet file of records, the record's
``id`` when it has one, else ``path:line N`` (``path:record N``, ``path:row N``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from unspin.article import Article
from unspin.compare import alignment, grouping
from unspin.compare.model import (
    ArticleRef,
    Comparison,
    GroupingInfo,
    InputProblem,
    Story,
    StoryLink,
)
from unspin.errors import InputError, ModelError, UnspinError
from unspin.report import Report

_RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".parquet")


@dataclass
class NamedArticle:
    """An article to compare, or why it could not be read."""

    input: str
    article: Article | None = None
    error: str | None = None


def read_inputs(inputs: Sequence[str], *, allow_private: bool = False) -> list[NamedArticle]:
    """Every article the ``inputs`` hold, named (see the module docstring), in order. An input
    or record that cannot be read becomes a :class:`NamedArticle` with its error."""
    from unspin.article import load_records
    from unspin.batch.inputs import content_id, read_items

    out: list[NamedArticle] = []
    for source in inputs:
        try:
            if re.match(r"^https?://", source.strip(), re.I):
                records = load_records(source.strip(), allow_private=allow_private)
                out += _named_records(source.strip(), records)
            elif os.path.isdir(source) or (os.path.isfile(source)
                                           and source.lower().endswith(_RECORD_SUFFIXES)):
                items = list(read_items(source))
                single = len(items) == 1 and not os.path.isdir(source)
                for item in items:
                    name = item.input
                    if item.article is not None and item.id != content_id(item.article.text):
                        name = item.id          # the record's own id
                    elif single:
                        name = source
                    out.append(NamedArticle(name, item.article, item.error))
            else:
                out += _named_records(source, load_records(source))
        except UnspinError as exc:
            out.append(NamedArticle(source, error=str(exc)))
    return out


def _named_records(source: str, records) -> list[NamedArticle]:
    if len(records) == 1:
        r = records[0]
        return [NamedArticle(source, r.article, str(r.error) if r.error else None)]
    return [NamedArticle(f"{source}:{r.label}" if r.label else source, r.article,
                         str(r.error) if r.error else None) for r in records]


def unique_names(names: Sequence[str]) -> list[str]:
    """``names`` with repeats numbered ("a.txt", "a.txt#2"), so every article has its own."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}#{seen[n]}")
    return out


def compare_inputs(inputs: Sequence[str], *, allow_private: bool = False,
                   progress: Callable[[int, int, str], None] | None = None) -> Comparison:
    """Read, analyse and compare the articles of ``inputs`` (files, URLs, directories, JSON
    Lines/JSON/CSV/Parquet files of records).

    Each article is analysed once with the full pipeline; its embedding comes from that same
    encoder pass (:func:`unspin.compare.analysis.analyze_with_embedding`). Articles that
    cannot be read or analysed are listed in ``errors``; InputError when none can be."""
    from unspin.compare.analysis import analyze_with_embedding

    named = read_inputs(inputs, allow_private=allow_private)
    if not named:
        raise InputError("no articles to compare")
    names = unique_names([n.input for n in named])
    reports, vectors, kept, errors = [], [], [], []
    for k, (name, item) in enumerate(zip(names, named, strict=True)):
        if progress is not None:
            progress(k + 1, len(named), name)
        if item.article is None:
            errors.append(InputProblem(input=name, error=item.error or "could not be read"))
            continue
        try:
            report, vector = analyze_with_embedding(item.article)
        except ModelError:
            raise                       # a broken install, not a bad article
        except UnspinError as exc:
            errors.append(InputProblem(input=name, error=str(exc)))
            continue
        reports.append(report)
        vectors.append(vector)
        kept.append(name)
    if not reports:
        raise InputError("no article could be analysed: " + "; ".join(
            f"{e.input}: {e.error}" for e in errors))
    comparison = compare_reports(reports, kept, embeddings=vectors)
    comparison.errors = errors
    return comparison


def _default_name(report: Report, k: int) -> str:
    return report.meta.url or f"article {k + 1}"


def compare_reports(reports: Sequence[Report], inputs: Sequence[str] | None = None,
                    embeddings=None, *, threshold: float | None = None,
                    undated_threshold: float | None = None) -> Comparison:
    """Group analysed articles into stories and tell each story side by side.

    ``reports``: the articles' Reports. ``inputs``: their names (default: the report's URL,
    else "article N"). ``embeddings``: one :func:`unspin.framing.article_features` vector per
    report (``[n, 2 * dim]`` array or list, ``None`` items allowed), from the pipeline's own
    encoder pass when the caller has it; when ``embeddings`` is omitted they are computed here
    with **one extra encoder pass per article** (:func:`unspin.compare.analysis.embed_report`),
    or left out (the embedding term then counts 0) when the encoder is not installed. Pass
    ``embeddings=False`` to group on words and names alone.
    ``threshold`` and ``undated_threshold`` override the rule's
    (:data:`unspin.compare.grouping.DEFAULT_THRESHOLD`, ``UNDATED_THRESHOLD``)."""
    reports = list(reports)
    if not reports:
        raise InputError("no articles to compare")
    names = unique_names(list(inputs) if inputs is not None
                         else [_default_name(r, k) for k, r in enumerate(reports)])
    if len(names) != len(reports):
        raise ValueError(f"{len(names)} inputs for {len(reports)} reports")
    if embeddings is None:
        embeddings = _embed_all(reports)
    elif embeddings is False:
        embeddings = None
    if embeddings is not None and all(e is None for e in embeddings):
        embeddings = None
    features = grouping.story_features(reports, embeddings)
    t = grouping.DEFAULT_THRESHOLD if threshold is None else threshold
    ut = grouping.UNDATED_THRESHOLD if undated_threshold is None else undated_threshold
    found = grouping.links(features, threshold=t, undated_threshold=ut)
    groups = grouping.components(len(reports), found)
    by_article: dict[int, list[grouping.Link]] = {}
    for link in found:
        by_article.setdefault(link.a, []).append(link)
    stories, unrelated = [], []
    for members in groups:
        if len(members) == 1:
            r = reports[members[0]]
            unrelated.append(ArticleRef(input=names[members[0]], outlet=r.meta.outlet,
                                        title=r.title.text if r.title else None,
                                        date=r.meta.date, url=r.meta.url))
            continue
        member_set = set(members)
        story_links = [lk for m in members for lk in by_article.get(m, [])
                       if lk.b in member_set]
        stories.append(tell_story(len(stories) + 1, [reports[m] for m in members],
                                  [names[m] for m in members],
                                  [(names[lk.a], names[lk.b], lk) for lk in story_links]))
    return Comparison(
        stories=stories, unrelated=unrelated,
        grouping=GroupingInfo(threshold=t, undated_threshold=ut,
                              window_days=grouping.WINDOW_DAYS,
                              w_embedding=grouping.W_EMBEDDING, w_names=grouping.W_NAMES,
                              embeddings=features.vectors is not None))


def _embed_all(reports: Sequence[Report]) -> list[np.ndarray] | None:
    from unspin.compare.analysis import embed_report

    try:
        return [embed_report(r) for r in reports]
    except ModelError:
        return None


def tell_story(story_id: int, reports: Sequence[Report], names: Sequence[str],
               links: Sequence[tuple[str, str, grouping.Link]] = ()) -> Story:
    """One story side by side (:mod:`unspin.compare.alignment`); articles in date order."""
    order = sorted(range(len(reports)),
                   key=lambda k: (reports[k].meta.date or "9999", names[k]))
    reports = [reports[k] for k in order]
    names = [names[k] for k in order]
    text = alignment.StoryText(reports)
    claims = alignment.align_figures(reports, names, text)
    only = alignment.only_here(reports, names, claims, text)
    per_article = {n: sum(1 for o in only if o.input == n) for n in names}
    return Story(
        id=story_id,
        articles=[alignment.story_article(r, n, per_article[n])
                  for r, n in zip(reports, names, strict=True)],
        claims=claims, only_here=only,
        sources=alignment.story_sources(reports, names),
        language=[alignment.article_language(r, n) for r, n in zip(reports, names, strict=True)],
        links=[StoryLink(a=a, b=b, score=lk.score, words=lk.parts["words"],
                         embedding=lk.parts["embedding"], names=lk.parts["names"])
               for a, b, lk in links])
