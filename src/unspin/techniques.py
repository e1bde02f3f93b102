"""Persuasion techniques: spans with technique labels, and techniques per paragraph.

Input: the article text, its units (title, captions, paragraphs) and their :class:`Encoded`
hidden states. Output: technique spans (exact character offsets) and per-unit technique scores.

Decoding: runs of tokens whose "inside a persuasion span" probability is high (the token
head's, moved by the word prior of :mod:`unspin.word_prior`; hysteresis: a
run needs one token at ``si_threshold`` and grows over tokens at ``si_low``, bridging up to
``si_gap`` weaker tokens; see :class:`DecodeConfig`); runs are widened to whole words; each run
is labelled by the span head (top technique, plus any other technique whose probability
reaches ``label_min``). Repetition needs the whole article, which a window does not see: a
span whose words recur elsewhere in the article has its Repetition probability raised
(:func:`weigh_repetition`). Per-unit techniques pass per-technique thresholds chosen by
cross-validation (see ``docs/benchmarks.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

import numpy as np

from unspin.encoder import Encoded
from unspin.heads import Heads, logit, sigmoid, span_features, unit_features
from unspin.report import strip_range
from unspin.word_prior import WordPrior


@dataclass
class DecodeConfig:
    """Thresholds, all chosen by cross-validation on the training split.

    A span starts where the "inside a span" probability reaches ``si_threshold`` and grows
    over neighbouring tokens that reach ``si_low`` (hysteresis; ``None``: the same threshold),
    bridging up to ``si_gap`` weaker tokens of the same unit. ``repetition_base``: see
    :func:`weigh_repetition` (1.0 leaves the span head's probabilities as they are).
    ``word_weight``: how much the word prior moves the inside-span logit (see
    :func:`inside_probs`; 0 leaves the token head's probabilities as they are)."""

    si_threshold: float = 0.5
    label_min: float = 0.35
    unit_thresholds: list[float] = field(default_factory=list)
    si_low: float | None = None
    si_gap: int = 1
    repetition_base: float = 1.0
    word_weight: float = 0.0


@dataclass
class SpanPrediction:
    start: int
    end: int
    technique: str
    score: float


@dataclass
class TechniquePredictions:
    spans: list[SpanPrediction]
    unit_probs: np.ndarray  # [n_units, n_techniques]


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) so it does not cut a word in two; trims surrounding spaces."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        end += 1
    return strip_range(text, start, end)


def token_runs(probs: np.ndarray, units: Sequence[int], threshold: float,
               low: float | None = None, gap: int = 1) -> list[tuple[int, int]]:
    """Runs [i, j) of real tokens within one unit. ``units[t]`` is -1 for special tokens.

    A token is *warm* when its probability reaches ``low`` (default: ``threshold``). Warm
    tokens of one unit form a run, bridging stretches of at most ``gap`` cold tokens between
    two warm ones; a run is kept only if one of its tokens reaches ``threshold``."""
    low = threshold if low is None else low
    n = len(probs)
    warm = [u >= 0 and p >= low for p, u in zip(probs, units, strict=True)]
    runs: list[tuple[int, int]] = []
    t = 0
    while t < n:
        if not warm[t]:
            t += 1
            continue
        j = _run_end(warm, units, t, gap)
        if any(probs[k] >= threshold for k in range(t, j)):
            runs.append((t, j))
        t = j
    return runs


def _run_end(warm: Sequence[bool], units: Sequence[int], t: int, gap: int) -> int:
    """End of the run that starts at warm token ``t``: past every warm token of its unit that
    follows at most ``gap`` cold tokens after the last one."""
    n, j = len(warm), t + 1
    while True:
        while j < n and warm[j] and units[j] == units[t]:
            j += 1
        k = j
        while k < n and k - j < gap and not warm[k] and units[k] == units[t]:
            k += 1
        if k > j and k < n and warm[k] and units[k] == units[t]:
            j = k
            continue
        return j


def inside_probs(text: str, encoded: Encoded, heads: Heads, word_weight: float = 0.0
                 ) -> list[np.ndarray]:
    """Per window, each token's probability of being inside a persuasion span.

    With ``word_weight`` and a word prior on ``heads``, ``word_weight`` times the score of
    the token's word (:class:`~unspin.word_prior.WordPrior`) is added to the token's logit:
    the evidence of how often that word was inside a span in the training articles."""
    probs = [heads.token_probs(hidden)[:, 0] for hidden in encoded.hidden]
    if not word_weight or heads.word_prior is None:
        return probs
    shifts = heads.word_prior.token_scores(text, encoded)
    return [sigmoid(logit(p) + word_weight * z) for p, z in zip(probs, shifts, strict=True)]


def run_spans(text: str, encoded: Encoded, probs: Sequence[np.ndarray], config: DecodeConfig
              ) -> list[tuple[int, int, int, int, int]]:
    """Span identification only: ``(start, end, window, i, j)`` for every run, widened to
    whole words (empty ones dropped). ``probs``: :func:`inside_probs` of ``encoded``."""
    out = []
    for w, (window, p_any) in enumerate(zip(encoded.windows, probs, strict=True)):
        for i, j in token_runs(p_any, window.units, config.si_threshold, config.si_low,
                               config.si_gap):
            start, end = _widen_to_words(text, window.offsets[i][0], window.offsets[j - 1][1])
            if end > start:
                out.append((start, end, w, i, j))
    return out


def decode_spans(text: str, encoded: Encoded, heads: Heads, labels: Sequence[str],
                 config: DecodeConfig) -> list[SpanPrediction]:
    """Technique spans of one article from its encoder output (see the module docstring)."""
    probs_in = inside_probs(text, encoded, heads, config.word_weight)
    runs = run_spans(text, encoded, probs_in, config)
    if not runs:
        return []
    # run_spans lists runs window by window, so each window's runs are labelled in one batch
    batches = [heads.span_probs(np.stack([span_features(encoded.hidden[w], i, j)
                                          for *_, i, j in group]))
               for w, group in groupby(runs, key=itemgetter(2))]
    label_probs = weigh_repetition(text, [(s, e) for s, e, *_ in runs], np.concatenate(batches),
                                   labels, config.repetition_base)
    found: dict[tuple[int, int, str], float] = {}
    for (start, end, w, i, j), probs in zip(runs, label_probs, strict=True):
        inside = float(probs_in[w][i:j].mean())
        best = int(np.argmax(probs))
        for k in np.argsort(-probs):
            if k != best and probs[k] < config.label_min:
                break
            key = (start, end, labels[k])
            found[key] = max(found.get(key, 0.0), inside * float(probs[k]))
    spans = [SpanPrediction(s, e, t, round(score, 4)) for (s, e, t), score in found.items()]
    return sorted(spans, key=lambda p: (p.start, p.end, -p.score))


REPETITION_CAP = 5
"""Occurrences past this many do not raise the Repetition probability further."""
REPETITION_MIN_CHARS = 4
"""Shorter spans ("we", "no") recur by chance, so their recurrence says nothing."""


def occurrences(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """For each character span, how many times its words (case and punctuation ignored)
    occur in ``text``, whole words only; at least 1 for a span of ``text``.

    Occurrences do not overlap: they are counted left to right as ``re.findall`` of the
    folded phrase, between spaces, in the folded article would count them. Each phrase is
    looked up from the positions of its rarest word, so the cost grows with the text and
    the spans, not with their product."""
    words = re.findall(r"\w+", text.lower())
    where: dict[str, list[int]] = {}
    for k, w in enumerate(words):
        where.setdefault(w, []).append(k)
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for start, end in spans:
        phrase = tuple(re.findall(r"\w+", text[start:end].lower()))
        if phrase not in seen:
            seen[phrase] = _count_phrase(words, where, phrase)
        out.append(seen[phrase])
    return out


def _count_phrase(words: list[str], where: dict[str, list[int]],
                  phrase: tuple[str, ...]) -> int:
    """Non-overlapping occurrences, left to right, of the word sequence ``phrase`` in
    ``words`` (``where``: each word's positions)."""
    if not phrase:
        return 0
    m = len(phrase)
    shift, rare = min(enumerate(phrase), key=lambda kw: len(where.get(kw[1], ())))
    count, free = 0, 0  # occurrences so far; first position a new one may start at
    for k in where.get(rare, ()):
        first = k - shift
        if first >= free and tuple(words[first:first + m]) == phrase:
            count += 1
            free = first + m
    return count


def weigh_repetition(text: str, spans: Sequence[tuple[int, int]], probs: np.ndarray,
                     labels: Sequence[str], base: float) -> np.ndarray:
    """Span-label probabilities [n, n_labels] with article-level evidence for Repetition: a
    span of at least :data:`REPETITION_MIN_CHARS` whose words occur ``k >= 2`` times in the
    article has its Repetition probability multiplied by ``base ** (min(k, CAP) - 1)``; rows
    are renormalised. ``base`` is chosen by cross-validation; 1.0 changes nothing."""
    if base == 1.0 or "Repetition" not in labels or not len(spans):
        return probs
    k = labels.index("Repetition")
    out = probs.copy()
    for row, ((start, end), count) in enumerate(zip(spans, occurrences(text, spans),
                                                     strict=True)):
        if count >= 2 and end - start >= REPETITION_MIN_CHARS:
            out[row, k] *= base ** (min(count, REPETITION_CAP) - 1)
            out[row] /= out[row].sum()
    return out


def unit_probabilities(encoded: Encoded, heads: Heads, n_units: int, n_labels: int) -> np.ndarray:
    """Technique probabilities per unit [n_units, n_labels]; a unit split over several windows
    takes the highest probability of its pieces."""
    out = np.zeros((n_units, n_labels), dtype=np.float32)
    for window, hidden in zip(encoded.windows, encoded.hidden, strict=True):
        units = np.asarray(window.units)
        present = sorted(set(units[units >= 0].tolist()))
        if not present:
            continue
        feats = np.stack([unit_features(hidden, np.flatnonzero(units == u)) for u in present])
        probs = heads.unit_probs(feats)
        for u, p in zip(present, probs, strict=True):
            out[u] = np.maximum(out[u], p)
    return out


def classify_spans(encoded: Encoded, spans: Sequence[tuple[int, int]], heads: Heads,
                   scheme: str = "semeval") -> np.ndarray:
    """Technique probabilities for given character spans (the "TC" task) [n, n_labels].

    Each span is scored in the window holding most of its tokens; a span that covers no token
    gets the nearest token's features."""
    rows = []
    for start, end in spans:
        best = None
        for w, window in enumerate(encoded.windows):
            idx = [t for t, (a, b) in enumerate(window.offsets)
                   if window.units[t] >= 0 and a < end and b > start]
            if idx and (best is None or len(idx) > len(best[1])):
                best = (w, idx)
        if best is None:
            best = _nearest_token(encoded, start)
        w, idx = best
        rows.append(span_features(encoded.hidden[w], idx[0], idx[-1] + 1))
    if not rows:
        n = heads.w["span_b" if scheme == "semeval" else "ptc_b"].shape[0]
        return np.zeros((0, n), dtype=np.float32)
    return heads.span_probs(np.stack(rows), scheme)


def _nearest_token(encoded: Encoded, pos: int) -> tuple[int, list[int]]:
    best = (0, [1 if len(encoded.windows[0].ids) > 2 else 0])
    gap = None
    for w, window in enumerate(encoded.windows):
        for t, (a, _b) in enumerate(window.offsets):
            if window.units[t] >= 0 and (gap is None or abs(a - pos) < gap):
                gap, best = abs(a - pos), (w, [t])
    return best


def predict(text: str, encoded: Encoded, n_units: int, heads: Heads, labels: Sequence[str],
            config: DecodeConfig) -> TechniquePredictions:
    """Spans and per-unit probabilities for one encoded article."""
    return TechniquePredictions(
        spans=decode_spans(text, encoded, heads, labels, config),
        unit_probs=unit_probabilities(encoded, heads, n_units, len(labels)),
    )


@dataclass
class TechniqueModel:
    """The shipped technique heads, their labels and thresholds (the encoder is shared and
    loaded by :func:`load_encoder`)."""

    heads: Heads
    labels: list[str]
    ptc_labels: list[str]
    config: DecodeConfig

    @classmethod
    def load(cls) -> TechniqueModel:
        """Load from ``unspin/models`` after checking hashes; ModelError if absent."""
        import json

        from unspin.models import model_file

        cfg = json.loads(model_file("techniques", "techniques_config.json").read_text())
        with np.load(model_file("techniques", "techniques_heads.npz")) as weights:
            heads = Heads({k: weights[k] for k in weights.files},
                          WordPrior.load(model_file("techniques", "techniques_words.json")))
        d = cfg["decode"]
        return cls(heads, cfg["labels"], cfg["ptc_labels"], DecodeConfig(**d))


LEGACY_WINDOW_TOKENS = 256
"""The window size of models shipped before their config recorded it."""


def check_window(config: dict) -> None:
    """Raise ModelError unless the model ``config`` (``techniques_config.json``) was trained
    on windows of :data:`unspin.encoder.MAX_TOKENS` tokens: an encoder fed windows of another
    size than it learned on scores quietly worse, so it must not load."""
    from unspin.encoder import MAX_TOKENS
    from unspin.errors import ModelError

    trained = config.get("window_tokens", LEGACY_WINDOW_TOKENS)
    if trained != MAX_TOKENS:
        raise ModelError(f"the technique model was trained on windows of {trained} tokens, "
                         f"this unspin encodes windows of {MAX_TOKENS}; reinstall unspin")


def load_encoder(threads: int | None = None):
    """The shipped int8 ONNX encoder with its tokenizer, hash-checked, after checking that it
    was trained on this unspin's window size (:func:`check_window`)."""
    import json

    from unspin.encoder import Encoder
    from unspin.models import model_file

    check_window(json.loads(model_file("techniques", "techniques_config.json").read_text()))
    return Encoder(model_file("techniques", "techniques.onnx"),
                   model_file("techniques", "tokenizer.json"), threads=threads)
