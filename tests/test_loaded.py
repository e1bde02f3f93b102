"""The loaded-wording head (unspin.loaded), its BABE/BASIL readers, writers and metrics
(unspin.evaluate.loaded_eval), and the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from unspin.encoder import Encoded, Window
from unspin.evaluate.loaded_eval import (
    BasilArticle,
    basil_sentence_flags,
    basil_token_counts,
    bootstrap_f1,
    match_words,
    read_babe,
    read_basil,
    score_basil,
    sentence_prf,
    word_labels,
    word_list,
    word_list_words,
    word_prf,
    write_babe,
    write_basil,
)
from unspin.loaded import (
    LinearWordHead,
    LoadedModel,
    LoadedPrior,
    SentenceHead,
    decode_spans,
    is_capitalised_mid_sentence,
    normalise_word,
    prior_table,
    word_hidden,
    words_of,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LOADED = "The senator's reckless, job-killing scheme was slammed by critics"
NEUTRAL = "The senator introduced the bill on Tuesday"


def _probs(text: str, table: dict[str, float]) -> tuple[list, list]:
    words = words_of(text)
    return words, [table.get(text[s:e], 0.0) for s, e in words]


# --- decoding ----------------------------------------------------------------------------------


def test_decode_words_and_phrases_with_exact_offsets():
    text = "The reckless, job-killing scheme was slammed."
    words, probs = _probs(text, {"reckless": 0.9, "job-killing": 0.8, "scheme": 0.6,
                                 "slammed": 0.7, "The": 0.1, "was": 0.1})
    spans = decode_spans(text, words, probs, 3, threshold=0.5)
    assert [s.text for s in spans] == ["reckless", "job-killing scheme", "slammed"]
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.sentence == 3
    assert [s.score for s in spans] == [0.9, 0.8, 0.7]


def test_decode_does_not_bridge_punctuation_but_bridges_dashes():
    text = "a wild, crazy plan - truly mad"
    words, probs = _probs(text, {"wild": 0.9, "crazy": 0.9, "plan": 0.1, "truly": 0.8,
                                 "mad": 0.8})
    spans = decode_spans(text, words, probs, 0, threshold=0.5)
    assert [s.text for s in spans] == ["wild", "crazy", "truly mad"]
    text = "radical -- extreme"
    words, probs = _probs(text, {"radical": 0.9, "extreme": 0.9})
    assert [s.text for s in decode_spans(text, words, probs, 0, 0.5)] == ["radical -- extreme"]


def test_decode_caps_length_and_covers_every_hot_word():
    text = "one two three four five six seven"
    words = words_of(text)
    spans = decode_spans(text, words, [0.9] * 7, 0, threshold=0.5, max_words=3)
    assert [s.text for s in spans] == ["one two three", "four five six", "seven"]
    assert all(len(s.text.split()) <= 3 for s in spans)


def test_decode_low_threshold_grows_phrases():
    text = "persistent aggression drew condemnation"
    words, probs = _probs(text, {"persistent": 0.3, "aggression": 0.8})
    assert [s.text for s in decode_spans(text, words, probs, 0, 0.5)] == ["aggression"]
    spans = decode_spans(text, words, probs, 0, 0.5, low=0.25)
    assert [s.text for s in spans] == ["persistent aggression"]
    assert spans[0].score == 0.8
    assert decode_spans(text, words, [0.4] * 4, 0, 0.5, low=0.1) == []  # nothing seeds


def test_decode_checks_lengths():
    with pytest.raises(ValueError):
        decode_spans("a b", words_of("a b"), [0.9], 0, 0.5)


# --- features on a hand-made encoder output ----------------------------------------------------


def _fake_encoded(text: str, windows_of_words: list[list[tuple[int, int]]], dim: int = 384
                  ) -> Encoded:
    """One piece per (start, end), windows as given; hidden[i] = i-th piece's number + 1
    in dimension 0."""
    windows, hidden, n = [], [], 0
    for pieces in windows_of_words:
        offsets = [(0, 0), *pieces, (0, 0)]
        units = [-1] + [0] * len(pieces) + [-1]
        h = np.zeros((len(offsets), dim), np.float32)
        for i in range(len(pieces)):
            n += 1
            h[i + 1, 0] = n
        windows.append(Window([101] + [1000] * len(pieces) + [102], offsets, units))
        hidden.append(h)
    return Encoded(windows, hidden)


def test_word_hidden_pools_pieces_across_windows():
    text = "job-killing plan"
    # pieces: "job" "-" | "killing" "plan" -- the word "job-killing" spans two windows
    enc = _fake_encoded(text, [[(0, 3), (3, 4)], [(4, 11), (12, 16)]])
    h = word_hidden(enc, words_of(text))
    assert h.shape == (2, 384)
    assert h[0, 0] == pytest.approx((1 + 2 + 3) / 3)
    assert h[1, 0] == pytest.approx(4)


def _toy_model(prior: dict[str, float]) -> LoadedModel:
    """A model whose word logit is 10 * prior - 5 (it reads only the prior feature)."""
    w = np.zeros(386, np.float32)
    w[384] = 10.0
    head = SentenceHead(np.zeros(768, np.float32), 0.0, np.zeros(8, np.float32), 0.0,
                        np.ones(8, np.float32), np.array([0, 0, 1, 0, 0], np.float32), 0.0)
    return LoadedModel(LinearWordHead(w, -5.0), head, LoadedPrior(prior),
                       {"threshold": 0.5, "low": 0.5, "max_words": 5,
                        "sentence_threshold": 0.5})


def test_model_spans_never_cross_a_sentence():
    text = "It was a disaster. Disaster struck the reckless scheme"
    words = words_of(text)
    enc = _fake_encoded(text, [words])
    model = _toy_model({"disaster": 1.0, "reckless": 1.0, "scheme": 1.0})
    cut = text.index("scheme")
    sentences = [(0, 18), (19, cut), (cut, len(text))]
    spans = model.spans(text, enc, sentences)
    assert [(s.text, s.sentence) for s in spans] == [("disaster", 0), ("Disaster", 1),
                                                      ("reckless", 1), ("scheme", 2)]
    for s in spans:
        assert text[s.start:s.end] == s.text
        a, b = sentences[s.sentence]
        assert a <= s.start < s.end <= b
    assert model.spans(text, enc, sentences[:1]) == spans[:1]  # outside sentences: nothing
    piece = model.piece_probs(text, enc, sentences)[0]
    assert piece[0] == 0.0 and piece[-1] == 0.0  # [CLS], [SEP]
    assert piece[4] > 0.99  # "disaster"
    spans2, scores = model.analyse(text, enc, sentences)
    assert spans2 == spans
    assert len(scores) == 3 and all(0.0 <= x <= 1.0 for x in scores)


def test_arrays_round_trip():
    model = _toy_model({"reckless": 1.25, "jäger": -0.5})
    back = LoadedModel.from_arrays(model.arrays(), model.config)
    assert back.prior.scores == model.prior.scores
    np.testing.assert_allclose(back.word_head.w, model.word_head.w)
    assert back.cue_head is None


def test_arrays_round_trip_with_phrase_cues():
    from unspin.phrase_cues import CueHead

    labels = ["Repetition", "Loaded_Language", "Name_Calling-Labeling"]
    rng = np.random.default_rng(0)
    cue = CueHead.from_technique_heads(
        {"span_w": rng.normal(size=(4 * 384, 3)).astype(np.float32),
         "span_b": np.zeros(3, np.float32), "token_w": rng.normal(size=(384, 4)),
         "token_b": np.ones(4, np.float32)}, labels)
    base = _toy_model({"reckless": 1.0})
    w = np.concatenate([base.word_head.w, np.float32([0.0, 0.0, 1.0])])
    model = LoadedModel(LinearWordHead(w, -5.0), base.sentence_head, base.prior, base.config,
                        cue)
    back = LoadedModel.from_arrays(model.arrays(), model.config)
    assert back.cue_head is not None and back.cue_head.loaded == (1, 2)
    np.testing.assert_allclose(back.cue_head.w, cue.w, atol=1e-2)  # stored as float16
    assert back.cue_head.inside_b == 1.0
    text = "It was a reckless scheme"
    words = words_of(text)
    enc = _fake_encoded(text, [words])
    spans = back.spans(text, enc, [(0, len(text))])  # reads the cue columns: 389 features
    assert all(text[s.start:s.end] == s.text for s in spans)


# --- the prior --------------------------------------------------------------------------------


def test_prior_ignores_names_and_scores_marked_words_high():
    items = []
    for _ in range(10):
        text = "Critics slammed the plan in Washington"
        items.append((text, words_of(text), [False, True, False, False, False, True]))
    prior = LoadedPrior.learn(items)
    assert prior.scores["slammed"] > 1.0
    assert prior.scores["the"] < 0
    assert "washington" not in prior.scores  # always capitalised mid-sentence: a name
    text = "Slammed again"
    assert prior.score(text, 0, 7) == prior.scores["slammed"]  # sentence start: common use
    assert is_capitalised_mid_sentence("the Slammed", 4)
    assert prior.score("the Slammed", 4, 11) == 0.0


def test_prior_table_matches_learn():
    table = prior_table(np.array([5, 0, 3]), np.array([5, 20, 3]), np.array([0, 0, 3]))
    assert table[0] > 0 and table[1] < 0 and table[2] == 0.0


# --- BABE -------------------------------------------------------------------------------------


def test_match_words_whole_words_case_insensitive():
    text = "The Radical left's radicalism, so-called “reform” and don’t"
    spans = match_words(text, ["radical", "so-called", '"reform"', "don't", "missing"])
    assert [text[s:e] for s, e in spans] == ["Radical", "so-called", "reform", "don’t"]
    words = words_of(text)
    labels = word_labels(words, spans)
    assert [text[s:e] for (s, e), y in zip(words, labels, strict=True) if y] == [
        "Radical", "so-called", "reform", "don’t"]
    assert normalise_word('"Gender') == "gender"


def test_biased_word_f1_exact():
    pred = [["radical", "plan", "Radical"], [], ["fringe"]]
    gold = [["Radical", "reform"], ["mob"], []]
    prf = word_prf(pred, gold)  # tp 1 (radical), fp 2 (plan, fringe), fn 2 (reform, mob)
    assert prf["precision"] == pytest.approx(1 / 3)
    assert prf["recall"] == pytest.approx(1 / 3)
    assert prf["f1"] == pytest.approx(1 / 3)
    s = sentence_prf([True, True, False, False], [True, False, True, False])
    assert (s["precision"], s["recall"], s["f1"]) == (0.5, 0.5, 0.5)


def test_read_and_write_babe(tmp_path: Path):
    split = tmp_path / "babe" / "x"
    split.mkdir(parents=True)
    (split / "sentences.tsv").write_text(
        "id\ttext\toutlet\ttopic\ttype\tlabel_bias\tlabel_opinion\tbiased_words\n"
        'b1\t"""Woke"" mob attacks"\tFox News\tblm\tright\tBiased\tx\t"[""mob"", ""Woke""]"\n'
        "b2\tThe bill passed.\tReuters\tblm\tcenter\tNon-biased\tEntirely factual\t[]\n",
        encoding="utf-8")
    rows = read_babe(split)
    assert [r.id for r in rows] == ["b1", "b2"]
    assert rows[0].text == '"Woke" mob attacks'
    assert rows[0].biased is True and rows[1].biased is False
    assert rows[0].biased_words == ["mob", "Woke"]
    assert rows[0].group == "Fox News|blm"
    out = write_babe(tmp_path / "pred", [("b1", True, ["mob"]), ("b2", False, [])])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id\tlabel_bias\tbiased_words"
    assert lines[1].split("\t")[:2] == ["b1", "Biased"]
    back = read_babe(tmp_path / "pred")
    assert back[0].biased_words == ["mob"] and back[1].biased is False


def test_word_list_baseline():
    text = "radical plan radical"
    words = words_of(text)
    listed = word_list([(text, words, [True, False, True])], min_marked=2, min_share=0.5)
    assert listed == ["radical"]
    assert word_list_words("Radical ideas, radical", set(listed)) == ["radical"]


def test_bootstrap_interval_brackets_f1():
    counts = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [2, 1, 0]])
    lo, hi = bootstrap_f1(counts, n=200)
    assert 0.0 <= lo <= hi <= 1.0
    same = np.array([[1, 1, 0]] * 5)
    assert bootstrap_f1(same, n=50) == [pytest.approx(2 / 3, abs=1e-4)] * 2


# --- BASIL ------------------------------------------------------------------------------------


def _basil_split(tmp_path: Path) -> Path:
    split = tmp_path / "basil" / "x"
    (split / "articles" / "2016").mkdir(parents=True)
    (split / "annotations" / "2016").mkdir(parents=True)
    article = {"title": "Senate Overrides Veto", "source": "fox", "triplet-uuid": "t-1",
               "body-paragraphs": [["The Senate voted on Wednesday.", "It was a rebuke."],
                                   ["Critics slammed the reckless bill."]]}
    (split / "articles" / "2016" / "t-1_1.json").write_text(json.dumps(article))
    ann = {"phrase-level-annotations": [
        {"id": "p1", "start": 9, "end": 15, "txt": "rebuke", "bias": "lex", "quote": "no",
         "speaker": ""},
        {"id": "p2", "start": 8, "end": 15, "txt": "slammed", "bias": "lex", "quote": "yes",
         "speaker": "other_anti"},
        {"id": "p0", "start": 0, "end": 10, "txt": "The Senate", "bias": "inf"}]}
    (split / "annotations" / "2016" / "t-1_1_ann.json").write_text(json.dumps(ann))
    return split


def test_read_basil_maps_offsets(tmp_path: Path):
    (art,) = read_basil(_basil_split(tmp_path))
    assert art.key == "2016/t-1_1" and art.triplet == "t-1"
    assert art.text == ("Senate Overrides Veto\nThe Senate voted on Wednesday. It was a rebuke."
                        "\nCritics slammed the reckless bill.")
    assert art.ids == ["title", "p0", "p1", "p2"]
    assert [art.text[s:e] for s, e in art.sentences[1:]] == [
        "The Senate voted on Wednesday.", "It was a rebuke.", "Critics slammed the reckless bill."]
    lex = art.lex()
    assert [(s.sentence, s.text, s.quote) for s in lex] == [(2, "rebuke", False),
                                                           (3, "slammed", True)]
    for s in art.spans:
        assert art.text[s.start:s.end] == s.text
    assert [art.text[u.start:u.end] for u in art.units][0] == "Senate Overrides Veto"


def test_read_basil_rejects_wrong_offsets(tmp_path: Path):
    split = _basil_split(tmp_path)
    path = split / "annotations" / "2016" / "t-1_1_ann.json"
    ann = json.loads(path.read_text())
    ann["phrase-level-annotations"][0]["start"] = 8
    path.write_text(json.dumps(ann))
    with pytest.raises(ValueError, match="rebuke"):
        read_basil(split)


def test_basil_metrics_and_writer(tmp_path: Path):
    (art,) = read_basil(_basil_split(tmp_path))
    reckless = art.text.index("reckless")
    slammed = art.text.index("slammed")
    # predicted: "slammed the" (2 tokens: 1 tp, 1 fp) and "reckless" (fp); gold: rebuke, slammed
    pred = [(3, slammed, slammed + len("slammed the")), (3, reckless, reckless + 8)]
    counts = basil_token_counts(art, [(s, e) for _, s, e in pred])
    assert counts.tolist() == [1, 2, 1]  # "rebuke." is the missed token
    assert basil_sentence_flags(art, pred) == [False, False, True]
    scores = score_basil([art], [pred], n_boot=20)
    assert scores["token"]["f1"] == pytest.approx(2 * 1 / (2 * 1 + 2 + 1), abs=1e-4)
    assert scores["sentence"]["precision"] == 1.0 and scores["sentence"]["recall"] == 0.5
    path = write_basil(tmp_path / "pred", art, pred)
    assert path == tmp_path / "pred" / "annotations" / "2016" / "t-1_1_ann.json"
    entries = json.loads(path.read_text())["phrase-level-annotations"]
    assert entries[0] == {"id": "p2", "start": 8, "end": 19, "txt": "slammed the", "bias": "lex"}
    sentence = "Critics slammed the reckless bill."
    assert all(sentence[e["start"]:e["end"]] == e["txt"] for e in entries)


def test_basil_article_without_annotations_is_not_scored():
    art = BasilArticle("2010/x_1", "x", "nyt", "T\nA b.", [(0, 1), (2, 6)], [(0, 1), (2, 6)])
    assert score_basil([art], [[]]) == {}


# --- the shipped model ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    from unspin.techniques import load_encoder

    return LoadedModel.load(), load_encoder()


def _sentence(encoder, text: str):
    from unspin.encoder import Unit

    return encoder.encode(text, [Unit(0, len(text))]), [(0, len(text))]


def test_shipped_model_scores_loaded_above_neutral(shipped):
    model, encoder = shipped
    assert model.config["encoder_sha256"]
    enc_l, sents_l = _sentence(encoder, LOADED)
    enc_n, sents_n = _sentence(encoder, NEUTRAL)
    loaded = model.sentence_scores(LOADED, enc_l, sents_l)[0]
    neutral = model.sentence_scores(NEUTRAL, enc_n, sents_n)[0]
    assert loaded > neutral
    assert loaded >= model.sentence_threshold > neutral
    max_l = max(model.word_probs(LOADED, enc_l, sents_l)[1][0])
    max_n = max(model.word_probs(NEUTRAL, enc_n, sents_n)[1][0])
    assert max_l > max_n
    spans = model.spans(LOADED, enc_l, sents_l)
    assert spans and {s.text for s in spans} & {"reckless", "job-killing", "slammed"}
    assert all(LOADED[s.start:s.end] == s.text for s in spans)
    assert model.spans(NEUTRAL, enc_n, sents_n) == []


def test_shipped_model_fails_on_a_corrupted_file(tmp_path: Path):
    import shutil

    from unspin.errors import ModelError
    from unspin.models import MODELS_DIR

    good, bad = tmp_path / "good", tmp_path / "bad"
    for folder in (good, bad):
        folder.mkdir()
        for name in ("loaded.npz", "loaded_config.json", "MANIFEST.json"):
            shutil.copy(MODELS_DIR / name, folder / name)
    LoadedModel.load(good)
    with open(bad / "loaded.npz", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="hash"):
        LoadedModel.load(bad)


def test_evaluate_commands_on_tiny_splits(tmp_path: Path, shipped):
    from unspin.evaluate.loaded_eval import evaluate_babe, evaluate_basil

    model, encoder = shipped
    split = tmp_path / "babe"
    split.mkdir()
    (split / "sentences.tsv").write_text(
        "id\ttext\toutlet\ttopic\ttype\tlabel_bias\tlabel_opinion\tbiased_words\n"
        f"b1\t{LOADED}\tX\tt\tright\tBiased\tx\t[\"reckless\", \"slammed\"]\n"
        f"b2\t{NEUTRAL}\tY\tt\tleft\tNon-biased\tx\t[]\n", encoding="utf-8")
    scores = evaluate_babe(split, tmp_path / "pred", model=model, encoder=encoder)
    assert scores["sentence_bias"]["f1"] == 1.0
    assert scores["biased_words"]["recall"] > 0
    assert "baseline_word_list" in scores and "baseline_all_biased" in scores
    rows = read_babe(tmp_path / "pred")
    assert [r.biased for r in rows] == [True, False]
    scores = evaluate_basil(_basil_split(tmp_path), tmp_path / "predb", model=model,
                            encoder=encoder)
    assert set(scores) >= {"token", "sentence", "baseline_all_sentences"}
    written = tmp_path / "predb" / "annotations" / "2016" / "t-1_1_ann.json"
    assert "phrase-level-annotations" in json.loads(written.read_text())


# --- the training data (skipped without ../shared/data) -----------------------------------------


@pytest.mark.skipif(not (DATA / "babe" / "train").is_dir(),
                    reason=f"BABE training data not found at {DATA / 'babe' / 'train'}")
def test_babe_training_data_reads():
    rows = read_babe(DATA / "babe" / "train")
    assert len(rows) == 2886
    assert sum(r.biased for r in rows) == 1405
    found = sum(bool(match_words(r.text, [w])) for r in rows for w in r.biased_words)
    assert found / sum(len(r.biased_words) for r in rows) > 0.98


@pytest.mark.skipif(not (DATA / "basil" / "train").is_dir(),
                    reason=f"BASIL training data not found at {DATA / 'basil' / 'train'}")
def test_basil_training_data_offsets_map_back():
    articles = read_basil(DATA / "basil" / "train")  # raises if any txt does not map back
    assert len(articles) == 240
    assert sum(len(a.lex()) for a in articles) == 360
    assert len({a.triplet for a in articles}) == 80
