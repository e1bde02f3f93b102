"""Rhetoric, not sides: swap the names of the two sides of an article and compare spans.

    python benchmarks/name_swap.py [ARTICLE]   (default: the shared example article)

Each side's countries, demonyms, leaders and capitals are swapped at once (Russia <-> Ukraine,
Putin <-> Zelenskiy, Moscow <-> Kyiv, ...). Technique spans found in the swapped text are mapped
back to the original offsets and compared with the original spans using the SemEval-2020
normalised character-overlap F1 (1.0 = identical spans; labelled = same technique too).
Also compares, word piece by word piece, the model's inside-a-span probabilities of the words
that were not swapped (mean and largest change, threshold crossings): with few spans above
threshold, span agreement alone says little. Prints one JSON object.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

from unspin.evaluate.metrics import span_prf
from unspin.pipeline import Analyzer

PAIRS = [
    ("Vladimir Putin", "Volodymyr Zelenskiy"), ("Putin", "Zelenskiy"),
    ("Russians", "Ukrainians"), ("Russian", "Ukrainian"), ("Russia", "Ukraine"),
    ("Moscow", "Kyiv"), ("Kremlin", "Bankova"), ("Dmitry Peskov", "Serhiy Nykyforov"),
    ("Peskov", "Nykyforov"), ("Donetsk People’s Republic", "Kharkiv region"),
    ("DPR", "Kharkiv"), ("separatist-held", "government-held"),
]
EXAMPLE = Path(__file__).resolve().parents[2] / "shared/data/examples/000_82c52a8aa8fc80f9.txt"


def swap_sides(text: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The text with every pair swapped both ways, and the edits as
    (old_start, old_end, new_start, new_end)."""
    table = {a: b for a, b in PAIRS} | {b: a for a, b in PAIRS}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    out, edits, pos, shift = [], [], 0, 0
    for m in pattern.finditer(text):
        new = table[m.group(0)]
        out.append(text[pos:m.start()])
        out.append(new)
        edits.append((m.start(), m.end(), m.start() + shift, m.start() + shift + len(new)))
        shift += len(new) - (m.end() - m.start())
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), edits


def to_original(pos: int, edits) -> int:
    """Map an offset in the swapped text back to the original text."""
    shift = 0
    for os_, oe, ns, ne in edits:
        if pos < ns:
            break
        if pos < ne:
            return os_ if pos == ns else oe
        shift = oe - ne
    return pos + shift


def token_probabilities(analyzer: Analyzer, text: str) -> dict[int, float]:
    """Each word piece's probability of being inside a persuasion span, keyed by the piece's
    start offset in ``text`` (the probability the span decoder thresholds)."""
    from unspin.article import parse_text
    from unspin.pipeline import article_parts
    from unspin.techniques import inside_probs

    article = parse_text(text)
    encoded = analyzer.models.encode(article.text, article_parts(article))
    model = analyzer.models.techniques
    out = {}
    for window, probs in zip(encoded.windows, inside_probs(article.text, encoded, model.heads,
                                                           model.config.word_weight),
                             strict=True):
        for (start, _end), unit, p in zip(window.offsets, window.units, probs, strict=True):
            if unit >= 0:
                out[start] = max(out.get(start, 0.0), float(p))
    return out


def probability_shift(analyzer: Analyzer, text: str, swapped: str, edits) -> dict:
    """How far the inside-a-span probabilities of the words that were *not* swapped move when
    the sides are swapped: mean and largest absolute change, and how many cross the shipped
    start threshold."""
    before = token_probabilities(analyzer, text)
    after = {to_original(k, edits): v for k, v in token_probabilities(analyzer, swapped).items()}
    touched = [(s, e) for s, e, _ns, _ne in edits]
    common = [k for k in before if k in after and not any(s <= k < e for s, e in touched)]
    diffs = np.array([abs(before[k] - after[k]) for k in common])
    threshold = analyzer.models.techniques.config.si_threshold
    flips = sum((before[k] >= threshold) != (after[k] >= threshold) for k in common)
    return {"tokens_compared": len(common), "mean_abs_change": round(float(diffs.mean()), 4),
            "max_abs_change": round(float(diffs.max()), 4), "threshold_flips": int(flips)}


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else EXAMPLE
    text = path.read_text(encoding="utf-8")
    swapped, edits = swap_sides(text)
    analyzer = Analyzer()
    before = analyzer(text).techniques
    after = analyzer(swapped).techniques
    a = [(t.start, t.end, t.technique) for t in before]
    b = [(to_original(t.start, edits), to_original(t.end, edits), t.technique) for t in after]
    plain = span_prf({"x": [(s, e) for s, e, _ in b]}, {"x": [(s, e) for s, e, _ in a]},
                     labelled=False)
    labelled = span_prf({"x": b}, {"x": a}, labelled=True)
    print(json.dumps({
        "article": str(path), "names_swapped": len(edits),
        "spans_before": len(a), "spans_after": len(b),
        "span_agreement_f1": round(plain["f1"], 4),
        "labelled_agreement_f1": round(labelled["f1"], 4),
        "only_before": sorted({text[s:e] for s, e, _ in a} - {text[s:e] for s, e, _ in b}),
        "only_after": sorted({text[s:e] for s, e, _ in b} - {text[s:e] for s, e, _ in a}),
        "token_probabilities": probability_shift(analyzer, text, swapped, edits),
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
