"""``unspin batch``: analyse a corpus in worker processes or on Dask, into resumable Parquet.

Execution: a local process pool (``workers`` processes; each loads the models once and caps
its ONNX Runtime and BLAS threads at one, so workers do not oversubscribe the cores), or a
Dask distributed cluster (``dask="tcp://HOST:8786"``, or ``"local:N"`` to start a local one),
both through the same :class:`concurrent.futures.Executor` interface. Items go out in tasks of
``task_size`` articles and at most two tasks per worker are in flight, so the input streams
and memory stays flat however large the corpus is.

Output (:mod:`unspin.batch.tables`): ``OUT/<table>/part-NNNNNN.parquet`` for every table, plus
``OUT/_chunks/part-NNNNNN.json``, the manifest of the ids that chunk holds. A chunk's Parquet
files are written to temporary names and renamed, then its manifest is written (also by
rename): a chunk counts only once its manifest exists. On start, part files without a manifest
(a run killed while writing) are deleted, and every id in a manifest is skipped, so running the
same command again after ``kill -9`` continues with no article lost and none twice.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from unspin.batch.inputs import Item, count_items, read_items
from unspin.batch.tables import TABLES, empty_rows, error_rows, report_rows, to_table
from unspin.errors import FetchError, InputError, LanguageError, ModelError, UnspinError

_PART = re.compile(r"^part-(\d{6})\.parquet$")
_STAGES = ((FetchError, "fetch"), (LanguageError, "language"), (ModelError, "model"))


@dataclass
class BatchOptions:
    """Everything a batch run can be told; one place for its limits."""

    out: Path
    workers: int = 2
    dask: str | None = None
    task_size: int = 8
    chunk_size: int = 256
    allow_private: bool = False
    progress: bool = True


@dataclass
class BatchSummary:
    """What a run did: items analysed and failed now, skipped as already done, chunks written."""

    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    chunks: int = 0
    seconds: float = 0.0
    errors_by_stage: dict[str, int] = field(default_factory=dict)


# --- in the worker -------------------------------------------------------------------------


def _limit_threads() -> None:
    """One compute thread per worker process (set before the models load)."""
    for name in ("UNSPIN_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def analyse_task(items: list[Item], allow_private: bool = False) -> dict[str, list[dict]]:
    """Rows of every table for ``items``: reports for the articles, ``errors`` rows for the
    rest. Never raises for a bad item: its error (and the stage that failed) becomes a row."""
    _limit_threads()
    from unspin.article import fetch_url
    from unspin.pipeline import analyze

    rows = empty_rows()
    for item in items:
        stage = item.stage
        try:
            if item.error is not None:
                raise InputError(item.error)
            article = item.article
            if article is None:
                stage = "fetch"
                article = fetch_url(item.url or "", allow_private=allow_private)
            stage = "analyze"
            part = report_rows(item.id, item.input, analyze(article))
        except UnspinError as err:
            kind = next((name for cls, name in _STAGES if isinstance(err, cls)), stage)
            part = error_rows(item.id, item.input, stage if stage != "analyze" else kind,
                              str(err))
        except Exception as err:  # a bug in one article must not stop the corpus
            part = error_rows(item.id, item.input, "bug", f"{type(err).__name__}: {err}")
        for name in TABLES:
            rows[name].extend(part[name])
    return rows


# --- in the driver -------------------------------------------------------------------------


class ChunkStore:
    """The output folder: finished ids, and chunks written atomically."""

    def __init__(self, out: Path):
        self.out = out
        self.manifests = out / "_chunks"
        for name in (*TABLES, "_chunks"):
            (out / name).mkdir(parents=True, exist_ok=True)
        self.done: set[str] = set()
        finished: set[int] = set()
        for path in sorted(self.manifests.glob("part-*.json")):
            finished.add(int(path.stem.split("-")[1]))
            self.done.update(json.loads(path.read_text(encoding="utf-8"))["ids"])
        self._clean(finished)
        self.next_chunk = max(finished, default=0) + 1
        self.buffer = empty_rows()
        self.ids: list[str] = []

    def _clean(self, finished: set[int]) -> None:
        """Delete temporary files and the part files of chunks that never got a manifest."""
        for name in (*TABLES, "_chunks"):
            for path in (self.out / name).iterdir():
                match = _PART.match(path.name)
                if path.name.endswith(".tmp") or (match and int(match[1]) not in finished):
                    path.unlink()

    def add(self, rows: dict[str, list[dict]], ids: list[str]) -> None:
        for name in TABLES:
            self.buffer[name].extend(rows[name])
        self.ids.extend(ids)

    def flush(self) -> bool:
        """Write the buffered rows as one chunk; False when there was nothing to write."""
        if not self.ids:
            return False
        name = f"part-{self.next_chunk:06d}"
        for table in TABLES:
            final = self.out / table / f"{name}.parquet"
            tmp = final.with_name(final.name + ".tmp")
            pq.write_table(to_table(table, self.buffer[table]), tmp)
            os.replace(tmp, final)
        manifest = self.manifests / f"{name}.json"
        tmp = manifest.with_name(manifest.name + ".tmp")
        tmp.write_text(json.dumps({"ids": self.ids}), encoding="utf-8")
        os.replace(tmp, manifest)
        self.done.update(self.ids)
        self.next_chunk += 1
        self.buffer, self.ids = empty_rows(), []
        return True


def _tasks(items: Iterable[Item], store: ChunkStore, size: int, summary: BatchSummary
           ) -> Iterator[list[Item]]:
    """Items not done yet, in tasks of ``size``. An id seen twice in this input is a duplicate:
    it becomes an error row of stage "duplicate" (id suffixed "#dupN"), so that the rows of
    all tables still account for every input item."""
    seen: set[str] = set()
    task: list[Item] = []
    for item in items:
        if item.id in store.done:
            summary.skipped += 1
            continue
        if item.id in seen:
            summary.duplicates += 1
            item = Item(f"{item.id}#dup{summary.duplicates}", item.input,
                        error=f"same id as an earlier item ({item.id})", stage="duplicate")
            if item.id in store.done:
                summary.skipped += 1
                continue
        seen.add(item.id)
        task.append(item)
        if len(task) >= size:
            yield task
            task = []
    if task:
        yield task


def _executor(options: BatchOptions) -> tuple[cf.Executor, object | None]:
    """The executor for ``options`` and, for Dask, the client to close afterwards."""
    if options.dask is None:
        import multiprocessing

        return cf.ProcessPoolExecutor(max_workers=options.workers,
                                      mp_context=multiprocessing.get_context("spawn"),
                                      initializer=_limit_threads), None
    from distributed import Client, LocalCluster

    if options.dask.startswith("local:"):
        n = int(options.dask.split(":", 1)[1] or options.workers)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
    else:
        client = Client(options.dask)
    return client.get_executor(pure=False), client


def run_batch(source: str, options: BatchOptions) -> BatchSummary:
    """Analyse every item of ``source`` into ``options.out``; see the module docstring."""
    started = time.perf_counter()
    summary = BatchSummary()
    items = read_items(source)
    store = ChunkStore(options.out)
    total = count_items(source)
    executor, client = _executor(options)
    limit = 2 * max(1, options.workers if options.dask is None else _dask_workers(client))
    with _progress(options.progress, total, len(store.done)) as advance:
        try:
            pending: set[cf.Future] = set()
            for task in _tasks(items, store, options.task_size, summary):
                pending.add(executor.submit(analyse_task, task, options.allow_private))
                if len(pending) >= limit:
                    pending = _collect(pending, store, options, summary, advance)
            while pending:
                pending = _collect(pending, store, options, summary, advance)
            summary.chunks += store.flush()
        finally:
            _shut_down(executor, client)
    summary.seconds = time.perf_counter() - started
    return summary


def _shut_down(executor: cf.Executor, client) -> None:
    """Stop the workers (and, for Dask, the client and a cluster started here)."""
    if client is None:
        executor.shutdown(wait=True, cancel_futures=True)
        return
    executor.shutdown(wait=True)
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def _dask_workers(client) -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def _collect(pending: set[cf.Future], store: ChunkStore, options: BatchOptions,
             summary: BatchSummary, advance) -> set[cf.Future]:
    """Wait for at least one task, store its rows, flush full chunks; the still pending."""
    done, rest = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
    for future in done:
        rows = future.result()
        ids = [r["id"] for r in rows["articles"]] + [r["id"] for r in rows["errors"]]
        store.add(rows, ids)
        summary.analysed += len(rows["articles"])
        summary.failed += len(rows["errors"])
        for row in rows["errors"]:
            summary.errors_by_stage[row["stage"]] = summary.errors_by_stage.get(row["stage"],
                                                                                0) + 1
        advance(len(ids))
        if len(store.ids) >= options.chunk_size:
            summary.chunks += store.flush()
    return rest


class _progress:
    """A rich progress bar (articles, articles/s, time left) or nothing."""

    def __init__(self, show: bool, total: int | None, already: int):
        self.show, self.total, self.already = show, total, already
        self.bar = None

    def __enter__(self):
        if not self.show:
            return lambda n: None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]} articles/s"), TimeRemainingColumn(),
                            transient=False)
        self.bar.start()
        total = None if self.total is None else max(0, self.total - self.already)
        task = self.bar.add_task("batch", total=total, rate="-")
        started = time.perf_counter()
        count = [0]

        def advance(n: int) -> None:
            count[0] += n
            rate = count[0] / max(1e-9, time.perf_counter() - started)
            self.bar.update(task, advance=n, rate=f"{rate:.1f}")

        return advance

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
