"""What a lower span threshold would buy and cost, on a cross-validation run's held-out folds.

    python benchmarks/threshold_curve.py [--cv-dir runs/cv-w128] [--word-weight 0.5]
        [--thresholds 0.1 0.15 0.2 0.3 0.45]

For each start threshold t (growth threshold 2t/3, gaps of up to 8 tokens bridged, the word
prior at ``--word-weight``, each fold's prior counted on the other folds): span-identification
precision, recall and F1 pooled over every held-out PTC article of the run, the number of
predicted spans, and the mean share of an article's characters that the spans cover. The
shipped thresholds are one point of this curve (start 0.45, growth 0.30); the curve says what
it would take to highlight words the model is unsure of. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from unspin.evaluate.metrics import span_prf
from unspin.techniques import DecodeConfig, inside_probs, run_spans
from unspin.train.technique_recipe import load_folds, with_word_priors


def curve(cv_dir: Path, word_weight: float, thresholds: list[float]) -> list[dict]:
    """One row per start threshold (see the module docstring)."""
    items = [(it, inside_probs(it.text, it.encoded, heads, word_weight))
             for ptc, _sem, heads in with_word_priors(load_folds(cv_dir)) for it in ptc]
    gold = {it.id: [(s, e) for s, e, _ in it.spans] for it, _ in items}
    rows = []
    for t in thresholds:
        cfg = DecodeConfig(si_threshold=t, si_low=round(t * 2 / 3, 3), si_gap=8,
                           word_weight=word_weight)
        pred = {it.id: [(s, e) for s, e, *_ in run_spans(it.text, it.encoded, p, cfg)]
                for it, p in items}
        scores = span_prf(pred, gold, labelled=False)
        coverage = sum(sum(e - s for s, e in pred[it.id]) / max(len(it.text), 1)
                       for it, _ in items) / len(items)
        rows.append({"start": t, "growth": cfg.si_low,
                     **{k: round(v, 3) for k, v in scores.items()},
                     "spans": sum(len(v) for v in pred.values()),
                     "mean_share_of_characters": round(coverage, 3)})
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cv-dir", type=Path, default=Path("runs/cv-w128"))
    p.add_argument("--word-weight", type=float, default=0.5)
    p.add_argument("--thresholds", type=float, nargs="+", default=[0.1, 0.15, 0.2, 0.3, 0.45])
    args = p.parse_args()
    print(json.dumps({"cv_dir": str(args.cv_dir), "word_weight": args.word_weight,
                      "curve": curve(args.cv_dir, args.word_weight, args.thresholds)},
                     indent=1))


if __name__ == "__main__":
    main()
