"""Throughput of ``unspin batch`` against one article at a time, spaCy alone and the encoder
alone, over the same articles, in one run (ratios hold on a noisy shared machine; absolute
figures do not).

    python benchmarks/throughput.py [--data ../shared/data] [--articles 120] [--machines 50]

Prints a JSON object: words/s and articles/s of each way, the ratio of ``batch`` with 2
workers to one at a time, the peak resident memory of a batch worker, and a projection of the
hours for 10 million articles on a Dask cluster of ``--machines`` machines, with its
assumptions written out.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


def corpus(data: Path, n: int) -> list[dict]:
    """Up to ``n`` SemEval-2023 and PTC training articles as records (title first line)."""
    paths = sorted((data / "semeval2023" / "train" / "articles-genre-frames").glob("*.txt"))
    paths += sorted((data / "ptc" / "train" / "articles").glob("*.txt"))
    records = []
    for path in paths[:n]:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        if body.strip():
            records.append({"id": path.stem, "title": title.strip(), "text": body.strip()})
    return records


def one_at_a_time(records: list[dict]) -> float:
    """Seconds for the in-process pipeline over every record, one call each."""
    from unspin.article import parse_record
    from unspin.errors import UnspinError
    from unspin.pipeline import Analyzer

    analyzer = Analyzer()
    analyzer(parse_record(records[0]))  # models loaded before the clock starts
    started = time.perf_counter()
    for record in records:
        with contextlib.suppress(UnspinError):
            analyzer(parse_record(record))
    return time.perf_counter() - started


def batch(records: list[dict], workers: int) -> tuple[float, int]:
    """Seconds for ``unspin batch`` with ``workers`` processes (model loading included)."""
    from unspin.batch import BatchOptions, run_batch

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        summary = run_batch(str(source), BatchOptions(out=Path(tmp) / "out", workers=workers,
                                                      progress=False))
    return summary.seconds, summary.analysed


def spacy_alone(texts: list[str]) -> float:
    from unspin.nlp import load_spacy

    nlp = load_spacy()
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - started


def encoder_alone(texts: list[str]) -> float:
    from unspin.encoder import Unit
    from unspin.evaluate.techniques import line_units
    from unspin.techniques import load_encoder

    encoder = load_encoder()
    started = time.perf_counter()
    for text in texts:
        encoder.encode(text, [u for _, u in line_units(text)] or [Unit(0, len(text))])
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--machines", type=int, default=50)
    parser.add_argument("--cores-per-machine", type=int, default=16)
    args = parser.parse_args()
    records = corpus(args.data, args.articles)
    if not records:
        print(f"no articles under {args.data}", file=sys.stderr)
        return 2
    texts = [f"{r['title']}\n\n{r['text']}" for r in records]
    words = sum(len(t.split()) for t in texts)
    seconds = {"one_at_a_time": one_at_a_time(records), "spacy_alone": spacy_alone(texts),
               "encoder_alone": encoder_alone(texts)}
    analysed = {}
    for workers in (1, 2):
        seconds[f"batch_{workers}_workers"], analysed[workers] = batch(records, workers)
    worker_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rate = {k: round(words / v) for k, v in seconds.items()}
    per_core = len(records) / seconds["batch_2_workers"] / 2
    cores = args.machines * args.cores_per_machine
    hours = 10_000_000 / (per_core * cores) / 3600
    print(json.dumps({
        "articles": len(records), "words": words, "analysed_by_batch": analysed,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "words_per_second": rate,
        "articles_per_second": {k: round(len(records) / v, 2) for k, v in seconds.items()},
        "batch_2_workers_over_one_at_a_time": round(
            seconds["one_at_a_time"] / seconds["batch_2_workers"], 2),
        "peak_worker_rss_mb": round(worker_peak_mb),
        "projection_10M_articles": {
            "hours": round(hours, 1), "machines": args.machines,
            "cores_per_machine": args.cores_per_machine,
            "assumptions": "one single-threaded worker per core, each as fast as one of the two "
                           "workers here (articles of this corpus's length), scheduling and "
                           "Parquet writing overhead included as measured here, input already "
                           "on the cluster (no fetching)",
        },
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
