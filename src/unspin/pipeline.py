"""The Analyzer: from an article to a Report, through the stages of :mod:`unspin.stages`.

    reading -> language -> parsing -> mentions -> encoding -> techniques -> claims
            -> attribution -> sourcing -> framing -> consistency -> report

Each stage takes and extends one :class:`~unspin.stages.Analysis` (the Article, the spaCy
Doc, the parts and sentences, the encoder output, the relations, the report's fields); the
models are loaded once per Analyzer (:class:`ShippedModels`). :meth:`Analyzer.__call__`
analyses one article; :meth:`Analyzer.pipe` a stream of them in bounded batches, each stage
over the whole batch (spaCy parses a batch with ``nlp.pipe``), one article's failure
recorded with its stage while the others go on.

The CLI, the HTTP API, ``unspin compare`` and ``unspin batch`` all call :func:`analyze` or an
Analyzer. They read paths, URLs and bytes themselves (:func:`unspin.article.load_article`):
the Analyzer takes an Article, or a string that is the article's text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

from unspin import __version__
from unspin.article import Article
from unspin.encoder import Encoded, Unit
from unspin.errors import ModelError
from unspin.nlp import load_spacy, spacy_version
from unspin.nlp import parse as spacy_parse
from unspin.report import PassageTechniques, Report
from unspin.stages import (
    Analysis,
    Attribution,
    Claims,
    Encoding,
    Framing,
    HeadlineConsistency,
    Language,
    Mentions,
    Parsing,
    Part,
    Reading,
    Reporting,
    Sourcing,
    Stage,
    StageError,
    Techniques,
    article_parts,
    sentence_lookup,
    sentences_of,
)

__all__ = ["MAX_ANALYSED_CHARS", "MAX_ANALYSED_TOKENS", "RENEW_AFTER_LEXEMES", "Analyzer",
           "Part", "ShippedModels", "StageError", "analyze", "article_parts", "classify",
           "default_analyzer", "parse", "sentence_lookup", "sentences_of"]

MAX_ANALYSED_CHARS = 1_000_000
"""The longest article text (in characters, after extraction) that is analysed; a longer one
is an InputError. Time and memory grow in proportion to the text (``benchmarks/scaling.py``,
on 2 shared CPU cores: 1,000,000 characters took 5 to 6 minutes and 2.5 GB at the peak, of
which spaCy, the shared encoder and the rule stages about 2.5 minutes and 1.2 GB), so the
5 MB input cap alone would let one request take half an hour and several GB."""


MAX_ANALYSED_TOKENS = 250_000
"""The most spaCy tokens an analysed text may have: 1,000,000 characters of prose are about
200,000, but text made of one-letter lines or punctuation has up to a token for every 1.5
characters, and spaCy's and the sentence models' cost grows with tokens and sentences."""


def parse(nlp, text: str, parts: list[Part]):
    """Run spaCy on ``text`` with a sentence break forced at the start of every part, so that
    no sentence straddles a title, caption or paragraph boundary. A long text is parsed in
    pieces cut at part starts and joined into one Doc (:func:`unspin.nlp.parse`)."""
    return spacy_parse(nlp, text, [p.start for p in parts], max_tokens=MAX_ANALYSED_TOKENS)


class ShippedModels:
    """The models shipped in ``unspin/models``, each loaded on first use; ``None`` for a model
    the manifest does not list. All heads read one encoder pass (:meth:`encode`)."""

    def __init__(self, threads: int | None = None):
        self.threads = threads
        self._loaded: dict[str, object] = {}

    def _get(self, key: str, model: str, load):
        """``load()`` once, if the manifest lists ``model``; else ``None``."""
        from unspin.models import has_model

        if key not in self._loaded:
            self._loaded[key] = load() if has_model(model) else None
        return self._loaded[key]

    @property
    def encoder(self):
        from unspin.techniques import load_encoder

        return self._get("encoder", "techniques", lambda: load_encoder(self.threads))

    @property
    def techniques(self):
        from unspin.techniques import TechniqueModel

        return self._get("techniques", "techniques", TechniqueModel.load)

    @property
    def consistency(self):
        from unspin.consistency import ConsistencyModel

        return self._get("consistency", "consistency", ConsistencyModel.load)

    @property
    def loaded(self):
        from unspin.loaded import LoadedModel

        return self._get("loaded", "loaded", LoadedModel.load)

    @property
    def checkworthy(self):
        from unspin.checkworthy import CheckworthyModel

        return self._get("checkworthy", "checkworthy",
                         lambda: CheckworthyModel.load(threads=self.threads))

    @property
    def framing(self):
        from unspin.framing import FramingModel

        return self._get("framing", "framing", FramingModel.load)

    @property
    def genre(self):
        from unspin.genre import GenreModel

        return self._get("genre", "genre", GenreModel.load)

    def encode(self, text: str, parts: list[Part]) -> Encoded | None:
        """One encoder pass over the title, captions and paragraphs; ``None`` without the
        shipped encoder."""
        encoder = self.encoder
        if encoder is None:
            return None
        return encoder.encode(text, [Unit(p.start, p.end) for p in parts])


RENEW_AFTER_LEXEMES = 100_000
"""spaCy's vocabulary keeps every word it has seen (a lexeme and its strings, about 700 bytes:
200,000 new words took 132 MB), so it grows with the distinct words of the stream: 12,000
lexemes over the first 120 distinct articles, fewer per article after that. An Analyzer
that has added this many (about 70 MB) loads a fresh spaCy pipeline before its next
article, so a worker's memory stays bounded however long it runs (loading takes about a
second; the reports do not change)."""


class Analyzer:
    """Holds the spaCy pipeline and the loaded models; call it on an article to get a Report,
    or :meth:`pipe` a stream of articles. ``renew_after_lexemes``: see
    :data:`RENEW_AFTER_LEXEMES` (``None``: never renew)."""

    def __init__(self, threads: int | None = None,
                 renew_after_lexemes: int | None = RENEW_AFTER_LEXEMES):
        self.nlp = load_spacy()
        self.models = ShippedModels(threads)
        self.renew_after_lexemes = renew_after_lexemes
        self.renewals = 0
        self._lexemes_at_load = len(self.nlp.vocab)
        self._shared_nlp = True

    def _renew_if_grown(self) -> None:
        """A freshly loaded spaCy pipeline in place of this one once its vocabulary has grown
        by ``renew_after_lexemes`` lexemes; the old one (and the cached one, if this is it)
        and the hedge matchers built on its vocabulary are let go."""
        limit = self.renew_after_lexemes
        if limit is None or len(self.nlp.vocab) - self._lexemes_at_load < limit:
            return
        from unspin.hedges import forget_vocabularies
        from unspin.nlp import fresh_spacy

        if self._shared_nlp:
            load_spacy.cache_clear()
        self.nlp = fresh_spacy()
        self._lexemes_at_load, self._shared_nlp = len(self.nlp.vocab), False
        forget_vocabularies()
        self.renewals += 1

    def stages(self) -> list[Stage]:
        """The stages of an analysis, in order, on this Analyzer's pipeline and models (the
        size limits as they are set now)."""
        models = self.models
        return [
            Reading(MAX_ANALYSED_CHARS),
            Language(),
            Parsing(self.nlp, MAX_ANALYSED_TOKENS),
            Mentions(),
            Encoding(models),
            Techniques(models),
            Claims(models),
            Attribution(),
            Sourcing(),
            Framing(models),
            HeadlineConsistency(models),
            Reporting(self.versions()),
        ]

    def __call__(self, source: Article | str) -> Report:
        """The Report of one article: an Article, or a string that is the article's text
        (plain text: title on the first line, paragraphs split by blank lines; never a path
        or a URL). Raises what the failing stage raised: UnspinError subclasses for input
        that cannot be analysed, TypeError for a source of another type."""
        self._renew_if_grown()
        analysis = Analysis(source)
        for stage in self.stages():
            stage(analysis)
        return analysis.report

    def pipe(self, sources: Iterable[Article | str], batch_size: int = 16
             ) -> Iterator[Report | StageError]:
        """For each source, in order, its Report, or the :class:`~unspin.stages.StageError`
        that names the stage where its analysis failed (the others are still analysed).

        Sources are taken ``batch_size`` at a time and every stage runs over the batch (spaCy
        parses it in one ``nlp.pipe`` call of bounded tokens); nothing is kept from one batch
        to the next, and spaCy's vocabulary is renewed as it grows (:data:`RENEW_AFTER_LEXEMES`),
        so memory does not grow with the length of the stream. Each Report is the one
        ``self(source)`` gives."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        sources = iter(sources)
        stages: list[Stage] = []
        while batch := list(islice(sources, batch_size)):
            nlp = self.nlp
            self._renew_if_grown()
            if not stages or self.nlp is not nlp:
                stages = self.stages()
            analyses = [Analysis(source) for source in batch]
            for stage in stages:
                stage.pipe(analyses)
            for analysis in analyses:
                yield analysis.failure or analysis.report

    def classify(self, source: Article | str, passage: str | tuple[int, int]
                 ) -> PassageTechniques:
        """The techniques of one passage of an article, judged in the article's context.

        ``source``: as for :meth:`__call__`. ``passage``: its text (found in the article's
        text, see :func:`unspin.passage.locate_passage`) or ``(start, end)`` offsets into
        the article's text. Raises InputError when the passage is not there and ModelError
        when the technique model is not installed."""
        from unspin.passage import check_span, classify_passage, locate_passage

        analysis = Analysis(source)
        Reading(MAX_ANALYSED_CHARS).run(analysis)
        text = analysis.text
        start, end = (locate_passage(text, passage) if isinstance(passage, str)
                      else check_span(text, *passage))
        model = self.models.techniques
        if model is None:
            raise ModelError("the technique model is not installed")
        parts = article_parts(analysis.article) or [Part("body", 0, 0, len(text))]
        encoded = self.models.encode(text, parts)
        return classify_passage(text, encoded, model, start, end)

    def versions(self) -> dict[str, str]:
        from unspin.models import model_versions

        return {"unspin": __version__, "spacy_model": spacy_version(self.nlp),
                **model_versions()}


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    threads = os.environ.get("UNSPIN_THREADS")
    return Analyzer(threads=int(threads) if threads else None)


def analyze(source: Article | str) -> Report:
    """Analyse one article and return its :class:`~unspin.report.Report`.

    ``source``: an :class:`~unspin.article.Article`, or a string that is the article's text
    (plain text; never read as a path or a URL: load those with
    :func:`unspin.article.load_article` first). Raises :class:`~unspin.errors.UnspinError`
    subclasses for input that cannot be analysed.
    """
    return default_analyzer()(source)


def classify(source: Article | str, passage: str | tuple[int, int]) -> PassageTechniques:
    """The techniques of one passage of an article (see :meth:`Analyzer.classify`)."""
    return default_analyzer().classify(source, passage)
