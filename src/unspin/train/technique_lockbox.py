"""``unspin train techniques --lockbox``: the technique model scored once on articles that no
choice looked at.

The lockbox is the training articles whose id falls in bucket 0 of :mod:`unspin.train.split`
(70 of the 371 SemEval-2023 / PTC training articles; the genre head's lockbox is the same rule
over the same ids). Two commands, the shipped model's recipe and seed:

1. ``unspin train techniques --data D --cv 3 --lockbox --out DIR``: cross-validation over the
   other 301 articles (:func:`unspin.train.technique_recipe.run_cv`); its ``cv.json`` holds
   the thresholds tuned on their held-out predictions, and its nested, pooled scores.
2. ``unspin train techniques --data D --lockbox --out DIR``: one model trained on those 301
   (:func:`train_lockbox_model`; its lockbox encodings and heads are kept in
   ``DIR/lockbox.pkl``), decoded with step 1's thresholds and scored once
   (:func:`score_lockbox`), with 95% bootstrap intervals over articles, beside the
   cross-validation's pooled scores with intervals computed the same way: ``DIR/lockbox.json``.

What the lockbox does not guard against: the training settings (epochs, learning rate, token
weights, window size) were chosen at earlier stops by cross-validations over all 371 articles,
these 70 included. The thresholds, the word prior and this model never saw them.
"""

from __future__ import annotations

import json
import pickle
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspin.encoder import Encoded
from unspin.evaluate.metrics import micro_f1, percentile_interval, span_prf, tc_micro_f1
from unspin.evaluate.techniques import (
    paragraph_sets,
    predicted_spans,
    ptc_span_probs,
    unit_probs,
)
from unspin.heads import Heads
from unspin.taxonomy import PTC_TECHNIQUES
from unspin.techniques import DecodeConfig
from unspin.train.corpus import load_corpus
from unspin.train.split import in_lockbox
from unspin.train.techniques import TrainConfig

N_BOOTSTRAP = 1000
SEED = 13
LOCKBOX_FILE = "lockbox.pkl"


@dataclass
class ArticleScore:
    """What one article adds to each score: SI spans, TC guesses, paragraph technique sets,
    technique-aware spans (prediction and gold side by side)."""

    si_pred: list = field(default_factory=list)
    si_gold: list = field(default_factory=list)
    tc_pred: list = field(default_factory=list)
    tc_gold: list = field(default_factory=list)
    para_pred: list = field(default_factory=list)
    para_gold: list = field(default_factory=list)
    span_pred: list = field(default_factory=list)
    span_gold: list = field(default_factory=list)


def per_article(ptc_items: list, sem_items: list, heads: Heads,
                config: DecodeConfig) -> list[ArticleScore]:
    """Each held-out article's predictions and gold under ``config`` (PTC and SemEval views
    of the same articles, in the same order)."""
    # both views share each article's text and encoding, so one decoding serves SI and spans
    spans = predicted_spans([(sem_items, heads)], config)
    probs = unit_probs([(sem_items, heads)])
    out = []
    for ptc, sem, p in zip(ptc_items, sem_items, probs, strict=True):
        tc = ptc_span_probs(ptc, heads, config.repetition_base) if ptc.spans else []
        # each gold span's label looked up by its offsets, as the cross-validation's pooled
        # TC does (technique_recipe._pool): a span with two labels counts the last twice
        gold_tc = {(s, e): lab for s, e, lab in ptc.spans}
        para_pred, para_gold, _ = paragraph_sets([sem], [p], config.unit_thresholds)
        out.append(ArticleScore(
            si_pred=[(s, e) for s, e, _ in spans.get(sem.id, [])],
            si_gold=[(s, e) for s, e, _ in ptc.spans],
            tc_pred=[PTC_TECHNIQUES[int(np.argmax(row))] for row in tc],
            tc_gold=[gold_tc[(s, e)] for s, e, _ in ptc.spans],
            para_pred=para_pred, para_gold=para_gold,
            span_pred=spans.get(sem.id, []), span_gold=list(sem.spans)))
    return out


def scores(articles: Sequence[ArticleScore]) -> dict[str, float]:
    """SI F1, TC micro-F1, paragraph micro-F1 and technique-aware span F1 of ``articles``
    (pooled; an article drawn twice in a bootstrap sample counts twice)."""
    keyed = list(enumerate(articles))
    tc_pred = [g for _, a in keyed for g in a.tc_pred]
    tc_gold = [g for _, a in keyed for g in a.tc_gold]
    return {
        "si_f1": span_prf({k: a.si_pred for k, a in keyed}, {k: a.si_gold for k, a in keyed},
                          labelled=False)["f1"],
        "tc_micro_f1": tc_micro_f1(tc_pred, tc_gold) if tc_gold else 0.0,
        "paragraph_micro_f1": micro_f1([s for _, a in keyed for s in a.para_pred],
                                       [s for _, a in keyed for s in a.para_gold])["f1"],
        "span_f1": span_prf({k: a.span_pred for k, a in keyed},
                            {k: a.span_gold for k, a in keyed}, labelled=True)["f1"],
    }


def with_intervals(articles: Sequence[ArticleScore], n: int = N_BOOTSTRAP,
                   seed: int = SEED) -> dict[str, dict]:
    """:func:`scores` of ``articles``, each with its 95% percentile interval over ``n``
    resamples of the articles (with replacement)."""
    rng = random.Random(seed)
    draws = [scores([articles[rng.randrange(len(articles))] for _ in articles])
             for _ in range(n)]
    return {key: {"value": round(value, 4),
                  "ci95": percentile_interval([d[key] for d in draws])}
            for key, value in scores(articles).items()}


def train_lockbox_model(data_dir: Path, out_dir: Path, config: TrainConfig,
                        limit: int = 0) -> Path:
    """Train one model on the articles outside the lockbox, encode the lockbox articles with
    it, and save their views and the heads (with the word prior of the other articles' gold)
    to ``out_dir/lockbox.pkl``. Kept if it is already there (the training is the slow part)."""
    from unspin.train.technique_recipe import _half, held_out_views, learn_word_prior
    from unspin.train.techniques import TechniqueNet, encode_torch, train

    path = out_dir / LOCKBOX_FILE
    if path.exists():
        return path
    corpus = load_corpus(data_dir, Path("runs/entities.json"))
    corpus = corpus[:limit] if limit else corpus
    rest = [a for a in corpus if not in_lockbox(a.id)]
    locked = [a for a in corpus if in_lockbox(a.id)]
    net, tokenizer = train(rest, config)
    heads = Heads(TechniqueNet.heads_numpy(net)).with_word_prior(learn_word_prior(rest))

    def encode(art) -> Encoded:
        return _half(encode_torch(net, tokenizer, art.text, art.units))

    ptc_items, sem_items = held_out_views(locked, encode)
    out_dir.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump({"ptc": ptc_items, "sem": sem_items, "heads": heads,
                     "trained_on": len(rest), "config": config.__dict__}, fh)
    return path


def score_lockbox(out_dir: Path, command: str) -> dict:
    """Score ``out_dir/lockbox.pkl`` with the thresholds of ``out_dir/cv.json`` (a
    ``--cv K --lockbox`` run), beside that cross-validation's pooled held-out articles
    decoded the same way as its nested scores; writes ``out_dir/lockbox.json``."""
    from unspin.train.technique_recipe import _nested_configs, load_folds, with_word_priors

    cv = json.loads((out_dir / "cv.json").read_text())
    if cv.get("lockbox") != "left out":
        raise ValueError(f"{out_dir}/cv.json is not a cross-validation without the lockbox "
                         "(run --cv K --lockbox first)")
    with (out_dir / LOCKBOX_FILE).open("rb") as fh:
        saved = pickle.load(fh)
    locked = per_article(saved["ptc"], saved["sem"], saved["heads"],
                         DecodeConfig(**cv["thresholds"]))
    held = load_folds(out_dir)
    pooled: list[ArticleScore] = []
    for (ptc_items, sem_items, heads), cfg in zip(with_word_priors(held), _nested_configs(held),
                                                  strict=True):
        pooled += per_article(ptc_items, sem_items, heads, cfg)
    result = {
        "protocol": __doc__.split("\n\n")[1].replace("\n", " "),
        "lockbox": {"articles": len(locked), "trained_on": saved["trained_on"],
                    **with_intervals(locked)},
        "cv_pooled": {"articles": len(pooled), "folds": cv["folds"], **with_intervals(pooled)},
        "thresholds": cv["thresholds"], "command": command,
        "cv_command": cv.get("command", ""),
    }
    (out_dir / "lockbox.json").write_text(json.dumps(result, indent=2))
    return result
