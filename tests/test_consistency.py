"""Headline and caption stance (``unspin.consistency``), its scorer and its evaluation."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from unspin import consistency as C
from unspin.evaluate import consistency_eval as E
from unspin.evaluate.metrics import fnc_score
from unspin.models import has_model
from unspin.report import Consistency, Evidence, Report, Sentence, Span, Stance

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

BODY = [
    "Finance Minister Jan Novak on Tuesday denied that the government would raise the "
    "value added tax next year.",
    "\"There will be no increase in VAT, this report is false,\" Novak told reporters in "
    "the capital after a cabinet meeting.",
    "Opposition leaders had claimed that a draft budget raised the tax to 25 percent.",
    "The ministry said the draft circulating online was fake and never discussed by the "
    "cabinet.",
    "Economists said the budget would be presented to parliament in October.",
]
CONFIRM = "Finance minister Novak confirms the government will raise VAT to 25 percent"
UNRELATED = "Giant panda gives birth to twin cubs at Vienna zoo after long wait"
AGREE_BODY = [
    "Finance Minister Jan Novak on Tuesday announced that the government will raise the "
    "value added tax to 25 percent next year.",
    "\"We need the revenue for the hospitals,\" Novak told reporters in the capital after a "
    "cabinet meeting that approved the draft budget.",
    "The increase from 21 percent takes effect in January, the ministry confirmed.",
    "Economists said the budget would be presented to parliament in October.",
]


def article(title: str, body: list[str], captions: tuple[str, ...] = ()):
    """Text, title span, caption spans and body sentence spans of a hand-made article."""
    parts = [title, *captions, " ".join(body)]
    text = "\n\n".join(parts)
    title_span = (0, len(title))
    pos = len(title) + 2
    caption_spans = []
    for c in captions:
        caption_spans.append((pos, pos + len(c)))
        pos += len(c) + 2
    sentences = []
    for s in body:
        sentences.append((pos, pos + len(s)))
        pos += len(s) + 1
    for a, b in [title_span, *caption_spans, *sentences]:
        assert text[a:b].strip() and text[a:b] == text[a:b].strip()
    return text, title_span, caption_spans, sentences


@pytest.fixture(scope="module")
def model() -> C.ConsistencyModel:
    if not has_model(C.NAME):
        pytest.fail("the consistency model is not in the manifest; run "
                    "`python -m unspin.train.consistency_recipe --data ../shared/data`")
    return C.ConsistencyModel.load()


# --- the shipped model --------------------------------------------------------------------------


def test_model_loads_with_its_hashes_checked(model):
    assert model.config.labels == C.LABELS
    assert model.config.features == C.FEATURES
    assert len(model.config.decision_weights) == 4
    assert 0.0 < model.config.flag_threshold < 1.0
    assert len(model.idf.values) > 1000
    probs = model.proba(np.zeros((3, len(C.FEATURES))))
    assert probs.shape == (3, 4)
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_a_tampered_model_file_fails_its_hash_check(tmp_path):
    import shutil

    from unspin.errors import ModelError
    from unspin.models import MODELS_DIR, model_file

    if not has_model(C.NAME):
        pytest.skip("no consistency model shipped")
    for name in ("MANIFEST.json", C.TREES_FILE, C.CONFIG_FILE):
        shutil.copy(MODELS_DIR / name, tmp_path / name)
    with (tmp_path / C.CONFIG_FILE).open("a", encoding="utf-8") as fh:
        fh.write(" ")
    model_file.cache_clear()
    with pytest.raises(ModelError, match="hash"):
        C.ConsistencyModel.load(tmp_path)


def test_headline_that_contradicts_the_body_is_not_agree(model):
    text, title, _, sentences = article(CONFIRM, BODY)
    result = C.judge(text, title, (), sentences, model=model)
    v = result.headline
    assert v.stance != "agree"
    assert v.stance == "disagree", v.scores
    # the contradicting sentence (the denial) is among the evidence
    assert any("denied" in e.text or "false" in e.text for e in v.evidence)
    assert set(v.scores) == set(C.LABELS)
    assert abs(sum(v.scores.values()) - 1.0) < 1e-3
    assert v.score == v.scores[v.stance]


def test_headline_about_something_else_is_unrelated(model):
    text, title, _, sentences = article(UNRELATED, BODY)
    v = C.judge(text, title, (), sentences, model=model).headline
    assert v.stance == "unrelated", v.scores
    assert v.score > 0.5


def test_headline_the_body_supports_is_agree_or_discuss(model):
    text, title, _, sentences = article(CONFIRM, AGREE_BODY)
    v = C.judge(text, title, (), sentences, model=model).headline
    assert v.stance in ("agree", "discuss"), v.scores


def test_captions_are_judged_and_spans_are_exact(model):
    caption = "Unclassified U.S. intelligence document obtained by The Washington Post."
    text, title, captions, sentences = article(CONFIRM, BODY, (caption,))
    result = C.judge(text, title, captions, sentences, model=model)
    assert len(result.captions) == 1
    cap = result.captions[0]
    assert cap.stance == "unrelated"
    assert (cap.start, cap.end) == captions[0] and cap.text == caption
    for v in [result.headline, cap]:
        assert text[v.start:v.end] == v.text
        for e in v.evidence:
            assert text[e.start:e.end] == e.text
            assert (e.start, e.end) in sentences
    # the Report validates every span on construction
    report = Report(text=text, title=Span(start=0, end=title[1], text=text[:title[1]]),
                    consistency=result)
    report.check()
    assert Report.model_validate_json(report.to_json()).consistency == result
    flags = C.consistency_flags(result, threshold=0.5)
    codes = {f.code for f in flags}
    assert "caption_mismatch" in codes
    for f in flags:
        assert text[f.start:f.end] == f.text
        assert "p = " in f.message and ">= 0.50" in f.message


def test_judge_takes_report_items_and_skips_what_is_not_body(model):
    text, title, _, spans = article(CONFIRM, BODY)
    sentences = [Sentence(start=title[0], end=title[1], text=text[title[0]:title[1]], index=0,
                          paragraph=-1, part="title")]
    sentences += [Sentence(start=a, end=b, text=text[a:b], index=i + 1, paragraph=0)
                  for i, (a, b) in enumerate(spans)]
    title_span = Span(start=title[0], end=title[1], text=text[title[0]:title[1]])
    a = C.judge(text, title_span, [], sentences, model=model)
    b = C.judge(text, title, [], spans, model=model)
    assert a == b
    assert C.judge(text, title, [], [], model=model) is None
    assert C.judge(text, None, [], spans, model=model) is None


def test_flags_only_for_mismatches_above_the_threshold():
    def verdict(stance, score):
        return Stance(start=0, end=4, text="Head", stance=stance, score=score,
                      scores={stance: score})

    c = Consistency(headline=verdict("unrelated", 0.9), captions=[verdict("disagree", 0.3),
                                                                  verdict("agree", 0.9)])
    flags = C.consistency_flags(c, threshold=0.5)
    assert [f.code for f in flags] == ["headline_mismatch"]
    assert "0.90" in flags[0].message and "0.50" in flags[0].message
    assert [f.code for f in C.consistency_flags(c, threshold=0.2)] == [
        "headline_mismatch", "caption_mismatch"]
    assert C.consistency_flags(None) == []


# --- features and trees -------------------------------------------------------------------------


def test_words_and_cues():
    w = C.words_of("The minister denied the reports; it isn't true, officials claimed.")
    assert w.cues["refute"] == 1 and w.cues["negate"] == 1 and w.cues["hedge"] >= 2
    assert "deni" not in w.content and "minister" in w.content and "the" not in w.content
    assert C.stem("denies") == "deny" and C.stem("claimed") == "claim"


def test_features_of_an_identical_sentence():
    idf = C.Idf({}, 1.0)
    text = "Police arrest two men over bank robbery. The weather was fine."
    body = C.index_body(text, [(0, 40), (41, len(text))], idf)
    m = C.match("Police arrest two men over bank robbery", body, idf)
    f = dict(zip(C.FEATURES, m.features, strict=True))
    assert f["cos_max"] == pytest.approx(1.0)
    assert f["cover"] == pytest.approx(1.0)
    assert f["best_position"] == 0.0
    assert list(m.order) == [0, 1]
    assert f["numbers"] == 0.0


def test_tree_ensemble_matches_sklearn():
    if importlib.util.find_spec("sklearn") is None:
        pytest.skip("scikit-learn (the train extra) is not installed")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from unspin.train.consistency_recipe import export_trees

    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 5))
    X[::17, 2] = np.nan
    y = (X[:, 0] > 0).astype(int) + 2 * (X[:, 1] > 0.3)
    clf = HistGradientBoostingClassifier(max_iter=20, early_stopping=False).fit(X, y)
    trees = export_trees(clf)
    assert np.abs(trees.proba(X) - clf.predict_proba(X)).max() < 1e-9
    again = C.TreeEnsemble(trees.arrays())
    assert np.abs(again.proba(X) - clf.predict_proba(X)).max() < 1e-9


# --- the scorer ---------------------------------------------------------------------------------


def test_fnc_score_and_macro_f1_on_hand_made_rows():
    gold = ["agree", "disagree", "discuss", "unrelated", "unrelated", "discuss"]
    pred = ["agree", "discuss", "unrelated", "unrelated", "agree", "discuss"]
    # earned: 1 + 0.25 + 0 + 0.25 + 0 + 1 = 2.5; best: 4 related * 1 + 2 * 0.25 = 4.5
    s = E.scores(E.label_ids(pred), E.label_ids(gold))
    assert s["fnc_score"] == pytest.approx(2.5 / 4.5)
    assert s["fnc_score"] == pytest.approx(fnc_score(pred, gold))
    # F1: agree 2/3 (tp 1, fp 1), disagree 0, discuss 2/3 (tp 1, fp 1, fn 1... see below)
    # discuss: tp 1 (row 6), fp 1 (row 2), fn 1 (row 3) -> 2/4; unrelated: tp 1, fp 1, fn 1
    assert s["f1"] == pytest.approx({"agree": 2 / 3, "disagree": 0.0, "discuss": 0.5,
                                     "unrelated": 0.5})
    assert s["macro_f1"] == pytest.approx((2 / 3 + 0 + 0.5 + 0.5) / 4)
    assert s["confusion"]["disagree"]["discuss"] == 1
    assert s["pairs"] == 6
    perfect = E.scores(E.label_ids(gold), E.label_ids(gold))
    assert perfect["fnc_score"] == 1.0 and perfect["macro_f1"] == 1.0


def test_bootstrap_intervals_hold_the_point_estimate():
    rng = np.random.default_rng(1)
    gold = rng.integers(0, 4, 400)
    pred = np.where(rng.random(400) < 0.7, gold, rng.integers(0, 4, 400))
    s = E.scores(pred, gold)
    b = E.bootstrap(pred, gold, np.arange(400) // 4, n=300, other=gold)
    lo, hi = b["fnc_score_ci95"]
    assert lo <= s["fnc_score"] <= hi
    assert b["clusters"] == 100
    assert b["fnc_score_diff_ci95"][1] < 0  # worse than the gold itself


# --- evaluation on a split ----------------------------------------------------------------------


def write_split(folder: Path, bodies: dict[str, str], rows: list[tuple[str, str, str]]) -> None:
    folder.mkdir(parents=True)
    with (folder / "bodies.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        w.writerows(bodies.items())
    with (folder / "stances.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(rows)


def test_evaluate_a_tiny_split(tmp_path, model):
    split = tmp_path / "split"
    write_split(split, {"7": " ".join(BODY), "9": "\n\n".join(AGREE_BODY)}, [
        (CONFIRM, "7", "disagree"),
        (UNRELATED, "7", "unrelated"),
        (CONFIRM, "9", "agree"),
        (UNRELATED, "9", "unrelated"),
    ])
    out = tmp_path / "pred"
    s = E.evaluate_stance(split, out, model=model)
    assert s["pairs"] == 4 and s["bodies"] == 2
    assert 0.0 <= s["fnc_score"] <= 1.0 and 0.0 <= s["macro_f1"] <= 1.0
    assert set(s["f1"]) == set(C.LABELS)
    with (out / "stances.csv").open(encoding="utf-8", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert [(r["Headline"], r["Body ID"]) for r in written] == [
        (CONFIRM, "7"), (UNRELATED, "7"), (CONFIRM, "9"), (UNRELATED, "9")]
    assert all(r["Stance"] in C.LABELS for r in written)
    assert written[1]["Stance"] == written[3]["Stance"] == "unrelated"
    again = E.evaluate_stance(split, None, model=model)
    assert again["fnc_score"] == s["fnc_score"]


def test_an_unlabelled_split_is_predicted_not_scored(tmp_path, model):
    split = tmp_path / "split"
    write_split(split, {"1": " ".join(BODY)}, [(CONFIRM, "1", "")])
    s = E.evaluate_stance(split, tmp_path / "out", model=model)
    assert "fnc_score" not in s and (tmp_path / "out" / "stances.csv").exists()


def test_bad_splits_get_clear_errors(tmp_path):
    from unspin.errors import InputError

    with pytest.raises(InputError, match="no such folder"):
        E.evaluate_stance(tmp_path / "missing")
    split = tmp_path / "bad"
    write_split(split, {"1": "A body."}, [("A headline", "2", "agree")])
    with pytest.raises(InputError, match="Body ID 2"):
        E.read_split(split)
    split = tmp_path / "bad2"
    write_split(split, {"1": "A body."}, [("A headline", "1", "maybe")])
    with pytest.raises(InputError, match="unknown stance"):
        E.read_split(split)


def test_paragraph_spans_and_sentences():
    text = "First line here. Second sentence.\n\n  Third para.\n"
    assert E.paragraph_spans(text) == [(0, 33), (37, 48)]
    with E.sentencizer() as nlp:
        spans = E.body_sentences(nlp, text)
    assert spans[-1] == (37, 48)
    assert all(text[a:b] == text[a:b].strip() and b > a for a, b in spans)


# --- the shared data ----------------------------------------------------------------------------


def test_fnc1_and_arc_train_read_as_documented():
    if not (DATA / "fnc1" / "train" / "stances.csv").exists():
        pytest.skip(f"{DATA / 'fnc1'} is not here (the shared data is not mounted)")
    bodies, rows = E.read_split(DATA / "fnc1" / "train")
    assert len(rows) == 49972 and len(bodies) == 1683
    if (DATA / "arc" / "train" / "stances.csv").exists():
        _, arc_rows = E.read_split(DATA / "arc" / "train")
        assert len(arc_rows) == 14233


def test_render_shows_the_verdicts():
    from unspin.render.html import render_html
    from unspin.render.terminal import render_text

    title = "Minister confirms tax rise"
    caption = "A photo of a panda."
    body = "The minister denied any tax rise."
    text = f"{title}\n\n{caption}\n\n{body}"
    cs, bs = len(title) + 2, len(title) + len(caption) + 4
    ev = Evidence(start=bs, end=bs + len(body), text=body, similarity=0.5, cues=["denied"])
    c = Consistency(
        headline=Stance(start=0, end=len(title), text=title, stance="disagree", score=0.7,
                        scores={"disagree": 0.7, "agree": 0.1, "discuss": 0.1,
                                "unrelated": 0.1}, evidence=[ev]),
        captions=[Stance(start=cs, end=cs + len(caption), text=caption, stance="unrelated",
                         score=0.9, scores={"unrelated": 0.9})])
    from unspin.report import Caption, Paragraph

    report = Report(text=text, title=Span(start=0, end=len(title), text=title),
                    captions=[Caption(start=cs, end=cs + len(caption), text=caption)],
                    paragraphs=[Paragraph(start=bs, end=bs + len(body), text=body, index=0)],
                    consistency=c)
    out = render_text(report, color=False, width=120)
    assert "Headline vs body: disagree (0.70)" in out
    assert "Caption vs body: unrelated (0.90)" in out
    assert "evidence: “The minister denied any tax rise.”" in out
    page = render_html(report)
    assert "headline-verdict" in page and "caption-verdict" in page
    assert "stance-disagree" in page and "stance-unrelated" in page
