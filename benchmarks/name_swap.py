"""Rhetoric, not sides: swap the names of the two sides of articles and compare spans.

    python benchmarks/name_swap.py [ARTICLE_OR_FOLDER ...] [--sides ru-ua|us-2016]

Each side's names are swapped at once. ``ru-ua`` (default, with the shared example article):
countries, demonyms, leaders, capitals (Russia <-> Ukraine, Putin <-> Zelenskiy, Moscow <->
Kyiv, ...). ``us-2016`` (for PolNeAR's 2016 election articles, e.g.
``../shared/data/polnear/dev/text``): candidates, running mates and parties (Trump <-> Clinton,
Pence <-> Kaine, Republicans <-> Democrats, ...; pronouns are left alone). Technique spans
found in the swapped text are mapped back to the original offsets and compared with the
original spans using the SemEval-2020 normalised character-overlap F1 (1.0 = identical spans;
labelled = same technique too), pooled over the articles. Also compares, word piece by word
piece, the model's inside-a-span probabilities of the words that were not swapped (mean and
largest change, threshold crossings): with few spans above threshold, span agreement alone
says little. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
from token_probs import piece_probabilities  # benchmarks/, beside this script

from unspin.evaluate.metrics import span_prf
from unspin.pipeline import Analyzer

SIDES = {
    "ru-ua": [
        ("Vladimir Putin", "Volodymyr Zelenskiy"), ("Putin", "Zelenskiy"),
        ("Russians", "Ukrainians"), ("Russian", "Ukrainian"), ("Russia", "Ukraine"),
        ("Moscow", "Kyiv"), ("Kremlin", "Bankova"), ("Dmitry Peskov", "Serhiy Nykyforov"),
        ("Peskov", "Nykyforov"), ("Donetsk People’s Republic", "Kharkiv region"),
        ("DPR", "Kharkiv"), ("separatist-held", "government-held"),
    ],
    "us-2016": [
        ("Donald Trump", "Hillary Clinton"), ("Donald J. Trump", "Hillary Rodham Clinton"),
        ("Trump", "Clinton"), ("Donald", "Hillary"), ("Mike Pence", "Tim Kaine"),
        ("Pence", "Kaine"), ("Republicans", "Democrats"), ("Republican", "Democratic"),
        ("GOP", "Democratic Party"),
    ],
}
EXAMPLE = Path(__file__).resolve().parents[2] / "shared/data/examples/000_82c52a8aa8fc80f9.txt"


def swap_sides(text: str, pairs=SIDES["ru-ua"]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The text with every pair of names swapped both ways (whole words only), and the edits
    as (old_start, old_end, new_start, new_end)."""
    return rename(text, {a: b for a, b in pairs} | {b: a for a, b in pairs})


def rename(text: str, table: dict[str, str]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The text with every name in ``table`` (whole words, longest first) replaced by its
    value, and the edits as (old_start, old_end, new_start, new_end)."""
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(k) for k in sorted(table, key=len, reverse=True)) + r")(?!\w)")
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
    weight = analyzer.models.techniques.config.word_weight
    out: dict[int, float] = {}
    for start, _end, (p,) in piece_probabilities(analyzer, text, (weight,))[1]:
        out[start] = max(out.get(start, 0.0), p)
    return out


def probability_changes(analyzer: Analyzer, text: str, swapped: str, edits) -> list[float]:
    """Signed changes (after - before) of the inside-a-span probabilities of the word pieces
    that were *not* swapped, and each piece's probability before, as pairs."""
    before = token_probabilities(analyzer, text)
    after = {to_original(k, edits): v for k, v in token_probabilities(analyzer, swapped).items()}
    touched = [(s, e) for s, e, _ns, _ne in edits]
    return [(before[k], after[k]) for k in before
            if k in after and not any(s <= k < e for s, e in touched)]


def compare(analyzer: Analyzer, text: str, pairs) -> dict:
    """Spans and probabilities of one article before and after the swap."""
    swapped, edits = swap_sides(text, pairs)
    a = [(t.start, t.end, t.technique) for t in analyzer(text).techniques]
    b = [(to_original(t.start, edits), to_original(t.end, edits), t.technique)
         for t in analyzer(swapped).techniques]
    return {"names_swapped": len(edits), "before": a, "after": b,
            "probabilities": probability_changes(analyzer, text, swapped, edits)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("paths", nargs="*", type=Path, default=[EXAMPLE])
    p.add_argument("--sides", choices=sorted(SIDES), default="ru-ua")
    args = p.parse_args()
    files = sorted(f for path in args.paths
                   for f in (path.glob("*.txt") if path.is_dir() else [path]))
    analyzer = Analyzer()
    threshold = analyzer.models.techniques.config.si_threshold
    results = {str(f): compare(analyzer, f.read_text(encoding="utf-8"), SIDES[args.sides])
               for f in files}
    results = {k: r for k, r in results.items() if r["names_swapped"]}
    pairs = [pair for r in results.values() for pair in r["probabilities"]]
    diffs = np.array([after - before for before, after in pairs])
    gold = {k: [(s, e) for s, e, _ in r["before"]] for k, r in results.items()}
    pred = {k: [(s, e) for s, e, _ in r["after"]] for k, r in results.items()}
    plain = span_prf(pred, gold, labelled=False)
    labelled = span_prf({k: r["after"] for k, r in results.items()},
                        {k: r["before"] for k, r in results.items()}, labelled=True)
    out = {
        "sides": args.sides, "articles": len(results),
        "names_swapped": sum(r["names_swapped"] for r in results.values()),
        "spans_before": sum(len(v) for v in gold.values()),
        "spans_after": sum(len(v) for v in pred.values()),
        "span_agreement_f1": round(plain["f1"], 4),
        "labelled_agreement_f1": round(labelled["f1"], 4),
        "token_probabilities": {
            "tokens_compared": len(pairs),
            "mean_abs_change": round(float(np.abs(diffs).mean()), 4),
            "mean_signed_change": round(float(diffs.mean()), 4),
            "max_abs_change": round(float(np.abs(diffs).max()), 4),
            "threshold_flips": int(sum((b >= threshold) != (a >= threshold) for b, a in pairs)),
        },
    }
    if len(results) == 1:
        (name, r), = results.items()
        text = Path(name).read_text(encoding="utf-8")
        out["only_before"] = sorted({text[s:e] for s, e, _ in r["before"]}
                                    - {text[s:e] for s, e, _ in r["after"]})
        out["only_after"] = sorted({text[s:e] for s, e, _ in r["after"]}
                                   - {text[s:e] for s, e, _ in r["before"]})
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
