"""int8 against fp32 for the technique encoder, on the last fold of a finished CV run.

    python benchmarks/quantisation.py [--cv-dir runs/techniques-cv] [--data ../shared/data]

Quantises the last fold's fp32 encoder (``fold_last.fp32.onnx``) with per-tensor and with
per-channel weight scales and scores the fold's held-out articles with fp32 and both int8
encoders, thresholds tuned on the other folds. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from onnxruntime.quantization import QuantType, quantize_dynamic

from unspin.train.corpus import load_corpus
from unspin.train.technique_recipe import (
    compare_quantized,
    folds_of,
    last_fold_heads,
    load_folds,
)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cv-dir", type=Path, default=Path("runs/techniques-cv"))
    p.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = p.parse_args()
    held = load_folds(args.cv_dir)
    seed = json.loads((args.cv_dir / "cv.json").read_text())["config"]["seed"]
    corpus = {a.id: a for a in load_corpus(args.data, Path("runs/entities.json"))}
    test = [corpus[i] for i in folds_of(list(corpus), len(held), seed)[-1]]
    fp32 = args.cv_dir / "fold_last.fp32.onnx"
    variants = {"fp32": fp32}
    for name, per_channel in (("int8_per_tensor", False), ("int8_per_channel", True)):
        variants[name] = args.cv_dir / f"fold_last.{name}.onnx"
        quantize_dynamic(str(fp32), str(variants[name]), weight_type=QuantType.QInt8,
                         per_channel=per_channel)
    scores = compare_quantized(args.cv_dir, test, *last_fold_heads(held), variants)
    print(json.dumps(scores, indent=2))


if __name__ == "__main__":
    main()
