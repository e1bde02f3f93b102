"""The stages of an analysis, each extending one :class:`Analysis` of one article.

An :class:`Analysis` holds everything known about one article on its way to a Report: the
Article, its parts, the spaCy Doc, the sentences, the shared encoder's output, the
attribution relations and the report's fields as they are filled. A stage reads what earlier
stages left there and adds its own fields; the last one builds the Report.

    reading      Article (given, or plain text read as one), size limit
    language     English or refused
    parsing      parts, spaCy Doc, sentences, paragraphs          (batch: nlp.pipe)
    mentions     entities, quantities, hedges                     (rules on the Doc)
    encoding     one pass of the shared encoder over the parts
    techniques   technique spans, paragraph techniques, loaded wording, quoted voice
    claims       check-worthy sentences as claims
    attribution  attribution relations; each claim's attribution
    sourcing     sources and sourcing flags
    framing      genre and frames
    consistency  headline and captions against the body, their flags
    report       the Report, checked, with its metrics

Every stage has ``run(analysis)`` (raises on failure) and ``pipe(analyses)``, its batch form:
it extends every analysis of a batch that has not failed, and an analysis that fails keeps
its :class:`StageError` (the stage's name and the error) while the others go on. Only parsing
gains from batching (spaCy's ``nlp.pipe`` over a bounded batch); the other stages loop. The
shared encoder is not batched across articles on purpose: it quantises its activations per
call (``DynamicQuantizeLinear`` over the whole batch tensor), so a window's hidden states
would depend on which other articles share its call (by up to 0.8). The check-worthiness
model reads each sentence in a call of its own (see :class:`Claims`). Analysing an article
alone or inside a batch gives the same report.

The Analyzer (:mod:`unspin.pipeline`) builds the list of stages with its loaded models.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from unspin.article import Article, parse_text
from unspin.encoder import Encoded
from unspin.errors import InputError, LanguageError, UnspinError
from unspin.report import (
    Claim,
    Consistency,
    Entity,
    Flag,
    FrameScore,
    Genre,
    Hedge,
    Meta,
    Paragraph,
    Quantity,
    Report,
    Sentence,
    Source,
    Technique,
    TechniqueScore,
    strip_range,
)
from unspin.taxonomy import definition

PIPE_TOKENS = 20_000
"""The most spaCy tokens parsed in one ``nlp.pipe`` call of the parsing stage's batch form
(the pipeline's memory grows with the tokens in flight, about 15 KB a token): a batch of
ordinary articles (about 700 tokens each) goes in one call, a long article nearly alone."""


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


def sentences_of(doc, parts: list[Part]) -> list[Sentence]:
    """Sentences trimmed of whitespace, each tagged with its part; whitespace-only skipped."""
    text = doc.text
    part_starts = [p.start for p in parts]
    out: list[Sentence] = []
    for sent in doc.sents:
        start, end = strip_range(text, sent.start_char, sent.end_char)
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


def sentence_lookup(sentences: list[Sentence]) -> Callable[[int], int]:
    """A function from a character offset to the index of the sentence holding it (or the
    nearest sentence before it)."""
    starts = [s.start for s in sentences]

    def index(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    return index


class StageError(Exception):
    """The analysis of one article failed in stage ``stage``; ``error`` is what was raised."""

    def __init__(self, stage: str, error: Exception):
        super().__init__(f"{stage}: {error}")
        self.stage = stage
        self.error = error

    @property
    def message(self) -> str:
        """The error's one-line message; one that is not an UnspinError (a bug, not the
        input) starts with the exception's type."""
        if isinstance(self.error, UnspinError):
            return str(self.error)
        return f"{type(self.error).__name__}: {self.error}"


@dataclass
class Analysis:
    """One article on its way to a Report: what every stage reads and extends.

    ``source`` is what the caller gave (an Article, or the article's text); ``article`` is
    that Article, or the one the reading stage reads from the text. ``seconds`` is the time
    the stages have spent on this article so far. ``failure`` is set by the stage that
    failed (later stages pass the analysis by), and ``report`` by the last stage."""

    source: Article | str
    article: Article | None = None
    language: str = "und"
    language_score: float = 0.0
    parts: list[Part] = field(default_factory=list)
    doc: Any = None
    sentences: list[Sentence] = field(default_factory=list)
    sentence_index: Callable[[int], int] | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    encoded: Encoded | None = None
    entities: list[Entity] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    hedges: list[Hedge] = field(default_factory=list)
    techniques: list[Technique] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    relations: list = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    genre: Genre | None = None
    frames: list[FrameScore] = field(default_factory=list)
    frames_judged: bool = False  # set by the framing stage
    frames_evidence: float | None = None
    consistency: Consistency | None = None
    seconds: float = 0.0
    failure: StageError | None = None
    report: Report | None = None
    _quotes: list[tuple[int, int]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.article is None and isinstance(self.source, Article):
            self.article = self.source

    @property
    def text(self) -> str:
        """The article's text: every offset of the analysis points into it."""
        return self.article.text

    def quotes(self) -> list[tuple[int, int]]:
        """The text's quotations (:func:`unspin.attribution.find_quotes`), found once after
        parsing and shared by the stages that read them."""
        if self._quotes is None:
            from unspin.attribution import find_quotes

            self._quotes = find_quotes(self.text, self.sentences)
        return self._quotes

    def meta(self) -> Meta:
        """The report's metadata: the article's, and the language found."""
        a = self.article
        return Meta(byline=a.byline, date=a.date, outlet=a.outlet, url=a.url,
                    language=self.language, language_score=round(self.language_score, 3))

    def draft(self) -> Report:
        """The report's fields filled so far, as an unchecked Report (for readers that take a
        Report, such as :func:`unspin.sourcing.find_sources`); not the final report."""
        a = self.article
        return Report.model_construct(
            text=a.text, title=a.title, meta=self.meta(), captions=list(a.captions),
            paragraphs=self.paragraphs, sentences=self.sentences, entities=self.entities,
            quantities=self.quantities, hedges=self.hedges, techniques=self.techniques,
            claims=self.claims, sources=self.sources, consistency=self.consistency,
            genre=self.genre, frames=self.frames, flags=self.flags)


def pending(analyses: Sequence[Analysis]) -> Iterator[Analysis]:
    """The analyses of a batch that no stage has failed."""
    return (a for a in analyses if a.failure is None)


class Stage:
    """One step of the analysis. ``run`` extends one Analysis in place and raises what goes
    wrong; calling the stage does the same and adds the time taken to ``seconds``; ``pipe``
    extends a batch, recording each article's failure on it instead of raising."""

    name: ClassVar[str] = ""

    def run(self, analysis: Analysis) -> None:
        raise NotImplementedError

    def __call__(self, analysis: Analysis) -> None:
        started = time.perf_counter()
        try:
            self.run(analysis)
        finally:
            analysis.seconds += time.perf_counter() - started

    def pipe(self, analyses: Sequence[Analysis]) -> None:
        """Every pending analysis of the batch, one at a time (a stage with a batch benefit
        overrides this)."""
        for analysis in pending(analyses):
            self.attempt(analysis, self)

    def attempt(self, analysis: Analysis, step: Callable[[Analysis], None]) -> None:
        """``step(analysis)``, its error (any Exception) kept as ``analysis.failure``."""
        try:
            step(analysis)
        except Exception as err:  # one bad article must not stop the batch
            analysis.failure = StageError(self.name, err)


class Reading(Stage):
    """The Article: the one given, or plain text read as one (title on the first line,
    paragraphs split by blank lines; a string is never a path or a URL). Raises TypeError
    for anything else and InputError past ``max_chars`` characters."""

    name = "reading"

    def __init__(self, max_chars: int):
        self.max_chars = max_chars

    def run(self, analysis: Analysis) -> None:
        source = analysis.source
        if isinstance(source, Article):
            article = source
        elif isinstance(source, str):
            article = parse_text(source)
        else:
            raise TypeError(f"unspin analyses an Article or the article's text, not "
                            f"{type(source).__name__}; read a path, URL or bytes with "
                            "unspin.article.load_article first")
        if len(article.text) > self.max_chars:
            raise InputError(f"the article text is {len(article.text):,} characters long; "
                             f"unspin analyses at most {self.max_chars:,} characters")
        analysis.article = article


class Language(Stage):
    """English or refused (LanguageError), judged on the body paragraphs (the whole text
    when there are none)."""

    name = "language"

    def run(self, analysis: Analysis) -> None:
        from unspin.nlp import detect_language

        article = analysis.article
        body = " ".join(article.text[p.start:p.end] for p in article.paragraphs)
        language, score = detect_language(body or article.text)
        if language != "en":
            raise LanguageError(
                f"the text does not look like English (English score {score:.2f}); "
                "unspin's models analyse English news only")
        analysis.language, analysis.language_score = language, score


class Parsing(Stage):
    """Parts, the spaCy Doc (a sentence break forced at the start of every part, so that no
    sentence straddles a title, caption or paragraph boundary; a long text parsed in pieces,
    :func:`unspin.nlp.pieces`), the sentences and the paragraphs. InputError without any
    part or past ``max_tokens`` tokens. The batch form parses the pieces of a batch with
    ``nlp.pipe``, at most ``pipe_tokens`` tokens a call. ``piece_tokens``: the longest piece
    (default :data:`unspin.nlp.PIECE_TOKENS`)."""

    name = "parsing"

    def __init__(self, nlp, max_tokens: int, pipe_tokens: int = PIPE_TOKENS,
                 piece_tokens: int | None = None):
        self.nlp = nlp
        self.max_tokens = max_tokens
        self.pipe_tokens = pipe_tokens
        self.piece_tokens = piece_tokens

    def run(self, analysis: Analysis) -> None:
        analysis.parts = self._parts(analysis)
        self._finish(analysis, self._parse_alone(analysis))

    @staticmethod
    def _parts(analysis: Analysis) -> list[Part]:
        parts = article_parts(analysis.article)
        if not parts:
            raise InputError("no article text found")
        return parts

    def _split(self, analysis: Analysis) -> list:
        """Set the parts; the text's unparsed pieces."""
        from unspin.nlp import pieces

        analysis.parts = self._parts(analysis)
        return pieces(self.nlp, analysis.text, [p.start for p in analysis.parts],
                      piece_tokens=self.piece_tokens, max_tokens=self.max_tokens)

    @staticmethod
    def _finish(analysis: Analysis, doc) -> None:
        """Set the Doc, the sentences with their lookup, and the paragraphs."""
        analysis.doc = doc
        analysis.sentences = sentences_of(doc, analysis.parts)
        analysis.sentence_index = sentence_lookup(analysis.sentences)
        analysis.paragraphs = [Paragraph(start=p.start, end=p.end, text=p.text, index=i)
                               for i, p in enumerate(analysis.article.paragraphs)]

    def pipe(self, analyses: Sequence[Analysis]) -> None:
        split: list[tuple[Analysis, list]] = []
        for analysis in pending(analyses):
            started = time.perf_counter()
            self.attempt(analysis, lambda a: split.append((a, self._split(a))))
            analysis.seconds += time.perf_counter() - started
        for group in _token_groups(split, self.pipe_tokens):
            self._parse_group(group)

    def _parse_group(self, group: list[tuple[Analysis, list]]) -> None:
        """One ``nlp.pipe`` call over the pieces of ``group``; its time shared by tokens. If
        the call fails, each article is parsed alone so that only the bad one fails."""
        from unspin.nlp import join

        started = time.perf_counter()
        flat = [piece for _, pieces in group for piece in pieces]
        try:
            parsed = list(self.nlp.pipe(flat, batch_size=len(flat)))
        except Exception:
            for analysis, _ in group:
                self.attempt(analysis, lambda a: self._finish(a, self._parse_alone(a)))
            return
        elapsed = time.perf_counter() - started
        total = max(1, sum(len(p) for p in flat))
        k = 0
        for analysis, pieces in group:
            docs, k = parsed[k:k + len(pieces)], k + len(pieces)
            analysis.seconds += elapsed * sum(len(p) for p in pieces) / total
            self.attempt(analysis, lambda a, docs=docs: self._finish(a, join(docs)))

    def _parse_alone(self, analysis: Analysis):
        """The Doc of one article, parsed piece by piece without ``nlp.pipe``."""
        from unspin.nlp import parse

        return parse(self.nlp, analysis.text, [p.start for p in analysis.parts],
                     piece_tokens=self.piece_tokens, max_tokens=self.max_tokens)


def _token_groups(split: list[tuple[Analysis, list]], budget: int
                  ) -> Iterator[list[tuple[Analysis, list]]]:
    """``split`` in order, in groups of at most ``budget`` tokens (an article longer than
    that is a group alone)."""
    group: list[tuple[Analysis, list]] = []
    tokens = 0
    for item in split:
        size = sum(len(p) for p in item[1])
        if group and tokens + size > budget:
            yield group
            group, tokens = [], 0
        group.append(item)
        tokens += size
    if group:
        yield group


class Mentions(Stage):
    """Entities, quantities and hedges: rules over the Doc, no model."""

    name = "mentions"

    def run(self, analysis: Analysis) -> None:
        from unspin.entities import find_entities
        from unspin.hedges import find_hedges
        from unspin.quantities import find_quantities

        doc, index = analysis.doc, analysis.sentence_index
        analysis.entities = find_entities(doc, index)
        analysis.quantities = find_quantities(doc, index)
        analysis.hedges = find_hedges(doc, index)


class Encoding(Stage):
    """One pass of the shared encoder over the title, captions and paragraphs (``None``
    without the shipped encoder). ``models``: :class:`unspin.pipeline.ShippedModels`."""

    name = "encoding"

    def __init__(self, models):
        self.models = models

    def run(self, analysis: Analysis) -> None:
        analysis.encoded = self.models.encode(analysis.text, analysis.parts)


class Techniques(Stage):
    """Technique spans over all parts and each paragraph's techniques, then the
    loaded-wording head's word and phrase spans added as Loaded_Language (those overlapping
    a Loaded_Language span already there are left out) with each sentence's loaded-wording
    probability, and every span inside a quotation marked as the speaker's voice."""

    name = "techniques"

    def __init__(self, models):
        self.models = models

    def run(self, analysis: Analysis) -> None:
        analysis.techniques = self._spans(analysis)
        self._add_loaded_wording(analysis)
        self._mark_quoted(analysis)

    def _spans(self, analysis: Analysis) -> list[Technique]:
        """The technique model's spans; fills ``paragraphs[i].techniques`` in place."""
        model, encoded, text = self.models.techniques, analysis.encoded, analysis.text
        if model is None or encoded is None:
            return []
        from unspin.techniques import predict

        pred = predict(text, encoded, len(analysis.parts), model.heads, model.labels,
                       model.config)
        for u, part in enumerate(analysis.parts):
            if part.kind != "body":
                continue
            chosen = [TechniqueScore(technique=model.labels[k], score=round(float(p), 4))
                      for k, p in enumerate(pred.unit_probs[u])
                      if p >= model.config.unit_thresholds[k]]
            analysis.paragraphs[part.index].techniques = sorted(chosen, key=lambda t: -t.score)
        return [Technique(start=s.start, end=s.end, text=text[s.start:s.end],
                          technique=s.technique, score=min(1.0, s.score),
                          definition=definition(s.technique))
                for s in pred.spans]

    def _add_loaded_wording(self, analysis: Analysis) -> None:
        model, encoded, sentences = self.models.loaded, analysis.encoded, analysis.sentences
        if model is None or encoded is None or not sentences:
            return
        spans, scores = model.analyse(analysis.text, encoded, [(s.start, s.end) for s in sentences])
        for sentence, score in zip(sentences, scores, strict=True):
            sentence.loaded = round(float(score), 4)
        have = [(t.start, t.end) for t in analysis.techniques if t.technique == "Loaded_Language"]
        techniques = analysis.techniques + [
            Technique(start=s.start, end=s.end, text=s.text, technique="Loaded_Language",
                      score=round(min(1.0, float(s.score)), 4),
                      definition=definition("Loaded_Language"))
            for s in spans if not any(a < s.end and s.start < b for a, b in have)]
        techniques.sort(key=lambda t: (t.start, t.end, t.technique))
        analysis.techniques = techniques

    @staticmethod
    def _mark_quoted(analysis: Analysis) -> None:
        quotes = analysis.quotes()
        for t in analysis.techniques:
            if _inside_any(t.start, t.end, quotes):
                t.voice = "quote"


def _inside_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` lies within one of ``spans`` (sorted by start)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


class Claims(Stage):
    """The check-worthy sentences (title and captions included) as claims; none without the
    shipped check-worthiness model (its own fine-tuned encoder reads each sentence).

    The model reads each sentence in a call of its own (:mod:`unspin.checkworthy`), so a
    sentence's score depends on nothing else, whatever the article or batch it comes in."""

    name = "claims"

    def __init__(self, models):
        self.models = models

    def run(self, analysis: Analysis) -> None:
        from unspin.claims import build_claims

        model, sentences = self.models.checkworthy, analysis.sentences
        if model is None or not sentences:
            return
        scores = model.score([s.text for s in sentences])
        analysis.claims = build_claims(sentences, scores, analysis.quantities,
                                       analysis.entities, model.threshold)


class Attribution(Stage):
    """The attribution relations of the whole text, and each claim's attribution."""

    name = "attribution"

    def run(self, analysis: Analysis) -> None:
        from unspin.attribution import attribute_claims, find_relations

        quotes = analysis.quotes()
        analysis.relations = find_relations(analysis.doc, analysis.sentences, analysis.hedges,
                                            quotes=quotes)
        attributions = attribute_claims(analysis.claims, analysis.relations, analysis.hedges,
                                        analysis.text, quotes)
        for claim, attribution in zip(analysis.claims, attributions, strict=True):
            claim.attribution = attribution


class Sourcing(Stage):
    """The sources the article cites and its sourcing flags."""

    name = "sourcing"

    def run(self, analysis: Analysis) -> None:
        from unspin.sourcing import find_sources

        analysis.sources, flags = find_sources(analysis.draft(), analysis.relations,
                                               analysis.doc)
        analysis.flags = analysis.flags + flags


class Framing(Stage):
    """Genre and the frames judged present (best first); none, marked not judged, without the
    shipped frame model, without any text the encoder read, or when the frame model
    recognises too little of the article (:meth:`unspin.framing.FramingModel.judged`)."""

    name = "framing"

    def __init__(self, models):
        self.models = models

    def run(self, analysis: Analysis) -> None:
        from unspin.framing import article_token_ids

        framing, genre_model, encoded = self.models.framing, self.models.genre, analysis.encoded
        if encoded is None or not any(u >= 0 for w in encoded.windows for u in w.units):
            return
        ids = article_token_ids(encoded)
        if framing is not None:
            frames, evidence = framing.frames_and_evidence(encoded, ids)
            analysis.frames_evidence = round(evidence, 4)
            analysis.frames_judged = framing.judged(evidence)
            analysis.frames = framing.present(frames) if analysis.frames_judged else []
        analysis.genre = genre_model.predict(analysis.text, ids) if genre_model else None


class HeadlineConsistency(Stage):
    """The headline's and each caption's stance towards the body, and their mismatch flags
    (nothing without the shipped stance model)."""

    name = "consistency"

    def __init__(self, models):
        self.models = models

    def run(self, analysis: Analysis) -> None:
        model = self.models.consistency
        if model is None:
            return
        from unspin.consistency import consistency_flags, judge

        article = analysis.article
        analysis.consistency = judge(analysis.text, article.title, article.captions,
                                     analysis.sentences, analysis.encoded, model=model)
        analysis.flags = analysis.flags + consistency_flags(analysis.consistency, model=model)


class Reporting(Stage):
    """The Report (which checks every span and sentence index as it is built), with its
    metrics; the Doc and the encoder output are let go. ``versions``: the Report's."""

    name = "report"

    def __init__(self, versions: dict[str, str]):
        self.versions = versions

    def run(self, analysis: Analysis) -> None:
        a, article = analysis, analysis.article
        analysis.report = Report(
            text=a.text, title=article.title, meta=a.meta(), captions=list(article.captions),
            paragraphs=a.paragraphs, sentences=a.sentences, entities=a.entities,
            quantities=a.quantities, hedges=a.hedges, techniques=a.techniques, claims=a.claims,
            sources=a.sources, consistency=a.consistency, genre=a.genre, frames=a.frames,
            frames_judged=a.frames_judged, flags=a.flags, metrics=_metrics(a),
            versions=dict(self.versions))
        analysis.doc = analysis.encoded = None


def _metrics(a: Analysis) -> dict[str, float]:
    """Counts and densities per 100 words, and the seconds spent so far."""
    words = sum(1 for t in a.doc if t.is_alpha)
    loaded = sum(1 for t in a.techniques
                 if t.technique == "Loaded_Language" and t.voice == "outlet")
    return {
        "words": float(words),
        "sentences": float(len(a.sentences)),
        "techniques_per_100_words": round(100.0 * len(a.techniques) / max(words, 1), 2),
        "hedges_per_100_words": round(100.0 * len(a.hedges) / max(words, 1), 2),
        "loaded_per_100_words": round(100.0 * loaded / max(words, 1), 2),
        "claims": float(len(a.claims)),
        "unattributed_claims": float(sum(
            1 for c in a.claims if c.attribution and c.attribution.kind == "unattributed")),
        **({} if a.frames_evidence is None else {"frames_evidence": a.frames_evidence}),
        "seconds": round(a.seconds, 3),
    }
