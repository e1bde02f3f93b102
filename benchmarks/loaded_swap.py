"""Rhetoric, not sides, for loaded wording: swap the sides' names and count the spans that change.

    python benchmarks/loaded_swap.py [--babe ../shared/data/babe/train] [ARTICLE ...]
                                     [--mode swap|neutral] [--limit N]

Every BABE sentence (each its own one-unit text, as BABE is scored) and every article given
(default: the shared example and ``examples/wire_report.txt``; lines as units and sentences)
is analysed twice by the shipped loaded-wording head (:mod:`unspin.loaded`): as written, and
with the names of the two sides swapped (``swap``: Trump <-> Biden, Republicans <-> Democrats,
conservatives <-> liberals, Fox News <-> MSNBC, Russia <-> Ukraine, Putin <-> Zelenskiy, ...,
all at once, whole words) or all renamed to neutral placeholders (``neutral``: "Side A",
"Side B"). Spans found in the changed text are mapped back to the original offsets; the
**changed share** is |A xor B| / |A or B| over (start, end) spans, pooled (also without the
spans that touch a renamed word, whose own wording changed). For the words not renamed:
the change of their probability and how many cross the threshold. Also: the share of
BABE sentences whose biased / not-biased call flips, the mean absolute change of the sentence
score, and BABE's predicted-biased share per outlet leaning (left, center, right) beside the
experts' share. Only texts that contain a name change at all; the rest are identical by
construction and are counted separately. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
from name_swap import rename as rename_names  # benchmarks/, beside this script
from name_swap import to_original

from unspin.encoder import Unit
from unspin.evaluate.loaded_eval import read_babe
from unspin.loaded import LoadedModel
from unspin.techniques import load_encoder

HERE = Path(__file__).resolve().parent

PAIRS = [
    ("Donald Trump", "Joe Biden"), ("Donald J. Trump", "Joseph R. Biden"), ("Trump", "Biden"),
    ("Mike Pence", "Kamala Harris"), ("Pence", "Harris"),
    ("Mitch McConnell", "Chuck Schumer"), ("McConnell", "Schumer"),
    ("Republicans", "Democrats"), ("Republican", "Democratic"), ("GOP", "Democratic Party"),
    ("conservatives", "liberals"), ("conservative", "liberal"),
    ("Conservatives", "Liberals"), ("Conservative", "Liberal"),
    ("right-wing", "left-wing"), ("Right-wing", "Left-wing"),
    ("Fox News", "MSNBC"), ("Breitbart", "HuffPost"),
    ("Vladimir Putin", "Volodymyr Zelenskiy"), ("Putin", "Zelenskiy"),
    ("Russians", "Ukrainians"), ("Russian", "Ukrainian"), ("Russia", "Ukraine"),
    ("Moscow", "Kyiv"), ("Kremlin", "Bankova"), ("Israelis", "Palestinians"),
    ("Israeli", "Palestinian"), ("Israel", "Palestine"),
]
EXAMPLES = [HERE.parents[1] / "shared/data/examples/000_82c52a8aa8fc80f9.txt",
            HERE.parent / "examples/wire_report.txt"]


def rename(text: str, mode: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The text with the sides' names swapped (or made neutral) and the edits as
    (old_start, old_end, new_start, new_end)."""
    if mode == "swap":
        table = {a: b for a, b in PAIRS} | {b: a for a, b in PAIRS}
    else:
        table = {a: "Side A" for a, _ in PAIRS} | {b: "Side B" for _, b in PAIRS}
    return rename_names(text, table)


def _analyse(model, encoder, text: str, units: list[Unit]):
    encoded = encoder.encode(text, units)
    return model.analyse(text, encoded, [(u.start, u.end) for u in units])


def _line_units(text: str) -> list[Unit]:
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            out.append(Unit(start, start + len(stripped)))
        pos += len(line) + 1
    return out


def _word_probs(model, encoder, text: str, units: list[Unit]) -> dict[tuple[int, int], float]:
    encoded = encoder.encode(text, units)
    words, probs = model.word_probs(text, encoded, [(u.start, u.end) for u in units])
    return {w: float(p) for ws, ps in zip(words, probs, strict=True)
            for w, p in zip(ws, ps, strict=True)}


def compare(model, encoder, text: str, units_of, mode: str) -> dict | None:
    """Spans, sentence scores and word probabilities of ``text`` as written and renamed, in
    original offsets. ``kept``: the spans (of either version) that touch no renamed word."""
    changed, edits = rename(text, mode)
    if not edits:
        return None
    spans_a, scores_a = _analyse(model, encoder, text, units_of(text))
    spans_b, scores_b = _analyse(model, encoder, changed, units_of(changed))
    a = {(s.start, s.end) for s in spans_a}
    b = {(to_original(s.start, edits), to_original(s.end, edits)) for s in spans_b}

    def renamed(span):
        return any(span[0] < oe and os_ < span[1] for os_, oe, _, _ in edits)

    pa = _word_probs(model, encoder, text, units_of(text))
    pb = {(to_original(s, edits), to_original(e, edits)): p
          for (s, e), p in _word_probs(model, encoder, changed, units_of(changed)).items()}
    same = [w for w in pa if w in pb and not renamed(w)]
    t = model.threshold
    return {"a": a, "b": b, "scores_a": scores_a, "scores_b": scores_b,
            "a_kept": {x for x in a if not renamed(x)}, "b_kept": {x for x in b if not renamed(x)},
            "prob_changes": [abs(pa[w] - pb[w]) for w in same],
            "crossings": sum((pa[w] >= t) != (pb[w] >= t) for w in same),
            "examples": sorted({text[s:e] for s, e in a ^ b})[:5]}


def _share(flags) -> float:
    return round(float(np.mean(flags)), 4) if flags else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--babe", type=Path, default=HERE.parents[1] / "shared/data/babe/train")
    parser.add_argument("--mode", choices=("swap", "neutral"), default="swap")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    model, encoder = LoadedModel.load(), load_encoder()
    out: dict = {"mode": args.mode, "threshold": model.threshold,
                 "sentence_threshold": model.sentence_threshold}

    rows = read_babe(args.babe) if args.babe.is_dir() else []
    if args.limit:
        rows = rows[:args.limit]
    union = diff = flips = touched = union_kept = diff_kept = crossings = 0
    deltas, examples, prob_changes = [], [], []
    leaning: dict[str, list] = {}
    for r in rows:
        text = r.text.strip()
        if not text:
            continue

        def units_of(t):
            return [Unit(0, len(t))]

        got = compare(model, encoder, text, units_of, args.mode)
        if got is None:
            score = _analyse(model, encoder, text, units_of(text))[1][0]
        else:
            touched += 1
            union += len(got["a"] | got["b"])
            diff += len(got["a"] ^ got["b"])
            union_kept += len(got["a_kept"] | got["b_kept"])
            diff_kept += len(got["a_kept"] ^ got["b_kept"])
            prob_changes.extend(got["prob_changes"])
            crossings += got["crossings"]
            score = got["scores_a"][0]
            deltas.append(abs(got["scores_a"][0] - got["scores_b"][0]))
            t = model.sentence_threshold
            flips += (got["scores_a"][0] >= t) != (got["scores_b"][0] >= t)
            if got["a"] ^ got["b"] and len(examples) < 10:
                examples.extend(got["examples"][:2])
        if r.biased is not None:
            leaning.setdefault(r.leaning or "unknown", []).append(
                (score >= model.sentence_threshold, r.biased))
    if rows:
        out["babe"] = {
            "sentences": len(rows), "sentences_with_names": touched,
            "spans_in_union": union, "changed_spans": diff,
            "changed_share": round(diff / union, 4) if union else 0.0,
            "changed_share_off_renamed_words": round(diff_kept / union_kept, 4)
            if union_kept else 0.0,
            "words_compared": len(prob_changes),
            "word_prob_change_mean": round(float(np.mean(prob_changes)), 5)
            if prob_changes else 0.0,
            "word_prob_change_p99": round(float(np.percentile(prob_changes, 99)), 4)
            if prob_changes else 0.0,
            "words_crossing_threshold": crossings,
            "sentence_call_flips": flips,
            "sentence_flip_share": round(flips / touched, 4) if touched else 0.0,
            "mean_abs_score_change": round(float(np.mean(deltas)), 4) if deltas else 0.0,
            "changed_examples": examples,
            "per_leaning": {k: {"sentences": len(v),
                                "predicted_biased_share": _share([p for p, _ in v]),
                                "expert_biased_share": _share([g for _, g in v])}
                            for k, v in sorted(leaning.items())},
        }
    articles = args.articles or [p for p in EXAMPLES if p.exists()]
    out["articles"] = {}
    for path in articles:
        text = path.read_text(encoding="utf-8")
        got = compare(model, encoder, text, _line_units, args.mode)
        spans, _ = _analyse(model, encoder, text, _line_units(text))
        words = len(re.findall(r"\w+", text))
        item = {"spans": len(spans), "span_words": sum(len(s.text.split()) for s in spans),
                "words": words, "span_texts": [s.text for s in spans]}
        item["density"] = round(item["span_words"] / max(words, 1), 4)
        if got is not None:
            u = got["a"] | got["b"]
            item["changed_share"] = round(len(got["a"] ^ got["b"]) / len(u), 4) if u else 0.0
        out["articles"][path.name] = item
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
