"""A passage the user chose: find it in the article, and name the techniques it uses.

This is the "technique classification" (TC) setting of the benchmarks applied to any stretch
of text: the span head reads the passage in its window of the article (see
:func:`unspin.techniques.classify_spans`), and Repetition also counts how often the passage's
words recur in the whole article (:func:`unspin.techniques.weigh_repetition`).
"""

from __future__ import annotations

import re

from unspin.encoder import Encoded
from unspin.errors import InputError
from unspin.report import PassageTechniques, TechniqueScore
from unspin.techniques import TechniqueModel, classify_spans, inside_probs, weigh_repetition

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def locate_passage(text: str, passage: str) -> tuple[int, int]:
    """[start, end) of the first occurrence of ``passage`` in ``text``.

    Exact match first; failing that, one that ignores differences in whitespace and in curly
    versus straight quotes (a passage copied from a rendered page). InputError if absent."""
    wanted = passage.strip()
    if not wanted:
        raise InputError("the passage is empty")
    at = text.find(wanted)
    if at >= 0:
        return at, at + len(wanted)
    # str.translate maps one character to one, so offsets in the folded text are the same
    pattern = r"\s+".join(re.escape(word) for word in wanted.translate(_QUOTES).split())
    found = re.search(pattern, text.translate(_QUOTES))
    if found is None:
        raise InputError("the passage is not in the article's text")
    return found.start(), found.end()


def check_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` trimmed of surrounding whitespace; InputError unless it is a
    non-empty range of ``text``."""
    if not 0 <= start < end <= len(text):
        raise InputError(f"span {start}:{end} is not a range inside the article's text "
                         f"(0:{len(text)})")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise InputError(f"span {start}:{end} holds only whitespace")
    return start, end


def passage_inside(text: str, encoded: Encoded, model: TechniqueModel, start: int,
                   end: int) -> float:
    """The highest "inside a persuasion span" probability of a token of ``text[start:end]``
    (:func:`unspin.techniques.inside_probs`, with the shipped word prior): the analysis
    starts a span at a token that reaches ``si_threshold``, so below it the passage holds
    none."""
    best = 0.0
    probs = inside_probs(text, encoded, model.heads, model.config.word_weight)
    for window, p in zip(encoded.windows, probs, strict=True):
        for k, ((a, b), unit) in enumerate(zip(window.offsets, window.units, strict=True)):
            if unit >= 0 and b > a and start <= a and b <= end:
                best = max(best, float(p[k]))
    return best


def classify_passage(text: str, encoded: Encoded, model: TechniqueModel, start: int,
                     end: int) -> PassageTechniques:
    """Every technique with its probability for ``text[start:end]``, most likely first, and
    whether the passage uses one at all (:func:`passage_inside` against the threshold the
    analysis starts spans at)."""
    inside = passage_inside(text, encoded, model, start, end)
    probs = classify_spans(encoded, [(start, end)], model.heads)
    probs = weigh_repetition(text, [(start, end)], probs, model.labels,
                             model.config.repetition_base)[0]
    ranked = sorted(zip(model.labels, probs.tolist(), strict=True), key=lambda kv: -kv[1])
    return PassageTechniques(
        start=start, end=end, text=text[start:end], inside=round(min(1.0, inside), 4),
        uses_technique=inside >= model.config.si_threshold,
        techniques=[TechniqueScore(technique=name, score=round(min(1.0, max(0.0, p)), 4))
                    for name, p in ranked])
