"""How long story grouping takes on 10,000 articles (``unspin compare`` at corpus scale).

Synthetic articles, so that the measurement needs no analysis run: events of 1 to 12 articles
spread over a year; each article draws 250 words from the background vocabulary (by document
frequency, as news does) and 15 of its event's 25 own words, names 3 of its event's 5 entities
plus 2 common ones, and has an embedding near its event's (mean half) with noise; 5% of the
articles have no date. Times :func:`unspin.compare.grouping.features_from_parts` (TF-IDF
vectors and sketches) and :func:`unspin.compare.grouping.group_stories` (candidate search
and scoring), and scores the grouping against the synthetic events as a sanity check.

    python benchmarks/compare_scale.py [--articles 10000] [--seed 0] [--undated 0.05]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

import numpy as np


def synthetic(n: int, seed: int, undated: float):
    from unspin.compare.lexical import background

    rng = np.random.default_rng(seed)
    _, df = background()
    vocab = np.array(sorted(df))
    p = np.array([df[w] for w in vocab], dtype=np.float64)
    p /= p.sum()
    common_names = ["trump", "obama", "washington", "congress", "china", "russia", "biden"]
    counts, names, dates, embeddings, events = [], [], [], [], []
    event = 0
    dim = 384
    while len(counts) < n:
        size = int(min(rng.geometric(0.3), 12))
        own = [f"ev{event}w{k}" for k in range(25)]
        own_names = [f"ev{event}name{k}" for k in range(5)]
        day = float(rng.integers(18000, 18365))
        centre = rng.normal(0, 1, dim)
        for _ in range(size):
            if len(counts) >= n:
                break
            c = Counter(rng.choice(vocab, 250, p=p).tolist())
            c.update(rng.choice(own, 15, replace=False).tolist())
            counts.append(c)
            names.append(set(rng.choice(own_names, 3, replace=False).tolist())
                         | set(rng.choice(common_names, 2, replace=False).tolist()))
            dates.append(None if rng.random() < undated else day + float(rng.integers(-2, 3)))
            mean = 5.0 + 0.15 * centre + 0.15 * rng.normal(0, 1, dim)
            embeddings.append(np.concatenate([mean, np.abs(mean)]).astype(np.float32))
            events.append(event)
        event += 1
    return counts, names, dates, np.stack(embeddings), events


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--undated", type=float, default=0.05)
    args = parser.parse_args(argv)

    from unspin.compare.grouping import features_from_parts, group_stories
    from unspin.evaluate.compare_eval import grouping_scores, labels_of

    started = time.perf_counter()
    counts, names, dates, embeddings, events = synthetic(args.articles, args.seed, args.undated)
    made = time.perf_counter() - started

    t0 = time.perf_counter()
    features = features_from_parts(counts, names, dates, embeddings)
    features.sketch()
    t1 = time.perf_counter()
    stories = group_stories(features)
    t2 = time.perf_counter()
    result = {
        "articles": args.articles,
        "undated_share": args.undated,
        "synthetic_seconds": round(made, 1),
        "features_seconds": round(t1 - t0, 2),
        "grouping_seconds": round(t2 - t1, 2),
        "total_seconds": round(t2 - t0, 2),
        "stories_of_two_or_more": sum(1 for s in stories if len(s) > 1),
        **grouping_scores(labels_of(stories, len(events)), events),
    }
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
