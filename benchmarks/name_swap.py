"""Rhetoric, not sides: swap the names of the two sides of an article and compare spans.

    python benchmarks/name_swap.py [ARTICLE]   (default: the shared example article)

Each side's countries, demonyms, leaders and capitals are swapped at once (Russia <-> Ukraine,
Putin <-> Zelenskiy, Moscow <-> Kyiv, ...). Technique spans found in the swapped text are mapped
back to the original offsets and compared with the original spans using the SemEval-2020
normalised character-overlap F1 (1.0 = identical spans; labelled = same technique too).
Prints one JSON object.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

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
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
