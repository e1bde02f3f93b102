"""Genre and frames: article pooling, decoding, loading, evaluation, and the training recipe."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from unspin.claims import LinearHead
from unspin.encoder import CLS_ID, SEP_ID, Encoded, Window, build_windows
from unspin.errors import InputError, ModelError
from unspin.framing import FramingModel, article_features, article_token_ids
from unspin.models import has_model, write_manifest_entry
from unspin.report import Genre
from unspin.taxonomy import FRAME_NAMES, GENRES

DIM = 2


def _encoded() -> Encoded:
    w0 = Window([CLS_ID, 300, 301, SEP_ID], [(0, 0), (0, 3), (4, 7), (0, 0)], [-1, 0, 0, -1])
    w1 = Window([CLS_ID, 302, SEP_ID], [(0, 0), (8, 11), (0, 0)], [-1, 1, -1])
    h0 = np.array([[50, 50], [1, -1], [3, 5], [-50, -50]], dtype=np.float32)
    h1 = np.array([[50, 50], [2, 0], [-50, -50]], dtype=np.float32)
    return Encoded([w0, w1], [h0, h1])


def test_article_features_pool_real_tokens_of_all_windows():
    np.testing.assert_allclose(article_features(_encoded()), [2.0, 4 / 3, 3.0, 5.0])
    assert article_token_ids(_encoded()).tolist() == [300, 301, 302]


def test_article_features_of_an_article_without_tokens():
    empty = Encoded([Window([CLS_ID, SEP_ID], [(0, 0), (0, 0)], [-1, -1])],
                    [np.ones((2, DIM), dtype=np.float32)])
    assert np.all(article_features(empty) == 0)
    assert article_token_ids(empty).tolist() == []
    with pytest.raises(ValueError):
        article_features(Encoded([], []))


def _heads(genre_bias=(0.0, 1.0, 0.0), frame_bias=None) -> tuple[LinearHead, LinearHead]:
    k = len(FRAME_NAMES)
    w_f = np.zeros((2 * DIM, k), dtype=np.float32)
    w_f[0, 0] = 1.0  # frame 0 follows the mean of channel 0 (2.0 in _encoded)
    fb = np.linspace(-3, 3, k).astype(np.float32) if frame_bias is None else frame_bias
    genre = LinearHead(np.zeros((2 * DIM, 3), np.float32), np.array(genre_bias, np.float32),
                       np.zeros((0, 3), np.float32), np.zeros(0, np.float32))
    frames = LinearHead(w_f, fb, np.zeros((0, k), np.float32), np.zeros(0, np.float32))
    return genre, frames


def _config(**extra) -> dict:
    return {"genres": list(GENRES), "frames": list(FRAME_NAMES), "threshold": 0.5,
            "decision_weights": [1.0, 1.0, 1.0], **extra}


def test_predict_gives_calibrated_genre_and_sorted_frames():
    model = FramingModel.from_config(*_heads(), _config())
    genre, frames = model.predict(_encoded())
    assert isinstance(genre, Genre) and genre.label == "reporting"
    assert set(genre.scores) == set(GENRES)
    assert abs(sum(genre.scores.values()) - 1.0) < 1e-3
    e = np.exp([0.0, 1.0, 0.0])
    assert genre.scores["reporting"] == pytest.approx(e[1] / e.sum(), abs=1e-4)
    assert len(frames) == len(FRAME_NAMES)
    assert [f.score for f in frames] == sorted((f.score for f in frames), reverse=True)
    by_name = {f.frame: f.score for f in frames}
    assert by_name[FRAME_NAMES[0]] == pytest.approx(1 / (1 + np.exp(-(2.0 - 3.0))), abs=1e-4)
    present = model.present(frames)
    assert present and all(f.score >= 0.5 for f in present)
    assert len(present) == sum(f.score >= 0.5 for f in frames)


def test_evidence_is_how_far_the_words_move_the_frames_and_gates_judging():
    model = FramingModel.from_config(*_heads(), _config(evidence_floor=0.1))
    frames, evidence = model.frames_and_evidence(_encoded())
    # only frame 0 reads a feature (mean of channel 0 = 2.0): its logit moves by 2.0
    assert evidence == pytest.approx(2.0 / len(FRAME_NAMES), abs=1e-6)
    assert frames == model.frames_of(_encoded())
    assert model.judged(evidence)
    assert not FramingModel.from_config(*_heads(), _config(evidence_floor=0.2)).judged(evidence)
    assert FramingModel.from_config(*_heads(), _config()).judged(0.0)  # no floor: always


def test_decision_weights_choose_the_label_not_the_scores():
    model = FramingModel.from_config(*_heads((1.0, 0.5, 0.0)),
                                     _config(decision_weights=[0.1, 1.0, 1.0]))
    genre, _ = model.predict(_encoded())
    assert genre.label == "reporting"
    assert genre.scores["opinion"] > genre.scores["reporting"]


def test_predict_without_tokens_gives_nothing():
    model = FramingModel.from_config(*_heads(), _config())
    empty = Encoded([Window([CLS_ID, SEP_ID], [(0, 0), (0, 0)], [-1, -1])],
                    [np.zeros((2, DIM), np.float32)])
    assert model.predict(empty) == (None, [])
    assert model.predict(Encoded([], [])) == (None, [])


def test_model_validates_labels_and_shapes():
    genre, frames = _heads()
    with pytest.raises(ValueError, match="genre head has 14 outputs"):
        FramingModel.from_config(frames, frames, _config())
    with pytest.raises(ValueError, match="frames head has 3 outputs"):
        FramingModel.from_config(genre, genre, _config())
    with pytest.raises(ValueError, match="unknown"):
        FramingModel.from_config(genre, frames, _config(genres=["opinion", "news", "satire"]))
    with pytest.raises(ValueError, match="decision weight"):
        FramingModel.from_config(genre, frames, _config(decision_weights=[1.0]))


def _ship(model_dir: Path, config: dict) -> None:
    genre, frames = _heads()
    np.savez(model_dir / "framing.npz", **genre.arrays("genre"), **frames.arrays("frames"))
    (model_dir / "framing_config.json").write_text(json.dumps(config))
    write_manifest_entry(model_dir, "framing", ["framing.npz", "framing_config.json"], {})


def test_load_checks_hash_and_encoder(tmp_path):
    _ship(tmp_path, _config())
    model = FramingModel.load(tmp_path)
    assert model.threshold == 0.5 and model.frames == list(FRAME_NAMES)
    (tmp_path / "techniques.onnx").write_bytes(b"encoder")
    write_manifest_entry(tmp_path, "techniques", ["techniques.onnx"], {})
    _ship(tmp_path, _config(encoder_sha256="f" * 64))
    with pytest.raises(ModelError, match="another encoder"):
        FramingModel.load(tmp_path)


# --- evaluation with a fake encoder and fake models ----------------------------------------------


class FakeEncoder:
    """Word-level tokenizer, windows from unspin.encoder.build_windows, context-free states."""

    def __init__(self, words, max_tokens: int = 32, threads=None):
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

        vocab = {"[UNK]": 1, **{w: 200 + i for i, w in enumerate(sorted(set(words)))}}
        self.tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
        self.tokenizer.normalizer = normalizers.Lowercase()
        self.tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
        self.max_tokens = max_tokens

    def encode(self, text, units) -> Encoded:
        windows = build_windows(self.tokenizer, text, units, self.max_tokens)
        states = [np.stack([[i % 7, i % 3, i / 300.0] for i in w.ids]).astype(np.float32)
                  for w in windows]
        return Encoded(windows, states)


VOCAB = ["war", "army", "troops", "missile", "attack", "economy", "tax", "market", "jobs",
         "budget", "court", "law", "judge", "crime", "police", "satire", "joke", "clown", "silly",
         "opinion", "i", "think", "believe", "reporting", "said", "according", "official", "the",
         "a", "of", "and", "in", "to", "is", "was", "recipe"]


def _article(genre: str, frames: list[str], k: int) -> str:
    words = {"opinion": "i think believe", "reporting": "said according official",
             "satire": "satire joke clown silly"}[genre].split()
    topic = {"Security_and_defense": "war army troops missile attack",
             "Economic": "economy tax market jobs budget",
             "Crime_and_punishment": "court law judge crime police"}
    body = [w for f in frames for w in topic[f].split()] + words * 2
    rng = np.random.RandomState(k)
    lines = [f"Title {k} " + " ".join(rng.choice(body, 4))]
    lines += [" ".join(rng.choice(body + ["the", "a", "of"], 12)) for _ in range(3)]
    return "\n\n".join(lines) + "\n"


def _semeval_split(root: Path, n: int = 15) -> Path:
    split = root / "semeval2023" / "train"
    (split / "articles-genre-frames").mkdir(parents=True)
    genres, frames = [], []
    combos = [["Security_and_defense"], ["Economic"], ["Crime_and_punishment", "Economic"]]
    for k in range(n):
        g = GENRES[k % 3] if k < 9 else "opinion"
        f = combos[(k // 2) % 3]
        (split / "articles-genre-frames" / f"article{1000 + k}.txt").write_text(
            _article(g, f, k), encoding="utf-8")
        genres.append(f"{1000 + k}\t{g}")
        frames.append(f"{1000 + k}\t{','.join(f)}")
    (split / "genre.labels").write_text("\n".join(genres) + "\n")
    (split / "frames.labels").write_text("\n".join(frames) + "\n")
    return split


def _checkworthy_split(root: Path, name: str, n: int, offset: int) -> Path:
    split = root / "checkworthy" / name
    split.mkdir(parents=True)
    rows = ["Sentence_id\tText\tclass_label"]
    for k in range(n):
        yes = (k + offset) % 3 == 0
        text = ("the tax was 4 percent said official" if yes else "i think the joke is silly")
        rows.append(f"{offset + k}\t{text} {k}\t{'Yes' if yes else 'No'}")
    (split / "sentences.tsv").write_text("\n".join(rows) + "\n")
    return split


class _Rigged:
    """A stand-in FramingModel: genre and frames read off the article's words."""

    threshold = 0.5

    def predict(self, encoded):
        from unspin.report import FrameScore

        ids = set(article_token_ids(encoded).tolist())
        enc = FakeEncoder(VOCAB)
        has = {w: enc.tokenizer.token_to_id(w) in ids for w in VOCAB}
        label = ("satire" if has["satire"] else "reporting" if has["said"] else "opinion")
        frames = [FrameScore(frame="Economic", score=0.9 if has["tax"] else 0.1),
                  FrameScore(frame="Security_and_defense", score=0.9 if has["war"] else 0.1)]
        return Genre(label=label, scores={g: float(g == label) for g in GENRES}), frames

    evidence_floor = 0.5

    def frames_and_evidence(self, encoded, ids=None):
        """The frames, and as evidence 1 unless the article says "recipe" (then 0)."""
        ids = set(article_token_ids(encoded).tolist())
        recipe = FakeEncoder(VOCAB).tokenizer.token_to_id("recipe") in ids
        return self.predict(encoded)[1], 0.0 if recipe else 1.0

    def judged(self, evidence):
        return evidence >= self.evidence_floor

    def present(self, frames):
        return [f for f in frames if f.score >= self.threshold]


class _RiggedGenre:
    """A stand-in GenreModel: the genre read off the article's words."""

    def predict(self, text, ids):
        words = set(text.lower().split())
        label = "satire" if "satire" in words else "reporting" if "said" in words else "opinion"
        return Genre(label=label, scores={g: float(g == label) for g in GENRES})


def test_evaluate_genre_frames_scores_and_writes_gold_format(tmp_path):
    from unspin.evaluate.datasets import read_semeval_articles
    from unspin.evaluate.heads_eval import evaluate_genre_frames

    split = _semeval_split(tmp_path, 6)
    out = tmp_path / "pred"
    scores = evaluate_genre_frames(split, out, model=_Rigged(), encoder=FakeEncoder(VOCAB),
                                   genre_model=_RiggedGenre())
    assert scores["genre_frames_articles"] == 6
    assert scores["genre_macro_f1"] == 1.0
    assert 0.0 < scores["frames_micro_f1"] < 1.0  # Crime_and_punishment is never predicted
    assert (out / "genre.labels").read_text().splitlines()[0] == "1000\topinion"
    # the written predictions read back like gold files
    (out / "articles-genre-frames").mkdir()
    for p in (split / "articles-genre-frames").iterdir():
        (out / "articles-genre-frames" / p.name).write_text(p.read_text())
    back = {d.id: d for d in read_semeval_articles(out)}
    assert back["1000"].genre == "opinion" and "Security_and_defense" in back["1000"].frames


def test_evaluate_genre_frames_gives_no_frames_where_the_model_does_not_judge(tmp_path):
    from unspin.evaluate.datasets import read_semeval_articles
    from unspin.evaluate.heads_eval import evaluate_genre_frames

    split = _semeval_split(tmp_path, 6)
    path = split / "articles-genre-frames" / "article1000.txt"
    path.write_text(path.read_text() + "\nrecipe\n", encoding="utf-8")
    out = tmp_path / "pred"
    scores = evaluate_genre_frames(split, out, model=_Rigged(), encoder=FakeEncoder(VOCAB),
                                   genre_model=_RiggedGenre())
    assert scores["frames_not_judged"] == 1 and scores["frames_evidence_floor"] == 0.5
    (out / "articles-genre-frames").mkdir()
    for p in (split / "articles-genre-frames").iterdir():
        (out / "articles-genre-frames" / p.name).write_text(p.read_text())
    back = {d.id: d for d in read_semeval_articles(out)}
    assert back["1000"].frames == [] and back["1002"].frames


def test_evaluate_checkworthy_scores_and_writes_gold_format(tmp_path):
    from unspin.evaluate.heads_eval import evaluate_checkworthy

    split = _checkworthy_split(tmp_path, "dev", 9, 0)

    class Model:
        threshold = 0.5

        def score_texts(self, encode, texts):
            return np.array([0.9 if "tax" in t else 0.2 for t in texts])

    out = tmp_path / "pred"
    scores = evaluate_checkworthy(split, out, model=Model(), encoder=FakeEncoder(VOCAB))
    assert scores["f1_yes"] == 1.0 and scores["precision_yes"] == 1.0
    assert scores["recall_yes"] == 1.0 and scores["sentences"] == 9
    lines = (out / "sentences.tsv").read_text().splitlines()
    assert lines[0] == "Sentence_id\tclass_label" and lines[1] == "0\tYes" and lines[2] == "1\tNo"
    with pytest.raises(InputError):
        evaluate_checkworthy(tmp_path / "nowhere", model=Model(), encoder=FakeEncoder(VOCAB))


# --- the training recipe -------------------------------------------------------------------------


def test_folding_reproduces_the_fitted_models():
    pytest.importorskip("sklearn")
    from unspin.train.heads_recipe import (
        Features,
        Setting,
        design_logits,
        fit_binary,
        fit_multiclass,
    )

    rng = np.random.RandomState(0)
    n = 40
    feats = Features(rng.randn(n, 4).astype(np.float32) * 3 + 1,
                     [rng.randint(0, 50, size=rng.randint(1, 9)) for _ in range(n)])
    y = rng.randint(0, 3, size=n)
    for setting in (Setting(2.0, True, True), Setting(1.0, False, True),
                    Setting(1.0, True, False, True)):
        design, coef, bias = fit_multiclass(setting, feats, y, 3, seed=1)
        a, c = 0.7, np.array([0.1, -0.2, 0.1])
        head = design.head(coef, bias, np.full(3, a), c)
        np.testing.assert_allclose(head.logits(feats.dense, feats.ids),
                                   design_logits(design, coef, bias, feats) * a + c,
                                   rtol=1e-4, atol=1e-4)
        Y = np.stack([y == 0, y == 1], axis=1)
        design, coef, bias = fit_binary(setting, feats, Y, seed=1)
        head = design.head(coef, bias, np.array([1.5, 0.5]), np.array([0.0, 1.0]))
        np.testing.assert_allclose(head.logits(feats.dense, feats.ids),
                                   design_logits(design, coef, bias, feats) * [1.5, 0.5]
                                   + [0.0, 1.0], rtol=1e-4, atol=1e-4)


def test_recipe_helpers():
    pytest.importorskip("scipy")
    from unspin.train.heads_recipe import (
        best_threshold,
        ece,
        platt,
        stratified_folds,
        temperature_bias,
    )

    y = np.array([0] * 10 + [1] * 5 + [2] * 3)
    folds = stratified_folds(y, 3, seed=7)
    np.testing.assert_array_equal(folds, stratified_folds(y, 3, seed=7))
    for cls in (0, 1, 2):
        counts = np.bincount(folds[y == cls], minlength=3)
        assert counts.max() - counts.min() <= 1
    probs = np.array([0.9, 0.8, 0.3, 0.2])
    t, f1 = best_threshold(probs, np.array([1, 1, 0, 0]))
    assert f1 == 1.0 and 0.3 <= t <= 0.8
    rng = np.random.RandomState(0)
    z = rng.randn(4000)
    labels = rng.rand(4000) < 1 / (1 + np.exp(-(2.0 * z - 1.0)))
    a, c = platt(z, labels)
    assert abs(a - 2.0) < 0.3 and abs(c + 1.0) < 0.3
    assert platt(z, np.zeros(4000)) == (1.0, 0.0)
    zz = rng.randn(3000, 3)
    yy = np.array([rng.choice(3, p=np.exp(3 * r) / np.exp(3 * r).sum()) for r in zz])
    temp, bias = temperature_bias(zz, yy)
    assert abs(temp - 3.0) < 0.5 and abs(bias.sum()) < 1e-6
    assert ece(np.array([0.0, 1.0]), np.array([0, 1])) == 0.0


def test_train_heads_end_to_end_is_deterministic(tmp_path, monkeypatch):
    pytest.importorskip("sklearn")
    import unspin.encoder
    import unspin.train.heads_recipe as recipe
    from unspin.claims import ClaimModel

    data = tmp_path / "data"
    _semeval_split(data, 15)
    for name, n, offset in (("train", 60, 0), ("dev", 30, 100), ("dev-test", 30, 200)):
        _checkworthy_split(data, name, n, offset)
    onnx = tmp_path / "enc.onnx"
    onnx.write_bytes(b"fake encoder")
    words = VOCAB + [f"{k}" for k in range(300)] + ["title", "4", "percent"]
    monkeypatch.setattr(unspin.encoder, "Encoder",
                        lambda onnx_path, tok_path, threads=None: FakeEncoder(words))
    monkeypatch.setattr(recipe, "FRAME_GRID", [recipe.Setting(4.0)])
    monkeypatch.setattr(recipe, "GENRE_GRID", [recipe.Setting(4.0, balanced=True)])
    monkeypatch.setattr(recipe, "CLAIM_GRID", [recipe.Setting(1.0, False, True),
                                               recipe.Setting(1.0)])
    runs = []
    for k in range(2):
        out = tmp_path / f"models{k}"
        summary = recipe.train_heads(data, out, "unspin train heads", onnx_path=onnx,
                                     tokenizer_path=onnx, cache_dir=tmp_path / f"cache{k}")
        runs.append(out)
    manifest = json.loads((runs[0] / "MANIFEST.json").read_text())
    assert set(manifest["models"]) == {"framing", "claims"}
    entry = manifest["models"]["claims"]
    assert entry["command"] == "unspin train heads" and entry["seed"] == 13
    assert "dev_test_at_threshold_dev" in entry["scores"]
    assert "cv_nested_5fold" in manifest["models"]["framing"]["scores"]
    for name in ("framing.npz", "claims.npz"):
        a, b = np.load(runs[0] / name), np.load(runs[1] / name)
        for key in a.files:
            np.testing.assert_array_equal(a[key], b[key])
    model = ClaimModel.load(runs[0])
    p = model.score_texts(FakeEncoder(words).encode,
                          ["the tax was 4 percent said official 7", "i think the joke is silly 8"])
    assert p[0] > p[1]
    framing = FramingModel.load(runs[0])
    assert 0.0 < framing.threshold < 1.0
    assert summary["claims"]["yes_rate"]["dev"] == pytest.approx(10 / 30)
    assert 0.0 <= summary["genre_frames_cv"]["frames_micro_f1"] <= 1.0


# --- the shipped model ---------------------------------------------------------------------------


@pytest.mark.skipif(not has_model("framing") or not has_model("techniques"),
                    reason="genre and frames model not shipped yet")
def test_shipped_model_on_the_example(example_text):
    from unspin.evaluate.heads_eval import article_units
    from unspin.techniques import load_encoder

    model = FramingModel.load()
    genre, frames = model.predict(load_encoder().encode(example_text,
                                                        article_units(example_text)))
    assert genre.label in GENRES
    assert abs(sum(genre.scores.values()) - 1.0) < 1e-3
    assert [f.frame for f in frames[:1]] and len(frames) == len(FRAME_NAMES)
    assert "Security_and_defense" in {f.frame for f in model.present(frames)}
    _, evidence = model.frames_and_evidence(load_encoder().encode(example_text,
                                                                  article_units(example_text)))
    assert model.judged(evidence)


@pytest.mark.skipif(not has_model("framing") or not has_model("techniques"),
                    reason="genre and frames model not shipped yet")
def test_shipped_model_does_not_judge_the_frames_of_a_recipe():
    from unspin.evaluate.heads_eval import article_units
    from unspin.techniques import load_encoder

    text = ("Spiced Honey Pear Jam\n\nPeel and chop four ripe pears into small cubes. Put them "
            "in a heavy pan with 300 grams of honey, a cinnamon stick and two cloves.\n\n"
            "Bring the mixture to a gentle boil and stir often for about 25 minutes, until it "
            "thickens. Pour the hot jam into clean jars and let them cool.")
    model = FramingModel.load()
    frames, evidence = model.frames_and_evidence(load_encoder().encode(text,
                                                                       article_units(text)))
    # SemEval's defaults: with no evidence Security and defense would be "present"
    assert "Security_and_defense" in {f.frame for f in model.present(frames)}
    assert evidence < model.evidence_floor and not model.judged(evidence)
