"""Scoring ``unspin compare`` on BASIL: story grouping and what its informational bias shows.

BASIL (Fan et al. 2019, ``../shared/data/basil/<split>``) tells each event three times (Fox
News, The New York Times, HuffPost); the articles with one ``triplet-uuid`` are one event. That
makes it a grouping benchmark: put the articles of a split into stories and compare them with
the events.

- :func:`read_basil_docs`: every article of a split as an :class:`~unspin.article.Article`
  (title, then one paragraph per BASIL paragraph, its sentences joined by single spaces,
  paragraphs separated by blank lines), with its event, outlet, date and its gold phrase spans
  (``inf`` and ``lex``) moved into the article's text.
- :func:`analyze_docs`: the Report and embedding of each (:mod:`unspin.compare.analysis`),
  cached one JSON file per article under ``cache_dir`` (keyed by the text and the unspin and
  model versions, so a changed model or text is analysed again).
- :func:`pairwise_prf`, :func:`adjusted_rand`, :func:`bcubed`: grouping metrics. Pairwise:
  precision and recall of the pairs of articles put in one story against the pairs from one
  event. ARI: Hubert and Arabie's adjusted Rand index.
- :func:`evaluate_grouping`: the shipped rule (:func:`unspin.compare.grouping.group_stories`)
  on a whole split.
- :func:`lockbox_events`: which events the threshold study never looks at.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from unspin.article import Article
from unspin.report import Report, Span, strip_range

OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
LOCKBOX_SALT = "unspin-compare-lockbox"
LOCKBOX_SHARE = 5
"""An event is in the lockbox when ``sha256(salt + triplet-uuid)`` is 0 mod 5 (about one in
five events)."""


@dataclass
class BasilDoc:
    """One BASIL article as unspin reads it, with its gold spans in ``article.text``."""

    key: str            # "<year>/<event>_<n>"
    event: str          # triplet-uuid
    source: str         # fox | nyt | hpo
    article: Article
    inf: list[Span] = field(default_factory=list)
    lex: list[Span] = field(default_factory=list)
    annotated: bool = False


def read_basil_docs(split_dir: str | Path) -> list[BasilDoc]:
    """Every article of a BASIL split (``<split>/articles/<year>/*.json``), in key order."""
    split_dir = Path(split_dir)
    folder = split_dir / "articles"
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} does not exist")
    docs = []
    for path in sorted(folder.glob("*/*.json")):
        key = f"{path.parent.name}/{path.stem}"
        data = json.loads(path.read_text(encoding="utf-8"))
        title = _flat(str(data.get("title") or "")).strip()
        sentence_spans: list[tuple[int, int]] = []   # BASIL's p<N>, in the article text
        pieces: list[str] = []
        pos = 0
        title_span = None
        if title:
            pieces.append(title)
            title_span = Span(start=0, end=len(title), text=title)
            pos = len(title)
        paragraphs = []
        for para in data.get("body-paragraphs", []):
            sents = [_flat(str(s)) for s in para]
            line = " ".join(sents)
            if not line.strip():
                sentence_spans += [(pos, pos)] * len(sents)
                continue
            if pieces:
                pieces.append("\n\n")
                pos += 2
            start = pos
            for k, s in enumerate(sents):
                if k:
                    pos += 1
                sentence_spans.append((pos, pos + len(s)))
                pos += len(s)
            pieces.append(line)
            paragraphs.append((start, pos))
        text = "".join(pieces)
        # Paragraph spans must be stripped of surrounding whitespace, as Article requires.
        para_spans = []
        for s, e in paragraphs:
            s, e = strip_range(text, s, e)
            if e > s:
                para_spans.append(Span(start=s, end=e, text=text[s:e]))
        source = str(data.get("source", "")).lower()   # a few files say "FOX", "NYT"
        article = Article(text=text, title=title_span, paragraphs=para_spans,
                          date=str(data.get("date") or "") or None,
                          outlet=OUTLETS.get(source, source or None), url=data.get("url"))
        doc = BasilDoc(key, str(data.get("triplet-uuid") or key), source, article)
        ann_path = split_dir / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        if ann_path.is_file():
            doc.annotated = True
            ann = json.loads(ann_path.read_text(encoding="utf-8"))
            for a in ann.get("phrase-level-annotations", []):
                span = _gold_span(a, text, title_span, sentence_spans)
                if span is None:
                    continue
                (doc.inf if a.get("bias") == "inf" else doc.lex).append(span)
        docs.append(doc)
    return docs


def _flat(s: str) -> str:
    return s.replace("\r", " ").replace("\n", " ")


def _gold_span(a: dict, text: str, title: Span | None,
               sentences: list[tuple[int, int]]) -> Span | None:
    """A phrase annotation as a span of the article text (None if it does not fit)."""
    raw = str(a.get("id", ""))
    if raw == "title":
        if title is None:
            return None
        s0, s1 = title.start, title.end
    elif raw.startswith("p") and raw[1:].isdigit() and int(raw[1:]) < len(sentences):
        s0, s1 = sentences[int(raw[1:])]
    else:
        return None
    start, end = s0 + int(a.get("start", 0)), s0 + int(a.get("end", 0))
    if not s0 <= start < end <= s1:
        return None
    return Span(start=start, end=end, text=text[start:end])


def lockbox_events(events: Sequence[str]) -> set[str]:
    """The events kept out of every threshold study (see :data:`LOCKBOX_SHARE`)."""
    return {e for e in set(events)
            if int(hashlib.sha256((LOCKBOX_SALT + e).encode()).hexdigest(), 16)
            % LOCKBOX_SHARE == 0}


# --- analysis with a cache ----------------------------------------------------------------------


def _versions() -> dict[str, str]:
    from unspin.pipeline import default_analyzer

    return default_analyzer().versions()


def analyze_docs(docs: Sequence[BasilDoc], cache_dir: str | Path | None = None,
                 progress: bool = False) -> tuple[list[Report], np.ndarray]:
    """The Report and the embedding of every doc, in order; ``[n, 2 * dim]`` embeddings.

    With ``cache_dir``, each result is read from (or written to) ``cache_dir/<key>.json``; an
    entry made from another text or other unspin or model versions is analysed again."""
    from unspin.compare.analysis import analyze_with_embedding

    versions = _versions()
    tag = hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()[:12]
    reports: list[Report] = []
    vectors: list[np.ndarray] = []
    for i, doc in enumerate(docs):
        a = doc.article
        text_hash = hashlib.sha256("\x00".join(
            [a.text, a.date or "", a.outlet or "", a.url or ""]).encode()).hexdigest()[:16]
        path = Path(cache_dir) / f"{doc.key.replace('/', '_')}.json" if cache_dir else None
        if path is not None and path.is_file():
            try:
                entry = json.loads(path.read_text(encoding="utf-8"))
                if entry.get("text") == text_hash and entry.get("versions") == tag:
                    reports.append(Report.model_validate(entry["report"]))
                    vectors.append(np.asarray(entry["embedding"], dtype=np.float32))
                    continue
            except (ValueError, KeyError):
                pass
        report, vector = analyze_with_embedding(doc.article)
        reports.append(report)
        vectors.append(np.asarray(vector, dtype=np.float32))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"text": text_hash, "versions": tag,
                                       "report": json.loads(report.to_json(indent=None)),
                                       "embedding": [float(x) for x in vector]}),
                           encoding="utf-8")
            tmp.replace(path)
        if progress:
            print(f"  analysed {i + 1}/{len(docs)} {doc.key}", flush=True)
    return reports, np.stack(vectors) if vectors else np.zeros((0, 0), np.float32)


# --- metrics ------------------------------------------------------------------------------------


def _pair_counts(pred: Sequence, gold: Sequence) -> tuple[int, int, int]:
    """(pairs together in both, together in pred, together in gold)."""
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predicted labels for {len(gold)} gold labels")
    joint = Counter(zip(pred, gold, strict=True))
    both = sum(c * (c - 1) // 2 for c in joint.values())
    in_pred = sum(c * (c - 1) // 2 for c in Counter(pred).values())
    in_gold = sum(c * (c - 1) // 2 for c in Counter(gold).values())
    return both, in_pred, in_gold


def pairwise_prf(pred: Sequence, gold: Sequence) -> dict[str, float]:
    """Pairwise precision, recall and F1: a pair of items is positive when both share a label.
    Precision is 1 when no pair is predicted (nothing wrongly joined)."""
    both, in_pred, in_gold = _pair_counts(pred, gold)
    p = both / in_pred if in_pred else 1.0
    r = both / in_gold if in_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def adjusted_rand(pred: Sequence, gold: Sequence) -> float:
    """The adjusted Rand index (1: identical partitions, about 0: chance)."""
    n = len(pred)
    both, in_pred, in_gold = _pair_counts(pred, gold)
    total = n * (n - 1) / 2
    if total == 0:
        return 1.0
    expected = in_pred * in_gold / total
    top = (in_pred + in_gold) / 2
    if top == expected:
        return 1.0
    return float((both - expected) / (top - expected))


def bcubed(pred: Sequence, gold: Sequence) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998), averaged over items."""
    joint = Counter(zip(pred, gold, strict=True))
    cp, cg = Counter(pred), Counter(gold)
    n = len(pred)
    if n == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    p = sum(joint[(a, b)] / cp[a] for a, b in zip(pred, gold, strict=True)) / n
    r = sum(joint[(a, b)] / cg[b] for a, b in zip(pred, gold, strict=True)) / n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def grouping_scores(pred: Sequence, gold: Sequence) -> dict[str, float]:
    """Pairwise P/R/F1, B-cubed F1 and ARI of one grouping, with the counts."""
    pw = pairwise_prf(pred, gold)
    return {"pairwise_precision": round(pw["precision"], 4),
            "pairwise_recall": round(pw["recall"], 4),
            "pairwise_f1": round(pw["f1"], 4),
            "bcubed_f1": round(bcubed(pred, gold)["f1"], 4),
            "ari": round(adjusted_rand(pred, gold), 4),
            "articles": len(pred), "events": len(set(gold)), "stories": len(set(pred))}


def labels_of(groups: Sequence[Sequence[int]], n: int) -> list[int]:
    """A label per item from a list of groups (items left out get labels of their own)."""
    label = [-1] * n
    for g, members in enumerate(groups):
        for i in members:
            label[i] = g
    nxt = len(groups)
    for i in range(n):
        if label[i] < 0:
            label[i] = nxt
            nxt += 1
    return label


# --- the shipped rule on a split -----------------------------------------------------------------


def evaluate_grouping(basil_split_dir: str | Path, cache_dir: str | Path | None = None,
                      threshold: float | None = None, progress: bool = False) -> dict:
    """Group every article of a BASIL split with the shipped rule and score it against the
    events: ``{"pairwise_precision", "pairwise_recall", "pairwise_f1", "bcubed_f1", "ari",
    "articles", "events", "stories", "threshold", "errors": [...]}``.

    Each article is analysed with the full pipeline (cached under ``cache_dir`` when given,
    e.g. ``runs/compare-cache``: about 1 s an article on 2 cores the first time)."""
    from unspin.compare.grouping import DEFAULT_THRESHOLD, group_stories, story_features

    docs = read_basil_docs(basil_split_dir)
    if not docs:
        raise FileNotFoundError(f"{basil_split_dir} has no BASIL articles")
    reports, vectors = analyze_docs(docs, cache_dir, progress=progress)
    t = DEFAULT_THRESHOLD if threshold is None else threshold
    features = story_features(reports, vectors)
    groups = group_stories(features, threshold=t)
    pred = labels_of(groups, len(docs))
    scores = grouping_scores(pred, [d.event for d in docs])
    scores["threshold"] = t
    return scores


def event_index(docs: Sequence[BasilDoc]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        out[d.event].append(i)
    return dict(out)


# --- choosing the threshold: cross-validation over events, with a lockbox ----------------------


def _scored_pairs(reports: Sequence[Report], vectors: np.ndarray | None, idx: Sequence[int],
                  w_embedding: float, w_names: float, use_dates: bool
                  ) -> list[tuple[int, int, float]]:
    """(a, b, score) of every candidate pair among ``idx`` (positions into ``idx``), with the
    features built on those articles alone, as a comparison of just them would; with
    ``use_dates`` false the dates are forgotten (every pair is an undated pair)."""
    from unspin.compare.grouping import WINDOW_DAYS, links, story_features

    sub = [reports[i] for i in idx]
    emb = None if vectors is None else vectors[list(idx)]
    f = story_features(sub, emb, w_embedding=w_embedding, w_names=w_names)
    if not use_dates:
        f.days[:] = np.nan
    return [(lk.a, lk.b, lk.score)
            for lk in links(f, threshold=0.0, window_days=WINDOW_DAYS, undated_threshold=0.0)]


def _labels_at(pairs: list[tuple[int, int, float]], n: int, threshold: float) -> list[int]:
    from unspin.compare.grouping import _UnionFind

    uf = _UnionFind(n)
    for a, b, s in pairs:
        if s >= threshold:
            uf.union(a, b)
    return [uf.find(i) for i in range(n)]


def fold_of(event: str, folds: int, salt: str = "") -> int:
    return int(hashlib.sha256(f"{salt}{event}".encode()).hexdigest(), 16) % folds


def cross_validate(docs: Sequence[BasilDoc], reports: Sequence[Report],
                   vectors: np.ndarray | None, *, w_embedding: float, w_names: float,
                   use_dates: bool, thresholds: Sequence[float], folds: int = 5,
                   repeats: int = 3) -> dict:
    """Cross-validation of the threshold over the events outside the lockbox.

    For each repeat (a different hash salt) and fold: the threshold with the best pairwise F1
    when the other folds' articles are grouped together is applied to the fold's articles
    grouped on their own. Returns the mean and the per-fold scores and chosen thresholds, and
    the threshold best on all the non-lockbox events (the one to ship)."""
    events = [d.event for d in docs]
    box = lockbox_events(events)
    keep = [i for i, e in enumerate(events) if e not in box]
    rows = []
    for r in range(repeats):
        for k in range(folds):
            test = [i for i in keep if fold_of(events[i], folds, f"r{r}") == k]
            train = [i for i in keep if fold_of(events[i], folds, f"r{r}") != k]
            if not test or not train:
                continue
            tr_pairs = _scored_pairs(reports, vectors, train, w_embedding, w_names, use_dates)
            gold_tr = [events[i] for i in train]
            f1s = [pairwise_prf(_labels_at(tr_pairs, len(train), t), gold_tr)["f1"]
                   for t in thresholds]
            best = _middle_of_best(thresholds, f1s)
            te_pairs = _scored_pairs(reports, vectors, test, w_embedding, w_names, use_dates)
            scores = grouping_scores(_labels_at(te_pairs, len(test), best),
                                     [events[i] for i in test])
            rows.append({"repeat": r, "fold": k, "threshold": best, **scores})
    all_pairs = _scored_pairs(reports, vectors, keep, w_embedding, w_names, use_dates)
    gold = [events[i] for i in keep]
    f1s = [pairwise_prf(_labels_at(all_pairs, len(keep), t), gold)["f1"] for t in thresholds]
    chosen = _middle_of_best(thresholds, f1s)
    mean = {key: round(float(np.mean([row[key] for row in rows])), 4)
            for key in ("pairwise_precision", "pairwise_recall", "pairwise_f1", "bcubed_f1",
                        "ari")}
    return {"w_embedding": w_embedding, "w_names": w_names, "use_dates": use_dates,
            "cv": mean, "cv_min_f1": round(min(row["pairwise_f1"] for row in rows), 4),
            "folds": rows, "threshold": chosen,
            "train_f1_at_threshold": round(max(f1s), 4),
            "lockbox_events": len(box), "cv_events": len({events[i] for i in keep})}


def _middle_of_best(thresholds: Sequence[float], f1s: Sequence[float]) -> float:
    """The middle of the widest run of thresholds that reach the best F1 (a plateau's centre
    generalises better than its edge)."""
    best = max(f1s)
    runs, cur = [], []
    for t, f in zip(thresholds, f1s, strict=True):
        if f >= best - 1e-9:
            cur.append(t)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    widest = max(runs, key=len)
    return round(float(widest[len(widest) // 2]), 4)


def lockbox_scores(docs: Sequence[BasilDoc], reports: Sequence[Report],
                   vectors: np.ndarray | None, *, threshold: float, w_embedding: float,
                   w_names: float, use_dates: bool = True) -> dict:
    """The rule applied once to the lockbox events' articles, grouped on their own."""
    events = [d.event for d in docs]
    box = lockbox_events(events)
    idx = [i for i, e in enumerate(events) if e in box]
    pairs = _scored_pairs(reports, vectors, idx, w_embedding, w_names, use_dates)
    return grouping_scores(_labels_at(pairs, len(idx), threshold), [events[i] for i in idx])


STUDY_WEIGHTS = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.1, 0.0), (0.2, 0.0), (0.0, 0.3),
                 (0.1, 0.1), (0.1, 0.2), (0.1, 0.3), (0.1, 0.4), (0.2, 0.2)]
"""(W_EMBEDDING, W_NAMES) settings compared: words alone, the embedding alone, names alone,
and mixtures."""


def study(split_dir: str | Path, cache_dir: str | Path | None = None,
          weights: Sequence[tuple[float, float]] = STUDY_WEIGHTS, progress: bool = False
          ) -> dict:
    """The whole threshold study on a BASIL split: for every weight setting, with and without
    dates, the cross-validated scores and the threshold best on all non-lockbox events; then
    the shipped setting (:mod:`unspin.compare.grouping`'s constants) on the lockbox, once."""
    from unspin.compare import grouping as g

    docs = read_basil_docs(split_dir)
    reports, vectors = analyze_docs(docs, cache_dir, progress=progress)
    grid = [round(float(x), 3) for x in np.arange(0.02, 1.0, 0.005)]
    rows = []
    for we, wn in weights:
        for use_dates in (True, False):
            r = cross_validate(docs, reports, vectors, w_embedding=we, w_names=wn,
                               use_dates=use_dates, thresholds=grid)
            r.pop("folds")
            rows.append(r)
            if progress:
                print(f"  w_embedding={we} w_names={wn} dates={use_dates}: CV pairwise F1 "
                      f"{r['cv']['pairwise_f1']} threshold {r['threshold']}", flush=True)
    lockbox = {
        "dated": lockbox_scores(docs, reports, vectors, threshold=g.DEFAULT_THRESHOLD,
                                w_embedding=g.W_EMBEDDING, w_names=g.W_NAMES),
        "undated": lockbox_scores(docs, reports, vectors, threshold=g.UNDATED_THRESHOLD,
                                  w_embedding=g.W_EMBEDDING, w_names=g.W_NAMES,
                                  use_dates=False)}
    return {"settings": rows, "shipped": {"w_embedding": g.W_EMBEDDING, "w_names": g.W_NAMES,
                                          "threshold": g.DEFAULT_THRESHOLD,
                                          "undated_threshold": g.UNDATED_THRESHOLD,
                                          "window_days": g.WINDOW_DAYS},
            "lockbox": lockbox}


# --- what BASIL's informational bias says about claims told only here --------------------------


def _overlaps(start: int, end: int, spans: Sequence[Span]) -> bool:
    return any(s.start < end and start < s.end for s in spans)


def informational_bias(split_dir: str | Path, cache_dir: str | Path | None = None,
                       thresholds: Sequence[float] = (0.15, 0.25, 0.35),
                       resamples: int = 2000, seed: int = 0) -> dict:
    """How often BASIL's informational-bias spans (``inf``: facts chosen or framed to favour a
    side) fall in claims told only here, against claims another outlet also makes.

    Each gold event is one story (the grouping is not in question here). For every
    check-worthy claim, and for every body sentence, "only here" is decided as
    :func:`unspin.compare.alignment.only_here` decides it, at each of ``thresholds``; a unit
    is *inf* when an ``inf`` span overlaps it (``lex`` spans, loaded wording, are the control).
    Returns the rates, their ratio with a bootstrap 95% interval over events, per outlet at
    the shipped threshold, and the rates per 1,000 characters (longer sentences hold more
    spans of any kind)."""
    from unspin.compare import alignment

    docs = read_basil_docs(split_dir)
    reports, _ = analyze_docs(docs, cache_dir)
    for d, r in zip(docs, reports, strict=True):
        if r.text != d.article.text:
            raise ValueError(f"{d.key}: the report's text is not the article's")
    by_event = event_index(docs)
    rows = []   # (event, outlet, unit, is_claim, closest, in_aligned, inf, lex, chars)
    for event, idx in by_event.items():
        if not all(docs[i].annotated for i in idx):
            continue
        rs = [reports[i] for i in idx]
        names = [docs[i].key for i in idx]
        text = alignment.StoryText(rs)
        aligned = alignment.align_figures(rs, names, text)
        figure_starts = {(f.input, s.start) for c in aligned for f in c.figures
                         for s in [f.quantity, *f.also]}
        for k, i in enumerate(idx):
            r, doc = reports[i], docs[i]
            claims = {c.sentence: c for c in r.claims}
            for s in r.sentences:
                if s.part != "body":
                    continue
                claim = claims.get(s.index)
                qs = [r.quantities[q] for q in (claim.quantities if claim else [])]
                rows.append((event, doc.source, s.index, claim is not None,
                             text.closest_elsewhere(k, s.index),
                             any((names[k], q.start) in figure_starts for q in qs),
                             _overlaps(s.start, s.end, doc.inf),
                             _overlaps(s.start, s.end, doc.lex), s.end - s.start))
    events = sorted({row[0] for row in rows})
    rng = np.random.default_rng(seed)

    def rates(sel_rows, t):
        only = [r for r in sel_rows if r[4] < t and not r[5]]
        shared = [r for r in sel_rows if not (r[4] < t and not r[5])]

        def share(rs, col):
            return sum(r[col] for r in rs) / len(rs) if rs else float("nan")

        def per_k(rs, col):
            chars = sum(r[8] for r in rs)
            return 1000 * sum(r[col] for r in rs) / chars if chars else float("nan")

        inf_total = sum(r[6] for r in sel_rows)
        return {"only_here": len(only), "shared": len(shared),
                "share_only_here": len(only) / len(sel_rows) if sel_rows else float("nan"),
                "share_of_inf_only_here": (sum(r[6] for r in only) / inf_total
                                           if inf_total else float("nan")),
                "inf_only_here": share(only, 6), "inf_shared": share(shared, 6),
                "lex_only_here": share(only, 7), "lex_shared": share(shared, 7),
                "inf_per_1000_chars_only_here": per_k(only, 6),
                "inf_per_1000_chars_shared": per_k(shared, 6)}

    def ratio_ci(unit_rows, t, col):
        per_event = defaultdict(list)
        for r in unit_rows:
            per_event[r[0]].append(r)
        ratios = []
        for _ in range(resamples):
            pick = rng.choice(len(events), len(events), replace=True)
            sample = [r for e in pick for r in per_event[events[e]]]
            only = [r for r in sample if r[4] < t and not r[5]]
            shared = [r for r in sample if not (r[4] < t and not r[5])]
            if only and shared and sum(r[col] for r in shared):
                ratios.append((sum(r[col] for r in only) / len(only))
                              / (sum(r[col] for r in shared) / len(shared)))
        lo, hi = np.percentile(ratios, [2.5, 97.5]) if ratios else (float("nan"),) * 2
        return round(float(lo), 3), round(float(hi), 3)

    out: dict = {"events": len(events), "sentences": len(rows),
                 "claims": sum(1 for r in rows if r[3]), "by_threshold": {}}
    for t in thresholds:
        entry = {}
        for unit, sel in (("claims", [r for r in rows if r[3]]), ("sentences", rows)):
            rate = rates(sel, t)
            rate = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in rate.items()}
            rate["inf_ratio"] = round(rate["inf_only_here"] / rate["inf_shared"], 3) \
                if rate["inf_shared"] else None
            rate["inf_ratio_95ci"] = ratio_ci(sel, t, 6)
            rate["lex_ratio"] = round(rate["lex_only_here"] / rate["lex_shared"], 3) \
                if rate["lex_shared"] else None
            rate["lex_ratio_95ci"] = ratio_ci(sel, t, 7)
            entry[unit] = rate
        out["by_threshold"][str(t)] = entry
    t = alignment.ONLY_HERE_BELOW
    out["by_outlet"] = {}
    for outlet in sorted({r[1] for r in rows}):
        sel = [r for r in rows if r[3] and r[1] == outlet]
        rate = rates(sel, t)
        out["by_outlet"][outlet] = {k: (round(v, 4) if isinstance(v, float) else v)
                                    for k, v in rate.items()}
    return out
