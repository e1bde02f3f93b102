"""Scoring the genre, frames and check-worthiness heads on a split, with the official metrics.

- :func:`evaluate_genre_frames`: a SemEval-2023 split (``articles-genre-frames/``,
  ``genre.labels``, ``frames.labels``): genre macro-F1 and frames micro-F1. Each article is
  encoded once with its non-empty lines as units (the first line is the title).
- :func:`evaluate_checkworthy`: a CheckThat! split (``sentences.tsv``): F1, precision and
  recall of the Yes class. Each sentence is its own unit.

Both use the shipped models and encoder unless others are passed, and with ``predictions_dir``
write the predictions in the gold files' formats (``genre.labels`` and ``frames.labels``;
``sentences.tsv`` with ``Sentence_id`` and ``class_label``). A split without label files is
predicted (and written) but not scored.
"""

from __future__ import annotations

import sys
from pathlib import Path

from unspin.encoder import Unit
from unspin.errors import InputError


def article_units(text: str) -> list[Unit]:
    """The units of a benchmark article: its non-empty lines, stripped (title first)."""
    from unspin.evaluate.techniques import line_units

    return [u for _, u in line_units(text)]


def _encoder(encoder):
    if encoder is not None:
        return encoder
    from unspin.techniques import load_encoder

    return load_encoder()


def evaluate_genre_frames(split_dir: str | Path, predictions_dir: str | Path | None = None, *,
                          model=None, encoder=None, genre_model=None) -> dict:
    """Genre macro-F1 of ``genre_model`` (default: the shipped
    :class:`~unspin.genre.GenreModel`) and frames micro-F1 of ``model`` (default: the shipped
    :class:`~unspin.framing.FramingModel`) on a SemEval-2023 split.

    Returns ``genre_macro_f1`` (over articles listed in ``genre.labels``), ``frames_micro_f1``
    with its precision and recall (over all articles when ``frames.labels`` exists: an article
    it does not list has no frames), the frames threshold and the number of articles, and how
    many articles got no frames because the frame model's evidence was under its floor (the
    pipeline's rule, :meth:`~unspin.framing.FramingModel.judged`)."""
    from unspin.evaluate.datasets import read_semeval_articles, write_genre_frames
    from unspin.evaluate.metrics import genre_macro_f1, micro_f1
    from unspin.framing import FramingModel, article_token_ids
    from unspin.genre import GenreModel
    from unspin.taxonomy import FRAME_NAMES

    split_dir = Path(split_dir)
    try:
        docs = read_semeval_articles(split_dir)
    except (FileNotFoundError, ValueError) as err:
        raise InputError(str(err)) from None
    if not docs:
        raise InputError(f"no articles in {split_dir / 'articles-genre-frames'}")
    model = model or FramingModel.load()
    genre_model = genre_model or GenreModel.load()
    encoder = _encoder(encoder)
    print(f"encoding {len(docs)} articles...", file=sys.stderr)
    pred_genre: dict[str, str] = {}
    pred_frames: dict[str, list[str]] = {}
    not_judged = 0
    for doc in docs:
        units = article_units(doc.text)
        encoded = encoder.encode(doc.text, units) if units else None
        ids = article_token_ids(encoded) if encoded else None
        frames, evidence = model.frames_and_evidence(encoded, ids) if encoded else ([], 0.0)
        judged = bool(frames) and model.judged(evidence)
        not_judged += not judged
        pred_genre[doc.id] = (genre_model.predict(doc.text, ids).label if encoded
                              else "reporting")
        pred_frames[doc.id] = [f.frame for f in model.present(frames)] if judged else []
    scores: dict = {"genre_frames_articles": len(docs), "frames_threshold": model.threshold,
                    "frames_evidence_floor": model.evidence_floor,
                    "frames_not_judged": not_judged}
    gold_genre = {d.id: d.genre for d in docs if d.genre is not None}
    if gold_genre:
        scores["genre_macro_f1"] = genre_macro_f1(
            {k: pred_genre[k] for k in gold_genre}, gold_genre)["f1"]
    if (split_dir / "frames.labels").exists():
        prf = micro_f1({d.id: pred_frames[d.id] for d in docs},
                       {d.id: [f for f in d.frames if f in FRAME_NAMES] for d in docs},
                       FRAME_NAMES)
        scores.update(frames_micro_f1=prf["f1"], frames_micro_precision=prf["precision"],
                      frames_micro_recall=prf["recall"])
    if predictions_dir is not None:
        write_genre_frames(predictions_dir, pred_genre, pred_frames)
    return scores


def evaluate_checkworthy(split_dir: str | Path, predictions_dir: str | Path | None = None, *,
                         model=None, encoder=None) -> dict:
    """F1, precision and recall of the Yes class of ``model`` (default: the shipped
    :class:`~unspin.checkworthy.CheckworthyModel`, at its threshold) on a CheckThat! split."""
    from unspin.checkworthy import CheckworthyModel
    from unspin.evaluate.datasets import read_checkworthy, write_checkworthy
    from unspin.evaluate.metrics import binary_prf

    split_dir = Path(split_dir)
    if not (split_dir / "sentences.tsv").is_file():
        raise InputError(f"{split_dir} has no sentences.tsv")
    try:
        rows = read_checkworthy(split_dir)
    except ValueError as err:
        raise InputError(str(err)) from None
    if not rows:
        raise InputError(f"no sentences in {split_dir / 'sentences.tsv'}")
    model = model or CheckworthyModel.load()
    encoder = _encoder(encoder)
    print(f"encoding {len(rows)} sentences...", file=sys.stderr)
    probs = model.score_texts(encoder.encode, [r.text for r in rows])
    pred = [bool(p >= model.threshold) for p in probs]
    scores: dict = {"sentences": len(rows), "threshold": model.threshold,
                    "predicted_yes": int(sum(pred))}
    if all(r.label is not None for r in rows):
        prf = binary_prf(pred, [r.label for r in rows])
        scores.update(f1_yes=prf["f1"], precision_yes=prf["precision"],
                      recall_yes=prf["recall"])
    if predictions_dir is not None:
        written = write_checkworthy(predictions_dir, [(r.sentence_id, p)
                                                      for r, p in zip(rows, pred, strict=True)])
        written.replace(written.with_name("sentences.tsv"))
    return scores
