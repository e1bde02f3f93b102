"""Train the technique model on four fifths of the training articles and score the fifth.

    python benchmarks/one_fold.py '{"lr": 6e-5}' [--fold 1] [--data ../shared/data]
        [--thresholds runs/techniques-cv/cv.json] [--onnx runs/one-fold]

Trains on the other folds of ``unspin train techniques --cv 5`` (seed 13) with the given
:class:`TrainConfig` fields (``'{}'``: the shipped setting), with the word prior counted on
the same training articles, and scores the fold's held-out articles. Thresholds: by default
tuned on those same predictions (an optimistic number, comparable only with another setting
scored the same way); with ``--thresholds``, those of a cross-validation run's ``cv.json``.
With ``--onnx DIR`` the fold's encoder is also exported to DIR in fp32 and int8 ONNX (with
its tokenizer and its heads, pickled with their word prior, so that decoding can be studied
later without training), and the held-out articles are scored with each, as the shipped model
runs. Prints one JSON object.
Needs the train extra; about 27 minutes for six epochs on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import time
from pathlib import Path

from unspin.encoder import Encoder
from unspin.heads import Heads
from unspin.techniques import DecodeConfig
from unspin.train.corpus import load_corpus
from unspin.train.technique_recipe import (
    _half,
    fold_scores,
    folds_of,
    held_out_views,
    learn_word_prior,
    tune,
)
from unspin.train.techniques import TechniqueNet, TrainConfig, encode_torch, export_onnx, train


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("config", help="TrainConfig fields as JSON, e.g. '{\"epochs\": 4}'")
    p.add_argument("--fold", type=int, default=1)
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    p.add_argument("--thresholds", type=Path, help="decode with this cv.json's thresholds")
    p.add_argument("--onnx", type=Path, help="also export to this folder and score fp32/int8")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = TrainConfig(**json.loads(args.config))
    corpus = {a.id: a for a in load_corpus(args.data, Path("runs/entities.json"))}
    held_out = folds_of(list(corpus), 5, config.seed)[args.fold - 1]
    train_set = [corpus[i] for i in sorted(corpus) if i not in set(held_out)]
    started = time.time()
    net, tokenizer = train(train_set, config)
    heads = Heads(TechniqueNet.heads_numpy(net), learn_word_prior(train_set))
    result = {"config": json.loads(args.config), "fold": args.fold,
              "seconds": round(time.time() - started)}
    encoders = {"torch": lambda art: _half(encode_torch(net, tokenizer, art.text, art.units))}
    if args.onnx:
        export_onnx(net, args.onnx / "encoder.onnx", quantize=True)
        tokenizer.save(str(args.onnx / "tokenizer.json"))
        with (args.onnx / "heads.pkl").open("wb") as fh:
            pickle.dump(heads, fh)
        for name, path in (("fp32_onnx", "encoder.fp32.onnx"), ("int8_onnx", "encoder.onnx")):
            onnx = Encoder(args.onnx / path, args.onnx / "tokenizer.json")
            encoders[name] = lambda art, onnx=onnx: onnx.encode(art.text, art.units)
    fixed = (DecodeConfig(**json.loads(args.thresholds.read_text())["thresholds"])
             if args.thresholds else None)
    for name, encode in encoders.items():
        ptc, sem = held_out_views([corpus[aid] for aid in held_out], encode)
        cfg = fixed or tune([(ptc, heads)], [(sem, heads)])
        result[name] = {"decode": [cfg.si_threshold, cfg.si_low, cfg.si_gap, cfg.word_weight],
                        **fold_scores(ptc, sem, heads, cfg)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
