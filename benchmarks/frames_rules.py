"""Frames on pages unlike the training news: decision rules against cross-validation.

    python benchmarks/frames_rules.py [--data ../shared/data] [--pages DIR]

Two things, measured in one run, printed as one JSON object:

1. **Cross-validation** on ``semeval2023/train`` with the shipped frames setup (the setting
   stored in ``models/framing_config.json``: hashed TF-IDF word-piece n-grams, logistic
   regression per frame, Platt calibration on the out-of-fold logits; the training code's
   own :func:`unspin.train.heads_recipe.fit_binary`, ``platt`` and ``stratified_folds``) of
   rules for "present": probability at least the stored threshold; the same with the
   probability also above what the fold's model gives an article with no words, or above
   the frame's base rate in the training folds; and the threshold rule on the articles whose
   *evidence* reaches the training articles' 5th percentile (``judged_only``, each fold's
   floor from the other folds; the others get no frames). Micro-F1 of each and the paired
   bootstrap interval of its difference from the threshold rule (articles resampled, 500
   times, seed 13). Also the evidence floor over all out-of-fold evidence, the value
   ``models/framing_config.json`` ships.
2. **Real pages** (default ``../shared/data/extraction/dev``, English pages only, read by
   unspin's own reader; nothing of them is labelled): frames present per page and how many
   pages each frame is present on, under each rule, with the shipped model.

Encoding the 358 articles and the pages takes about two minutes on two cores.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

import numpy as np

from unspin.errors import UnspinError
from unspin.heads import sigmoid
from unspin.taxonomy import FRAME_NAMES
from unspin.train.heads_recipe import EVIDENCE_PERCENTILE

SEED = 13


def _micro_f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    return 2 * tp / max(1.0, float(pred.sum() + gold.sum()))


def _masks(p: np.ndarray, no_words: np.ndarray, base: np.ndarray, t: float
           ) -> dict[str, np.ndarray]:
    return {"threshold": p >= t, "above_no_words": (p >= t) & (p > no_words),
            "above_base_rate": (p >= t) & (p > base)}


def cross_validate(data: Path, t: float, setting) -> dict:
    """Out-of-fold probabilities of the shipped setup and each rule's micro-F1."""
    from unspin.evaluate.datasets import read_semeval_articles
    from unspin.techniques import load_encoder
    from unspin.train import heads_recipe as H

    docs = [d for d in read_semeval_articles(data / "semeval2023" / "train") if d.genre]
    y = np.array([[f in d.frames for f in FRAME_NAMES] for d in docs], bool)
    genre = np.array([sorted({d.genre for d in docs}).index(d.genre) for d in docs])
    feats = H.encode_article_features(load_encoder().encode, [d.text for d in docs])
    oof = H.frames_oof(feats, y, H.stratified_folds(genre, H.FOLDS, SEED), setting, SEED)
    p, p_empty, base, evidence, folds = (sigmoid(oof.z), sigmoid(oof.z_empty), oof.base,
                                         oof.evidence, oof.folds)
    judged = np.zeros(len(y), bool)
    for k in np.unique(folds):  # each fold's floor from the other folds' evidence
        judged[folds == k] = evidence[folds == k] >= np.percentile(evidence[folds != k],
                                                                   EVIDENCE_PERCENTILE)
    masks = _masks(p, p_empty, base, t)
    masks["judged_only"] = masks["threshold"] & judged[:, None]
    rng = np.random.default_rng(SEED)
    samples = [rng.integers(0, len(y), len(y)) for _ in range(500)]
    out = {"articles": len(y), "threshold": t}
    for rule, mask in masks.items():
        row = {"micro_f1": round(_micro_f1(mask, y), 4),
               "frames_per_article": round(float(mask.sum(1).mean()), 2)}
        if rule != "threshold":
            d = [_micro_f1(mask[i], y[i]) - _micro_f1(masks["threshold"][i], y[i])
                 for i in samples]
            row["change"] = round(float(np.mean(d)), 4)
            row["change_ci95"] = [round(float(x), 4) for x in np.percentile(d, [2.5, 97.5])]
        out[rule] = row
    out["gold_frames_per_article"] = round(float(y.sum(1).mean()), 2)
    out["evidence_floor"] = H.frames_evidence_floor(oof)
    out["evidence_percentiles"] = {q: round(float(np.percentile(evidence, q)), 3)
                                   for q in (1, 5, 10, 50)}
    out["articles_not_judged"] = int((~judged).sum())
    out["base_rates"] = dict(zip(FRAME_NAMES, np.round(y.mean(0), 3).tolist(), strict=True))
    return out


def on_pages(pages: Path, base_rates: dict[str, float], floor: float) -> dict:
    """Frames present on each English page under each rule, with the shipped model."""
    from unspin.article.html import parse_html
    from unspin.evaluate.extraction import read_page
    from unspin.evaluate.flags import _page_files
    from unspin.framing import FramingModel, article_features, article_token_ids
    from unspin.pipeline import default_analyzer
    from unspin.stages import Analysis

    model = FramingModel.load()
    analyzer = default_analyzer()
    dense, ids = [], []
    for path in _page_files(pages):
        analysis = Analysis(parse_html(read_page(path)))
        try:
            for stage in analyzer.stages():
                stage(analysis)
                if stage.name == "encoding":
                    break
        except UnspinError:
            continue
        if analysis.failure or analysis.encoded is None or analysis.language != "en":
            continue
        dense.append(article_features(analysis.encoded))
        ids.append(article_token_ids(analysis.encoded))
    z = model.frames_head.logits(np.stack(dense), ids)
    p, p_empty = sigmoid(z), sigmoid(model.no_words_logits)
    evidence = np.array([model.evidence(row) for row in z])
    base = np.array([base_rates[f] for f in model.frames])
    out = {"pages": len(ids),
           "no_words_probability": dict(zip(model.frames, np.round(p_empty, 3).tolist(),
                                            strict=True))}
    masks = _masks(p, p_empty, base, model.threshold)
    masks["judged_only"] = masks["threshold"] & (evidence >= floor)[:, None]
    out["pages_not_judged"] = int((evidence < floor).sum())
    out["evidence_median"] = round(float(np.median(evidence)), 3)
    for rule, mask in masks.items():
        count = collections.Counter(model.frames[j] for row in mask for j in np.flatnonzero(row))
        out[rule] = {"frames_per_page": round(float(mask.sum(1).mean()), 2),
                     "pages_without_frames": int((mask.sum(1) == 0).sum()),
                     "pages_per_frame": dict(count.most_common())}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--pages", type=Path, default=None)
    args = parser.parse_args()
    from unspin.framing import FramingModel
    from unspin.train.heads_recipe import Setting

    model = FramingModel.load()
    setting = Setting(**model.config["frames_setting"])
    cv = cross_validate(args.data, model.threshold, setting)
    pages = on_pages(args.pages or args.data / "extraction" / "dev", cv["base_rates"],
                     cv["evidence_floor"])
    print(json.dumps({"cross_validation": cv, "pages": pages}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
