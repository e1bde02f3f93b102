"""Stance of a headline against a body, scored as FNC-1 scores it (``unspin eval fnc1|arc``).

A split is a folder with ``bodies.csv`` (``Body ID``, ``articleBody``) and ``stances.csv``
(``Headline``, ``Body ID`` and, when labelled, ``Stance``): the FNC-1 layout, which ARC shares.
:func:`evaluate_stance` predicts every row with the shipped model
(:class:`unspin.consistency.ConsistencyModel`) and, when the rows are labelled, returns

- ``fnc_score``: the FNC-1 weighted score as a fraction of the best possible
  (:func:`unspin.evaluate.metrics.fnc_score`);
- ``macro_f1`` over the four classes and ``f1`` per class (the weighted score rewards guessing
  ``discuss``, so read both);
- ``confusion``: ``{gold: {predicted: count}}``.

With ``predictions_dir`` it writes ``predictions_dir/stances.csv`` (``Headline``, ``Body ID``,
``Stance``, one row per input row, in the input's order).

A body is split into paragraphs at its line breaks and into sentences by the same spaCy
pipeline as the analysis (a sentence never crosses a paragraph), so the model sees the
sentences it sees in a report.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from unspin.errors import InputError

LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = (0, 1, 2)


@dataclass(frozen=True)
class StanceRow:
    headline: str
    body_id: str
    stance: str | None


def _read_csv(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path} lacks the column(s) {', '.join(missing)}")
        return list(reader)


def read_split(split_dir: str | Path) -> tuple[dict[str, str], list[StanceRow]]:
    """``({body id: body text}, rows)`` of an FNC-1-layout split. Raises InputError for a
    missing file or column, an unknown stance, or a row whose body is not in bodies.csv."""
    split_dir = Path(split_dir)
    bodies = {r["Body ID"].strip(): r["articleBody"]
              for r in _read_csv(split_dir / "bodies.csv", ("Body ID", "articleBody"))}
    raw = _read_csv(split_dir / "stances.csv", ("Headline", "Body ID"))
    rows = []
    for i, r in enumerate(raw, start=2):
        stance = (r.get("Stance") or "").strip().lower() or None
        if stance is not None and stance not in LABELS:
            raise InputError(f"{split_dir / 'stances.csv'} line {i}: unknown stance {stance!r}")
        body_id = r["Body ID"].strip()
        if body_id not in bodies:
            raise InputError(f"{split_dir / 'stances.csv'} line {i}: Body ID {body_id} is not "
                             "in bodies.csv")
        rows.append(StanceRow(r["Headline"], body_id, stance))
    return bodies, rows


def write_stances(directory: str | Path, rows: Sequence[StanceRow], stances: Sequence[str]
                  ) -> Path:
    """``directory/stances.csv`` with Headline, Body ID, Stance (in ``rows``' order)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "stances.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for row, stance in zip(rows, stances, strict=True):
            writer.writerow([row.headline, row.body_id, stance])
    return path


# --- bodies into sentences ----------------------------------------------------------------------


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """The non-empty lines of ``text``, stripped: ``[(start, end)]``."""
    out = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def body_sentences(nlp, text: str) -> list[tuple[int, int]]:
    """The sentences of a body as ``(start, end)``, trimmed, none crossing a paragraph
    (:func:`paragraph_spans`); spaCy's parser finds the sentence ends, as in the analysis."""
    import bisect

    from unspin.nlp import parse
    from unspin.report import strip_range

    paragraphs = paragraph_spans(text)
    if not paragraphs:
        return []
    starts = [a for a, _ in paragraphs]
    doc = parse(nlp, text, starts)
    out = []
    for sent in doc.sents:
        start, end = strip_range(text, sent.start_char, sent.end_char)
        if start >= end:
            continue
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and start < paragraphs[k][1]:
            end = min(end, paragraphs[k][1])
        out.append((start, end))
    return out


def sentencizer():
    """The analysis' spaCy pipeline with only what finds sentence ends (tok2vec, parser)
    enabled, as a context manager yielding the pipeline."""
    from contextlib import contextmanager

    from unspin.nlp import load_spacy

    @contextmanager
    def cm():
        nlp = load_spacy()
        keep = [n for n in ("tok2vec", "parser") if n in nlp.pipe_names]
        with nlp.select_pipes(enable=keep):
            yield nlp

    return cm()


def split_bodies(bodies: dict[str, str], progress: bool = False
                 ) -> dict[str, list[tuple[int, int]]]:
    """``{body id: sentence spans}`` for every body."""
    out = {}
    with sentencizer() as nlp:
        for i, (bid, text) in enumerate(bodies.items()):
            out[bid] = body_sentences(nlp, text)
            if progress and i and i % 500 == 0:
                print(f"  split {i}/{len(bodies)} bodies", file=sys.stderr)
    return out


# --- scores -------------------------------------------------------------------------------------


def label_ids(labels: Iterable[str]) -> np.ndarray:
    index = {name: k for k, name in enumerate(LABELS)}
    return np.asarray([index[str(x).strip().lower()] for x in labels], dtype=np.int64)


def confusion(pred: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """[4, 4] counts, rows gold, columns predicted (class ids in :data:`LABELS` order)."""
    m = np.zeros((4, 4), dtype=np.int64)
    np.add.at(m, (np.asarray(gold), np.asarray(pred)), 1)
    return m


def fnc_from_confusion(m: np.ndarray) -> np.ndarray:
    """FNC-1 relative score of one or many confusion matrices ([..., 4, 4])."""
    m = np.asarray(m, dtype=np.float64)
    rel = list(RELATED)
    related_right = m[..., rel, :][..., :, rel].sum(axis=(-1, -2))
    unrelated_right = m[..., 3, 3]
    exact = m[..., 0, 0] + m[..., 1, 1] + m[..., 2, 2]
    earned = 0.25 * (related_right + unrelated_right) + 0.75 * exact
    best = m[..., rel, :].sum(axis=(-1, -2)) + 0.25 * m[..., 3, :].sum(axis=-1)
    return earned / np.maximum(best, 1e-12)


def f1_from_confusion(m: np.ndarray) -> np.ndarray:
    """Per-class F1 ([..., 4]) of confusion matrices; 0 where undefined."""
    m = np.asarray(m, dtype=np.float64)
    tp = np.diagonal(m, axis1=-2, axis2=-1)
    fp = m.sum(axis=-2) - tp
    fn = m.sum(axis=-1) - tp
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)


def scores(pred: Sequence[int] | np.ndarray, gold: Sequence[int] | np.ndarray) -> dict:
    """``fnc_score``, ``macro_f1``, per-class ``f1``, ``confusion`` and ``pairs`` of class
    ids (:data:`LABELS` order)."""
    m = confusion(np.asarray(pred), np.asarray(gold))
    f1 = f1_from_confusion(m)
    return {"pairs": int(m.sum()), "fnc_score": float(fnc_from_confusion(m)),
            "macro_f1": float(f1.mean()),
            "f1": {name: float(v) for name, v in zip(LABELS, f1, strict=True)},
            "confusion": {g: {p: int(m[i, j]) for j, p in enumerate(LABELS)}
                          for i, g in enumerate(LABELS)}}


def bootstrap(pred: np.ndarray, gold: np.ndarray, clusters: Sequence, n: int = 2000,
              seed: int = 13, other: np.ndarray | None = None) -> dict:
    """95% intervals of ``fnc_score`` and ``macro_f1`` by resampling ``clusters`` (e.g. body
    ids: the pairs of one body are not independent) with replacement. With ``other`` (the
    predictions of another system on the same pairs), also the interval of the differences
    (this minus other)."""
    _, cid = np.unique(np.asarray([str(c) for c in clusters]), return_inverse=True)
    k = int(cid.max()) + 1 if len(cid) else 0
    per = np.zeros((k, 4, 4), dtype=np.float64)
    np.add.at(per, (cid, np.asarray(gold), np.asarray(pred)), 1)
    per_o = None
    if other is not None:
        per_o = np.zeros((k, 4, 4), dtype=np.float64)
        np.add.at(per_o, (cid, np.asarray(gold), np.asarray(other)), 1)
    rng = np.random.default_rng(seed)
    fnc, mf1, d_fnc, d_mf1 = [], [], [], []
    for _ in range(n):
        w = np.bincount(rng.integers(0, k, k), minlength=k).astype(np.float64)
        m = np.tensordot(w, per, axes=1)
        a, b = fnc_from_confusion(m), f1_from_confusion(m).mean()
        fnc.append(a)
        mf1.append(b)
        if per_o is not None:
            mo = np.tensordot(w, per_o, axes=1)
            d_fnc.append(a - fnc_from_confusion(mo))
            d_mf1.append(b - f1_from_confusion(mo).mean())

    def ci(values):
        return [round(float(np.percentile(values, 2.5)), 4),
                round(float(np.percentile(values, 97.5)), 4)]

    out = {"fnc_score_ci95": ci(fnc), "macro_f1_ci95": ci(mf1), "bootstrap": n,
           "clusters": k}
    if per_o is not None:
        out.update(fnc_score_diff_ci95=ci(d_fnc), macro_f1_diff_ci95=ci(d_mf1))
    return out


# --- evaluation ---------------------------------------------------------------------------------


def predict_split(bodies: dict[str, str], rows: Sequence[StanceRow], model=None,
                  sentences: dict[str, list[tuple[int, int]]] | None = None
                  ) -> tuple[list[str], np.ndarray]:
    """Stances and probabilities [n, 4] of ``rows`` (bodies split with :func:`split_bodies`
    unless ``sentences`` are given)."""
    from unspin.consistency import ConsistencyModel, index_body, pair_features

    model = model or ConsistencyModel.load()
    needed = {r.body_id for r in rows}
    if sentences is None:
        sentences = split_bodies({b: bodies[b] for b in bodies if b in needed})
    index = {b: index_body(bodies[b], sentences[b], model.idf) for b in needed}
    if not rows:
        return [], np.zeros((0, 4))
    X = np.stack([pair_features(r.headline, index[r.body_id], model.idf) for r in rows])
    probs = model.proba(X)
    return [model.config.labels[k] for k in model.decide(probs)], probs


def evaluate_stance(split_dir: str | Path, predictions_dir: str | Path | None = None, *,
                    model=None) -> dict:
    """Scores of the shipped stance model (or ``model``) on an FNC-1-layout split; see the
    module docstring. An unlabelled split is predicted (and written) but not scored."""
    split_dir = Path(split_dir)
    if not split_dir.is_dir():
        raise InputError(f"no such folder: {split_dir}")
    bodies, rows = read_split(split_dir)
    if not rows:
        raise InputError(f"no rows in {split_dir / 'stances.csv'}")
    print(f"judging {len(rows)} headline-body pairs over {len(bodies)} bodies...",
          file=sys.stderr)
    stances, _ = predict_split(bodies, rows, model)
    out: dict = {"split": str(split_dir), "pairs": len(rows),
                 "bodies": len({r.body_id for r in rows})}
    if all(r.stance is not None for r in rows):
        out.update(scores(label_ids(stances), label_ids([r.stance for r in rows])))
    if predictions_dir is not None:
        out["predictions"] = str(write_stances(predictions_dir, rows, stances))
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Score the stance model on an FNC-1 split.")
    parser.add_argument("split_dir", type=Path)
    parser.add_argument("--predictions", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        print(json.dumps(evaluate_stance(args.split_dir, args.predictions), indent=2))
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
