"""The frames head on the lockbox: SemEval-2023 training articles no choice looked at.

    python benchmarks/frames_lockbox.py [--data ../shared/data]

The lockbox is the articles whose id falls in bucket 0 of :mod:`unspin.train.split` (the
genre head's and the technique model's lockbox, 69 of the 358 articles with frames). On the
other 289, the training code's own :func:`unspin.train.heads_recipe.fit_frames` picks the
regularisation by 5-fold cross-validation, calibrates each frame (Platt) and picks the
"present" threshold, then fits; the evidence floor is the 5th percentile of those 289
articles' out-of-fold evidence (:func:`~unspin.train.heads_recipe.frames_oof`). The fitted
head is scored once on the lockbox: micro-F1 of the frames present, without and with the
evidence gate (an article under the floor gets no frames), with 95% bootstrap intervals over
articles (1,000 resamples, seed 13). For comparison, the same procedure nested in a 5-fold
cross-validation of the 289 (each outer fold's head and floor from the other four).

Only the n-gram settings of the recipe's grid are tried (the shipped head reads n-grams
only): the pooled-state features come from the technique encoder, which was fine-tuned on
every training article, the lockbox included. Encoding the articles (for their word pieces)
takes about a minute.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from unspin.evaluate.metrics import percentile_interval
from unspin.heads import sigmoid
from unspin.taxonomy import FRAME_NAMES
from unspin.train import heads_recipe as H
from unspin.train.split import in_lockbox

SEED = 13
NGRAM_GRID = [s for s in H.FRAME_GRID if s.ngrams and not s.dense]


def micro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    return 2 * tp / max(1.0, float(pred.sum() + gold.sum()))


def with_interval(pred: np.ndarray, gold: np.ndarray, n: int = 1000) -> dict:
    """Micro-F1 of ``pred`` against ``gold`` (articles x frames), with its 95% bootstrap
    interval over articles."""
    rng = np.random.default_rng(SEED)
    draws = [micro_f1(pred[s], gold[s])
             for s in (rng.integers(0, len(gold), len(gold)) for _ in range(n))]
    return {"micro_f1": round(micro_f1(pred, gold), 4), "ci95": percentile_interval(draws),
            "frames_per_article": round(float(pred.sum(1).mean()), 2)}


def fit_and_floor(feats, y: np.ndarray, genre: np.ndarray, seed: int):
    """The recipe's frames fit on ``feats`` and its evidence floor (out of fold)."""
    fit = H.fit_frames(feats, y, genre, seed, grid=NGRAM_GRID)
    oof = H.frames_oof(feats, y, H.stratified_folds(genre, H.FOLDS, seed), fit.setting, seed)
    return fit, H.frames_evidence_floor(oof)


def present(fit, floor: float, feats) -> tuple[np.ndarray, np.ndarray]:
    """Frames present (threshold rule), and which articles the evidence gate judges."""
    z = fit.head.logits(feats.dense, feats.ids)
    empty = fit.head.logits(np.zeros((1, feats.dense.shape[1]), np.float32),
                            [np.zeros(0, np.int64)])
    evidence = np.abs(z - empty).mean(axis=1)
    shown = sigmoid(z) >= fit.threshold
    return shown, evidence >= floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    from unspin.evaluate.datasets import read_semeval_articles
    from unspin.techniques import load_encoder

    docs = [d for d in read_semeval_articles(args.data / "semeval2023" / "train") if d.genre]
    y = np.array([[f in d.frames for f in FRAME_NAMES] for d in docs], bool)
    genre = np.array([sorted({d.genre for d in docs}).index(d.genre) for d in docs])
    feats = H.encode_article_features(load_encoder().encode, [d.text for d in docs])
    locked = np.array([in_lockbox(d.id) for d in docs])
    rest, box = np.flatnonzero(~locked), np.flatnonzero(locked)

    # nested cross-validation of the procedure on the 289
    folds = H.stratified_folds(genre[rest], H.FOLDS, SEED)
    cv_plain = np.zeros((len(rest), len(FRAME_NAMES)), bool)
    cv_judged = np.zeros(len(rest), bool)
    for k in range(H.FOLDS):
        tr, te = rest[folds != k], rest[folds == k]
        fit, floor = fit_and_floor(feats.take(tr), y[tr], genre[tr], SEED + 1 + k)
        cv_plain[folds == k], cv_judged[folds == k] = present(fit, floor, feats.take(te))
    cv_gated = cv_plain & cv_judged[:, None]

    fit, floor = fit_and_floor(feats.take(rest), y[rest], genre[rest], SEED)
    plain, judged = present(fit, floor, feats.take(box))
    gated = plain & judged[:, None]
    print(json.dumps({
        "articles": {"cv": len(rest), "lockbox": len(box)},
        "chosen_on_the_289": {"setting": fit.setting.__dict__, "threshold": fit.threshold,
                              "evidence_floor": floor},
        "cv_nested": {"threshold": with_interval(cv_plain, y[rest]),
                      "judged_only": with_interval(cv_gated, y[rest]),
                      "not_judged": int((~cv_judged).sum())},
        "lockbox": {"threshold": with_interval(plain, y[box]),
                    "judged_only": with_interval(gated, y[box]),
                    "not_judged": int((~judged).sum())},
        "command": "python benchmarks/frames_lockbox.py",
    }, indent=2))


if __name__ == "__main__":
    main()
