"""Phrase cues as a rule: what BABE's experts say about the words the technique heads read
as loaded.

    python benchmarks/loaded_cues.py [--data ../shared/data] [--cache runs/loaded-cache]

Reads the encoded corpora that ``python -m unspin.train.loaded_recipe`` cached (it must have
run first), computes the word head's out-of-fold probabilities at the shipped setting (the
recipe's GroupKFold CV; the lockbox is not read), and for each cut-off *t* of the third
phrase cue (:mod:`unspin.phrase_cues`: loaded-technique probability times "inside a technique"
probability, log-odds) adds every word at or above *t* to the head's predicted words. Prints,
per *t*, BABE biased-word F1 / precision / recall on the CV part, the share of words added and
the share of those the experts marked. One JSON object.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from unspin.train import loaded_recipe as recipe

CUTS = (None, 3.0, 2.0, 1.0, 0.0, -1.0, -1.5, -2.0)


def prf(counts: np.ndarray) -> dict[str, float]:
    """Pooled F1, precision, recall from [n, 3] (tp, fp, fn) rows."""
    tp, fp, fn = (int(x) for x in counts.sum(axis=0))
    return {"f1": round(2 * tp / max(2 * tp + fp + fn, 1), 4),
            "precision": round(tp / max(tp + fp, 1), 4), "recall": round(tp / max(tp + fn, 1), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("runs/loaded-cache"))
    args = parser.parse_args(argv)

    def no_encoder():
        raise SystemExit("no cached corpora: run python -m unspin.train.loaded_recipe first")

    material = recipe.load_material(args.data, args.cache, no_encoder, False)
    setting = recipe.WordSetting(0.003, 0.5)
    oof = recipe.word_cv(material, setting, recipe.SEED)
    babe = material.corpora["babe"]
    cv_sents = material.sent_part["babe"] < recipe.LOCKBOX_PART
    cv_words = cv_sents[babe.word_sent]
    probs = 1.0 / (1.0 + np.exp(-np.nan_to_num(oof["babe"], nan=-30.0)))
    cue = babe.word_cue[:, 2]
    rows = []
    for t in CUTS:
        p = probs if t is None else np.where(cue >= t, np.maximum(probs, 0.999), probs)
        row = {"cut": t, **prf(recipe.babe_word_counts(material, p, cv_sents, 0.2))}
        if t is not None:
            added = cv_words & (cue >= t)
            row["share_of_words"] = round(float(added.sum() / cv_words.sum()), 4)
            row["experts_marked"] = round(float(babe.word_label[added].mean()), 4)
        rows.append(row)
    print(json.dumps({"base_rate": round(float(babe.word_label[cv_words].mean()), 4),
                      "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
