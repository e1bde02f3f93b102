"""``unspin batch``: analyse a corpus in worker processes or on Dask, into resumable Parquet.

Execution: a local process pool (``workers`` processes), or a Dask distributed cluster
(``dask="tcp://HOST:8786"``, or ``"local:N"`` to start a local one), both through the same
:class:`concurrent.futures.Executor` interface. Items go out in tasks of ``task_size``
articles and at most two tasks per worker are in flight, so the input streams and memory
stays flat however large the corpus is. When the number of items is known, tasks shrink
towards the end of the run (:func:`task_size`), so that the workers finish together instead
of one idling while another analyses a last full task. Each worker process loads the models
once, holds ONNX Runtime, BLAS and OpenMP to one thread (so N workers do not oversubscribe
N cores) and analyses a task's articles as one batch (:meth:`unspin.pipeline.Analyzer.pipe`:
spaCy parses the batch in one ``nlp.pipe`` call); an article that fails is an ``errors`` row
naming its stage, and the task's other articles are still analysed.

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
from functools import lru_cache
from pathlib import Path

import pyarrow.parquet as pq

from unspin.article import Article
from unspin.batch.inputs import Item, count_items, read_items
from unspin.batch.tables import TABLES, empty_rows, error_rows, report_rows, to_table
from unspin.errors import InputError
from unspin.stages import StageError

_PART = re.compile(r"^part-(\d{6})\.parquet$")


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


THREAD_VARIABLES = ("UNSPIN_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
"""What holds a worker to one compute thread: ``UNSPIN_THREADS`` sets ONNX Runtime's
intra-op threads of both transformers (:class:`unspin.pipeline.ShippedModels`), the others the
BLAS and OpenMP pools of numpy and spaCy. Values already set in the environment are kept."""


@lru_cache(maxsize=1)
def _limit_threads() -> None:
    """One compute thread per worker process (once per process): the variables of
    :data:`THREAD_VARIABLES` (read when the models load), and the BLAS and OpenMP pools
    already loaded (numpy is imported before a worker's first task) limited to the same
    number now, through threadpoolctl."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    from threadpoolctl import threadpool_limits

    value = os.environ["OMP_NUM_THREADS"]
    threadpool_limits(limits=int(value) if value.isdigit() and int(value) > 0 else 1)


def analyse_task(items: list[Item], allow_private: bool = False) -> dict[str, list[dict]]:
    """Rows of every table for ``items``: reports for the articles, ``errors`` rows for the
    rest. The articles go through :meth:`unspin.pipeline.Analyzer.pipe` as one batch. Never
    raises for a bad item: its error, with the stage that failed ("read", "fetch",
    "duplicate", or the analysis stage's name), becomes a row."""
    _limit_threads()
    from unspin.pipeline import default_analyzer

    rows = empty_rows()
    articles: list[tuple[Item, Article]] = []
    for item in items:
        try:
            articles.append((item, _article_of(item, allow_private)))
        except Exception as err:  # one bad item must not stop the corpus
            stage = item.stage if item.error is not None else "fetch"
            _add(rows, error_rows(item.id, item.input, stage, StageError(stage, err).message))
    results = default_analyzer().pipe((a for _, a in articles), batch_size=max(1, len(items)))
    for (item, _), result in zip(articles, results, strict=True):
        if isinstance(result, StageError):
            _add(rows, error_rows(item.id, item.input, result.stage, result.message))
        else:
            _add(rows, report_rows(item.id, item.input, result))
    return rows


def _article_of(item: Item, allow_private: bool) -> Article:
    """The item's article: read already, or fetched from its URL (FetchError, InputError);
    the item's reading error raised as an InputError."""
    if item.error is not None:
        raise InputError(item.error)
    if item.article is not None:
        return item.article
    from unspin.article import fetch_url

    return fetch_url(item.url or "", allow_private=allow_private)


def _add(rows: dict[str, list[dict]], part: dict[str, list[dict]]) -> None:
    for name in TABLES:
        rows[name].extend(part[name])


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


def task_size(size: int, remaining: int | None, workers: int) -> int:
    """The size of the next task: ``size``, or, when only ``remaining`` items are left to send
    (None: not known), a share of them small enough that every one of ``workers`` gets about
    two more tasks (at least one item). The last tasks of a run are then short, and no worker
    sits idle for a full task's time while another finishes."""
    if remaining is None:
        return size
    return max(1, min(size, -(-remaining // (2 * max(1, workers)))))


def _tasks(items: Iterable[Item], store: ChunkStore, size: int, summary: BatchSummary,
           remaining: int | None = None, workers: int = 1) -> Iterator[list[Item]]:
    """Items not done yet, in tasks of ``size`` (shrinking at the end of the run when the
    ``remaining`` number of items to analyse is known, see :func:`task_size`). An id seen
    twice in this input is a duplicate: it becomes an error row of stage "duplicate" (id
    suffixed "#dupN"), so that the rows of all tables still account for every input item."""
    seen: set[str] = set()
    task: list[Item] = []
    target = task_size(size, remaining, workers)
    for item in items:
        # "seen" first: an id finished earlier in this run (its chunk already written) that
        # comes again is a duplicate, not a finished item to skip
        if item.id in seen:
            summary.duplicates += 1
            item = Item(f"{item.id}#dup{summary.duplicates}", item.input,
                        error=f"same id as an earlier item ({item.id})", stage="duplicate")
            if item.id in store.done:
                summary.skipped += 1
                continue
        elif item.id in store.done:  # finished by an earlier run
            seen.add(item.id)
            summary.skipped += 1
            continue
        seen.add(item.id)
        task.append(item)
        if len(task) >= target:
            yield task
            if remaining is not None:
                remaining -= len(task)
            task = []
            target = task_size(size, remaining, workers)
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
    workers = max(1, options.workers if options.dask is None else _dask_workers(client))
    remaining = None if total is None else max(0, total - len(store.done))
    with _progress(options.progress, total, len(store.done)) as advance:
        try:
            pending: set[cf.Future] = set()
            for task in _tasks(items, store, options.task_size, summary, remaining, workers):
                pending.add(executor.submit(analyse_task, task, options.allow_private))
                if len(pending) >= 2 * workers:
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
