"""The Analyzer: one function from an article to a Report, composing the stages.

    Article -> spaCy Doc (sentences kept inside title, captions and paragraphs)
            -> quantities, entities, hedges            (model-free stages)
            -> one encoder pass over units -> technique spans and paragraph techniques,
               check-worthy claims, genre and frames   (heads on the shared encoder output)
            -> attribution of each claim, sources and flags
            -> Report

The CLI, the Python API and (later) the HTTP API all call :func:`analyze`.
"""

from __future__ import annotations

import bisect
import os
import time
from dataclasses import dataclass
from functools import lru_cache

from unspin import __version__
from unspin.article import Article, load_article
from unspin.attribution import attribute_claims, find_quotes, find_relations
from unspin.claims import build_claims
from unspin.encoder import Encoded, Unit
from unspin.entities import find_entities
from unspin.errors import InputError, LanguageError, ModelError
from unspin.hedges import find_hedges
from unspin.nlp import detect_language, load_spacy, spacy_version
from unspin.nlp import parse as parse_text
from unspin.quantities import find_quantities
from unspin.report import (
    Claim,
    Entity,
    FrameScore,
    Genre,
    Meta,
    Paragraph,
    PassageTechniques,
    Quantity,
    Report,
    Sentence,
    Technique,
    TechniqueScore,
)
from unspin.sourcing import find_sources
from unspin.taxonomy import definition

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


def check_size(text: str) -> None:
    """Raise InputError if ``text`` is longer than :data:`MAX_ANALYSED_CHARS`."""
    if len(text) > MAX_ANALYSED_CHARS:
        raise InputError(f"the article text is {len(text):,} characters long; unspin analyses "
                         f"at most {MAX_ANALYSED_CHARS:,} characters")


@dataclass(frozen=True)
class Part:
    """A unit of the article: title, a caption or a body paragraph (``index`` within its kind)."""

    kind: str
    index: int
    start: int
    end: int


def article_parts(article: Article) -> list[Part]:
    """Title, captions and paragraphs as parts, in text order."""
    parts = []
    if article.title:
        parts.append(Part("title", -1, article.title.start, article.title.end))
    parts += [Part("caption", i, c.start, c.end) for i, c in enumerate(article.captions)]
    parts += [Part("body", i, p.start, p.end) for i, p in enumerate(article.paragraphs)]
    return sorted(parts, key=lambda p: p.start)


def parse(nlp, text: str, parts: list[Part]):
    """Run spaCy on ``text`` with a sentence break forced at the start of every part, so that
    no sentence straddles a title, caption or paragraph boundary. A long text is parsed in
    pieces cut at part starts and joined into one Doc (:func:`unspin.nlp.parse`)."""
    return parse_text(nlp, text, [p.start for p in parts], max_tokens=MAX_ANALYSED_TOKENS)


def sentences_of(doc, parts: list[Part]) -> list[Sentence]:
    """Sentences trimmed of whitespace, each tagged with its part; whitespace-only skipped."""
    text = doc.text
    part_starts = [p.start for p in parts]
    out: list[Sentence] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        k = bisect.bisect_right(part_starts, start) - 1
        part = parts[k] if k >= 0 and start < parts[k].end else None
        if part is not None:
            end = min(end, part.end)
        out.append(Sentence(
            start=start, end=end, text=text[start:end], index=len(out),
            paragraph=part.index if part and part.kind == "body" else -1,
            part=part.kind if part else "body",
        ))
    return out


def sentence_lookup(sentences: list[Sentence]):
    """A function from a character offset to the index of the sentence holding it (or the
    nearest sentence before it)."""
    starts = [s.start for s in sentences]

    def index(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    return index


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


class Analyzer:
    """Holds the loaded pipeline and models; call it on a source to get a Report."""

    def __init__(self, threads: int | None = None):
        self.nlp = load_spacy()
        self.models = ShippedModels(threads)

    def classify(self, source, passage: str | tuple[int, int]) -> PassageTechniques:
        """The techniques of one passage of an article, judged in the article's context.

        ``source``: as for :func:`analyze`. ``passage``: its text (found in the article's
        text, see :func:`unspin.passage.locate_passage`) or ``(start, end)`` offsets into
        the article's text. Raises InputError when the passage is not there and ModelError
        when the technique model is not installed."""
        from unspin.passage import check_span, classify_passage, locate_passage

        article = source if isinstance(source, Article) else load_article(source)
        text = article.text
        check_size(text)
        start, end = (locate_passage(text, passage) if isinstance(passage, str)
                      else check_span(text, *passage))
        model = self.models.techniques
        if model is None:
            raise ModelError("the technique model is not installed")
        parts = article_parts(article) or [Part("body", 0, 0, len(text))]
        encoded = self.models.encode(text, parts)
        return classify_passage(text, encoded, model, start, end)

    def __call__(self, source) -> Report:
        started = time.perf_counter()
        article = source if isinstance(source, Article) else load_article(source)
        text = article.text
        check_size(text)
        body = " ".join(text[p.start:p.end] for p in article.paragraphs) or text
        language, lang_score = detect_language(body)
        if language != "en":
            raise LanguageError(
                f"the text does not look like English (English score {lang_score:.2f}); "
                "unspin's models analyse English news only")
        parts = article_parts(article)
        if not parts:
            raise InputError("no article text found")
        doc = parse(self.nlp, text, parts)
        sentences = sentences_of(doc, parts)
        index = sentence_lookup(sentences)
        paragraphs = [Paragraph(start=p.start, end=p.end, text=p.text, index=i)
                      for i, p in enumerate(article.paragraphs)]
        encoded = self.models.encode(text, parts)
        techniques = self._techniques_of(text, parts, paragraphs, encoded)
        techniques = self._with_loaded_wording(text, encoded, sentences, techniques)
        entities = find_entities(doc, index)
        quantities = find_quantities(doc, index)
        hedges = find_hedges(doc, index)
        claims = self._claims_of(sentences, encoded, quantities, entities)
        relations = find_relations(doc, sentences, hedges)
        quotes = find_quotes(text, sentences)
        for claim, attribution in zip(
                claims, attribute_claims(claims, relations, hedges, text, quotes), strict=True):
            claim.attribution = attribution
        genre, frames = self._framing_of(text, encoded)
        words = sum(1 for t in doc if t.is_alpha)
        report = Report(
            text=text,
            title=article.title,
            meta=Meta(byline=article.byline, date=article.date, outlet=article.outlet,
                      url=article.url, language=language, language_score=round(lang_score, 3)),
            captions=list(article.captions),
            paragraphs=paragraphs,
            sentences=sentences,
            entities=entities,
            quantities=quantities,
            hedges=hedges,
            techniques=techniques,
            claims=claims,
            genre=genre,
            frames=frames,
            versions=self.versions(),
        )
        report.sources, report.flags = find_sources(report, relations, doc)
        self._judge_consistency(report, article, sentences, encoded)
        report.metrics = {
            "words": float(words),
            "sentences": float(len(sentences)),
            "techniques_per_100_words": round(100.0 * len(techniques) / max(words, 1), 2),
            "hedges_per_100_words": round(100.0 * len(report.hedges) / max(words, 1), 2),
            "loaded_per_100_words": round(100.0 * sum(
                1 for t in techniques if t.technique == "Loaded_Language"
                and t.voice == "outlet") / max(words, 1), 2),
            "claims": float(len(claims)),
            "unattributed_claims": float(sum(
                1 for c in claims if c.attribution and c.attribution.kind == "unattributed")),
            "seconds": round(time.perf_counter() - started, 3),
        }
        return report

    def _techniques_of(self, text: str, parts: list[Part], paragraphs: list[Paragraph],
                       encoded: Encoded | None) -> list[Technique]:
        """Technique spans over all parts; fills ``paragraphs[i].techniques`` in place."""
        model = self.models.techniques
        if model is None or encoded is None:
            return []
        from unspin.techniques import predict

        pred = predict(text, encoded, len(parts), model.heads, model.labels, model.config)
        for u, part in enumerate(parts):
            if part.kind != "body":
                continue
            chosen = [TechniqueScore(technique=model.labels[k], score=round(float(p), 4))
                      for k, p in enumerate(pred.unit_probs[u])
                      if p >= model.config.unit_thresholds[k]]
            paragraphs[part.index].techniques = sorted(chosen, key=lambda t: -t.score)
        return [Technique(start=s.start, end=s.end, text=text[s.start:s.end],
                          technique=s.technique, score=min(1.0, s.score),
                          definition=definition(s.technique))
                for s in pred.spans]

    def _judge_consistency(self, report: Report, article: Article, sentences: list[Sentence],
                           encoded: Encoded | None) -> None:
        """The headline's and each caption's stance towards the body, and their mismatch
        flags, set on ``report`` (nothing without the shipped stance model)."""
        model = self.models.consistency
        if model is None:
            return
        from unspin.consistency import consistency_flags, judge

        report.consistency = judge(report.text, article.title, article.captions, sentences,
                                   encoded, model=model)
        report.flags += consistency_flags(report.consistency, model=model)
        report.check()

    def _with_loaded_wording(self, text: str, encoded: Encoded | None,
                             sentences: list[Sentence], techniques: list[Technique]
                             ) -> list[Technique]:
        """``techniques`` with the loaded-wording head's word and phrase spans added as
        Loaded_Language (those overlapping a Loaded_Language span already there are left
        out), every span inside a quotation marked as the speaker's voice, and each
        sentence's loaded-wording probability set in place."""
        from unspin.attribution import find_quotes

        model = self.models.loaded
        if model is not None and encoded is not None and sentences:
            spans, scores = model.analyse(text, encoded, [(s.start, s.end) for s in sentences])
            for sentence, score in zip(sentences, scores, strict=True):
                sentence.loaded = round(float(score), 4)
            have = [(t.start, t.end) for t in techniques if t.technique == "Loaded_Language"]
            techniques = techniques + [
                Technique(start=s.start, end=s.end, text=s.text, technique="Loaded_Language",
                          score=round(min(1.0, float(s.score)), 4),
                          definition=definition("Loaded_Language"))
                for s in spans if not any(a < s.end and s.start < b for a, b in have)]
            techniques.sort(key=lambda t: (t.start, t.end, t.technique))
        quotes = find_quotes(text, sentences)
        for t in techniques:
            if _inside_any(t.start, t.end, quotes):
                t.voice = "quote"
        return techniques

    def _claims_of(self, sentences: list[Sentence], encoded: Encoded | None,
                   quantities: list[Quantity], entities: list[Entity]) -> list[Claim]:
        """The check-worthy sentences (title and captions included) as claims; none without
        the shipped check-worthiness model (its own fine-tuned encoder reads each sentence)."""
        model = self.models.checkworthy
        if model is None or not sentences:
            return []
        scores = model.score([s.text for s in sentences])
        return build_claims(sentences, scores, quantities, entities, model.threshold)

    def _framing_of(self, text: str, encoded: Encoded | None
                    ) -> tuple[Genre | None, list[FrameScore]]:
        """Genre and the frames judged present (best first); ``(None, [])`` without the
        shipped models or without any text the encoder read."""
        from unspin.framing import article_token_ids

        framing, genre_model = self.models.framing, self.models.genre
        if encoded is None or not any(u >= 0 for w in encoded.windows for u in w.units):
            return None, []
        ids = article_token_ids(encoded)
        frames = framing.present(framing.frames_of(encoded, ids)) if framing else []
        genre = genre_model.predict(text, ids) if genre_model else None
        return genre, frames

    def versions(self) -> dict[str, str]:
        from unspin.models import model_versions

        return {"unspin": __version__, "spacy_model": spacy_version(), **model_versions()}


def _inside_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` lies within one of ``spans`` (sorted by start)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    threads = os.environ.get("UNSPIN_THREADS")
    return Analyzer(threads=int(threads) if threads else None)


def analyze(source) -> Report:
    """Analyse one article and return its :class:`~unspin.report.Report`.

    ``source``: an :class:`~unspin.article.Article`, article text, a path, an http(s) URL,
    bytes, or ``"-"`` for standard input. Raises :class:`~unspin.errors.UnspinError`
    subclasses for input that cannot be analysed.
    """
    return default_analyzer()(source)


def classify(source, passage: str | tuple[int, int]) -> PassageTechniques:
    """The techniques of one passage of an article (see :meth:`Analyzer.classify`)."""
    return default_analyzer().classify(source, passage)
