"""Scoring the technique model on PTC and SemEval-2023 splits with the official metrics.

Articles are encoded once (by the shipped ONNX encoder, or by a torch model during
cross-validation) and kept as :class:`Encoded`; decoding with other thresholds is cheap, which
is how thresholds are tuned. Units are the non-empty lines of each article, as the gold
``paragraphs.labels`` count them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import product
from pathlib import Path

import numpy as np

from unspin.encoder import Encoded, Unit
from unspin.evaluate.metrics import macro_f1, micro_f1, span_prf, tc_micro_f1
from unspin.heads import Heads
from unspin.taxonomy import PTC_TECHNIQUES, TECHNIQUE_NAMES
from unspin.techniques import (
    DecodeConfig,
    classify_spans,
    decode_spans,
    unit_probabilities,
    weigh_repetition,
)

SEMEVAL_LABELS = list(TECHNIQUE_NAMES)
EncodeFn = Callable[[str, Sequence[Unit]], Encoded]


def line_units(text: str) -> list[tuple[int, Unit]]:
    """(line number from 1, unit) for every non-empty line of ``text``."""
    out = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            out.append((number, Unit(start, start + len(stripped))))
        pos += len(line) + 1
    return out


@dataclass
class EncodedArticle:
    """One gold article with its encoder output."""

    id: str
    text: str
    lines: list[int]                              # line number of each unit
    encoded: Encoded
    spans: list[tuple[int, int, str]]             # gold spans (start, end, technique)
    paragraphs: dict[int, list[str]]              # gold techniques per labelled line


def encode_articles(articles, encode: EncodeFn) -> list[EncodedArticle]:
    """Encode gold articles (from :mod:`unspin.evaluate.datasets`) with ``encode``."""
    out = []
    for art in articles:
        numbered = line_units(art.text)
        encoded = encode(art.text, [u for _, u in numbered])
        paragraphs = {p.line: list(p.techniques) for p in getattr(art, "paragraphs", [])}
        out.append(EncodedArticle(
            art.id, art.text, [n for n, _ in numbered], encoded,
            [(s.start, s.end, s.technique) for s in art.spans], paragraphs))
    return out


Group = tuple[Sequence[EncodedArticle], Heads]
"""Encoded articles and the heads that score them (one group per model; cross-validation
scores each fold's held-out articles with that fold's heads)."""


def predicted_spans(groups: Sequence[Group],
                    config: DecodeConfig) -> dict[str, list[tuple[int, int, str]]]:
    return {
        it.id: [(p.start, p.end, p.technique)
                for p in decode_spans(it.text, it.encoded, heads, SEMEVAL_LABELS, config)]
        for items, heads in groups for it in items
    }


def _items(groups: Sequence[Group]) -> list[EncodedArticle]:
    return [it for items, _ in groups for it in items]


def score_ptc(groups: Sequence[Group], config: DecodeConfig,
              predictions: dict | None = None) -> dict[str, float]:
    """``si_f1``, ``si_precision``, ``si_recall`` and ``tc_micro_f1`` (14 PTC labels).

    If ``predictions`` is a dict, it receives ``si`` and ``tc`` predictions for writing."""
    spans = predicted_spans(groups, config)
    pred_si = {k: [(s, e) for s, e, _ in v] for k, v in spans.items()}
    gold_si = {it.id: [(s, e) for s, e, _ in it.spans] for it in _items(groups)}
    si = span_prf(pred_si, gold_si, labelled=False)
    gold_tc, pred_tc, rows = [], [], []
    for it, heads in ((it, heads) for items, heads in groups for it in items):
        if not it.spans:
            continue
        probs = ptc_span_probs(it, heads, config.repetition_base)
        for (s, e, label), p in zip(it.spans, probs, strict=True):
            guess = PTC_TECHNIQUES[int(np.argmax(p))]
            gold_tc.append(label)
            pred_tc.append(guess)
            rows.append((it.id, guess, s, e))
    if predictions is not None:
        predictions["si"] = pred_si
        predictions["tc"] = rows
    return {
        "si_f1": si["f1"], "si_precision": si["precision"], "si_recall": si["recall"],
        "tc_micro_f1": tc_micro_f1(pred_tc, gold_tc) if gold_tc else 0.0,
        "articles": float(len(gold_si)),
    }


def ptc_span_probs(item: EncodedArticle, heads: Heads, repetition_base: float) -> np.ndarray:
    """PTC technique probabilities of each gold span of ``item`` (the TC task) [n, 14]."""
    spans = [(s, e) for s, e, _ in item.spans]
    return weigh_repetition(item.text, spans, classify_spans(item.encoded, spans, heads, "ptc"),
                            PTC_TECHNIQUES, repetition_base)


REPETITION_GRID = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
"""The values of :attr:`DecodeConfig.repetition_base` tried."""


def tune_repetition(groups: Sequence[Group], base: DecodeConfig) -> DecodeConfig:
    """``base`` with the :data:`REPETITION_GRID` value that maximises PTC technique
    classification (TC micro-F1) on the groups' articles."""
    rows = [(it, classify_spans(it.encoded, [(s, e) for s, e, _ in it.spans], heads, "ptc"))
            for its, heads in groups for it in its if it.spans]
    gold = [lab for it, _ in rows for _s, _e, lab in it.spans]
    best, best_f1 = base, -1.0
    for value in REPETITION_GRID:
        guess = [PTC_TECHNIQUES[int(k)] for it, probs in rows
                 for k in np.argmax(weigh_repetition(it.text, [(s, e) for s, e, _ in it.spans],
                                                     probs, PTC_TECHNIQUES, value), axis=1)]
        f1 = tc_micro_f1(guess, gold) if gold else 0.0
        if f1 > best_f1:
            best, best_f1 = replace(base, repetition_base=value), f1
    return best


def unit_probs(groups: Sequence[Group]) -> list[np.ndarray]:
    """Technique probabilities per unit, for every article of ``_items(groups)``, in order."""
    return [unit_probabilities(it.encoded, heads, len(it.lines), len(SEMEVAL_LABELS))
            for items, heads in groups for it in items]


def paragraph_sets(items: Sequence[EncodedArticle], probs: Sequence[np.ndarray],
                   thresholds: Sequence[float]) -> tuple[list[set], list[set], list[tuple]]:
    """Predicted and gold technique sets for every gold-labelled paragraph, and prediction
    rows (id, line, techniques)."""
    th = np.asarray(thresholds)
    pred, gold, rows = [], [], []
    for it, p in zip(items, probs, strict=True):
        line_to_unit = {line: u for u, line in enumerate(it.lines)}
        for line, techniques in sorted(it.paragraphs.items()):
            u = line_to_unit.get(line)
            chosen = set() if u is None else {
                SEMEVAL_LABELS[k] for k in np.flatnonzero(p[u] >= th)}
            pred.append(chosen)
            gold.append(set(techniques))
            rows.append((it.id, line, sorted(chosen)))
    return pred, gold, rows


def score_semeval(groups: Sequence[Group], config: DecodeConfig,
                  predictions: dict | None = None) -> dict[str, float]:
    """``paragraph_micro_f1``, ``paragraph_macro_f1`` and ``span_f1`` (technique-aware)."""
    items = _items(groups)
    probs = unit_probs(groups)
    pred, gold, rows = paragraph_sets(items, probs, config.unit_thresholds)
    micro = micro_f1(pred, gold)
    macro = macro_f1(pred, gold, SEMEVAL_LABELS)
    spans = predicted_spans(groups, config)
    gold_spans = {it.id: list(it.spans) for it in items}
    span = span_prf(spans, gold_spans, labelled=True)
    if predictions is not None:
        predictions["paragraphs"] = rows
        predictions["spans"] = [(aid, t, s, e) for aid, v in spans.items() for s, e, t in v]
    return {
        "paragraph_micro_f1": micro["f1"], "paragraph_macro_f1": macro["f1"],
        "span_f1": span["f1"], "span_precision": span["precision"],
        "span_recall": span["recall"], "articles": float(len(items)),
    }


SI_GRID = {"word_weight": (0.0, 0.25, 0.5),
           "si_threshold": (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55),
           "drop": (0.05, 0.1, 0.15), "si_gap": (2, 8)}
"""The span-identification settings tried: the word prior's weight, the start threshold, how
far below it a run may grow (``si_low = si_threshold - drop``) and the widest bridged gap.
A finer grid (9 thresholds, 5 drops, 4 gaps) scored lower under nested cross-validation: it
fits the tuning folds, not the held-out one (docs/benchmarks.md)."""


def tune_si(groups: Sequence[Group], base: DecodeConfig) -> DecodeConfig:
    """``base`` with the span-identification settings (:data:`SI_GRID`) that maximise
    span-identification F1 on the groups' articles."""
    from unspin.techniques import inside_probs, run_spans

    gold = {it.id: [(s, e) for s, e, _ in it.spans] for it in _items(groups)}
    best, best_f1 = base, -1.0
    for weight in SI_GRID["word_weight"]:
        items = [(it, inside_probs(it.text, it.encoded, heads, weight))
                 for its, heads in groups for it in its]
        for hi, drop, gap in product(SI_GRID["si_threshold"], SI_GRID["drop"], SI_GRID["si_gap"]):
            cfg = replace(base, si_threshold=hi, si_low=round(max(hi - drop, 0.05), 2),
                          si_gap=gap, word_weight=weight)
            pred = {it.id: [(s, e) for s, e, *_ in run_spans(it.text, it.encoded, p, cfg)]
                    for it, p in items}
            f1 = span_prf(pred, gold, labelled=False)["f1"]
            if f1 > best_f1:
                best, best_f1 = cfg, f1
    return best


def tune_unit_thresholds(probs: Sequence[np.ndarray], items: Sequence[EncodedArticle],
                         grid: Sequence[float] = tuple(np.arange(0.1, 0.75, 0.05))
                         ) -> list[float]:
    """Per-technique paragraph thresholds maximising micro-F1, one technique at a time
    (coordinate ascent from 0.5)."""
    th = [0.5] * len(SEMEVAL_LABELS)
    for k in range(len(SEMEVAL_LABELS)):
        scores = []
        for t in grid:
            trial = list(th)
            trial[k] = float(t)
            pred, gold, _ = paragraph_sets(items, probs, trial)
            scores.append((micro_f1(pred, gold)["f1"], -abs(t - 0.5), float(t)))
        th[k] = max(scores)[2]
    return [round(t, 2) for t in th]


def load_split(kind: str, split_dir: Path):
    """Gold articles of a split: ``kind`` is 'ptc' or 'semeval2023'."""
    from unspin.evaluate.datasets import read_ptc, read_semeval_paragraphs

    return read_ptc(split_dir) if kind == "ptc" else read_semeval_paragraphs(split_dir)
