"""Loaded wording: word- and short-phrase spans in the register of formal news.

A head on the shared encoder's output (no second encoder pass), learned from expert news
annotations: BABE's biased words (Spinde et al. 2021) and BASIL's lexical-bias spans (Fan et
al. 2019); see :mod:`unspin.train.loaded_recipe` for the training and its protocol.

Input: the article text, its :class:`~unspin.encoder.Encoded` output and the character spans
of its sentences. Output:

- :meth:`LoadedModel.word_probs`: per sentence, its words (:data:`WORD`: runs of letters and
  digits joined by hyphens or apostrophes, so "job-killing" is one word) and each word's
  probability of lying inside a loaded-wording span;
- :meth:`LoadedModel.spans`: contiguous words above the threshold, within one sentence, as
  :class:`LoadedSpan` (``text[start:end] == span.text``), at most ``max_words`` words, each
  with the highest word probability in it as its score (:func:`decode_spans`);
- :meth:`LoadedModel.sentence_scores`: per sentence, the calibrated probability that experts
  would call it biased (BABE's sentence label), from the pooled hidden states of the sentence
  and the word probabilities in it.

Word features (:func:`word_features`): the mean hidden state of the word's pieces, plus the
word prior (:class:`LoadedPrior`: how often the lower-cased word is marked loaded in the
training sentences, smoothed log-odds; words written capitalised in most of their occurrences,
which are names, get no prior, so the prior says nothing about *who* a sentence is about), and
whether the word is written capitalised mid-sentence. The word head is a logistic regression
with the feature standardisation folded into its weights; the sentence head
(:class:`SentenceHead`) stacks a regression on pooled states, one on hashed n-grams of the
word pieces and the word logits. Numpy only; the weights are ``models/loaded.npz``, the
thresholds ``models/loaded_config.json`` (see :mod:`unspin.train.loaded_recipe` for how each
was chosen and ``MANIFEST.json`` for the cross-validated and lockbox scores).

Pipeline use: one call per article after the shared encoder pass,
``spans, scores = LoadedModel.load().analyse(text, encoded, sentences)`` with ``sentences``
the report's sentence spans (title, captions and body; sorted, non-overlapping). Quotations
are not told apart here: a span inside a quotation is the speaker's wording, which the caller
can tell from its quote spans.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.encoder import Encoded, token_words
from unspin.heads import one_blas_thread, sigmoid
from unspin.phrase_cues import CueHead, joinable, phrase_cues

NAME = "loaded"
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
"""A word: letters and digits, with inner hyphens and apostrophes ("job-killing", "don't")."""
PRIOR_STRENGTH = 5.0
"""Pseudo-occurrences at the base rate added to each word's counts in :class:`LoadedPrior`."""
PRIOR_MIN = 0.05
_SENTENCE_OPENERS = frozenset(" \t\"'“‘([«-—–…")
_SENTENCE_END = frozenset(".!?:;\n")

SpanLike = tuple[int, int]


@dataclass(frozen=True)
class LoadedSpan:
    """One loaded-wording span: ``text[start:end] == self.text``, inside sentence
    ``sentence`` (an index into the sentences the caller passed); ``score`` is the highest
    word probability in it (0..1)."""

    start: int
    end: int
    text: str
    score: float
    sentence: int


# --- words ---------------------------------------------------------------------------------------


def words_of(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every :data:`WORD` inside ``text[start:end]``, in text order."""
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in WORD.finditer(text, start, end)]


def sentence_words(text: str, sentences: Sequence[SpanLike]) -> list[list[tuple[int, int]]]:
    """The words of each sentence (a word belongs to the sentence it starts in and is cut at
    its end, so no word crosses a sentence boundary)."""
    return [words_of(text, s, e) for s, e in sentences]


def normalise_word(word: str) -> str:
    """Lower case, curly apostrophes as straight ones, no punctuation at either end: the form
    in which predicted and gold words are compared (and the prior is keyed)."""
    return re.sub(r"^\W+|\W+$", "", word.replace("’", "'").lower())


def is_capitalised_mid_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins with a capital that is not there because it opens
    a sentence or a line ("Black" of "Black Sea", not "Black" at a sentence start)."""
    if not text[start].isupper():
        return False
    i = start - 1
    while i >= 0 and text[i] in _SENTENCE_OPENERS:
        i -= 1
    return not (i < 0 or text[i] in _SENTENCE_END)


# --- the word prior ------------------------------------------------------------------------------


def prior_table(inside: np.ndarray, total: np.ndarray, capital: np.ndarray,
                strength: float = PRIOR_STRENGTH) -> np.ndarray:
    """Prior scores from per-word counts (occurrences marked loaded, all occurrences,
    occurrences capitalised mid-sentence): smoothed log-odds against the base rate, rounded
    to 3 decimals; 0 for names (capitalised in at least half of their occurrences), unseen
    words and scores closer to 0 than :data:`PRIOR_MIN`."""
    inside = np.asarray(inside, dtype=np.float64)
    total = np.asarray(total, dtype=np.float64)
    n_in, n_all = inside.sum(), total.sum()
    if not n_in or n_in == n_all:
        return np.zeros(len(total), dtype=np.float64)
    base = n_in / n_all
    score = (np.log((inside + strength * base) / (total - inside + strength * (1 - base)))
             - np.log(base / (1 - base)))
    score = np.round(score, 3)
    keep = (total > 0) & (np.asarray(capital) * 2 < total) & (np.abs(score) >= PRIOR_MIN)
    return np.where(keep, score, 0.0)


@dataclass
class LoadedPrior:
    """``scores``: normalised word -> smoothed log-odds of being marked loaded, against the
    base rate of all words (:func:`prior_table`); words not listed score 0."""

    scores: dict[str, float]

    @classmethod
    def learn(cls, items: Iterable[tuple[str, Sequence[SpanLike], Sequence[bool]]],
              strength: float = PRIOR_STRENGTH) -> LoadedPrior:
        """Count over ``(text, words, labels)``: ``labels[i]`` says whether word ``i`` of the
        text is inside a gold loaded span."""
        inside, total, capital = Counter(), Counter(), Counter()
        for text, words, labels in items:
            for (s, e), y in zip(words, labels, strict=True):
                w = normalise_word(text[s:e])
                if not w:
                    continue
                total[w] += 1
                inside[w] += bool(y)
                capital[w] += is_capitalised_mid_sentence(text, s)
        vocab = sorted(total)
        table = prior_table(np.array([inside[w] for w in vocab]),
                            np.array([total[w] for w in vocab]),
                            np.array([capital[w] for w in vocab]), strength)
        return cls({w: float(v) for w, v in zip(vocab, table, strict=True) if v != 0.0})

    def score(self, text: str, start: int, end: int) -> float:
        """The prior of the word ``text[start:end]``; 0 where it is written capitalised
        mid-sentence (a name, or part of one)."""
        if is_capitalised_mid_sentence(text, start):
            return 0.0
        return self.scores.get(normalise_word(text[start:end]), 0.0)

    def arrays(self) -> dict[str, np.ndarray]:
        vocab = sorted(self.scores)
        return {"prior_words": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
                "prior_scores": np.asarray([self.scores[w] for w in vocab], dtype=np.float32)}

    @classmethod
    def from_arrays(cls, arrays) -> LoadedPrior:
        raw = bytes(np.asarray(arrays["prior_words"], dtype=np.uint8)).decode("utf-8")
        vocab = raw.split("\n") if raw else []
        values = np.asarray(arrays["prior_scores"], dtype=np.float32)
        if len(vocab) != len(values):
            raise ValueError(f"{len(vocab)} prior words for {len(values)} scores")
        return cls({w: round(float(v), 3) for w, v in zip(vocab, values, strict=True)})


# --- features ------------------------------------------------------------------------------------


def _dim(encoded: Encoded) -> int:
    if not encoded.hidden:
        raise ValueError("the encoder output has no windows")
    return int(encoded.hidden[0].shape[1])


def word_hidden(encoded: Encoded, words: Sequence[SpanLike]) -> np.ndarray:
    """Mean hidden state of the word pieces of each word: [n, dim] float32 (sorted,
    non-overlapping ``words``; a piece belongs to the word its characters overlap; a word no
    piece overlaps gets zeros). Pieces of one word in two windows are pooled together."""
    n = len(words)
    dim = _dim(encoded) if encoded.hidden else 0
    total = np.zeros((n, dim), dtype=np.float64)
    count = np.zeros(n, dtype=np.int64)
    if n == 0:
        return total.astype(np.float32)
    for window, hidden in zip(encoded.windows, encoded.hidden, strict=True):
        k = token_words(window, words)
        ok = k >= 0
        if not ok.any():
            continue
        np.add.at(total, k[ok], np.asarray(hidden, dtype=np.float32)[ok])
        np.add.at(count, k[ok], 1)
    return (total / np.maximum(count, 1)[:, None]).astype(np.float32)


def word_extras(text: str, words: Sequence[SpanLike], prior: LoadedPrior | None) -> np.ndarray:
    """[n, 2]: the word's prior score and whether it is capitalised mid-sentence."""
    out = np.zeros((len(words), 2), dtype=np.float32)
    for i, (s, e) in enumerate(words):
        out[i, 0] = prior.score(text, s, e) if prior is not None else 0.0
        out[i, 1] = is_capitalised_mid_sentence(text, s)
    return out


def word_features(text: str, encoded: Encoded, words: Sequence[SpanLike],
                  prior: LoadedPrior | None, cues: np.ndarray | None = None) -> np.ndarray:
    """The head's input for each word: [n, dim + 2] (:func:`word_hidden`, :func:`word_extras`),
    and the phrase cues after them when given ([n, dim + 2 + 3],
    :func:`unspin.phrase_cues.phrase_cues`)."""
    cols = [word_hidden(encoded, words), word_extras(text, words, prior)]
    if cues is not None:
        cols.append(np.asarray(cues, np.float32).reshape(len(words), -1))
    return np.concatenate(cols, axis=1)


def sentence_pool(encoded: Encoded, sentences: Sequence[SpanLike]) -> np.ndarray:
    """Mean and max of the hidden states of each sentence's pieces: [n, 2 * dim]."""
    from unspin.claims import sentence_features

    return sentence_features(encoded, list(sentences))


def word_aggregates(logits: Sequence[np.ndarray]) -> np.ndarray:
    """Per sentence, from its word logits: [max, mean of the top 3, log(1 + number of words
    with logit > 0)] -> [n, 3] (zeros for a sentence without words)."""
    out = np.zeros((len(logits), 3), dtype=np.float32)
    for i, z in enumerate(logits):
        if len(z) == 0:
            out[i] = (-10.0, -10.0, 0.0)
            continue
        top = np.sort(np.asarray(z, dtype=np.float64))[::-1]
        out[i] = (top[0], top[:3].mean(), np.log1p(float((top > 0).sum())))
    return out


# --- heads ---------------------------------------------------------------------------------------


@dataclass
class LinearWordHead:
    """One logit per word: ``x @ w + b`` (a logistic regression; the standardisation of the
    features is folded into ``w`` and ``b``)."""

    w: np.ndarray  # [D]
    b: float

    def logits(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.w.shape[0]:
            raise ValueError(f"features of shape {x.shape}; this head expects "
                             f"[n, {self.w.shape[0]}] (was it trained on another encoder?)")
        with one_blas_thread():
            return (x @ self.w + np.float32(self.b)).astype(np.float32)


@dataclass
class SentenceHead:
    """The sentence score: a logistic regression over three first-level scores of a
    sentence (stacking):

    - ``pool``: a logistic regression on the mean and max of its hidden states (``pool_w``,
      ``pool_b``; standardisation folded in);
    - ``ngram``: a logistic regression on hashed TF-IDF unigrams and bigrams of its word-piece
      ids (``ngram_w`` per bucket, ``ngram_b``, ``idf``; see :func:`unspin.claims.tfidf_rows`);
    - its word logits (:func:`word_aggregates`: max, top-3 mean, count above 0);

    ``stack_w`` [5] and ``stack_b`` weigh them (fitted on out-of-fold first-level scores, so
    the output is a calibrated probability)."""

    pool_w: np.ndarray
    pool_b: float
    ngram_w: np.ndarray
    ngram_b: float
    idf: np.ndarray
    stack_w: np.ndarray
    stack_b: float

    def first_level(self, pool: np.ndarray, id_lists: Sequence[np.ndarray],
                    aggregates: np.ndarray) -> np.ndarray:
        """[n, 5]: pool logit, n-gram logit and the three word aggregates."""
        from unspin.claims import tfidf_rows

        pool = np.asarray(pool, dtype=np.float32)
        if pool.ndim != 2 or pool.shape[1] != self.pool_w.shape[0]:
            raise ValueError(f"pooled features of shape {pool.shape}; this head expects "
                             f"[n, {self.pool_w.shape[0]}]")
        with one_blas_thread():
            z_pool = pool @ self.pool_w + np.float32(self.pool_b)
        z_ngram = np.array([float(val @ self.ngram_w[idx]) + self.ngram_b
                            for idx, val in tfidf_rows(id_lists, self.idf)], dtype=np.float32)
        return np.concatenate([z_pool[:, None], z_ngram.reshape(-1, 1),
                               np.asarray(aggregates, np.float32).reshape(-1, 3)], axis=1)

    def logits(self, pool: np.ndarray, id_lists: Sequence[np.ndarray],
               aggregates: np.ndarray) -> np.ndarray:
        first = self.first_level(pool, id_lists, aggregates)
        return (first @ self.stack_w + np.float32(self.stack_b)).astype(np.float32)


# --- decoding ------------------------------------------------------------------------------------


def decode_spans(text: str, words: Sequence[SpanLike], probs: Sequence[float], sentence: int,
                 threshold: float, low: float | None = None, max_words: int = 5
                 ) -> list[LoadedSpan]:
    """Spans of one sentence from its words and their probabilities.

    A word *seeds* a span when its probability reaches ``threshold``; a seed grows over
    neighbouring words whose probability reaches ``low`` (default: ``threshold``), never
    across punctuation other than a dash (:func:`~unspin.phrase_cues.joinable`), and never
    past ``max_words`` words (the stronger neighbour is taken first). Spans start and end on
    word boundaries, so ``text[start:end]`` is whole words; the score is the highest
    probability inside."""
    low = threshold if low is None else min(low, threshold)
    n = len(words)
    if len(probs) != n:
        raise ValueError(f"{len(probs)} probabilities for {n} words")
    p = np.asarray(probs, dtype=np.float64)
    join = joinable(text, words)
    taken = np.zeros(n, dtype=bool)
    spans = []
    for seed in sorted(np.flatnonzero(p >= threshold), key=lambda i: (-p[i], i)):
        if taken[seed]:
            continue
        i = j = int(seed)  # inclusive word range
        while j - i + 1 < max_words:
            left = p[i - 1] if i > 0 and join[i - 1] and not taken[i - 1] else -1.0
            right = p[j + 1] if j + 1 < n and join[j] and not taken[j + 1] else -1.0
            if max(left, right) < low:
                break
            if right > left:
                j += 1
            else:
                i -= 1
        taken[i:j + 1] = True
        start, end = words[i][0], words[j][1]
        spans.append(LoadedSpan(start, end, text[start:end], round(float(p[i:j + 1].max()), 4),
                                sentence))
    return sorted(spans, key=lambda s: s.start)


# --- the model -----------------------------------------------------------------------------------


def _f(arrays, key: str) -> np.ndarray:
    if key not in arrays:
        raise KeyError(f"weights file has no array {key!r}")
    return np.asarray(arrays[key], dtype=np.float32)


@dataclass
class LoadedModel:
    """The word head, the sentence head, the word prior and the decoding settings
    (``config``: ``threshold``, ``low``, ``max_words``, ``sentence_threshold``, and per
    benchmark the settings tuned on it under ``babe`` and ``basil``)."""

    word_head: LinearWordHead
    sentence_head: SentenceHead
    prior: LoadedPrior
    config: dict
    cue_head: CueHead | None = None
    """The technique model's span and token heads, copied here, when the word head reads
    phrase cues (:mod:`unspin.phrase_cues`)."""

    @property
    def threshold(self) -> float:
        return float(self.config["threshold"])

    @property
    def low(self) -> float:
        return float(self.config.get("low", self.threshold))

    @property
    def max_words(self) -> int:
        return int(self.config.get("max_words", 5))

    @property
    def sentence_threshold(self) -> float:
        return float(self.config["sentence_threshold"])

    @classmethod
    def load(cls, model_dir: Path | None = None) -> LoadedModel:
        """``loaded.npz`` and ``loaded_config.json`` from ``model_dir`` (default: the package's
        ``unspin/models``), hash-checked; ModelError if absent, corrupted, or trained on
        another encoder than the one shipped beside them."""
        from unspin.claims import check_encoder
        from unspin.models import MODELS_DIR, model_file

        model_dir = model_dir or MODELS_DIR
        config = json.loads(model_file(NAME, f"{NAME}_config.json", model_dir).read_text("utf-8"))
        check_encoder(config, "loaded-wording", model_dir)
        with np.load(model_file(NAME, f"{NAME}.npz", model_dir)) as arrays:
            return cls.from_arrays(arrays, config)

    @classmethod
    def from_arrays(cls, arrays, config: dict) -> LoadedModel:
        word = LinearWordHead(_f(arrays, "word_w"), float(_f(arrays, "word_b")[0]))
        sent = SentenceHead(_f(arrays, "pool_w"), float(_f(arrays, "pool_b")[0]),
                            _f(arrays, "ngram_w"), float(_f(arrays, "ngram_b")[0]),
                            _f(arrays, "idf"), _f(arrays, "stack_w"),
                            float(_f(arrays, "stack_b")[0]))
        cue = None
        if "cue_w" in arrays:
            cue = CueHead(_f(arrays, "cue_w"), _f(arrays, "cue_b"),
                          tuple(int(k) for k in np.asarray(arrays["cue_loaded"])),
                          _f(arrays, "cue_inside_w"), float(_f(arrays, "cue_inside_b")[0]))
        return cls(word, sent, LoadedPrior.from_arrays(arrays), config, cue)

    def arrays(self) -> dict[str, np.ndarray]:
        """Everything :meth:`from_arrays` reads back (weights float16, biases float32)."""
        h, s = self.word_head, self.sentence_head
        return {"word_w": h.w.astype(np.float32), "word_b": np.float32([h.b]),
                "pool_w": s.pool_w.astype(np.float16), "pool_b": np.float32([s.pool_b]),
                "ngram_w": s.ngram_w.astype(np.float16), "ngram_b": np.float32([s.ngram_b]),
                "idf": s.idf.astype(np.float16), "stack_w": s.stack_w.astype(np.float32),
                "stack_b": np.float32([s.stack_b]), **self.prior.arrays(),
                **(self._cue_arrays() if self.cue_head is not None else {})}

    def _cue_arrays(self) -> dict[str, np.ndarray]:
        c = self.cue_head
        assert c is not None
        return {"cue_w": c.w.astype(np.float16), "cue_b": c.b.astype(np.float32),
                "cue_loaded": np.asarray(c.loaded, np.int64),
                "cue_inside_w": c.inside_w.astype(np.float16),
                "cue_inside_b": np.float32([c.inside_b])}

    # -- scoring --

    def word_logits(self, text: str, encoded: Encoded, sentences: Sequence[SpanLike]
                    ) -> tuple[list[list[tuple[int, int]]], list[np.ndarray]]:
        """The words of each sentence and their logits of lying inside a loaded span."""
        per_sentence = sentence_words(text, sentences)
        flat = [w for ws in per_sentence for w in ws]
        if not flat or not encoded.hidden:
            return per_sentence, [np.full(len(ws), -10.0, np.float32) for ws in per_sentence]
        cues = (phrase_cues(text, encoded, per_sentence, self.cue_head)
                if self.cue_head is not None else None)
        z = self.word_head.logits(word_features(text, encoded, flat, self.prior, cues))
        out, k = [], 0
        for ws in per_sentence:
            out.append(z[k:k + len(ws)])
            k += len(ws)
        return per_sentence, out

    def word_probs(self, text: str, encoded: Encoded, sentences: Sequence[SpanLike]
                   ) -> tuple[list[list[tuple[int, int]]], list[np.ndarray]]:
        """The words of each sentence and their probabilities of lying in a loaded span."""
        words, logits = self.word_logits(text, encoded, sentences)
        return words, [sigmoid(z).astype(np.float32) for z in logits]

    def piece_probs(self, text: str, encoded: Encoded, sentences: Sequence[SpanLike]
                    ) -> list[np.ndarray]:
        """Per window of ``encoded``, each word piece's probability of lying inside a loaded
        span (its word's; 0 for special tokens, punctuation and text outside ``sentences``)."""
        words, probs = self.word_probs(text, encoded, sentences)
        flat = [w for ws in words for w in ws]
        p = np.concatenate(probs) if flat else np.zeros(0, np.float32)
        out = []
        for window in encoded.windows:
            k = token_words(window, flat)
            row = np.zeros(len(k), np.float32)
            row[k >= 0] = p[k[k >= 0]]
            out.append(row)
        return out

    def spans(self, text: str, encoded: Encoded, sentences: Sequence[SpanLike], *,
              threshold: float | None = None, low: float | None = None,
              max_words: int | None = None) -> list[LoadedSpan]:
        """Loaded-wording spans of ``text``, in text order, none crossing a sentence
        (``sentences``: sorted, non-overlapping ``(start, end)`` character spans; text outside
        every sentence gets no spans). Settings default to the shipped ones; a ``threshold``
        given without ``low`` decodes single-threshold (``low = threshold``)."""
        if threshold is None:
            threshold, low = self.threshold, self.low if low is None else low
        low = threshold if low is None else low
        max_words = self.max_words if max_words is None else max_words
        words, probs = self.word_probs(text, encoded, sentences)
        out: list[LoadedSpan] = []
        for k, (ws, ps) in enumerate(zip(words, probs, strict=True)):
            out.extend(decode_spans(text, ws, ps, k, threshold, low, max_words))
        return sorted(out, key=lambda s: s.start)

    def sentence_scores(self, text: str, encoded: Encoded, sentences: Sequence[SpanLike],
                        word_logits: Sequence[np.ndarray] | None = None) -> list[float]:
        """Per sentence, the calibrated probability that BABE's experts would call it biased.
        ``word_logits`` (from :meth:`word_logits`) saves recomputing them."""
        from unspin.claims import span_token_ids

        if not sentences:
            return []
        if not encoded.hidden:
            return [0.0] * len(sentences)
        if word_logits is None:
            word_logits = self.word_logits(text, encoded, sentences)[1]
        z = self.sentence_head.logits(sentence_pool(encoded, sentences),
                                      span_token_ids(encoded, list(sentences)),
                                      word_aggregates(word_logits))
        return [round(float(v), 4) for v in sigmoid(z)]

    def analyse(self, text: str, encoded: Encoded, sentences: Sequence[SpanLike]
                ) -> tuple[list[LoadedSpan], list[float]]:
        """:meth:`spans` and :meth:`sentence_scores` at the shipped settings, sharing one
        computation of the word logits."""
        words, logits = self.word_logits(text, encoded, sentences)
        spans: list[LoadedSpan] = []
        for k, (ws, z) in enumerate(zip(words, logits, strict=True)):
            spans.extend(decode_spans(text, ws, sigmoid(z), k, self.threshold, self.low,
                                      self.max_words))
        return sorted(spans, key=lambda s: s.start), self.sentence_scores(
            text, encoded, sentences, word_logits=logits)
