"""``unspin eval BENCHMARK SPLIT_DIR``: score the shipped models on a split, optionally
writing the predictions in the gold files' formats."""

from __future__ import annotations

import sys
from pathlib import Path

from unspin.errors import InputError


def evaluate(benchmark: str, split_dir: Path, predictions_dir: Path | None = None) -> dict:
    """Scores of the shipped models on ``split_dir`` (laid out like the training data)."""
    if not split_dir.is_dir():
        raise InputError(f"no such folder: {split_dir}")
    if benchmark == "ptc":
        return _techniques(benchmark, split_dir, predictions_dir)
    if benchmark == "semeval2023":
        return {**_techniques(benchmark, split_dir, predictions_dir),
                **_genre_frames(split_dir, predictions_dir)}
    if benchmark == "checkworthy":
        from unspin.evaluate.heads_eval import evaluate_checkworthy

        scores = evaluate_checkworthy(split_dir, predictions_dir)
        return {"benchmark": benchmark, "split": str(split_dir), **scores}
    if benchmark == "polnear":
        from unspin.evaluate.polnear import evaluate_polnear

        try:
            return evaluate_polnear(split_dir, predictions_dir)
        except (FileNotFoundError, ValueError) as err:
            raise InputError(str(err)) from None
    if benchmark == "flags":
        from unspin.evaluate.flags import evaluate_flags

        return evaluate_flags(split_dir, predictions_dir)
    if benchmark == "extraction":
        from unspin.evaluate.extraction import evaluate_extraction

        return evaluate_extraction(split_dir, predictions_dir)
    if benchmark in ("fnc1", "arc"):
        from unspin.evaluate.consistency_eval import evaluate_stance

        return {"benchmark": benchmark, "split": str(split_dir),
                **evaluate_stance(split_dir, predictions_dir)}
    if benchmark in ("babe", "basil"):
        from unspin.evaluate.loaded_eval import evaluate_babe, evaluate_basil

        scorer = evaluate_babe if benchmark == "babe" else evaluate_basil
        return {"benchmark": benchmark, "split": str(split_dir),
                **scorer(split_dir, predictions_dir)}
    raise InputError(f"unknown benchmark {benchmark}")


def _genre_frames(split_dir: Path, predictions_dir: Path | None) -> dict:
    """Genre and frames scores when the split has ``articles-genre-frames/`` and the framing
    model ships; nothing otherwise (a split of paragraph-level articles only)."""
    from unspin.evaluate.heads_eval import evaluate_genre_frames
    from unspin.models import has_model

    if not (split_dir / "articles-genre-frames").is_dir() or not has_model("framing"):
        return {}
    return evaluate_genre_frames(split_dir, predictions_dir)


def _techniques(benchmark: str, split_dir: Path, predictions_dir: Path | None) -> dict:
    from unspin.evaluate import datasets
    from unspin.evaluate.techniques import encode_articles, load_split, score_ptc, score_semeval
    from unspin.techniques import TechniqueModel, load_encoder

    if not (split_dir / "articles").is_dir():
        raise InputError(f"{split_dir} has no articles/ folder")
    articles = load_split(benchmark, split_dir)
    if not articles:
        raise InputError(f"no articles in {split_dir / 'articles'}")
    model = TechniqueModel.load()
    encoder = load_encoder()
    print(f"encoding {len(articles)} articles...", file=sys.stderr)
    items = encode_articles(articles, encoder.encode)
    preds: dict = {}
    if benchmark == "ptc":
        scores = score_ptc([(items, model.heads)], model.config, predictions=preds)
        if predictions_dir:
            datasets.write_ptc_predictions(predictions_dir, preds["si"], preds["tc"])
    else:
        scores = score_semeval([(items, model.heads)], model.config, predictions=preds)
        if predictions_dir:
            datasets.write_semeval_predictions(predictions_dir, preds["paragraphs"],
                                               preds["spans"])
    return {"benchmark": benchmark, "split": str(split_dir), **scores}
