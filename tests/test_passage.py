"""`unspin classify`: the techniques of one passage a user chose, judged in its article."""

from __future__ import annotations

import json

import pytest

from unspin.article import load_article
from unspin.cli import main
from unspin.errors import InputError
from unspin.passage import check_span, locate_passage

TEXT = "Title\n\nThe mayor called it “a  total\ndisaster” on Monday. A total disaster, again."


def test_locate_passage_exact_first_occurrence():
    start, end = locate_passage(TEXT, "  total disaster, ")
    assert TEXT[start:end] == "total disaster,"
    start, end = locate_passage(TEXT, "on Monday")
    assert TEXT[start:end] == "on Monday"


def test_locate_passage_ignores_whitespace_and_quote_style():
    start, end = locate_passage(TEXT, 'called it "a total disaster"')
    assert TEXT[start:end] == "called it “a  total\ndisaster”"


@pytest.mark.parametrize("passage", ["", "   ", "a total catastrophe"])
def test_locate_passage_refuses_what_is_not_there(passage):
    with pytest.raises(InputError):
        locate_passage(TEXT, passage)


def test_check_span_trims_whitespace_and_refuses_bad_ranges():
    assert check_span(TEXT, 5, 12) == (7, 12)
    for start, end in [(5, 5), (9, 3), (-1, 4), (0, len(TEXT) + 1)]:
        with pytest.raises(InputError):
            check_span(TEXT, start, end)
    with pytest.raises(InputError, match="whitespace"):
        check_span(TEXT, 5, 7)


def test_classify_names_the_loaded_language_of_the_example(example_path, capsys):
    assert main(["classify", str(example_path), "--passage", "relentless aerial assaults"]) == 0
    out = json.loads(capsys.readouterr().out)
    text = load_article(example_path).text
    assert text[out["start"]:out["end"]] == out["text"] == "relentless aerial assaults"
    names = [t["technique"] for t in out["techniques"]]
    assert len(names) == len(set(names)) == 23
    scores = [t["score"] for t in out["techniques"]]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=0.01)
    assert names[0] == "Loaded_Language"

    assert main(["classify", str(example_path), "--span", f"{out['start']}:{out['end']}",
                 "--top", "3"]) == 0
    by_span = json.loads(capsys.readouterr().out)
    assert by_span["techniques"] == out["techniques"][:3]


@pytest.mark.parametrize("args", [["--passage", "not in this article at all"],
                                  ["--span", "12-40"], ["--span", "40:12"],
                                  ["--span", "0:999999"]])
def test_classify_bad_passage_is_one_line_and_exit_2(example_path, args, capsys):
    assert main(["classify", str(example_path), *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unspin: error: "), captured.err


def test_classify_python_api_matches_the_offsets(example_path):
    from unspin import classify

    article = load_article(example_path)
    result = classify(article, (0, 40))
    assert article.text[result.start:result.end] == result.text
    assert result.techniques[0].score >= result.techniques[-1].score


PORT = __import__("pathlib").Path(__file__).resolve().parents[1] / "examples" / "port_strike.txt"


@pytest.mark.parametrize(("passage", "uses"), [
    ("Port Authority chair Miriam Okafor said on Tuesday", False),
    ("Reckless Union Bosses Hold Harbour City Hostage", True),
])
def test_classify_can_say_a_passage_uses_no_technique(passage, uses, capsys):
    """A softmax always names a technique; ``uses_technique`` says whether the passage holds
    a token the analysis would start a span at."""
    from unspin.models import has_model

    if not has_model("techniques"):
        pytest.skip("the technique model is not installed")
    assert main(["classify", str(PORT), "--passage", passage, "--top", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["uses_technique"] is uses
    assert 0.0 <= out["inside"] <= 1.0 and (out["inside"] >= 0.3) is uses
