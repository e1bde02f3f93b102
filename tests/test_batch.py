"""``unspin batch``: every input kind, Parquet tables whose rows add up, a real kill -9 and
resume, and a real local Dask cluster."""

from __future__ import annotations

import csv
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
import pyarrow.dataset as ds  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from unspin.batch import SCHEMAS, TABLES, BatchOptions, read_items, run_batch  # noqa: E402

TOWNS = ["Eastport", "Millbrook", "Harbour City", "Westfield", "Ashford", "Brampton",
         "Clearwater", "Dunmore", "Elmwood", "Fairhaven", "Glenrock", "Highbury"]


def article(n: int) -> dict:
    town = TOWNS[n % len(TOWNS)]
    return {
        "id": f"a{n}",
        "title": f"{town} council approves {n + 2} new bus routes",
        "text": f"The {town} council approved {n + 2} new bus routes on Tuesday, the mayor said."
                f"\n\nThe plan costs ${n + 3} million, according to the city treasurer. Critics "
                "called it a reckless waste of money.",
        "outlet": "Example Gazette" if n % 2 else "Daily Example",
        "date": "2024-03-14",
    }


FRENCH = ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites, qui sera "
          "présentée au parlement la semaine prochaine selon plusieurs sources proches.")
SHARED_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc" / "train" / (
    "articles")


def write_jsonl(path: Path, records: list[dict], bad_line: bool = False) -> Path:
    lines = [json.dumps(r) for r in records]
    if bad_line:
        lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def table(out: Path, name: str) -> list[dict]:
    return ds.dataset(out / name, format="parquet", schema=SCHEMAS[name]).to_table().to_pylist()


def test_every_input_kind_gives_the_same_items(tmp_path: Path) -> None:
    records = [article(n) for n in range(3)]
    jsonl = write_jsonl(tmp_path / "a.jsonl", records)
    with (tmp_path / "a.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "a.parquet")
    (tmp_path / "a.json").write_text(json.dumps(records), encoding="utf-8")
    for source in (jsonl, tmp_path / "a.csv", tmp_path / "a.parquet", tmp_path / "a.json"):
        items = list(read_items(str(source)))
        assert [i.id for i in items] == ["a0", "a1", "a2"], source
        assert all(i.article is not None and i.error is None for i in items)
        assert items[1].article.outlet == "Example Gazette"
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text("Title one\n\nA body that says something.", "utf-8")
    (folder / "sub" / "two.html").write_text(
        "<html><head><title>Two</title></head><body><article><p>" + "Words of the body. " * 20
        + "</p></article></body></html>", "utf-8")
    (folder / "empty.txt").write_text("", "utf-8")
    (folder / "skip.png").write_bytes(b"\x89PNG")
    items = list(read_items(str(folder)))
    assert [Path(i.input).name for i in items] == ["empty.txt", "one.txt", "two.html"]
    assert items[0].error and items[1].article and items[2].article


class FeedHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        body = (f"<html><head><title>Story {self.path}</title></head><body><article><p>"
                + "The council met on Monday and approved the budget, the mayor said. " * 5
                + "</p></article></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def feed(tmp_path: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    items = "".join(f"<item><title>S{n}</title><link>{base}/s{n}</link><guid>g{n}</guid></item>"
                    for n in range(2))
    path = tmp_path / "feed.rss"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}'
                    "<item><title>no link</title></item></channel></rss>", encoding="utf-8")
    yield path
    server.shutdown()


def test_a_feed_is_fetched_entry_by_entry_under_the_url_rules(tmp_path: Path, feed: Path) -> None:
    refused = run_batch(str(feed), BatchOptions(out=tmp_path / "no", workers=1, progress=False))
    assert refused.analysed == 0 and refused.errors_by_stage == {"read": 1, "fetch": 2}
    assert all("refusing to fetch" in r["error"] for r in table(tmp_path / "no", "errors")
               if r["stage"] == "fetch")
    allowed = run_batch(str(feed), BatchOptions(out=tmp_path / "yes", workers=1,
                                                progress=False, allow_private=True))
    assert allowed.analysed == 2
    assert sorted(r["id"] for r in table(tmp_path / "yes", "articles")) == ["g0", "g1"]


def test_tables_add_up_and_keep_exact_offsets(tmp_path: Path) -> None:
    records = [article(n) for n in range(4)] + [article(0)]  # the last repeats an id
    records.insert(2, {"id": "fr", "title": "Titre", "text": FRENCH})
    source = write_jsonl(tmp_path / "in.jsonl", records, bad_line=True)
    out = tmp_path / "out"
    summary = run_batch(str(source), BatchOptions(out=out, workers=2, chunk_size=2,
                                                  progress=False))
    assert (summary.analysed, summary.failed, summary.duplicates) == (4, 3, 1)
    articles, errors = table(out, "articles"), table(out, "errors")
    assert sorted(r["id"] for r in articles) == ["a0", "a1", "a2", "a3"]
    assert sorted(r["stage"] for r in errors) == ["duplicate", "language", "read"]
    texts = {r["id"]: r["text"] for r in articles}
    for name in ("techniques", "claims", "flags"):
        for row in table(out, name):
            if row["start"] is not None:
                assert texts[row["id"]][row["start"]:row["end"]] == row["text"]
    assert {r["id"] for r in table(out, "claims")} <= set(texts)
    for name in TABLES:
        for part in (out / name).glob("*.parquet"):
            assert pq.read_schema(part).equals(SCHEMAS[name]), (name, part)
    again = run_batch(str(source), BatchOptions(out=out, workers=1, progress=False))
    assert (again.analysed, again.failed, again.skipped) == (0, 0, 7)
    assert len(table(out, "articles")) == 4


def test_kill_minus_nine_twice_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    records = [article(n) for n in range(24)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "unspin", "batch", str(source), "--out", str(out),
               "--workers", "1", "--chunk-size", "2", "--no-progress"]
    for wait_for in (1, 3):
        proc = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((out / "_chunks").glob("part-*.json"))) >= wait_for:
                break
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    ids = [r["id"] for r in table(out, "articles")]
    assert sorted(ids) == sorted(r["id"] for r in records)
    assert len(ids) == len(set(ids))
    assert table(out, "errors") == []


def test_a_local_dask_cluster_gives_the_same_tables(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    source = write_jsonl(tmp_path / "in.jsonl", [article(n) for n in range(3)], bad_line=True)
    summary = run_batch(str(source), BatchOptions(out=tmp_path / "out", dask="local:1",
                                                  workers=1, progress=False))
    assert (summary.analysed, summary.failed) == (3, 1)
    assert sorted(r["id"] for r in table(tmp_path / "out", "articles")) == ["a0", "a1", "a2"]


@pytest.mark.skipif(not SHARED_ARTICLES.is_dir(),
                    reason=f"{SHARED_ARTICLES} not found (../shared is not beside the checkout)")
def test_the_cli_on_two_local_dask_workers_accounts_for_every_shared_article(tmp_path) -> None:
    pytest.importorskip("distributed")
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for path in sorted(SHARED_ARTICLES.glob("*.txt"))[:6]:
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "unspin", "batch", str(corpus), "--out",
                           str(out), "--dask", "local:2", "--chunk-size", "3", "--no-progress"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    articles, errors = table(out, "articles"), table(out, "errors")
    assert len(articles) == 6 and [r["stage"] for r in errors] == ["read"], errors
    assert {Path(r["input"]).name for r in articles + errors} == {p.name for p in
                                                                  corpus.iterdir()}
    texts = {r["id"]: r["text"] for r in articles}
    for row in table(out, "techniques") + table(out, "claims"):
        assert texts[row["id"]][row["start"]:row["end"]] == row["text"]
    assert f"{len(articles)} analysed, {len(errors)} failed" in done.stderr


def test_a_worker_holds_blas_and_onnx_runtime_to_one_thread() -> None:
    code = ("import numpy, os, threadpoolctl; from unspin.batch.runner import _limit_threads; "
            "_limit_threads(); info = threadpoolctl.threadpool_info(); "
            "print(os.environ['UNSPIN_THREADS'], sorted({i['num_threads'] for i in info}))")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")
           and k != "UNSPIN_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=120, check=True).stdout.split(maxsplit=1)
    assert out[0] == "1" and out[1].strip() in ("[1]", "[]"), out


def test_cli_refuses_bad_options_and_prints_the_schema(capsys) -> None:
    from unspin.cli import main

    assert main(["batch", "--schema"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == set(TABLES)
    assert main(["batch", "nowhere.jsonl", "--out", "x", "--dask", "bogus"]) == 2
    assert main(["batch", "/nonexistent/corpus", "--out", "x", "--workers", "1"]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_tasks_shrink_at_the_end_of_a_run_and_keep_every_item(tmp_path: Path) -> None:
    from unspin.batch.inputs import Item
    from unspin.batch.runner import BatchSummary, ChunkStore, _tasks, task_size

    assert task_size(8, None, 2) == 8  # count unknown: full tasks
    assert task_size(8, 100, 2) == 8
    assert task_size(8, 12, 2) == 3
    assert task_size(8, 1, 4) == 1
    items = [Item(f"a{k}", "x") for k in range(60)]
    tasks = list(_tasks(items, ChunkStore(tmp_path / "out"), 8, BatchSummary(), 60, 2))
    sizes = [len(t) for t in tasks]
    assert [i.id for t in tasks for i in t] == [f"a{k}" for k in range(60)]
    assert sizes[0] == 8 and max(sizes[-4:]) <= 2 and sizes == sorted(sizes, reverse=True)


def test_an_id_repeated_after_its_chunk_was_written_is_still_a_duplicate(tmp_path: Path) -> None:
    from unspin.batch.inputs import Item
    from unspin.batch.runner import BatchSummary, ChunkStore, _tasks

    store, summary = ChunkStore(tmp_path / "out"), BatchSummary()
    items = [Item("a", "x"), Item("b", "x"), Item("c", "x"), Item("a", "x")]
    tasks = _tasks(items, store, 1, summary)
    first = next(tasks)
    store.done.update(i.id for i in first)  # its chunk is written while the input streams on
    rest = [i.id for t in tasks for i in t]
    assert rest == ["b", "c", "a#dup1"] and summary.duplicates == 1 and summary.skipped == 0
    # a resumed run skips what is done, the duplicate's error row included
    store.done.update(["b", "c", "a#dup1"])
    summary = BatchSummary()
    assert list(_tasks(items, store, 1, summary)) == []
    assert summary.skipped == 4 and summary.duplicates == 1
