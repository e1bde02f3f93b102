"""The `unspin` command end to end, in subprocesses, including every bad input."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from spancheck import assert_exact_offsets

from unspin.cli import main
from unspin.report import report_schema

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_EXAMPLE = ROOT / "examples" / "port_strike.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "unspin", *args], input=stdin,
                          capture_output=True, timeout=120, env=env)


def test_analyze_json_validates_against_published_schema(example_text, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(example_text, encoding="utf-8")
    proc = run("analyze", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    schema = json.loads(run("schema").stdout)
    jsonschema.validate(report, schema)
    assert assert_exact_offsets(report) > 50
    assert report["text"] == example_text


def test_analyze_html_and_text_views_of_shipped_example(tmp_path):
    out = tmp_path / "report.html"
    proc = run("analyze", str(SHIPPED_EXAMPLE), "--format", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "Harbour City" in page
    proc = run("analyze", str(SHIPPED_EXAMPLE), "--format", "text", "--no-color")
    assert proc.returncode == 0
    assert "reportedly" in proc.stdout.decode()


def test_stdin_is_read_with_dash():
    proc = run("analyze", "-", "--format", "json",
               stdin=b"Mayor Resigns\n\nThe mayor reportedly resigned on Friday.")
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["title"]["text"] == "Mayor Resigns"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bad_inputs(tmp: Path) -> dict[str, str]:
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (tmp / "huge.txt").write_bytes(b"word " * 1_100_000)
    (tmp / "nomain.html").write_text("<html><head><title>x</title></head><body><nav>Home"
                                     "</nav></body></html>")
    (tmp / "french.txt").write_text(
        "Titre\n\nLe gouvernement a annoncé mardi une nouvelle réforme des retraites, qui "
        "sera présentée au parlement la semaine prochaine selon plusieurs sources.",
        encoding="utf-8")
    (tmp / "cp1252.txt").write_bytes(b"\x93Caf\xe9\x94 \xff\xfe" + bytes([0x81, 0x8d]) * 3)
    return {
        "empty": str(tmp / "empty.txt"),
        "binary": str(tmp / "binary.bin"),
        "huge": str(tmp / "huge.txt"),
        "no main text": str(tmp / "nomain.html"),
        "non-English": str(tmp / "french.txt"),
        "missing": str(tmp / "does-not-exist.txt"),
        "unreachable URL": f"http://127.0.0.1:{_closed_port()}/article",
        "bad scheme": "ftp://example.invalid/a.txt",
    }


@pytest.mark.parametrize("case", ["empty", "binary", "huge", "no main text", "non-English",
                                  "missing", "unreachable URL", "bad scheme"])
def test_bad_input_gives_one_line_and_exit_2(case, tmp_path, capsys):
    source = _bad_inputs(tmp_path)[case]
    code = main(["analyze", source, "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("unspin: error: "), captured.err
    assert "Traceback" not in captured.err


def test_bad_input_in_a_subprocess_has_no_traceback(tmp_path):
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 10)
    proc = run("analyze", str(tmp_path / "binary.bin"))
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert proc.stderr.decode().startswith("unspin: error:")


@pytest.mark.parametrize("command", [["analyze", str(SHIPPED_EXAMPLE), "--format", "json"],
                                     ["classify", str(SHIPPED_EXAMPLE), "--passage", "madness"]])
def test_output_into_a_closed_pipe_has_no_traceback(command):
    # like `unspin ... | head`: the reader is gone before unspin writes (models take a second
    # or two to load, so closing our end at once comes first)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "unspin", *command], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) in (0, 141)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err


def test_odd_encoding_is_decoded_not_crashed(tmp_path):
    text = "Café Owners Protest\n\nThe café owners reportedly protested on Monday in Nîmes."
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    proc = run("analyze", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["title"]["text"] == "Café Owners Protest"


def test_schema_is_valid_json_schema():
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for key in ("text", "title", "captions", "paragraphs", "sentences", "entities",
                "quantities", "hedges", "techniques", "claims", "sources", "consistency",
                "genre", "frames", "flags", "metrics", "versions"):
        assert key in schema["properties"]


@pytest.mark.parametrize("benchmark", ["ptc", "semeval2023", "checkworthy", "polnear"])
def test_eval_of_a_folder_that_is_not_a_split_is_a_clear_error(benchmark, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    for split in (tmp_path / "missing", tmp_path / "empty"):
        code = main(["eval", benchmark, str(split)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2
        assert len(err) == 1 and err[0].startswith("unspin: error: "), err


def test_eval_polnear_prints_scores_and_writes_brat_predictions(tmp_path):
    split = tmp_path / "split"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    text = "Mayor Jane Diaz said the budget would pass on Friday.\n"
    (split / "text" / "a1.txt").write_text(text, encoding="utf-8")
    (split / "attributions" / "a1_ann1.ann").write_text(
        "T1\tSource 0 15\tMayor Jane Diaz\n"
        "T2\tCue 16 20\tsaid\n"
        "T3\tContent 21 52\tthe budget would pass on Friday\n"
        "T4\tAttribution 16 20\tsaid\n"
        "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n", encoding="utf-8")
    preds = tmp_path / "preds"
    proc = run("eval", "polnear", str(split), "--predictions", str(preds))
    assert proc.returncode == 0, proc.stderr.decode()
    scores = json.loads(proc.stdout)
    for key in ("source_f1", "cue_f1", "content_f1", "source_precision", "content_recall"):
        assert 0.0 <= scores[key] <= 1.0
    assert scores["cue_f1"] == 1.0 and scores["source_f1"] == 1.0
    written = list(preds.glob("*.ann"))
    assert len(written) == 1 and "\tCue " in written[0].read_text(encoding="utf-8")


def _tiny_semeval_split(root: Path) -> Path:
    """A two-article SemEval-2023 split written by hand, in the real layout."""
    texts = {
        "901": "Mayor Cuts Bus Routes\n\nThe mayor cut six bus routes on Monday, the city said.\n"
               "Riders called the decision a disgrace and a betrayal of working families.\n",
        "902": "Council Backs New Park\n\nThe council voted 5 to 2 to build a park downtown.\n"
               "Construction will start in May, according to the parks department.\n",
    }
    for sub in ("articles", "articles-genre-frames"):
        (root / sub).mkdir(parents=True)
        for aid, text in texts.items():
            (root / sub / f"article{aid}.txt").write_text(text, encoding="utf-8")
    (root / "genre.labels").write_text("901\topinion\n902\treporting\n", encoding="utf-8")
    (root / "frames.labels").write_text("901\tEconomic,Political\n902\tPolitical\n",
                                        encoding="utf-8")
    (root / "paragraphs.labels").write_text(
        "901\t1\t\n901\t3\t\n901\t4\tLoaded_Language,Name_Calling-Labeling\n902\t1\t\n"
        "902\t3\t\n902\t4\t\n", encoding="utf-8")
    start = texts["901"].index("a disgrace")
    (root / "spans.labels").write_text(f"901\tLoaded_Language\t{start}\t{start + 10}\n",
                                       encoding="utf-8")
    return root


@pytest.mark.skipif(not (ROOT / "src/unspin/models/framing.npz").exists(),
                    reason="shipped models absent")
def test_eval_semeval2023_scores_techniques_genre_and_frames(tmp_path):
    split = _tiny_semeval_split(tmp_path / "split")
    preds = tmp_path / "preds"
    proc = run("eval", "semeval2023", str(split), "--predictions", str(preds))
    assert proc.returncode == 0, proc.stderr.decode()
    scores = json.loads(proc.stdout)
    for key in ("paragraph_micro_f1", "paragraph_macro_f1", "span_f1", "genre_macro_f1",
                "frames_micro_f1"):
        assert 0.0 <= scores[key] <= 1.0, key
    written = {p.name for p in preds.iterdir()}
    assert {"paragraphs.labels", "spans.labels", "genre.labels", "frames.labels"} <= written
    genre = dict(line.split("\t") for line in
                 (preds / "genre.labels").read_text(encoding="utf-8").splitlines())
    assert set(genre) == {"901", "902"}
