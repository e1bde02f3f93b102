"""Try a training setting of the technique model on one fold before paying for a full CV.

    python benchmarks/one_fold.py '{"lr": 6e-5}' [--fold 1] [--data ../shared/data]

Trains on the other four fifths of the training articles (the folds of
``unspin train techniques --cv 5``, seed 13) with the given :class:`TrainConfig` fields, and
scores the fold's held-out articles with thresholds tuned on those same predictions: an
optimistic number, comparable only with the shipped setting scored the same way (the default
setting, ``'{}'``). Prints one JSON object. Needs the train extra; about 17 minutes for four
epochs on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

from unspin.evaluate.techniques import score_ptc, score_semeval
from unspin.heads import Heads
from unspin.train.corpus import load_corpus
from unspin.train.technique_recipe import _half, folds_of, tune, views
from unspin.train.techniques import TechniqueNet, TrainConfig, encode_torch, train


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("config", help="TrainConfig fields as JSON, e.g. '{\"epochs\": 4}'")
    p.add_argument("--fold", type=int, default=1)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = TrainConfig(**json.loads(args.config))
    corpus = {a.id: a for a in load_corpus(args.data, Path("runs/entities.json"))}
    held_out = folds_of(list(corpus), 5, config.seed)[args.fold - 1]
    started = time.time()
    net, tokenizer = train([corpus[i] for i in sorted(corpus) if i not in set(held_out)], config)
    heads = Heads(TechniqueNet.heads_numpy(net))
    ptc, sem = [], []
    for aid in held_out:
        art = corpus[aid]
        p_view, s_view = views(art, _half(encode_torch(net, tokenizer, art.text, art.units)))
        ptc.append(p_view)
        sem.append(s_view)
    cfg = tune([(ptc, heads)], [(sem, heads)])
    print(json.dumps({"config": json.loads(args.config), "fold": args.fold,
                      "seconds": round(time.time() - started),
                      "decode": [cfg.si_threshold, cfg.si_low, cfg.si_gap],
                      **score_ptc([(ptc, heads)], cfg), **score_semeval([(sem, heads)], cfg)},
                     indent=2))


if __name__ == "__main__":
    main()
