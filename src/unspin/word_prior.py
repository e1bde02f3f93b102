"""The word prior: how often each word lies inside a persuasion span in the training articles.

Learned by counting, not by training: for every word (a lower-cased run of letters and
digits) of the training articles, the share of its occurrences that fall inside a gold span,
as log-odds against the share of all words, smoothed towards that base rate with
:data:`STRENGTH` pseudo-occurrences so that a word seen twice says little. "smear" or
"sham" score high, "added" or "reported" low.

Words that are capitalised in most of their occurrences (names of people, places, parties,
peoples) are left out, and a word with a score is given it only where it is written as a
common word (in lower case, or capitalised because it opens a sentence): "Black" of "Black
Sea" gets nothing from "black". So the prior says nothing about *who* an article is about,
only about how it is written ("rhetoric, not sides").

The technique decoder adds ``weight * score`` of a token's word to the token's "inside a
span" logit (:func:`unspin.techniques.inside_probs`); ``weight`` is tuned by
cross-validation like the thresholds, and 0 switches the prior off.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.encoder import Encoded

WORD = re.compile(r"\w+")
STRENGTH = 5.0
"""Pseudo-occurrences at the base rate added to every word's counts."""
MIN_SCORE = 0.05
"""Words whose score is closer to 0 than this are not kept (they would change nothing)."""


@dataclass
class WordPrior:
    """``scores``: lower-cased word -> smoothed log-odds of lying inside a span."""

    scores: dict[str, float]

    @classmethod
    def learn(cls, articles: Iterable[tuple[str, Sequence[tuple[int, int]]]]) -> WordPrior:
        """Count over ``(text, gold spans)`` pairs; an article without spans counts as one
        whose words are all outside."""
        inside, total, lower = Counter(), Counter(), Counter()
        for text, spans in articles:
            in_span = np.zeros(len(text), dtype=bool)
            for start, end in spans:
                in_span[start:end] = True
            for m in WORD.finditer(text):
                word = m.group().lower()
                total[word] += 1
                inside[word] += bool(in_span[m.start():m.end()].any())
                lower[word] += not m.group()[0].isupper()
        if not total or not sum(inside.values()):
            return cls({})
        base = sum(inside.values()) / sum(total.values())
        base_logit = np.log(base / (1 - base))
        scores = {}
        for word, n in total.items():
            if lower[word] * 2 < n:
                continue  # mostly capitalised: a name, not a choice of words
            score = float(np.log((inside[word] + STRENGTH * base)
                                 / (n - inside[word] + STRENGTH * (1 - base))) - base_logit)
            if abs(score) >= MIN_SCORE:
                scores[word] = round(score, 3)
        return cls(scores)

    def token_scores(self, text: str, encoded: Encoded) -> list[np.ndarray]:
        """Per window of ``encoded``, the score of the word holding each token [T] (0 for
        special tokens, punctuation and words without a score)."""
        found = list(WORD.finditer(text))
        if not found:
            return [np.zeros(len(window.offsets), dtype=np.float32)
                    for window in encoded.windows]
        starts = np.array([m.start() for m in found])
        ends = np.array([m.end() for m in found])
        word_scores = np.array([self.scores.get(m.group().lower(), 0.0)
                                if _common_use(text, m) else 0.0 for m in found],
                               dtype=np.float32)
        out = []
        for window in encoded.windows:
            offsets = np.asarray(window.offsets).reshape(-1, 2)
            # the word starting at or before each token's first character, if it reaches it
            k = np.maximum(np.searchsorted(starts, offsets[:, 0], side="right") - 1, 0)
            in_word = (starts[k] <= offsets[:, 0]) & (offsets[:, 0] < ends[k])
            real = (np.asarray(window.units) >= 0) & (offsets[:, 1] > offsets[:, 0])
            out.append(np.where(real & in_word, word_scores[k], 0.0).astype(np.float32))
        return out

    def save(self, path: Path, about: dict | None = None) -> None:
        """Write as JSON (``about``: provenance kept beside the scores)."""
        path.write_text(json.dumps({**(about or {}), "strength": STRENGTH,
                                    "scores": dict(sorted(self.scores.items()))},
                                   ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path) -> WordPrior:
        return cls({str(k): float(v) for k, v in json.loads(path.read_text())["scores"].items()})


_SENTENCE_END = frozenset(".!?:;\n")
_OPENERS = frozenset(" \t\"'“‘([«-—–")


def _common_use(text: str, match: re.Match) -> bool:
    """Whether the word is written as a common word: in lower case, or capitalised only
    because it opens a sentence or a line. "black" counts, "Black Sea" does not."""
    if not match.group()[0].isupper():
        return True
    i = match.start() - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END
