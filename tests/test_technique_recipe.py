"""Cross-validation bookkeeping of the technique recipe (no training here)."""

from __future__ import annotations

import json

import pytest

from unspin.train.technique_recipe import _check_resumable, folds_of


def test_folds_are_disjoint_cover_everything_and_depend_on_the_seed():
    ids = [f"a{i}" for i in range(23)]
    split = folds_of(ids, 5, 13)
    assert sorted(i for fold in split for i in fold) == sorted(ids)
    assert [len(f) for f in split] == [5, 5, 5, 4, 4]
    assert folds_of(list(reversed(ids)), 5, 13) == split
    assert folds_of(ids, 5, 14) != split


def test_saved_folds_resume_only_under_the_same_setup(tmp_path):
    setup = {"config": {"epochs": 4, "seed": 13}, "folds": 5, "limit": 0}
    _check_resumable(tmp_path, setup)
    assert json.loads((tmp_path / "setup.json").read_text()) == setup
    (tmp_path / "fold1.pkl").write_bytes(b"")
    _check_resumable(tmp_path, setup)  # same setup: resume
    with pytest.raises(ValueError, match="trained with"):
        _check_resumable(tmp_path, {**setup, "config": {"epochs": 2, "seed": 13}})


def test_folds_of_an_unknown_setup_are_not_resumed(tmp_path):
    (tmp_path / "fold1.pkl").write_bytes(b"")
    with pytest.raises(ValueError, match="unknown setup"):
        _check_resumable(tmp_path, {"folds": 5})


def test_train_command_defaults_are_the_training_config_defaults():
    from unspin.cli import _parser
    from unspin.train.techniques import TrainConfig

    args = _parser().parse_args(["train", "techniques", "--data", "d", "--si-weight", "1",
                                 "--lr", "5e-5", "--epochs", "2"])
    assert (args.si_weight, args.lr, args.epochs) == (1.0, 5e-5, 2)
    default = _parser().parse_args(["train", "techniques", "--data", "d"])
    config = TrainConfig()
    assert (default.si_weight, default.lr, default.epochs) == \
        (config.si_weight, config.lr, config.epochs) == (3.0, 1.2e-4, 6)


def test_rescore_takes_the_setup_of_a_run_stopped_before_its_cv_json(tmp_path):
    import pickle

    import numpy as np

    from unspin.encoder import Encoded, Window
    from unspin.evaluate.techniques import EncodedArticle
    from unspin.heads import Heads
    from unspin.train.technique_recipe import SEMEVAL_LABELS, rescore_cv

    n = len(SEMEVAL_LABELS)
    shapes = {"token": (2, 1 + n), "span": (8, n), "ptc": (8, 14), "unit": (4, n)}
    heads = Heads({f"{k}_{p}": np.zeros(shape if p == "w" else shape[1], np.float32)
                   for k, shape in shapes.items() for p in ("w", "b")})
    window = Window([101, 1, 2, 3, 102], [(0, 0), (0, 1), (2, 6), (7, 12), (0, 0)],
                    [-1, 0, 0, 0, -1])
    encoded = Encoded([window], [np.zeros((5, 2), np.float32)])
    for k in (1, 2):
        item = EncodedArticle(f"a{k}", "A vile plan.", [1], encoded,
                              [(2, 6, "Loaded_Language")], {1: ["Loaded_Language"]})
        (tmp_path / f"fold{k}.pkl").write_bytes(pickle.dumps(([item], [item], heads)))
    setup = {"config": {"seed": 13, "si_weight": 3.0}, "folds": 2, "limit": 0}
    (tmp_path / "setup.json").write_text(json.dumps(setup))
    result = rescore_cv(tmp_path / "no-data", tmp_path, command="unspin ... --rescore")
    assert result["config"] == setup["config"] and result["folds"] == 2
    written = json.loads((tmp_path / "cv.json").read_text())
    assert written["rescored_by"] == "unspin ... --rescore" and "thresholds" in written


def test_nested_tuning_in_parallel_processes_matches_one_process(monkeypatch):
    import numpy as np

    from unspin.encoder import Encoded, Window
    from unspin.evaluate.techniques import EncodedArticle
    from unspin.heads import Heads
    from unspin.train import technique_recipe
    from unspin.train.technique_recipe import SEMEVAL_LABELS, _nested_configs

    rng = np.random.default_rng(0)
    n, dim = len(SEMEVAL_LABELS), 4
    shapes = {"token": (dim, 1 + n), "span": (4 * dim, n), "ptc": (4 * dim, 14),
              "unit": (2 * dim, n)}
    text = "A vile and shameful plan was announced today."
    words = [(0, 1), (2, 6), (7, 10), (11, 19), (20, 24), (25, 28), (29, 38), (39, 44)]
    window = Window([101, *range(1, 9), 102], [(0, 0), *words, (0, 0)], [-1] + [0] * 8 + [-1])
    held = []
    for k in range(3):
        heads = Heads({f"{name}_{p}": rng.normal(size=shape if p == "w" else shape[1])
                       for name, shape in shapes.items() for p in ("w", "b")})
        items = [EncodedArticle(f"a{k}{i}", text, [1],
                                Encoded([window], [rng.normal(size=(10, dim)).astype("f4")]),
                                [(2, 19, "Loaded_Language")], {1: ["Loaded_Language"]})
                 for i in range(2)]
        held.append((items, items, heads))
    parallel = _nested_configs(held)
    monkeypatch.setattr(technique_recipe.os, "cpu_count", lambda: 1)
    assert _nested_configs(held) == parallel
    assert technique_recipe._HELD == []  # the folds are not kept alive after tuning


def test_lockbox_scores_pool_articles_and_bracket_the_value():
    from unspin.evaluate.metrics import span_prf
    from unspin.train.technique_lockbox import ArticleScore, scores, with_intervals

    right = ArticleScore(si_pred=[(0, 10)], si_gold=[(0, 10)], tc_pred=["A"], tc_gold=["A"],
                         para_pred=[{"A"}], para_gold=[{"A"}],
                         span_pred=[(0, 10, "A")], span_gold=[(0, 10, "A")])
    perfect = with_intervals([right, right], n=50)
    assert len(perfect) == 4
    assert all(v == {"value": 1.0, "ci95": [1.0, 1.0]} for v in perfect.values())
    wrong = ArticleScore(si_pred=[(20, 30)], si_gold=[(0, 10)], tc_pred=["B", "A"],
                         tc_gold=["A", "A"], para_pred=[set(), {"B"}], para_gold=[{"A"}, {"B"}],
                         span_pred=[(0, 10, "B")], span_gold=[(0, 10, "A")])
    got = scores([right, wrong])
    assert got["si_f1"] == pytest.approx(span_prf({1: [(0, 10)], 2: [(20, 30)]},
                                                  {1: [(0, 10)], 2: [(0, 10)]},
                                                  labelled=False)["f1"])
    assert got["tc_micro_f1"] == pytest.approx(2 / 3)
    assert got["paragraph_micro_f1"] == pytest.approx(0.8)   # tp 2, fp 0, fn 1
    assert got["span_f1"] == pytest.approx(0.5)
    spread = with_intervals([right, wrong], n=200)
    for name, value in got.items():
        low, high = spread[name]["ci95"]
        assert low < high and low <= value <= high
