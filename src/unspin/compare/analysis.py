"""Reports with their embeddings: what :mod:`unspin.compare` groups and aligns.

An article's *embedding* is :func:`unspin.framing.article_features` of its encoder output: the
mean and the max of the hidden states of all its real tokens (title, captions, paragraphs),
``2 * dim`` float32 values (768 for the shipped encoder). Grouping reads the mean half
(:data:`unspin.compare.grouping.EMBEDDING_PART`).

Two ways to get one:

- :func:`embed_report`: one extra encoder pass over an existing Report's title, captions and
  paragraphs (the same units, in the same order, as the pipeline encodes, so the vector is the
  one the pipeline's own pass would give);
- :func:`analyze_with_embedding`: the Report and the embedding from the pipeline's single
  encoder pass, by keeping the :class:`~unspin.encoder.Encoded` that the analyser computes
  anyway. It wraps ``ShippedModels.encode`` on a shallow copy of the default
  :class:`~unspin.pipeline.Analyzer` (same spaCy pipeline, same loaded models); if that hook
  ever stops seeing the pass (the pipeline changed), it falls back to :func:`embed_report`
  rather than fail.

The clean way for the pipeline to hand embeddings over is for ``Analyzer`` to return the
pooled features beside the Report; until then these two functions stand in.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

from unspin.article import Article
from unspin.report import Report


def parts_of(report: Report) -> list[tuple[int, int]]:
    """Title, captions and paragraphs of a report as ``(start, end)`` in text order: the units
    the pipeline encodes (:func:`unspin.pipeline.article_parts`); the whole text if none."""
    spans = ([(report.title.start, report.title.end)] if report.title else [])
    spans += [(c.start, c.end) for c in report.captions]
    spans += [(p.start, p.end) for p in report.paragraphs]
    spans = sorted(s for s in spans if s[1] > s[0])
    return spans or [(0, len(report.text))]


@lru_cache(maxsize=1)
def _encoder():
    from unspin.techniques import load_encoder

    return load_encoder()


def embed_report(report: Report, encoder=None) -> np.ndarray:
    """The article's embedding (``2 * dim`` float32), by one encoder pass over its units.
    ``encoder``: the loaded encoder to run (default: the shipped one, loaded once here).
    Raises ModelError when the shipped encoder is not installed."""
    from unspin.encoder import Unit
    from unspin.framing import article_features

    encoder = encoder if encoder is not None else _encoder()
    encoded = encoder.encode(report.text, [Unit(s, e) for s, e in parts_of(report)])
    return article_features(encoded)


class _EmbeddingAnalyzer:
    """An Analyzer whose one encoder pass is also pooled into the article's embedding."""

    def __init__(self, base=None) -> None:
        import copy

        from unspin.pipeline import default_analyzer

        base = base if base is not None else default_analyzer()
        # shallow copies: the same spaCy pipeline and the same loaded models (``_loaded`` is
        # shared), with ``encode`` wrapped on the copy only, so the default analyser is as it was
        self.analyzer = copy.copy(base)
        self.analyzer.models = copy.copy(base.models)
        self._local = threading.local()
        original = base.models.encode

        def encode(text, parts):
            encoded = original(text, parts)
            self._local.encoded = encoded
            return encoded

        self.analyzer.models.encode = encode

    def __call__(self, source) -> tuple[Report, np.ndarray]:
        from unspin.framing import article_features

        self._local.encoded = None
        report = self.analyzer(source)
        encoded = self._local.encoded
        self._local.encoded = None
        if encoded is not None and encoded.hidden and len(encoded.windows) == len(encoded.hidden):
            return report, article_features(encoded)
        return report, embed_report(report, self.analyzer.models.encoder)


@lru_cache(maxsize=1)
def _embedding_analyzer() -> _EmbeddingAnalyzer:
    return _EmbeddingAnalyzer()


def embedding_analyzer(base) -> _EmbeddingAnalyzer:
    """A callable ``source -> (Report, embedding)`` over the :class:`~unspin.pipeline.Analyzer`
    ``base`` (its spaCy pipeline and loaded models, shared): for callers that hold their own
    analysers, one per thread, like ``unspin serve``. Not safe to call from two threads at
    once, nor at the same time as ``base`` itself."""
    return _EmbeddingAnalyzer(base)


def analyze_with_embedding(source: Article | str) -> tuple[Report, np.ndarray]:
    """:func:`unspin.pipeline.analyze` of ``source`` and the article's embedding, from the
    pipeline's one encoder pass (an extra pass only if the pipeline's pass could not be kept).
    Raises what :func:`~unspin.pipeline.analyze` raises."""
    return _embedding_analyzer()(source)
