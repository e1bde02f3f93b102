"""Inputs that hold several articles (JSON arrays, JSON Lines) and hostile JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin.article import load_records, read_record_items
from unspin.cli import main
from unspin.errors import InputError

GOOD = {
    "title": "Council approves harbour budget",
    "text": "The city council approved a $12 million harbour budget on Tuesday, the mayor said."
            "\n\nThe vote was 7 to 2, according to the council clerk.",
}
OTHER = {
    "title": "Storm cuts power to coastal towns",
    "text": "A storm cut power to about 300 homes on Monday, the utility said.\n\n"
            "Crews expect to restore it by Wednesday, a spokesperson told reporters.",
}


def jsonl(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_every_good_line_is_read_and_every_bad_line_named() -> None:
    data = jsonl(json.dumps(GOOD), "{not json", json.dumps({"title": "no body"}), "",
                 json.dumps(OTHER), "[1, 2]")
    records = read_record_items(data)
    assert [r.label for r in records] == ["line 1", "line 2", "line 3", "line 5", "line 6"]
    assert [r.article is not None for r in records] == [True, False, False, True, False]
    assert all((r.article is None) != (r.error is None) for r in records)
    assert str(records[1].error).startswith("line 2: not valid JSON")
    assert str(records[2].error).startswith("line 3: ")
    assert "not a JSON object" in str(records[4].error)
    assert records[3].article.title.text == OTHER["title"]


def test_array_records_are_numbered() -> None:
    records = read_record_items(json.dumps([GOOD, 5, OTHER]))
    assert [r.label for r in records] == ["record 1", "record 2", "record 3"]
    assert records[1].error is not None and records[2].article is not None


def test_a_text_or_html_input_is_one_unlabelled_record() -> None:
    records = load_records("Title\n\nA body paragraph that says something, officials said.")
    assert len(records) == 1 and records[0].label == "" and records[0].error is None


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deeply_nested_json_is_refused_cleanly(depth: int) -> None:
    deep = "[" * depth + "]" * depth
    with pytest.raises(InputError, match="nested too deeply"):
        load_records(deep.encode())
    deep_line = jsonl(json.dumps(GOOD), '{"a": ' * depth + "1" + "}" * depth)
    records = load_records(deep_line.encode())
    assert records[0].article is not None
    assert "nested too deeply" in str(records[1].error)


def test_cli_analyses_every_good_article_as_json_lines(tmp_path: Path, capsys) -> None:
    source = tmp_path / "three.jsonl"
    source.write_text(jsonl(json.dumps(GOOD), "{oops", json.dumps(OTHER)), encoding="utf-8")
    assert main(["analyze", str(source), "--format", "json"]) == 2
    captured = capsys.readouterr()
    reports = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["text"][r["title"]["start"]:r["title"]["end"]] for r in reports] == [
        GOOD["title"], OTHER["title"]]
    assert "line 2: not valid JSON" in captured.err
    assert "1 of 3 articles could not be analysed" in captured.err


def test_cli_all_good_exits_zero_and_html_wants_one_article(tmp_path: Path, capsys) -> None:
    source = tmp_path / "two.json"
    source.write_text(json.dumps([GOOD, OTHER]), encoding="utf-8")
    assert main(["analyze", str(source), "--format", "json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["analyze", str(source), "--format", "html"]) == 2
    assert "one report per file" in capsys.readouterr().err


def test_cli_deep_json_is_one_line_error(tmp_path: Path, capsys) -> None:
    source = tmp_path / "deep.json"
    source.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["analyze", str(source)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nested too deeply" in err
