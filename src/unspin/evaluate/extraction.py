"""``unspin eval extraction SPLIT_DIR``: how well unspin finds the article body of a web page.

A split is laid out like scrapinghub's article-extraction-benchmark: ``html/<page_id>.html.gz``
(or ``.html``) for each page and ``ground-truth.json`` = ``{page_id: {"articleBody": ...,
"url": ...}}``. Each page is read the way unspin reads an HTML file (the HTML byte decoding,
then :func:`unspin.article.html.parse_html` with the page's URL); the predicted body is the
article's body paragraphs joined by blank lines (title and captions are not body). A page
unspin refuses (:class:`InputError`) predicts ``""``. Plain ``trafilatura.extract`` is scored in
the same run as a baseline.

The metric is the benchmark's own (its ``evaluate.py``): tokens are ``\\w+`` matches (case kept,
as there), shingles are 4 consecutive tokens counted as a multiset, and each page gives tp, fp,
fn normalised to sum to 1. Precision is averaged over pages with a non-empty prediction, recall
over pages with a non-empty gold body, and F1 is the harmonic mean of those two means. So a
refused page costs recall but not precision, and empty-versus-empty is skipped by both. The mean
of per-page F1 (a refused page scores 0) is reported too. 95% intervals are percentile
bootstrap intervals over pages (1000 resamples, fixed seed).

The headline figures are over English pages only. A page counts as English when its ``<html
lang>`` is absent or English and its *gold* body scores at least 0.25 on unspin's English
function-word score (:func:`unspin.nlp.english_score`; half the 0.45 at which unspin accepts an
article, since recipe lists and results tables read low). Neither the declared language alone
(a German page declares "en") nor the score alone (an Italian page outscores an English recipe)
sorts the dev pages right. This only selects what is scored: the extractors never see the gold
text. Figures over all pages are reported as well.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from unspin.errors import InputError

NGRAM = 4
N_BOOTSTRAP = 1000
SEED = 20191120
ENGLISH_MIN_SCORE = 0.25
_TOKEN = re.compile(r"\w+", re.UNICODE)

Counts = tuple[float, float, float]  # tp, fp, fn, normalised to sum to 1 (or all 0)


# --------------------------------------------------------------------------------------------
# The metric
# --------------------------------------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """The benchmark's tokens: every ``\\w+`` run, case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Multiset of n consecutive tokens; a text of 1..n-1 tokens is one short shingle."""
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_counts(gold: str, pred: str, n: int = NGRAM) -> Counts:
    """(tp, fp, fn) over shingles of ``gold`` and ``pred``, divided by their sum."""
    true, found = shingles(gold, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in true.keys() | found.keys():
        t, p = true.get(key, 0), found.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def page_f1(counts: Counts) -> float:
    """F1 of one page; 1.0 for empty-versus-empty, 0.0 when either side alone is empty."""
    p, r = precision_score(*counts), recall_score(*counts)
    return 2 * p * r / (p + r) if p + r else 0.0


def aggregate(pages: Sequence[Counts]) -> dict[str, float]:
    """The benchmark's figures for a list of pages: f1 (of the mean precision and mean recall),
    precision, recall, and the mean of per-page F1."""
    precisions = [precision_score(*c) for c in pages if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in pages if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_page = statistics.mean(page_f1(c) for c in pages) if pages else 0.0
    return {"f1": f1, "precision": precision, "recall": recall, "f1_per_page": per_page}


def bootstrap(
    pages: Sequence[Counts], n_resamples: int = N_BOOTSTRAP, seed: int = SEED
) -> dict[str, list[float]]:
    """95% percentile intervals of :func:`aggregate`'s figures, resampling pages."""
    if not pages:
        return {}
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(n_resamples):
        sample = [pages[rng.randrange(len(pages))] for _ in pages]
        for key, value in aggregate(sample).items():
            draws.setdefault(key, []).append(value)
    return {key: _interval(values) for key, values in draws.items()}


def paired_difference(
    pages: Sequence[Counts], other: Sequence[Counts], n_resamples: int = N_BOOTSTRAP,
    seed: int = SEED,
) -> dict:
    """F1 of ``pages`` minus F1 of ``other`` (the same pages, another system), with a 95%
    interval from resampling the pages of both together."""
    point = aggregate(pages)["f1"] - aggregate(other)["f1"]
    if not pages:
        return {"f1": 0.0, "ci95": []}
    rng = random.Random(seed)
    draws = []
    for _ in range(n_resamples):
        picks = [rng.randrange(len(pages)) for _ in pages]
        draws.append(aggregate([pages[i] for i in picks])["f1"]
                     - aggregate([other[i] for i in picks])["f1"])
    return {"f1": round(point, 4), "ci95": _interval(draws)}


def _interval(values: list[float]) -> list[float]:
    ordered = sorted(values)
    low = ordered[int(0.025 * (len(ordered) - 1))]
    high = ordered[int(round(0.975 * (len(ordered) - 1)))]
    return [round(low, 4), round(high, 4)]


def summarize(pages: Sequence[Counts], n_resamples: int = N_BOOTSTRAP) -> dict:
    """Figures rounded to 4 places, each with its 95% interval under ``"ci95"``."""
    point = {key: round(value, 4) for key, value in aggregate(pages).items()}
    return {**point, "ci95": bootstrap(pages, n_resamples)}


# --------------------------------------------------------------------------------------------
# Predictions (never given the gold body)
# --------------------------------------------------------------------------------------------


def unspin_body(html: str, url: str | None) -> str:
    """The body unspin reads from a page: its body paragraphs joined by blank lines.

    Raises :class:`InputError` where unspin refuses the page.
    """
    from unspin.article.html import parse_html

    article = parse_html(html, url=url)
    return "\n\n".join(article.text[p.start : p.end] for p in article.paragraphs)


def trafilatura_body(html: str, url: str | None) -> str:
    """Plain ``trafilatura.extract`` in its default (balanced) mode; "" where it finds none."""
    import trafilatura

    return trafilatura.extract(html, url=url, favor_precision=False) or ""


def read_page(path: Path) -> str:
    """The decoded HTML of a page file (``.html`` or ``.html.gz``)."""
    from unspin.article.decoding import _decode_html_bytes

    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return _decode_html_bytes(data)


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def load_ground_truth(split_dir: Path) -> dict[str, dict]:
    """``ground-truth.json`` of a split, checked; raises :class:`InputError` when malformed."""
    path = split_dir / "ground-truth.json"
    if not path.is_file():
        raise InputError(f"{split_dir} has no ground-truth.json (not an extraction split)")
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"could not read {path}: {err}") from None
    if not isinstance(gold, dict) or not gold:
        raise InputError(f"{path} must be a non-empty object of page_id -> {{articleBody, url}}")
    for page_id, entry in gold.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("articleBody", ""), str):
            raise InputError(f"{path}: page {page_id} has no articleBody string")
    return gold


_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?\s*([A-Za-z]+)""", re.I)


def _is_english(gold_body: str, html: str) -> bool:
    """Whether a page is scored as English (see the module docstring): scoring, not predicting."""
    from unspin.nlp import english_score

    declared = _HTML_LANG.search(html[:20_000])
    if declared and declared.group(1).lower() != "en":
        return False
    return english_score(gold_body) >= ENGLISH_MIN_SCORE


def _page_path(split_dir: Path, page_id: str) -> Path:
    for name in (f"{page_id}.html.gz", f"{page_id}.html"):
        path = split_dir / "html" / name
        if path.is_file():
            return path
    raise InputError(f"{split_dir / 'html'} has no page {page_id}.html.gz")


def evaluate_extraction(
    split_dir: Path,
    predictions_dir: Path | None = None,
    *,
    n_resamples: int = N_BOOTSTRAP,
    baseline: bool = True,
) -> dict:
    """unspin's and trafilatura's body-extraction scores on an extraction split.

    With ``predictions_dir``, unspin's bodies are written to ``predictions.json`` there, in the
    ground truth's format. Raises :class:`InputError` for a folder that is not such a split.
    """
    split_dir = Path(split_dir)
    if not split_dir.is_dir():
        raise InputError(f"no such folder: {split_dir}")
    if not (split_dir / "html").is_dir():
        raise InputError(f"{split_dir} has no html/ folder (not an extraction split)")
    gold = load_ground_truth(split_dir)
    paths = {page_id: _page_path(split_dir, page_id) for page_id in gold}

    systems: dict[str, Callable[[str, str | None], str]] = {"unspin": unspin_body}
    if baseline:
        systems["trafilatura"] = trafilatura_body
    predicted: dict[str, dict[str, str]] = {name: {} for name in systems}
    refused: dict[str, dict[str, str]] = {name: {} for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    english: list[str] = []
    print(f"reading {len(gold)} pages...", file=sys.stderr)
    for page_id, path in paths.items():
        url = gold[page_id].get("url") or None
        html = read_page(path)
        if _is_english(gold[page_id].get("articleBody", ""), html):
            english.append(page_id)
        for name, extract in systems.items():
            started = time.perf_counter()
            try:
                predicted[name][page_id] = extract(html, url)
            except InputError as err:
                predicted[name][page_id] = ""
                refused[name][page_id] = str(err)
            seconds[name] += time.perf_counter() - started

    result: dict = {
        "benchmark": "extraction",
        "split": str(split_dir),
        "pages": len(gold),
        "english_pages": len(english),
        "language_rule": "English = <html lang> absent or en*, and english_score(gold body) "
        f">= {ENGLISH_MIN_SCORE}",
        "metric": f"shingles of {NGRAM} \\w+ tokens (article-extraction-benchmark); "
        f"95% percentile bootstrap, {n_resamples} resamples, seed {SEED}",
    }
    counts: dict[str, dict[str, Counts]] = {}
    for name in systems:
        counts[name] = {pid: shingle_counts(gold[pid].get("articleBody", ""), predicted[name][pid])
                        for pid in gold}
    for name in systems:
        result[name] = {
            "english": summarize([counts[name][pid] for pid in english], n_resamples),
            "all": summarize(list(counts[name].values()), n_resamples),
            "seconds": round(seconds[name], 1),
        }
        result[name]["refused"] = len(refused[name])
        result[name]["refused_english"] = sum(1 for pid in english if pid in refused[name])
        result[name]["refused_pages"] = {
            pid: {"url": gold[pid].get("url"), "reason": reason}
            for pid, reason in refused[name].items()
        }
    if baseline:
        result["unspin_minus_trafilatura_english"] = paired_difference(
            [counts["unspin"][pid] for pid in english],
            [counts["trafilatura"][pid] for pid in english],
            n_resamples,
        )
    if predictions_dir is not None:
        _write_predictions(Path(predictions_dir), predicted["unspin"])
    return result


def _write_predictions(predictions_dir: Path, bodies: dict[str, str]) -> None:
    try:
        predictions_dir.mkdir(parents=True, exist_ok=True)
        payload = {pid: {"articleBody": body} for pid, body in bodies.items()}
        (predictions_dir / "predictions.json").write_text(
            json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    except OSError as err:
        raise InputError(f"could not write predictions to {predictions_dir}: {err}") from None
