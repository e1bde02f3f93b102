"""Throughput of ``unspin batch`` against one article at a time, ``Analyzer.pipe`` in process,
spaCy alone and the encoder alone, over the same articles, in one run (ratios hold on a noisy
shared machine; absolute figures do not).

    python benchmarks/throughput.py [--data ../shared/data] [--articles 120] [--long 0]
                                    [--machines 50] [--cores-per-machine 16]

Prints a JSON object: words/s and articles/s of each way, the ratio of ``batch`` with 2
workers to one at a time, the seconds per stage of ``Analyzer.pipe``, the peak resident memory
of each batch worker (sampled every 0.2 s), the growth of spaCy's vocabulary over the distinct
articles, and a projection of the hours for 10 million articles on ``--machines`` machines of
``--cores-per-machine`` cores, with its assumptions written out. With ``--long N``, instead
of all that, a longer run: ``unspin batch`` with 1 worker over the same articles repeated to N
(each copy its own id), the worker's resident memory sampled every second, start against end.

The four ways (one at a time, ``pipe``, ``batch`` with 1 and with 2 workers) run in two
rounds over half the articles each, the second round in the opposite order, so that a load
that drifts during the run (the machine is shared) weighs on all of them alike; the cores
that other processes kept busy during each way are reported beside it. Words are
whitespace-separated words of title and text. ``batch`` times include starting the workers
and loading their models, once per round; ``batch_start_up`` is a batch of one article with
one worker, and ``*_steady`` the batch times less one start-up per round (the workers of a
run start side by side), what a long corpus run sees; one at a time and ``pipe`` start with
the models loaded. One at a time and ``pipe`` run in this process with ONNX Runtime's default
threads (all cores), a batch worker on one thread.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil


def corpus(data: Path, n: int) -> list[dict]:
    """Up to ``n`` distinct SemEval-2023 and PTC training articles as records (title first
    line); the two sets share articles, so a text seen already is skipped."""
    sets = [("semeval", data / "semeval2023" / "train" / "articles-genre-frames"),
            ("ptc", data / "ptc" / "train" / "articles")]
    records, seen = [], set()
    for name, folder in sets:
        for path in sorted(folder.glob("*.txt")):
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            digest = hashlib.sha1(body.strip().encode()).hexdigest()
            if body.strip() and digest not in seen and len(records) < n:
                seen.add(digest)
                records.append({"id": f"{name}-{path.stem}", "title": title.strip(),
                                "text": body.strip()})
    return records


class MemorySampler:
    """Resident memory of this process's children (the batch workers), sampled every
    ``every`` seconds in a thread: each child's peak, and a time series of the largest."""

    def __init__(self, every: float = 0.2):
        self.every = every
        self.peaks: dict[int, int] = {}
        self.series: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(self.every):
            largest = 0
            for child in me.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)
                largest = max(largest, rss)
            if largest:
                self.series.append((time.perf_counter() - self.started, largest))

    def worker_peaks_mb(self, at_least_mb: int = 200) -> list[int]:
        """Peak MB of each child that grew past ``at_least_mb`` (the workers, not helpers)."""
        return sorted((round(v / 2**20) for v in self.peaks.values() if v >= at_least_mb << 20),
                      reverse=True)


def articles_of(records: list[dict]):
    from unspin.article import parse_record

    return [parse_record(r) for r in records]


def one_at_a_time(analyzer, articles) -> float:
    """Seconds for ``analyzer(article)`` over every article, one call each."""
    started = time.perf_counter()
    for article in articles:
        analyzer(article)
    return time.perf_counter() - started


def in_process_pipe(analyzer, articles, batch_size: int = 16) -> tuple[float, dict[str, float]]:
    """Seconds for :meth:`Analyzer.pipe` over every article, and the seconds of each stage
    (the same loop as ``pipe``, with a clock around every stage)."""
    from unspin.stages import Analysis

    stages = analyzer.stages()
    per_stage = {s.name: 0.0 for s in stages}
    started = time.perf_counter()
    for b in range(0, len(articles), batch_size):
        batch = [Analysis(a) for a in articles[b:b + batch_size]]
        for stage in stages:
            t = time.perf_counter()
            stage.pipe(batch)
            per_stage[stage.name] += time.perf_counter() - t
    return time.perf_counter() - started, {k: round(v, 1) for k, v in per_stage.items()}


def batch(records: list[dict], workers: int, every: float = 0.2
          ) -> tuple[float, int, MemorySampler]:
    """Seconds for ``unspin batch`` with ``workers`` processes (starting them and loading
    their models included), articles analysed, and the workers' memory."""
    from unspin.batch import BatchOptions, run_batch

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        with MemorySampler(every) as memory:
            summary = run_batch(str(source), BatchOptions(out=Path(tmp) / "out",
                                                          workers=workers, progress=False))
    return summary.seconds, summary.analysed, memory


def spacy_alone(texts: list[str]) -> tuple[float, dict[str, int]]:
    """Seconds for a fresh spaCy pipeline's ``nlp.pipe`` over the texts, and its vocabulary
    (strings and lexemes) before and after."""
    import spacy

    from unspin.nlp import SPACY_PACKAGES

    nlp = spacy.load(SPACY_PACKAGES[-1])
    before = {"strings": len(nlp.vocab.strings), "lexemes": len(nlp.vocab)}
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    seconds = time.perf_counter() - started
    return seconds, {"strings_before": before["strings"], "strings_after": len(nlp.vocab.strings),
                     "lexemes_before": before["lexemes"], "lexemes_after": len(nlp.vocab)}


def encoder_alone(analyzer, articles) -> float:
    """Seconds for the shared encoder's one pass over each article's parts."""
    from unspin.pipeline import article_parts

    if analyzer.models.encoder is None:
        return float("nan")
    parts = [article_parts(a) for a in articles]
    started = time.perf_counter()
    for article, units in zip(articles, parts, strict=True):
        analyzer.models.encode(article.text, units)
    return time.perf_counter() - started


def long_run(records: list[dict], total: int) -> dict:
    """``unspin batch`` with 1 worker over ``records`` repeated to ``total`` articles: the
    worker's resident memory at the start, at every tenth of the run and at the end."""
    copies = [{**r, "id": f"{r['id']}#{k}"} for k in range(total // len(records) + 1)
              for r in records][:total]
    seconds, analysed, memory = batch(copies, 1, every=1.0)
    series = memory.series
    tenths = [round(series[min(len(series) - 1, int(len(series) * f / 10))][1] / 2**20)
              for f in range(11)] if series else []
    return {
        "articles": total, "analysed": analysed, "seconds": round(seconds, 1),
        "articles_per_second": round(analysed / seconds, 2),
        "worker_rss_mb_by_tenth_of_the_run": tenths,
        "worker_rss_mb_start": tenths[1] if tenths else None,
        "worker_rss_mb_end": tenths[-1] if tenths else None,
        "worker_rss_mb_peak": next(iter(memory.worker_peaks_mb()), None),
        "note": "start = after a tenth of the run (models loaded, first chunk written)",
    }


def projection(per_core: float, machines: int, cores: int, words: float) -> dict:
    """Hours for 10 million articles at ``per_core`` articles/s per core."""
    hours = 10_000_000 / (per_core * machines * cores) / 3600
    return {
        "hours": round(hours, 1), "machines": machines, "cores_per_machine": cores,
        "machines_for_24_hours": -(-10_000_000 // int(per_core * cores * 86_400)),
        "articles_per_second_per_core": round(per_core, 2),
        "assumptions": f"one single-threaded batch worker per core (under 1 GB each, so 16 GB "
                       f"for 16 cores), each as fast as one of the two workers here in steady "
                       f"state (2 shared cores, so likely conservative), articles of this "
                       f"corpus's length ({words:.0f} words on average; time grows about "
                       f"linearly with length), scheduling and Parquet writing included as "
                       f"measured here, start-up (seconds a worker) negligible over hours, the "
                       f"input already on the machines (no fetching), Dask's per-task overhead "
                       f"(tasks of 8 articles) negligible",
    }


class CpuOfOthers:
    """The cores that processes other than this one and its children kept busy while the
    block ran (the machine is shared): system busy time minus our own, over the wall time."""

    def __enter__(self) -> CpuOfOthers:
        self.wall, self.busy, self.own = time.perf_counter(), _busy(), _own()
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self.wall
        self.cores = max(0.0, (_busy() - self.busy - (_own() - self.own)) / wall)


def _busy() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def _own() -> float:
    t = psutil.Process().cpu_times()
    return t.user + t.system + t.children_user + t.children_system


WAYS = ("one_at_a_time", "pipe_in_process", "batch_1_workers", "batch_2_workers")


def compare_ways(analyzer, records: list[dict]) -> dict:
    """The four ways over the same articles, in two rounds (each over half the articles, the
    second in the opposite order, so that a load that drifts during the run weighs on every
    way alike): seconds summed, other processes' busy cores averaged, the seconds of each
    stage of ``pipe``, articles analysed and the peak memory of each batch worker."""
    halves = [records[: len(records) // 2], records[len(records) // 2:]]
    with CpuOfOthers() as cpu:
        start_up = batch(records[:1], 1)[0]
    seconds = dict.fromkeys(WAYS, 0.0)
    others = dict.fromkeys(WAYS, 0.0)
    per_stage: dict[str, float] = {}
    analysed, peaks = {1: 0, 2: 0}, {1: [], 2: []}
    for round_number, half in enumerate(halves):
        articles = articles_of(half)
        for way in (WAYS if round_number == 0 else WAYS[::-1]):
            with CpuOfOthers() as cpu:
                if way == "one_at_a_time":
                    seconds[way] += one_at_a_time(analyzer, articles)
                elif way == "pipe_in_process":
                    took, stages = in_process_pipe(analyzer, articles)
                    seconds[way] += took
                    per_stage = {k: round(per_stage.get(k, 0.0) + v, 1) for k, v in stages.items()}
                else:
                    workers = int(way.split("_")[1])
                    took, done, memory = batch(half, workers)
                    seconds[way] += took
                    analysed[workers] += done
                    peaks[workers] = sorted(peaks[workers] + memory.worker_peaks_mb(),
                                            reverse=True)[:workers]
            others[way] += cpu.cores / len(halves)
    others["batch_start_up"] = cpu.cores
    for workers in (1, 2):
        seconds[f"batch_{workers}_workers_steady"] = (seconds[f"batch_{workers}_workers"]
                                                      - len(halves) * start_up)
    seconds["batch_start_up"] = start_up
    return {"seconds": seconds, "others_busy_cores": {k: round(v, 2) for k, v in others.items()},
            "pipe_seconds_by_stage": per_stage, "analysed_by_batch": analysed,
            "peak_worker_rss_mb": {f"batch_{w}_workers": v for w, v in peaks.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--long", type=int, default=0,
                        help="only the longer run, over this many articles")
    parser.add_argument("--machines", type=int, default=50)
    parser.add_argument("--cores-per-machine", type=int, default=16)
    args = parser.parse_args()
    records = corpus(args.data, args.articles)
    if not records:
        print(f"no articles under {args.data}", file=sys.stderr)
        return 2
    if args.long:
        print(json.dumps({"long_run": long_run(records, args.long)}, indent=2))
        return 0
    from unspin.pipeline import Analyzer

    texts = [f"{r['title']}\n\n{r['text']}" for r in records]
    words = sum(len(t.split()) for t in texts)
    analyzer = Analyzer()
    analyzer(articles_of(records[:1])[0])  # models loaded before the clocks start
    process_mb = round(psutil.Process().memory_info().rss / 2**20)
    ways = compare_ways(analyzer, records)
    seconds = ways.pop("seconds")
    with CpuOfOthers() as cpu:
        seconds["spacy_alone"], vocabulary = spacy_alone(texts)
        seconds["encoder_alone"] = encoder_alone(analyzer, articles_of(records))
    ways["others_busy_cores"]["spacy_and_encoder_alone"] = round(cpu.cores, 2)
    rates = {k: v for k, v in seconds.items() if k != "batch_start_up"}
    result = {
        "articles": len(records), "words": words,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "words_per_second": {k: round(words / v) for k, v in rates.items()},
        "articles_per_second": {k: round(len(records) / v, 2) for k, v in rates.items()},
        "batch_2_workers_over_one_at_a_time": round(
            seconds["one_at_a_time"] / seconds["batch_2_workers"], 2),
        "batch_2_workers_over_one_at_a_time_steady": round(
            seconds["one_at_a_time"] / seconds["batch_2_workers_steady"], 2),
        **ways,
        "in_process_rss_mb_after_loading": process_mb,
        "spacy_vocabulary_over_these_articles": vocabulary,
        "projection_10M_articles": projection(len(records) / seconds["batch_2_workers_steady"]
                                              / 2,
                                              args.machines, args.cores_per_machine,
                                              words / len(records)),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
