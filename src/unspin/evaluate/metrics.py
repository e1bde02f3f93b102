"""The official metrics of the benchmarks unspin is measured on, from their published
definitions. Pure Python and numpy.

Span metrics (SemEval-2020 Task 11, Da San Martino et al. 2020)
    :func:`span_prf`: precision and recall from the normalised character overlap of predicted
    and gold spans. The labelled variant (overlap counts only between spans of the same
    technique) scores SemEval-2023 technique spans.
Technique classification (SemEval-2020 Task 11 TC)
    :func:`tc_micro_f1`: micro-F1 of the technique given for each gold span.
Multi-label classification (SemEval-2023 Task 3 subtasks 2 and 3)
    :func:`micro_f1`, :func:`macro_f1`: paragraph techniques, frames.
Single-label classification
    :func:`genre_macro_f1` (SemEval-2023 subtask 1), :func:`binary_prf` (CheckThat! 2024
    check-worthiness: F1 of the Yes class), :func:`fnc_score` (FNC-1 weighted score).

Every function returns plain floats (``precision``, ``recall``, ``f1`` in a dict, except the
single-number scores) and raises ValueError, saying what is wrong, on malformed input.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

__all__ = [
    "binary_prf",
    "fnc_score",
    "genre_macro_f1",
    "macro_f1",
    "merge_spans",
    "micro_f1",
    "span_prf",
    "tc_micro_f1",
]


def percentile_interval(draws: Sequence[float]) -> list[float]:
    """The 95% percentile interval of bootstrap ``draws``: their 2.5th and 97.5th percentiles
    (nearest rank), rounded to 4 places."""
    ordered = sorted(draws)
    last = len(ordered) - 1
    return [round(ordered[int(0.025 * last)], 4), round(ordered[int(round(0.975 * last))], 4)]


def _prf(precision: float, recall: float, f1: float) -> dict[str, float]:
    return {"precision": float(precision), "recall": float(recall), "f1": float(f1)}


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0


# --- spans -----------------------------------------------------------------------------------


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of spans as sorted, disjoint ``(start, end)`` spans.

    Spans that share at least one character are merged; spans that merely touch
    (``a.end == b.start``) stay apart, as in the SemEval-2020 scorer, which merges spans whose
    character sets intersect. Duplicates collapse into one."""
    out: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _check_spans(article: Hashable, spans: Iterable, labelled: bool, side: str) -> list[tuple]:
    out = []
    for span in spans:
        if labelled:
            if len(span) != 3:
                raise ValueError(f"{side} spans of article {article!r}: labelled spans are "
                                 f"(start, end, label) triples, got {span!r}")
            start, end, label = span
        else:
            if len(span) != 2:
                raise ValueError(f"{side} spans of article {article!r}: unlabelled spans are "
                                 f"(start, end) pairs, got {span!r}; pass labelled=True for "
                                 "(start, end, label)")
            (start, end), label = span, None
        start, end = int(start), int(end)
        if not 0 <= start <= end:
            raise ValueError(f"{side} span [{start}, {end}) of article {article!r} is invalid")
        out.append((start, end, label))
    return out


def _merge_per_label(spans: list[tuple]) -> list[tuple]:
    by_label: dict[object, list[tuple[int, int]]] = defaultdict(list)
    for start, end, label in spans:
        by_label[label].append((start, end))
    return [(s, e, label) for label, group in by_label.items() for s, e in merge_spans(group)]


def _overlap_sums(pred: list[tuple], gold: list[tuple]) -> tuple[float, float]:
    """Σ_s Σ_t |s∩t|/|s| and Σ_t Σ_s |s∩t|/|t| over pairs with the same label."""
    if not pred or not gold:
        return 0.0, 0.0
    ps = np.array([p[0] for p in pred], dtype=np.int64)[:, None]
    pe = np.array([p[1] for p in pred], dtype=np.int64)[:, None]
    gs = np.array([g[0] for g in gold], dtype=np.int64)[None, :]
    ge = np.array([g[1] for g in gold], dtype=np.int64)[None, :]
    inter = np.clip(np.minimum(pe, ge) - np.maximum(ps, gs), 0, None).astype(float)
    same = np.array([[p[2] == g[2] for g in gold] for p in pred], dtype=bool)
    inter *= same
    # An empty span overlaps nothing: its terms are 0 (the 0/0 is never evaluated).
    p_len, g_len = (pe - ps).astype(float), (ge - gs).astype(float)
    prec = np.divide(inter, p_len, out=np.zeros_like(inter), where=p_len > 0).sum()
    rec = np.divide(inter, g_len, out=np.zeros_like(inter), where=g_len > 0).sum()
    return float(prec), float(rec)


def span_prf(pred: Mapping[Hashable, Iterable], gold: Mapping[Hashable, Iterable], *,
             labelled: bool, merge: bool = True) -> dict[str, float]:
    """Span precision, recall and F1 by normalised character overlap (SemEval-2020 Task 11).

    ``pred`` and ``gold`` map an article id to its spans: ``(start, end)`` pairs, or
    ``(start, end, technique)`` triples with ``labelled=True``. With S the predicted and T the
    gold spans of all articles, and C(s, t, h) = |s ∩ t| / h (characters in common, divided by
    h; 0 across articles, and with ``labelled=True`` 0 unless s and t carry the same
    technique)::

        P = 1/|S| Σ_{s∈S} Σ_{t∈T} C(s, t, |s|)     R = 1/|T| Σ_{t∈T} Σ_{s∈S} C(s, t, |t|)

    and F1 is their harmonic mean. Conventions, as in the official scorer: P = 0 when there are
    no predicted spans, R = 0 when there are no gold spans, F1 = 1 when there are neither, and
    F1 = 0 when P or R is 0. An article present on one side only contributes its spans to that
    side's denominator. An empty span (start == end) counts in its denominator and overlaps
    nothing.

    With ``merge=True`` (the default) overlapping spans are merged (:func:`merge_spans`) on both
    sides first; with ``labelled=True`` only spans of the same technique are merged. The
    official SI scorer merges overlapping gold spans (the SI gold is the union of the technique
    spans) and refuses overlapping predicted spans unless asked to merge them; merging both
    sides keeps every overlap counted once, so P and R stay within [0, 1]. Pass ``merge=False``
    to score the spans exactly as given.
    """
    n_pred = n_gold = 0
    p_sum = r_sum = 0.0
    for article in set(pred) | set(gold):
        s = _check_spans(article, pred.get(article, ()), labelled, "predicted")
        t = _check_spans(article, gold.get(article, ()), labelled, "gold")
        if merge:
            s, t = _merge_per_label(s), _merge_per_label(t)
        n_pred += len(s)
        n_gold += len(t)
        dp, dr = _overlap_sums(s, t)
        p_sum += dp
        r_sum += dr
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 1.0 if n_pred == 0 and n_gold == 0 else _harmonic(precision, recall)
    return _prf(precision, recall, f1)


def tc_micro_f1(pred_labels: Sequence, gold_labels: Sequence) -> float:
    """Technique-classification micro-F1 (SemEval-2020 Task 11 TC).

    Either two aligned sequences of labels, one per gold span (the score is then the accuracy:
    the share of gold spans given their gold technique), or two collections of
    ``(article_id, start, end, technique)`` tuples. In the tuple form, predictions are matched
    to gold spans with the same article and offsets; a span carrying several gold techniques
    (PTC has some) matches each of them once, so a span with gold {A, B} and predictions [A, A]
    scores one hit. Precision is hits over predictions, recall hits over gold spans, and the
    result their harmonic mean (the accuracy again when every gold span gets exactly one
    prediction). Returns 0.0 when either side is empty.
    """
    pred_labels, gold_labels = list(pred_labels), list(gold_labels)
    if not pred_labels or not gold_labels:
        return 0.0
    tuples = [isinstance(x, tuple | list) for x in (pred_labels[0], gold_labels[0])]
    if tuples == [False, False]:
        if len(pred_labels) != len(gold_labels):
            raise ValueError(f"{len(pred_labels)} predicted labels for {len(gold_labels)} gold "
                             "spans; pass one label per gold span, or (article_id, start, end, "
                             "technique) tuples")
        return sum(p == g for p, g in zip(pred_labels, gold_labels, strict=True)) / len(
            gold_labels)
    if tuples != [True, True]:
        raise ValueError("pass labels on both sides or (article_id, start, end, technique) "
                         "tuples on both sides, not a mix")

    def by_span(rows: list, side: str) -> dict[tuple, Counter]:
        out: dict[tuple, Counter] = defaultdict(Counter)
        for row in rows:
            if len(row) != 4:
                raise ValueError(f"{side} row {row!r} is not (article_id, start, end, technique)")
            aid, start, end, technique = row
            out[(aid, int(start), int(end))][technique] += 1
        return out

    pred, gold = by_span(pred_labels, "predicted"), by_span(gold_labels, "gold")
    hits = sum(sum((pred[key] & gold[key]).values()) for key in pred.keys() & gold.keys())
    return _harmonic(hits / len(pred_labels), hits / len(gold_labels))


# --- multi-label -----------------------------------------------------------------------------


def _aligned(pred, gold, what: str) -> tuple[list, list]:
    """Two aligned lists from two sequences, or from two mappings keyed by example id."""
    if isinstance(gold, Mapping):
        if not isinstance(pred, Mapping):
            raise ValueError(f"gold {what} is a mapping, so predictions must be one too")
        missing = [k for k in gold if k not in pred]
        extra = [k for k in pred if k not in gold]
        if missing or extra:
            raise ValueError(f"predicted and gold {what} cover different ids: missing "
                             f"predictions for {missing[:5]}, predictions without gold for "
                             f"{extra[:5]}")
        keys = list(gold)
        return [pred[k] for k in keys], [gold[k] for k in keys]
    pred, gold = list(pred), list(gold)
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predictions for {len(gold)} gold {what}")
    return pred, gold


def _label_sets(values: list, side: str) -> list[set]:
    out = []
    for v in values:
        if isinstance(v, str):
            raise ValueError(f"{side} label sets must be collections of labels, got the string "
                             f"{v!r}; wrap a single label as {{{v!r}}}")
        out.append(set(v))
    return out


def _counts(pred_sets, gold_sets, labels) -> tuple[list, np.ndarray, np.ndarray, np.ndarray]:
    """Label list and per-label true-positive, false-positive and false-negative counts."""
    pred, gold = _aligned(pred_sets, gold_sets, "label sets")
    pred, gold = _label_sets(pred, "predicted"), _label_sets(gold, "gold")
    if labels is None:
        labels = sorted(set().union(*pred, *gold), key=str)
    else:
        labels = list(labels)
        known = set(labels)
        for side, sets in (("predicted", pred), ("gold", gold)):
            unknown = set().union(*sets) - known
            if unknown:
                raise ValueError(f"{side} labels {sorted(unknown, key=str)} are not in labels")
    index = {label: i for i, label in enumerate(labels)}
    tp, fp, fn = (np.zeros(len(labels)) for _ in range(3))
    for p, g in zip(pred, gold, strict=True):
        for label in p & g:
            tp[index[label]] += 1
        for label in p - g:
            fp[index[label]] += 1
        for label in g - p:
            fn[index[label]] += 1
    return labels, tp, fp, fn


def _ratio(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    return np.divide(num, den, out=np.full(num.shape, float(zero_division)), where=den > 0)


def micro_f1(pred_sets, gold_sets, labels: Sequence | None = None, *,
             zero_division: float = 1.0) -> dict[str, float]:
    """Micro-averaged precision, recall and F1 of multi-label predictions.

    ``pred_sets`` and ``gold_sets`` are aligned sequences of label collections (one per
    paragraph or article), or mappings from example id to label collection (aligned on the gold
    ids; both must have the same ids). True positives, false positives and false negatives are
    summed over all labels, then P = tp/(tp+fp), R = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn), as
    sklearn's ``f1_score(average="micro")``. A ratio with a zero denominator is
    ``zero_division``: 1 by default, as in the SemEval-2023 Task 3 subtask 3 scorer
    (``f1_score(..., zero_division=1)`` over a MultiLabelBinarizer of the full technique list).
    With ``labels`` given, any other label raises ValueError (the official scorer refuses them).
    """
    _, tp, fp, fn = _counts(pred_sets, gold_sets, labels)
    t, p, n = (np.array([x.sum()]) for x in (tp, fp, fn))
    precision = _ratio(t, t + p, zero_division)[0]
    recall = _ratio(t, t + n, zero_division)[0]
    f1 = _ratio(2 * t, 2 * t + p + n, zero_division)[0]
    return _prf(precision, recall, f1)


def macro_f1(pred_sets, gold_sets, labels: Sequence | None = None, *,
             zero_division: float = 1.0) -> dict[str, float]:
    """Macro-averaged precision, recall and F1 of multi-label predictions, with sklearn's
    ``average="macro"`` semantics: per label P = tp/(tp+fp), R = tp/(tp+fn),
    F1 = 2tp/(2tp+fp+fn), then the unweighted mean of each over ``labels`` (the mean F1, not
    the F1 of the mean P and R).

    ``labels`` fixes the label set. The SemEval-2023 Task 3 subtask 3 scorer averages over all
    23 techniques with ``zero_division=1`` (checked against the scorer in the organisers'
    bundle), so a technique that is neither in the gold nor predicted scores 1, and one that is
    in the gold but never predicted scores 0; that is the default here. Without ``labels``, the
    labels seen in gold or predictions are used (sklearn's behaviour). Inputs as for
    :func:`micro_f1`.
    """
    labels, tp, fp, fn = _counts(pred_sets, gold_sets, labels)
    if not labels:
        z = float(zero_division)
        return _prf(z, z, z)
    precision = _ratio(tp, tp + fp, zero_division).mean()
    recall = _ratio(tp, tp + fn, zero_division).mean()
    f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division).mean()
    return _prf(precision, recall, f1)


# --- single-label ----------------------------------------------------------------------------


def genre_macro_f1(pred, gold) -> dict[str, float]:
    """Macro-F1 of single-label predictions (SemEval-2023 Task 3 subtask 1, genre).

    ``pred`` and ``gold`` are aligned sequences of labels, or mappings from article id to label.
    As the official scorer (sklearn ``f1_score(average="macro", zero_division=0)`` with no label
    list), the average runs over the labels that occur in the gold or the predictions, and an
    undefined ratio is 0. Also returns the mean per-label precision and recall."""
    pred, gold = _aligned(pred, gold, "labels")
    if not gold:
        raise ValueError("no gold labels to score")
    return macro_f1([{p} for p in pred], [{g} for g in gold], None, zero_division=0.0)


_YES_NO = {"yes": True, "no": False}


def _as_bool(value, side: str) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _YES_NO:
        return _YES_NO[value.strip().lower()]
    if isinstance(value, int | np.integer) and value in (0, 1):
        return bool(value)
    raise ValueError(f"{side} label {value!r} is not a bool, 0/1 or Yes/No")


def binary_prf(pred, gold) -> dict[str, float]:
    """Precision, recall and F1 of the positive class (CheckThat! 2024 Task 1: the Yes class).

    ``pred`` and ``gold`` are aligned sequences, or mappings from sentence id, of bools, 0/1 or
    "Yes"/"No". An undefined ratio is 0 (sklearn's default), so no positive predictions give
    P = 0 and F1 = 0."""
    pred, gold = _aligned(pred, gold, "labels")
    p = np.array([_as_bool(v, "predicted") for v in pred], dtype=bool)
    g = np.array([_as_bool(v, "gold") for v in gold], dtype=bool)
    tp = float(np.sum(p & g))
    precision = tp / p.sum() if p.sum() else 0.0
    recall = tp / g.sum() if g.sum() else 0.0
    return _prf(precision, recall, _harmonic(precision, recall))


FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
_FNC_RELATED = frozenset(FNC_LABELS[:3])


def fnc_score(pred, gold) -> float:
    """The FNC-1 weighted score as a fraction of the best possible score.

    Per headline-body pair: 0.25 if the prediction gets related vs unrelated right (agree,
    disagree and discuss are all "related"), and 0.75 more if the pair is related and the exact
    stance is right. So a right "unrelated" earns 0.25 of 0.25, a right stance 1.0 of 1.0, a
    related pair given the wrong related stance 0.25, and any related/unrelated confusion 0.
    Returns Σ earned / Σ best, where best is 0.25 for an unrelated gold pair and 1.0 for a
    related one. Labels are compared case-insensitively; ``pred`` and ``gold`` are aligned
    sequences or mappings keyed by pair id."""
    pred, gold = _aligned(pred, gold, "stances")
    if not gold:
        raise ValueError("no gold stances to score")
    earned = best = 0.0
    for side, values in (("predicted", pred), ("gold", gold)):
        bad = {v for v in values if str(v).strip().lower() not in FNC_LABELS}
        if bad:
            raise ValueError(f"{side} stances {sorted(map(str, bad))} are not one of "
                             f"{', '.join(FNC_LABELS)}")
    for p, g in zip(pred, gold, strict=True):
        p, g = str(p).strip().lower(), str(g).strip().lower()
        related = g in _FNC_RELATED
        best += 1.0 if related else 0.25
        if (p in _FNC_RELATED) == related:
            earned += 0.25
            if related and p == g:
                earned += 0.75
    return earned / best
