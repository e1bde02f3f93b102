"""How close each word of an article comes to a technique span, by the shipped model.

    python benchmarks/token_probs.py [ARTICLE] [--floor 0.2]

For every word piece of the article (default: the shared example): the model's probability
that it lies inside a persuasion span, alone and with the word prior at its shipped weight
(the latter is what the decoder thresholds). Pieces under ``--floor`` in both are left out.
Prints one JSON object with the shipped start and growth thresholds, so that a reader can see
which words nearly made a span and by how much (docs/benchmarks.md quotes it for the example).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from unspin.article import parse_text
from unspin.pipeline import Analyzer, article_parts
from unspin.techniques import inside_probs

EXAMPLE = Path(__file__).resolve().parents[2] / "shared/data/examples/000_82c52a8aa8fc80f9.txt"


def piece_probabilities(analyzer: Analyzer, text: str, weights: tuple[float, ...]
                        ) -> tuple[str, list[tuple[int, int, list[float]]]]:
    """The article text as parsed from ``text``, and each of its word pieces as
    ``(start, end, probabilities)``: its probability of lying inside a persuasion span, one
    per word prior weight in ``weights``, from one encoder pass."""
    article = parse_text(text)
    encoded = analyzer.models.encode(article.text, article_parts(article))
    heads = analyzer.models.techniques.heads
    per_weight = [inside_probs(article.text, encoded, heads, w) for w in weights]
    pieces = []
    for n, window in enumerate(encoded.windows):
        for t, ((start, end), unit) in enumerate(zip(window.offsets, window.units, strict=True)):
            if unit >= 0:
                pieces.append((start, end, [float(probs[n][t]) for probs in per_weight]))
    return article.text, pieces


def piece_probs(text: str, floor: float) -> dict:
    """The shipped thresholds and every word piece of ``text`` at or above ``floor``."""
    analyzer = Analyzer()
    config = analyzer.models.techniques.config
    article_text, pieces = piece_probabilities(analyzer, text, (0.0, config.word_weight))
    return {"si_threshold": config.si_threshold, "si_low": config.si_low,
            "word_weight": config.word_weight,
            "pieces": [{"text": article_text[start:end], "start": start, "end": end,
                        "model": round(alone, 3), "with_prior": round(prior, 3)}
                       for start, end, (alone, prior) in pieces if max(alone, prior) >= floor]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--floor", type=float, default=0.2)
    args = parser.parse_args()
    print(json.dumps(piece_probs(args.article.read_text(encoding="utf-8"), args.floor),
                     indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
