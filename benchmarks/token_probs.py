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


def piece_probs(text: str, floor: float) -> dict:
    """The shipped thresholds and every word piece of ``text`` at or above ``floor``."""
    models = Analyzer().models
    article = parse_text(text)
    encoded = models.encode(article.text, article_parts(article))
    technique_model = models.techniques
    config = technique_model.config
    alone = inside_probs(article.text, encoded, technique_model.heads, 0.0)
    prior = inside_probs(article.text, encoded, technique_model.heads, config.word_weight)
    pieces = []
    for window, p_alone, p_prior in zip(encoded.windows, alone, prior, strict=True):
        for (start, end), unit, a, b in zip(window.offsets, window.units, p_alone, p_prior,
                                            strict=True):
            if unit >= 0 and max(a, b) >= floor:
                pieces.append({"text": article.text[start:end], "start": start, "end": end,
                               "model": round(float(a), 3), "with_prior": round(float(b), 3)})
    return {"si_threshold": config.si_threshold, "si_low": config.si_low,
            "word_weight": config.word_weight, "pieces": pieces}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--floor", type=float, default=0.2)
    args = parser.parse_args()
    print(json.dumps(piece_probs(args.article.read_text(encoding="utf-8"), args.floor),
                     indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
