"""Phrase cues: how the technique model's span head reads the short phrases around a word.

The technique model's span head (the "TC" head of :mod:`unspin.techniques`, trained on the
PTC/SemEval spans) names the technique of a span it is given: asked about "persistent
aggression" it answers Loaded_Language at 0.996, about "energy cooperation" Repetition. The
loaded-wording head (:mod:`unspin.loaded`) reads one word's hidden state at a time and learned
from BABE and BASIL, whose experts mark few of a formal article's loaded words; these cues
hand it the span head's reading of the word and of the phrases it sits in, two numbers per
word, and the word head's training decides by cross-validation how much they are worth.

Input: the article text, its :class:`~unspin.encoder.Encoded` output, the words of each
sentence (as :func:`unspin.loaded.sentence_words` gives them) and a :class:`CueHead`.
Output (:func:`phrase_cues`): ``[n_words, 3]`` float32 log-odds, per word:

0. the span head's probability of the loaded techniques (Loaded_Language +
   Name_Calling-Labeling) for the word alone;
1. the same for the best phrase of 2 to :data:`MAX_PHRASE_WORDS` words that holds it, inside
   its sentence and not across punctuation (:func:`joinable`); the word alone where it has
   none;
2. the best, over the word and those phrases, of that probability times the token head's
   mean probability that the phrase's pieces lie inside a persuasion span at all: the span
   head answers "which technique, if any is used here", the token head "is one used here".

The span of a phrase is read in the window holding most of its first word's pieces (as the
span head is read for a passage), with the features of :func:`unspin.heads.span_features`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from unspin.encoder import Encoded, token_words
from unspin.heads import affine, one_blas_thread, softmax

LOADED_TECHNIQUES = ("Loaded_Language", "Name_Calling-Labeling")
"""The span head's labels whose probabilities add up to the cue."""
MAX_PHRASE_WORDS = 3
N_CUES = 3
CLIP = 8.0
"""Cues are log-odds clipped to [-CLIP, CLIP], so a saturated softmax stays a finite feature."""
NO_BRIDGE = re.compile(r"[^\s\-–—]")
"""Two neighbouring words may join one span or phrase only if nothing but spaces and dashes
lies between them (no comma, full stop, bracket or quotation mark)."""

SpanLike = tuple[int, int]


def joinable(text: str, words: Sequence[SpanLike]) -> list[bool]:
    """For each pair of neighbouring words, whether they may join one phrase."""
    return [not NO_BRIDGE.search(text[words[i][1]:words[i + 1][0]])
            for i in range(len(words) - 1)]


@dataclass(frozen=True)
class CueHead:
    """The span head's weights (``w`` [4 * dim, n_labels], ``b`` [n_labels]; ``x @ w + b``
    then a softmax), the columns of the loaded techniques in them, and the token head's
    "inside any span" channel (``inside_w`` [dim], ``inside_b``; then a sigmoid)."""

    w: np.ndarray
    b: np.ndarray
    loaded: tuple[int, ...]
    inside_w: np.ndarray
    inside_b: float

    @classmethod
    def from_technique_heads(cls, weights: dict[str, np.ndarray], labels: Sequence[str]
                             ) -> CueHead:
        """From the technique model's ``span_w`` / ``span_b`` / ``token_w`` / ``token_b``
        (:class:`unspin.heads.Heads` weights) and its label list."""
        missing = [t for t in LOADED_TECHNIQUES if t not in labels]
        if missing:
            raise ValueError(f"the span head has no label {missing}")
        return cls(np.asarray(weights["span_w"], np.float32),
                   np.asarray(weights["span_b"], np.float32).reshape(-1),
                   tuple(list(labels).index(t) for t in LOADED_TECHNIQUES),
                   np.asarray(weights["token_w"], np.float32)[:, 0].copy(),
                   float(np.asarray(weights["token_b"], np.float32).reshape(-1)[0]))

    def loaded_mass(self, feats: np.ndarray) -> np.ndarray:
        """[n, 4 * dim] span features -> [n] probability of the loaded techniques."""
        if len(feats) == 0:
            return np.zeros(0, np.float64)
        with one_blas_thread():
            p = softmax(affine(np.asarray(feats, np.float32), self.w, self.b))
        return p[:, list(self.loaded)].sum(axis=1).astype(np.float64)

    def inside(self, hidden: np.ndarray) -> np.ndarray:
        """[T, dim] hidden states -> [T] probability of lying inside a persuasion span."""
        with one_blas_thread():
            z = np.asarray(hidden, np.float32) @ self.inside_w + np.float32(self.inside_b)
        return 1.0 / (1.0 + np.exp(-z.astype(np.float64)))


def log_odds(p: np.ndarray) -> np.ndarray:
    """Probabilities -> log-odds clipped to [-CLIP, CLIP], float32."""
    p = np.clip(np.asarray(p, np.float64), 1e-6, 1 - 1e-6)
    return np.clip(np.log(p / (1 - p)), -CLIP, CLIP).astype(np.float32)


def word_pieces(encoded: Encoded, words: Sequence[SpanLike]) -> list[dict[int, tuple[int, int]]]:
    """Per word, ``{window: (first, last)}``: the first and last token of its pieces in each
    window that holds any (a piece belongs to the word its characters overlap)."""
    out: list[dict[int, tuple[int, int]]] = [{} for _ in words]
    for w, window in enumerate(encoded.windows):
        k = token_words(window, words)
        tokens = np.flatnonzero(k >= 0)
        if not len(tokens):
            continue
        # tokens of a word are contiguous and in order: its first and last in this window
        firsts = tokens[np.r_[True, k[tokens][1:] != k[tokens][:-1]]]
        lasts = tokens[np.r_[k[tokens][1:] != k[tokens][:-1], True]]
        for a, b in zip(firsts, lasts, strict=True):
            out[k[a]][w] = (int(a), int(b))
    return out


def _home_window(pieces: dict[int, tuple[int, int]]) -> int | None:
    """The window holding most of a word's pieces (the first of equals); None if none."""
    if not pieces:
        return None
    return max(pieces, key=lambda w: (pieces[w][1] - pieces[w][0], -w))


def _span_feature_rows(hidden: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """:func:`unspin.heads.span_features` of token ranges [i, j) of one window, vectorised."""
    h = np.asarray(hidden, np.float32)
    csum = np.concatenate([np.zeros((1, h.shape[1]), np.float64), np.cumsum(h, axis=0)])
    i = np.asarray([a for a, _ in spans], dtype=np.int64)
    j = np.asarray([b for _, b in spans], dtype=np.int64)
    mean = ((csum[j] - csum[i]) / (j - i)[:, None]).astype(np.float32)
    cls = np.broadcast_to(h[0], mean.shape)
    return np.concatenate([mean, h[i], h[j - 1], cls], axis=1)


def phrase_cues(text: str, encoded: Encoded, sentence_words: Sequence[Sequence[SpanLike]],
                head: CueHead) -> np.ndarray:
    """``[n_words, 3]`` cues for the words of every sentence, flattened in order (see the
    module docstring); zeros where the encoder gave no windows."""
    flat = [w for ws in sentence_words for w in ws]
    out = np.zeros((len(flat), N_CUES), np.float32)
    if not flat or not encoded.hidden:
        return out
    pieces = word_pieces(encoded, flat)
    # candidates: (window, first token, end token, first word, last word), flat word indices
    candidates: list[tuple[int, int, int, int, int]] = []
    base = 0
    for ws in sentence_words:
        join = joinable(text, ws)
        for a in range(len(ws)):
            home = _home_window(pieces[base + a])
            if home is None:
                continue
            for b in range(a, min(len(ws), a + MAX_PHRASE_WORDS)):
                if b > a and not join[b - 1]:
                    break
                last = pieces[base + b].get(home)
                if last is None:
                    break
                candidates.append((home, pieces[base + a][home][0], last[1] + 1, base + a,
                                   base + b))
        base += len(ws)
    mass = np.zeros(len(candidates), np.float64)
    joint = np.zeros(len(candidates), np.float64)
    by_window: dict[int, list[int]] = {}
    for c, cand in enumerate(candidates):
        by_window.setdefault(cand[0], []).append(c)
    for w, idx in by_window.items():
        ranges = [candidates[c][1:3] for c in idx]
        mass[idx] = head.loaded_mass(_span_feature_rows(encoded.hidden[w], ranges))
        inside = np.concatenate([[0.0], np.cumsum(head.inside(encoded.hidden[w]))])
        mean_inside = np.asarray([(inside[j] - inside[i]) / (j - i) for i, j in ranges])
        joint[idx] = mass[idx] * mean_inside
    alone = np.zeros(len(flat), np.float64)
    phrase = np.full(len(flat), -1.0)
    best_joint = np.zeros(len(flat), np.float64)
    for (_, _, _, a, b), m, j in zip(candidates, mass, joint, strict=True):
        if a == b:
            alone[a] = m
        else:
            phrase[a:b + 1] = np.maximum(phrase[a:b + 1], m)
        best_joint[a:b + 1] = np.maximum(best_joint[a:b + 1], j)
    out[:, 0] = log_odds(alone)
    out[:, 1] = log_odds(np.where(phrase >= 0, phrase, alone))
    out[:, 2] = log_odds(best_joint)
    return out
