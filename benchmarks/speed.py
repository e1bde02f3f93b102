"""Speed of unspin on one machine: cold start, warm time per article, technique stage.

    python benchmarks/speed.py [ARTICLE] [--repeat N]

- cold: wall time of `unspin analyze ARTICLE --format json` in a fresh process (imports,
  spaCy and model loading included), median of 3;
- warm: time per article with the Analyzer already loaded, median of N;
- technique stage: encoder pass + heads on a ~600-word article (the article repeated or cut
  to 600 words), median of N, with the thread count ONNX Runtime uses by default (the
  heads run numpy's BLAS on one thread, see unspin.heads.one_blas_thread).
Prints one JSON object; results go in docs/benchmarks.md with this command.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "shared/data/examples/000_82c52a8aa8fc80f9.txt"


def cold(path: Path) -> float:
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "unspin", "analyze", str(path), "--format", "json"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def six_hundred_words(text: str) -> str:
    words = text.split(" ")
    while len(words) < 600:
        words = words + words
    return " ".join(words[:600])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("article", nargs="?", type=Path, default=EXAMPLE)
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args()
    from unspin.encoder import Unit
    from unspin.pipeline import Analyzer
    from unspin.techniques import predict

    text = args.article.read_text(encoding="utf-8")
    analyzer = Analyzer()
    analyzer(text)
    warm = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        analyzer(text)
        warm.append(time.perf_counter() - t)
    model = analyzer.models.techniques
    result = {"article": str(args.article), "cpu_count": os.cpu_count(),
              "cold_start_s": round(cold(args.article), 3),
              "warm_per_article_ms": round(1000 * statistics.median(warm), 1)}
    if model is not None:
        body = six_hundred_words(" ".join(text.split("\n")[2:]))
        paragraphs, pos = [], 0
        for chunk in body.split(". "):
            paragraphs.append(Unit(pos, pos + len(chunk)))
            pos += len(chunk) + 2
        stage = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            enc = analyzer.models.encoder.encode(body, paragraphs)
            predict(body, enc, len(paragraphs), model.heads, model.labels, model.config)
            stage.append(time.perf_counter() - t)
        result["technique_stage_600_words_ms"] = round(1000 * statistics.median(stage), 1)
        result["windows_600_words"] = len(enc.windows)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
