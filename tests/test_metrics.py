import pytest

from unspin.evaluate.metrics import (
    binary_prf,
    fnc_score,
    genre_macro_f1,
    macro_f1,
    merge_spans,
    micro_f1,
    span_prf,
    tc_micro_f1,
)


def approx(d):
    return {k: pytest.approx(v) for k, v in d.items()}


def prf(p, r, f):
    return approx({"precision": p, "recall": r, "f1": f})


# --- merge_spans -------------------------------------------------------------------------


def test_merge_spans():
    assert merge_spans([]) == []
    assert merge_spans([(5, 8), (0, 6), (0, 6)]) == [(0, 8)]
    assert merge_spans([(0, 10), (2, 3)]) == [(0, 10)]
    # Touching spans share no character: kept apart, as the official scorer does.
    assert merge_spans([(5, 8), (0, 5)]) == [(0, 5), (5, 8)]
    assert merge_spans([(20, 30), (0, 4), (3, 9)]) == [(0, 9), (20, 30)]


# --- span_prf (unlabelled, SI) -----------------------------------------------------------


def test_perfect_prediction_scores_one():
    gold = {"a": [(0, 10), (20, 25)], "b": [(3, 4)]}
    assert span_prf(gold, gold, labelled=False) == prf(1, 1, 1)


def test_disjoint_prediction_scores_zero():
    assert span_prf({"a": [(0, 5)]}, {"a": [(10, 20)]}, labelled=False) == prf(0, 0, 0)
    # The same offsets in another article do not overlap either.
    assert span_prf({"b": [(0, 5)]}, {"a": [(0, 5)]}, labelled=False) == prf(0, 0, 0)


def test_partial_overlap_by_hand():
    # s = [5, 20) (15 chars), t = [0, 10) (10 chars), |s ∩ t| = 5.
    # P = 5/15 = 1/3, R = 5/10 = 1/2, F1 = 2 * 1/3 * 1/2 / (1/3 + 1/2) = (1/3) / (5/6) = 0.4
    assert span_prf({"a": [(5, 20)]}, {"a": [(0, 10)]}, labelled=False) == prf(1 / 3, 0.5, 0.4)


def test_two_articles_by_hand():
    # Article a: gold [0,10); predictions [0,5) (inside it) and [20,30) (outside).
    # Article b: gold [0,4); no prediction.
    # S = 2 spans: C([0,5),[0,10),5) = 5/5 = 1, C([20,30), ., 10) = 0   -> P = 1/2
    # T = 2 spans: C([0,5),[0,10),10) = 5/10 = 0.5, [0,4) found by nothing -> R = 0.5/2 = 1/4
    # F1 = 2 * 1/2 * 1/4 / (3/4) = 1/3
    pred = {"a": [(0, 5), (20, 30)]}
    gold = {"a": [(0, 10)], "b": [(0, 4)]}
    assert span_prf(pred, gold, labelled=False) == prf(0.5, 0.25, 1 / 3)


def test_one_prediction_covering_two_gold_spans():
    # s = [0,10); t1 = [0,4), t2 = [6,10).
    # P = (4 + 4)/10 = 0.8; R = (4/4 + 4/4)/2 = 1; F1 = 1.6/1.8 = 8/9
    assert span_prf({"a": [(0, 10)]}, {"a": [(0, 4), (6, 10)]}, labelled=False) == prf(
        0.8, 1.0, 8 / 9)


def test_overlapping_gold_spans_are_merged():
    # Gold [0,10) and [5,15) merge into [0,15): one gold span, found exactly.
    gold = {"a": [(0, 10), (5, 15)]}
    assert span_prf({"a": [(0, 15)]}, gold, labelled=False) == prf(1, 1, 1)
    # Unmerged, the overlap is counted twice: P = (10/15 + 10/15)/1 = 4/3 > 1.
    raw = span_prf({"a": [(0, 15)]}, gold, labelled=False, merge=False)
    assert raw["precision"] == pytest.approx(4 / 3)
    assert raw["recall"] == pytest.approx(1.0)


def test_duplicate_predictions_are_merged():
    # Two identical predictions are one predicted span after merging.
    pred = {"a": [(0, 5), (0, 5)]}
    assert span_prf(pred, {"a": [(0, 10)]}, labelled=False) == prf(1.0, 0.5, 2 / 3)


def test_empty_sides_follow_the_official_conventions():
    gold = {"a": [(0, 5)]}
    assert span_prf({}, gold, labelled=False) == prf(0, 0, 0)  # no predictions: P = 0
    assert span_prf({"a": []}, gold, labelled=False) == prf(0, 0, 0)
    assert span_prf(gold, {}, labelled=False) == prf(0, 0, 0)  # nothing to find: R = 0
    assert span_prf({}, {}, labelled=False) == prf(0, 0, 1)  # nothing and nothing: F1 = 1
    assert span_prf({"a": []}, {"a": []}, labelled=False) == prf(0, 0, 1)


def test_empty_span_counts_but_overlaps_nothing():
    # S = {[3,3)}: 1 predicted span, overlap 0 -> P = 0; R = 0.
    assert span_prf({"a": [(3, 3)]}, {"a": [(0, 5)]}, labelled=False) == prf(0, 0, 0)


# --- span_prf (labelled) -----------------------------------------------------------------


def test_labelled_overlap_counts_only_same_technique():
    gold = {"a": [(0, 10, "X")]}
    # Predictions [0,10) X and [0,10) Y: the Y span earns nothing.
    # P = (1 + 0)/2 = 0.5, R = 1/1 = 1, F1 = 2/3.
    pred = {"a": [(0, 10, "Y"), (0, 10, "X")]}
    assert span_prf(pred, gold, labelled=True) == prf(0.5, 1.0, 2 / 3)
    # Unlabelled, the same predictions are one span covering the gold span exactly.
    bare = {k: [(s, e) for s, e, _ in v] for k, v in pred.items()}
    assert span_prf(bare, {"a": [(0, 10)]}, labelled=False) == prf(1, 1, 1)


def test_labelled_partial_by_hand():
    # Gold: [0,10) X, [5,15) Y (overlapping, different techniques: not merged).
    # Pred: [0,6) X, [10,20) Y.
    # P: [0,6) X vs [0,10) X: 6/6 = 1; [10,20) Y vs [5,15) Y: 5/10 = 0.5  -> P = 1.5/2 = 0.75
    # R: [0,10) X: 6/10 = 0.6; [5,15) Y: 5/10 = 0.5                      -> R = 1.1/2 = 0.55
    # F1 = 2 * 0.75 * 0.55 / 1.3 = 0.825 / 1.3
    gold = {"a": [(0, 10, "X"), (5, 15, "Y")]}
    pred = {"a": [(0, 6, "X"), (10, 20, "Y")]}
    assert span_prf(pred, gold, labelled=True) == prf(0.75, 0.55, 0.825 / 1.3)


def test_labelled_merges_only_within_a_technique():
    # Gold [0,10) X and [5,15) X merge into [0,15) X; prediction [0,15) X is exact.
    assert span_prf({"a": [(0, 15, "X")]}, {"a": [(0, 10, "X"), (5, 15, "X")]},
                    labelled=True) == prf(1, 1, 1)


def test_span_input_errors():
    with pytest.raises(ValueError, match="labelled=True"):
        span_prf({"a": [(0, 5, "X")]}, {"a": [(0, 5)]}, labelled=False)
    with pytest.raises(ValueError, match="triples"):
        span_prf({"a": [(0, 5)]}, {"a": [(0, 5, "X")]}, labelled=True)
    with pytest.raises(ValueError, match="invalid"):
        span_prf({"a": [(6, 5)]}, {"a": [(0, 5)]}, labelled=False)


# --- technique classification ------------------------------------------------------------


def test_tc_micro_f1_is_accuracy_over_gold_spans():
    assert tc_micro_f1(["A", "B", "C"], ["A", "B", "B"]) == pytest.approx(2 / 3)
    assert tc_micro_f1(["A"], ["A"]) == 1.0
    assert tc_micro_f1([], []) == 0.0
    with pytest.raises(ValueError):
        tc_micro_f1(["A"], ["A", "B"])


def test_tc_micro_f1_with_span_tuples():
    gold = [("a", 0, 5, "X"), ("a", 0, 5, "Y"), ("a", 7, 9, "X")]
    # Span [0,5) has gold {X, Y}: predictions X, X match once; [7,9) is wrong.
    # hits = 1: P = 1/3, R = 1/3, F1 = 1/3.
    pred = [("a", 0, 5, "X"), ("a", 0, 5, "X"), ("a", 7, 9, "Z")]
    assert tc_micro_f1(pred, gold) == pytest.approx(1 / 3)
    # Order within a span does not matter.
    pred = [("a", 0, 5, "Y"), ("a", 0, 5, "X"), ("a", 7, 9, "X")]
    assert tc_micro_f1(pred, gold) == pytest.approx(1.0)
    # Missing predictions lower recall only: hits 2, P = 2/2, R = 2/3, F1 = 0.8.
    assert tc_micro_f1(pred[1:], gold) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="mix"):
        tc_micro_f1(["X"], gold)


# --- multi-label -------------------------------------------------------------------------

GOLD = [{"A", "B"}, {"A"}, set()]
PRED = [{"A"}, {"A", "C"}, {"B"}]
# Per label:  A: tp 2, fp 0, fn 0 -> P 1, R 1, F 1
#             B: tp 0, fp 1, fn 1 -> P 0, R 0, F 0
#             C: tp 0, fp 1, fn 0 -> P 0, R undefined, F = 0/(0+1+0) = 0
#             D: nothing          -> P, R, F undefined
# Micro: tp 2, fp 2, fn 1 -> P 2/4, R 2/3, F 4/7.


def test_micro_f1_by_hand():
    assert micro_f1(PRED, GOLD) == prf(0.5, 2 / 3, 4 / 7)
    assert micro_f1(PRED, GOLD, ["A", "B", "C", "D"]) == prf(0.5, 2 / 3, 4 / 7)
    assert micro_f1([set()], [{"A"}]) == prf(1.0, 0.0, 0.0)  # P undefined -> zero_division 1
    assert micro_f1([set()], [{"A"}], zero_division=0) == prf(0, 0, 0)


def test_macro_f1_by_hand():
    labels = ["A", "B", "C", "D"]
    # zero_division = 1 (the SemEval-2023 subtask 3 scorer): undefined ratios count 1.
    # P = (1 + 0 + 0 + 1)/4, R = (1 + 0 + 1 + 1)/4, F = (1 + 0 + 0 + 1)/4
    assert macro_f1(PRED, GOLD, labels) == prf(0.5, 0.75, 0.5)
    # zero_division = 0: P = R = F = (1 + 0 + 0 + 0)/4
    assert macro_f1(PRED, GOLD, labels, zero_division=0) == prf(0.25, 0.25, 0.25)
    # No label list: the labels seen (A, B, C). F = (1 + 0 + 0)/3
    assert macro_f1(PRED, GOLD, zero_division=0)["f1"] == pytest.approx(1 / 3)


def test_multilabel_accepts_mappings_and_checks_input():
    gold = {"p1": ["A", "B"], "p2": ["A"]}
    pred = {"p2": ["A"], "p1": ["A"]}
    # tp 2, fp 0, fn 1: P 1, R 2/3, F 4/5
    assert micro_f1(pred, gold) == prf(1.0, 2 / 3, 0.8)
    with pytest.raises(ValueError, match="different ids"):
        micro_f1({"p1": ["A"]}, gold)
    with pytest.raises(ValueError, match="not in labels"):
        macro_f1([{"Z"}], [{"A"}], ["A"])
    with pytest.raises(ValueError, match="predictions for"):
        micro_f1([{"A"}], [{"A"}, {"A"}])
    with pytest.raises(ValueError, match="string"):
        micro_f1(["A"], [{"A"}])


# --- single-label ------------------------------------------------------------------------


def test_genre_macro_f1_by_hand():
    gold = ["opinion", "opinion", "reporting", "satire"]
    pred = ["opinion", "reporting", "reporting", "opinion"]
    # opinion: tp 1, fp 1, fn 1 -> F 2/4 = 1/2; reporting: tp 1, fp 1, fn 0 -> F 2/3;
    # satire: tp 0, fp 0, fn 1 -> F 0.   Macro F = (1/2 + 2/3 + 0)/3 = 7/18
    assert genre_macro_f1(pred, gold)["f1"] == pytest.approx(7 / 18)
    assert genre_macro_f1(gold, gold)["f1"] == pytest.approx(1.0)
    assert genre_macro_f1({"x": "satire"}, {"x": "satire"})["f1"] == pytest.approx(1.0)


def test_binary_prf_positive_class():
    gold = ["Yes", "Yes", "No", "No", "Yes"]
    pred = [True, False, True, False, True]
    # tp 2, fp 1, fn 1 -> P 2/3, R 2/3, F 2/3
    assert binary_prf(pred, gold) == prf(2 / 3, 2 / 3, 2 / 3)
    assert binary_prf([False] * 5, gold) == prf(0, 0, 0)
    assert binary_prf({"s1": 1, "s2": 0}, {"s2": "No", "s1": "yes"}) == prf(1, 1, 1)
    with pytest.raises(ValueError):
        binary_prf(["maybe"], ["Yes"])


def test_fnc_score_by_hand():
    gold = ["agree", "unrelated", "discuss", "disagree"]
    pred = ["agree", "unrelated", "agree", "unrelated"]
    # agree/agree: 0.25 + 0.75 = 1 of 1; unrelated/unrelated: 0.25 of 0.25;
    # discuss/agree: related right, stance wrong: 0.25 of 1; disagree/unrelated: 0 of 1.
    # 1.5 / 3.25 = 6/13
    assert fnc_score(pred, gold) == pytest.approx(6 / 13)
    assert fnc_score(gold, gold) == pytest.approx(1.0)
    assert fnc_score(["Unrelated"], ["unrelated"]) == pytest.approx(1.0)
    assert fnc_score(["discuss"], ["unrelated"]) == 0.0
    with pytest.raises(ValueError, match="stances"):
        fnc_score(["supports"], ["agree"])
