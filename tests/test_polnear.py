"""PolNeAR reading, scoring and writing (``unspin.evaluate.polnear``) on hand-made brat data."""

from __future__ import annotations

from pathlib import Path

import pytest

import unspin.nlp
from unspin.evaluate.polnear import (
    BratRelation,
    evaluate_polnear,
    format_ann,
    match_relations,
    parse_ann,
    predict_relations,
    read_polnear,
    score_relations,
    to_brat,
    write_predictions,
)

TEXT = (
    "Tax plan\n\n"
    "Smith said that taxes will rise next year. Jones claimed the plan fails.\n\n"
    "“We will vote no,” Brown said, “and so will others.”\n"
)


def at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """The ``(start, end)`` of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def t_line(key: str, role: str, text: str, *spans: tuple[int, int]) -> str:
    """A brat ``T`` line for ``spans`` of ``text``, covered text joined as brat does."""
    places = ";".join(f"{s} {e}" for s, e in spans)
    covered = " ".join(text[s:e] for s, e in spans)
    return f"{key}\t{role} {places}\t{covered}"


def relation(key: str, source: str | None, cue: str, content: str,
             text: str = TEXT) -> BratRelation:
    """A one-span-per-role relation from phrases of ``text``."""
    return BratRelation(
        key,
        (at(text, source),) if source else (),
        (at(text, cue),),
        (at(text, content),),
    )


SMITH = relation("E1", "Smith", "said", "taxes will rise next year")
JONES = relation("E2", "Jones", "claimed", "the plan fails")


def scores(gold, pred, text: str = TEXT) -> dict[str, float]:
    return score_relations([(text, gold, pred)])


# --- the metric ------------------------------------------------------------------------------


def test_perfect_match_scores_one_per_role() -> None:
    result = scores([SMITH, JONES], [SMITH, JONES])
    for role in ("source", "cue", "content"):
        assert result[f"{role}_precision"] == 1.0
        assert result[f"{role}_recall"] == 1.0
        assert result[f"{role}_f1"] == 1.0
    assert result["matched_relations"] == 2


def test_missed_relation_lowers_recall_only() -> None:
    result = scores([SMITH, JONES], [SMITH])
    for role in ("source", "cue", "content"):
        assert result[f"{role}_precision"] == 1.0
        assert result[f"{role}_recall"] < 1.0
    assert result["content_recall"] == pytest.approx(5 / 8, abs=1e-4)  # 5 of 5 + 3 tokens
    assert result["gold_relations"] == 2
    assert result["predicted_relations"] == 1


def test_spurious_relation_lowers_precision_only() -> None:
    result = scores([SMITH], [SMITH, JONES])
    for role in ("source", "cue", "content"):
        assert result[f"{role}_recall"] == 1.0
        assert result[f"{role}_precision"] < 1.0
    assert result["cue_precision"] == 0.5


def test_punctuation_and_partial_spans_count_by_word_tokens() -> None:
    wider = relation("E1", "Smith", "said", "that taxes will rise next year.")
    result = scores([SMITH], [wider])
    assert result["content_recall"] == 1.0
    assert result["content_precision"] == pytest.approx(5 / 6, abs=1e-4)  # "that" is extra


def test_empty_prediction_and_empty_gold() -> None:
    assert scores([SMITH], [])["content_f1"] == 0.0
    assert scores([], [SMITH])["content_precision"] == 0.0
    assert scores([], [])["gold_relations"] == 0


def test_discontinuous_spans_are_read_and_scored() -> None:
    first, second = at(TEXT, "“We will vote no,”"), at(TEXT, "“and so will others.”")
    brown, said = at(TEXT, "Brown"), at(TEXT, "said", 1)
    ann = "\n".join([
        t_line("T1", "Source", TEXT, brown),
        t_line("T2", "Cue", TEXT, said),
        t_line("T3", "Content", TEXT, first, second),
        t_line("T4", "Attribution", TEXT, said),
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
    ])
    (rel,) = parse_ann(ann, TEXT)
    assert rel.content == (first, second)
    assert rel.source == (brown,)
    whole = BratRelation("E1", (brown,), (said,), ((first[0], second[1]),))
    result = scores([rel], [whole])
    assert result["content_recall"] == 1.0
    assert result["content_precision"] == 0.8  # "Brown said" is extra


def test_one_prediction_over_two_gold_relations_matches_once() -> None:
    both = BratRelation("E1", (at(TEXT, "Smith"),), (at(TEXT, "said"),),
                        ((at(TEXT, "taxes")[0], at(TEXT, "fails")[1]),))
    result = scores([SMITH, JONES], [both])
    assert result["matched_relations"] == 1
    assert result["source_recall"] == 0.5  # Jones, in the unmatched gold relation, is missed
    assert result["content_recall"] == pytest.approx(5 / 8, abs=1e-4)


def test_matching_is_one_to_one_and_prefers_larger_overlap() -> None:
    gold = [{"content": frozenset({1, 2, 3}), "cue": frozenset(), "source": frozenset()},
            {"content": frozenset({3, 4}), "cue": frozenset(), "source": frozenset()}]
    pred = [{"content": frozenset({3, 4}), "cue": frozenset(), "source": frozenset()},
            {"content": frozenset({1, 2, 3, 4}), "cue": frozenset(), "source": frozenset()}]
    assert sorted(match_relations(gold, pred)) == [(0, 1), (1, 0)]
    assert match_relations(gold, pred[1:]) == [(0, 0)]


def test_relations_without_content_match_on_their_cues() -> None:
    gold = [{"content": frozenset(), "cue": frozenset({5}), "source": frozenset({4})}]
    pred = [{"content": frozenset(), "cue": frozenset({5}), "source": frozenset()}]
    assert match_relations(gold, pred) == [(0, 0)]
    assert match_relations(gold, [{**pred[0], "cue": frozenset({6})}]) == []


# --- reading brat ----------------------------------------------------------------------------


def test_content2_is_merged_into_the_content() -> None:
    ann = "\n".join([
        t_line("T1", "Cue", TEXT, at(TEXT, "said")),
        t_line("T2", "Content", TEXT, at(TEXT, "taxes will rise")),
        t_line("T3", "Content2", TEXT, at(TEXT, "next year")),
        "E1\tAttribution:T1 Cue:T1 Content:T2 Content2:T3",
    ])
    (rel,) = parse_ann(ann, TEXT)
    assert rel.content == (at(TEXT, "taxes will rise"), at(TEXT, "next year"))
    assert rel.source == ()


def test_covered_text_over_several_lines_does_not_break_parsing() -> None:
    text = "Title\n\nSmith said: the vote\nwill wait.\n\nJones agreed.\n"
    content = (at(text, "the vote")[0], at(text, "wait.")[1])
    ann = (
        f"T1\tCue {at(text, 'said')[0]} {at(text, 'said')[1]}\tsaid\n"
        f"T2\tContent {content[0]} {content[1]}\tthe vote\nwill wait.\n"
        f"T3\tSource {at(text, 'Smith')[0]} {at(text, 'Smith')[1]}\tSmith\n"
        "# a note\tignored\n"
        "E1\tAttribution:T1 Source:T3 Cue:T1 Content:T2\n"
    )
    (rel,) = parse_ann(ann, text)
    assert rel.content == (content,)
    assert rel.source == (at(text, "Smith"),)


def test_spans_outside_the_text_and_non_relations_are_dropped() -> None:
    ann = "\n".join([
        t_line("T1", "Cue", TEXT, at(TEXT, "said")),
        f"T2\tContent 5 {len(TEXT) + 10}\tbeyond the end",
        "T3\tDiscuss 0 3\tTax",
        "E1\tAttribution:T1 Cue:T1 Content:T2",
        "E2\tDiscuss:T3",
    ])
    (rel,) = parse_ann(ann, TEXT)
    assert rel.cue == (at(TEXT, "said"),)
    assert rel.content == ()


def write_split(root: Path, articles: dict[str, tuple[str, dict[str, str]]]) -> Path:
    """A PolNeAR-style split: ``text/<name>.txt`` and ``attributions/<name>_<who>.ann``."""
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for name, (text, anns) in articles.items():
        (root / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        for who, ann in anns.items():
            (root / "attributions" / f"{name}_{who}.ann").write_text(ann, encoding="utf-8")
    return root


def test_gold_annotator_is_the_first_id_and_others_are_the_reference(tmp_path) -> None:
    ann_both = format_ann(TEXT, [SMITH, JONES])
    ann_one = format_ann(TEXT, [SMITH])
    split = write_split(tmp_path / "split", {"a": (TEXT, {"b2": ann_one, "a1": ann_both})})
    (article,) = read_polnear(split)
    assert article.annotator == "a1"
    assert len(article.relations) == 2
    assert list(article.others) == ["b2"]
    assert len(article.others["b2"]) == 1


def test_read_polnear_needs_text_and_attributions(tmp_path) -> None:
    (tmp_path / "text").mkdir()
    with pytest.raises(FileNotFoundError, match="attributions"):
        read_polnear(tmp_path)


# --- writing brat ----------------------------------------------------------------------------


def test_format_ann_round_trip_keeps_the_spans() -> None:
    brown = relation("E3", "Brown", "said", "“We will vote no,”")
    brown = BratRelation("E3", brown.source, (at(TEXT, "said", 1),),
                         (at(TEXT, "“We will vote no,”"), at(TEXT, "“and so will others.”")))
    no_source = BratRelation("E4", (), (at(TEXT, "claimed"),), (at(TEXT, "the plan fails"),))
    relations = [SMITH, brown, no_source]
    ann = format_ann(TEXT, relations)
    assert "Attribution-no-source" in ann
    again = parse_ann(ann, TEXT)
    assert [(r.source, r.cue, r.content) for r in again] == \
        [(r.source, r.cue, r.content) for r in relations]
    for line in ann.splitlines():
        if line.startswith("T"):
            _, places, covered = line.split("\t")
            spans = [tuple(map(int, p.split())) for p in places.split(" ", 1)[1].split(";")]
            assert covered == " ".join(TEXT[s:e] for s, e in spans)


def test_format_ann_splits_spans_at_line_breaks() -> None:
    content = (at(TEXT, "taxes")[0], at(TEXT, "others.”")[1])
    rel = BratRelation("E1", (), (at(TEXT, "said"),), (content,))
    (again,) = parse_ann(format_ann(TEXT, [rel]), TEXT)
    assert len(again.content) == 2
    assert all("\n" not in TEXT[s:e] for s, e in again.content)
    score = scores([rel], [again])
    assert score["content_f1"] == 1.0


def test_format_ann_skips_whitespace_only_relations() -> None:
    blank = BratRelation("E1", (), (), ((8, 10),))  # the blank line after the title
    assert format_ann(TEXT, [blank, SMITH]).count("\nE") == 1
    assert format_ann(TEXT, []) == ""


def test_write_predictions_names_the_file_after_article_and_annotator(tmp_path) -> None:
    path = write_predictions(tmp_path / "out", "art", TEXT, [SMITH])
    assert path == tmp_path / "out" / "art_unspin.ann"
    assert parse_ann(path.read_text(encoding="utf-8"), TEXT)[0].content == SMITH.content


def test_to_brat_cuts_source_and_cue_out_of_a_surrounding_quote(nlp) -> None:
    (rel,) = predict_relations(TEXT.split("\n\n")[0] + "\n\n" + TEXT.split("\n\n")[2], nlp)
    text = "Tax plan\n\n" + TEXT.split("\n\n")[2]
    assert [text[s:e] for s, e in rel.source] == ["Brown"]
    words = " ".join(text[s:e] for s, e in rel.content)
    assert "We will vote no" in words and "so will others" in words
    assert "Brown" not in words and "said" not in words
    assert to_brat([]) == []


# --- end to end ------------------------------------------------------------------------------

ARTICLES = {
    "one_2016-01-01_vote": (
        "Senate vote delayed\n\nSmith said that the vote will be delayed. "
        "The bill has 40 pages.\n",
        [("Smith", "said", "the vote will be delayed")],
    ),
    "two_2016-01-02_talks": (
        "Talks resume\n\n“We are ready to talk,” Jones said. The meeting is on Monday.\n",
        [("Jones", "said", "“We are ready to talk,”")],
    ),
}


def test_evaluate_polnear_end_to_end(tmp_path, nlp, monkeypatch) -> None:
    monkeypatch.setattr(unspin.nlp, "load_spacy", lambda: nlp)
    files = {}
    for name, (text, rels) in ARTICLES.items():
        gold = [relation(f"E{k}", *parts, text=text) for k, parts in enumerate(rels, 1)]
        files[name] = (text, {"4e07": format_ann(text, gold)})
    split = write_split(tmp_path / "dev", files)
    out = tmp_path / "predictions"
    result = evaluate_polnear(split, out)
    assert result["articles"] == 2
    assert result["gold_relations"] == 2
    assert result["matched_relations"] == 2
    assert result["source_f1"] == 1.0
    assert result["cue_f1"] == 1.0
    assert result["content_recall"] == 1.0
    assert result["content_precision"] >= 0.8  # "that" may be taken into the content
    assert result["human_pairs"] == 0
    written = sorted(p.name for p in out.glob("*.ann"))
    assert written == [f"{name}_unspin.ann" for name in sorted(ARTICLES)]
    text = ARTICLES["two_2016-01-02_talks"][0]
    again = parse_ann((out / "two_2016-01-02_talks_unspin.ann").read_text(encoding="utf-8"), text)
    assert [r.source for r in again] == [(at(text, "Jones"),)]


def test_evaluate_polnear_on_an_empty_split_is_an_error(tmp_path) -> None:
    split = write_split(tmp_path / "empty", {})
    with pytest.raises(FileNotFoundError, match="no annotated articles"):
        evaluate_polnear(split)


def test_predict_relations_keeps_offsets_of_windows_line_breaks(nlp) -> None:
    text = "Senate vote delayed\r\n\r\nSmith said that the vote will be delayed.\r\n"
    (rel,) = predict_relations(text, nlp)
    assert [text[s:e] for s, e in rel.source] == ["Smith"]
    assert [text[s:e] for s, e in rel.cue] == ["said"]
    assert predict_relations("  \n", nlp) == []
