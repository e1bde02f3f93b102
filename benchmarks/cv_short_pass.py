"""Give an existing cross-validation run the short-window pass, without a new CV from scratch.

    python benchmarks/cv_short_pass.py train 1 2 3 4 [--cv-dir runs/cv-w128] [--folds-dir runs/ms]
    python benchmarks/cv_short_pass.py build 1 2 3 4 5 [--cv-dir runs/cv-w128] [--folds-dir runs/ms]
        [--out runs/ms-cv]
    unspin train techniques --data ../shared/data --cv 5 --rescore --out runs/ms-cv

A cross-validation run saved before the short-window pass existed keeps each fold's held-out
encodings of the long windows only, and the encoder of its last fold (``fold_last.fp32.onnx``).
``train K`` trains fold K's model again, with the run's config (``setup.json``), on the same
articles in the same order as ``unspin train techniques --cv`` does (CPU training is
deterministic, so it is the same model), and keeps its fp32 ONNX encoder and heads under
``--folds-dir/foldK``. ``build K`` encodes fold K's held-out articles with that encoder (fold
5: the run's own ``fold_last.fp32.onnx`` and saved heads) in both passes, rounds the hidden
states to fp16 as the CV does, and writes ``foldK.pkl`` into ``--out``; the run's
``setup.json``, tokenizer and last-fold encoder are copied beside them, so that ``--rescore``
tunes and scores every fold (nested) and redoes the int8 check, as a new CV run would. It
also prints how far the rebuilt long-window hidden states are from the run's saved ones (fp16
rounding, about 0.002, when the fold model is the same). Needs the train extra for ``train``.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import shutil
import time
from pathlib import Path

import numpy as np

from unspin.encoder import SHORT_TOKENS, Encoder
from unspin.heads import Heads
from unspin.train.corpus import load_corpus
from unspin.train.technique_recipe import _half, folds_of, held_out_views, learn_word_prior

DATA = Path("../shared/data")
ENTITIES = Path("runs/entities.json")


def train_fold(k: int, cv_dir: Path, folds_dir: Path) -> None:
    """Train fold ``k`` of the run in ``cv_dir`` again; keep its encoder and heads."""
    from unspin.train.techniques import TechniqueNet, TrainConfig, export_onnx, train

    setup = json.loads((cv_dir / "setup.json").read_text())
    config = TrainConfig(**setup["config"])
    corpus = {a.id: a for a in load_corpus(DATA, ENTITIES)}
    held = set(folds_of(list(corpus), setup["folds"], config.seed)[k - 1])
    train_set = [corpus[i] for i in sorted(corpus) if i not in held]
    out = folds_dir / f"fold{k}"
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    net, tokenizer = train(train_set, config)
    export_onnx(net, out / "encoder.onnx", quantize=False)
    tokenizer.save(str(out / "tokenizer.json"))
    with (out / "heads.pkl").open("wb") as fh:
        pickle.dump(Heads(TechniqueNet.heads_numpy(net), learn_word_prior(train_set)), fh)
    logging.info("fold %d trained in %.0fs", k, time.time() - started)


def build_fold(k: int, cv_dir: Path, folds_dir: Path, out: Path) -> float:
    """Write ``out/foldK.pkl`` with both passes; returns the largest difference between the
    rebuilt long-window hidden states and the run's saved ones (first window, 5 articles)."""
    setup = json.loads((cv_dir / "setup.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    for name in ("setup.json", "tokenizer.json", "fold_last.fp32.onnx"):
        if not (out / name).exists():
            shutil.copy(cv_dir / name, out / name)
    with (cv_dir / f"fold{k}.pkl").open("rb") as fh:
        saved_ptc, _, saved_heads = pickle.load(fh)
    if k == setup["folds"]:
        encoder = Encoder(cv_dir / "fold_last.fp32.onnx", cv_dir / "tokenizer.json",
                          short_tokens=SHORT_TOKENS)
        heads = saved_heads
    else:
        fold = folds_dir / f"fold{k}"
        encoder = Encoder(fold / "encoder.onnx", fold / "tokenizer.json",
                          short_tokens=SHORT_TOKENS)
        with (fold / "heads.pkl").open("rb") as fh:
            heads = pickle.load(fh)
    corpus = {a.id: a for a in load_corpus(DATA, ENTITIES)}
    test = folds_of(list(corpus), setup["folds"], setup["config"]["seed"])[k - 1]
    ptc, sem = held_out_views([corpus[i] for i in test],
                              lambda art: _half(encoder.encode(art.text, art.units)))
    with (out / f"fold{k}.pkl").open("wb") as fh:
        pickle.dump((ptc, sem, heads.with_word_prior(None)), fh)
    return max(float(np.abs(a.encoded.hidden[0] - b.encoded.hidden[0]).max())
               for a, b in zip(saved_ptc[:5], ptc[:5], strict=True))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("step", choices=("train", "build"))
    p.add_argument("folds", type=int, nargs="+")
    p.add_argument("--cv-dir", type=Path, default=Path("runs/cv-w128"))
    p.add_argument("--folds-dir", type=Path, default=Path("runs/ms"))
    p.add_argument("--out", type=Path, default=Path("runs/ms-cv"))
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for k in args.folds:
        if args.step == "train":
            train_fold(k, args.cv_dir, args.folds_dir)
        else:
            diff = build_fold(k, args.cv_dir, args.folds_dir, args.out)
            print(f"fold {k}: largest |rebuilt - saved| long-window hidden state {diff:.4f}")


if __name__ == "__main__":
    main()
