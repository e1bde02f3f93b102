"""Stories: which of the articles compared tell the same event.

The rule (chosen on BASIL train, :mod:`unspin.evaluate.compare_eval`; figures in
``docs/benchmarks.md`` once the lead records them):

    score(a, b) = (1 - W_EMBEDDING - W_NAMES) * words(a, b)
                  + W_EMBEDDING * embedding(a, b) + W_NAMES * names(a, b)

- ``words``: cosine of the articles' TF-IDF word vectors (:mod:`unspin.compare.lexical`; idf
  against a fixed background of news, so a score means the same in a set of 4 articles and in
  one of 10,000);
- ``embedding``: cosine of the mean-pooled hidden states of the shipped encoder (the first half
  of :func:`unspin.framing.article_features`), rescaled as ``clip((cos - 0.8) / 0.2, 0, 1)``
  because any two news articles already have a cosine near 0.85; 0 when an article has no
  embedding;
- ``names``: idf-weighted Jaccard overlap of the words of the named entities (people,
  organisations, places, groups) of the two articles.

Two articles are **linked** when their dates are at most :data:`WINDOW_DAYS` apart and their
score reaches :data:`DEFAULT_THRESHOLD`, or, when either date is unknown, the higher
:data:`UNDATED_THRESHOLD`. A **story** is a connected
component of the links (single link: an article joins a story when it is linked to any of
its articles). Articles linked to no other one are *unrelated*.

Shared figures (the same value with the same kind and unit, counts of 10 or more) were
measured too and left out of the score: mixed into this score on BASIL train they added
nothing within the date window (CV pairwise F1 0.977 at weights 0 and 0.35, 0.973 between)
and, without dates, joined unrelated events that share a common figure (0.893 -> 0.60 at
weight 0.35).

Scale: the pairs scored are candidates, not all pairs. Every article gets a dense sketch
(its unit embedding and a 1,024-dimensional signed hash of its TF-IDF vector, weighted like the
score); articles are sorted by date, and for each block of :data:`BLOCK` articles one numpy
product with the articles inside the date window gives each one its :data:`NEIGHBOURS` nearest
neighbours (undated articles are compared with all). Those pairs get the exact score, in
numpy (:func:`word_cosines`). Below ``NEIGHBOURS + 1`` articles every pair is a candidate.
``benchmarks/compare_scale.py`` measures 10,000 articles.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from unspin.compare.lexical import WORD, cosine, idf_table, stop_words, tfidf_vectors, words
from unspin.report import Report

W_EMBEDDING = 0.1
W_NAMES = 0.3
DEFAULT_THRESHOLD = 0.165
"""The score two articles need to be linked when both dates are known (BASIL train CV)."""
UNDATED_THRESHOLD = 0.26
"""The score two articles need when either date is unknown: without the date window, events
months apart that share a topic score higher, and CV with the dates removed chose this."""
WINDOW_DAYS = 7
"""BASIL's three tellings of an event are at most 4 days apart (train)."""
EMBEDDING_PART = "mean"
"""Which half of ``article_features`` grouping reads: the mean of the hidden states."""
EMBEDDING_FLOOR = 0.8
NEIGHBOURS = 30
BLOCK = 1024
SKETCH_DIM = 1024
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"}


@dataclass
class StoryFeatures:
    """What grouping needs of each article, built once (:func:`story_features`)."""

    days: np.ndarray                      # [n] float: days since 1970-01-01, nan if unknown
    vectors: np.ndarray | None            # [n, d] unit embeddings (zero rows: none), or None
    tfidf: list[dict[str, float]]
    names: list[dict[str, float]]         # entity word -> idf
    w_embedding: float = W_EMBEDDING
    w_names: float = W_NAMES
    _sketch: np.ndarray | None = field(default=None, repr=False)
    _csr: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.tfidf)

    def parts(self, i: int, j: int) -> dict[str, float]:
        """The three similarities of articles ``i`` and ``j`` (see the module docstring)."""
        emb = 0.0
        if self.vectors is not None:
            c = float(self.vectors[i] @ self.vectors[j])
            emb = min(1.0, max(0.0, (c - EMBEDDING_FLOOR) / (1.0 - EMBEDDING_FLOOR)))
            if not (self.vectors[i].any() and self.vectors[j].any()):
                emb = 0.0
        return {"words": cosine(self.tfidf[i], self.tfidf[j]), "embedding": emb,
                "names": weighted_jaccard(self.names[i], self.names[j])}

    def score(self, i: int, j: int) -> float:
        p = self.parts(i, j)
        return ((1.0 - self.w_embedding - self.w_names) * p["words"]
                + self.w_embedding * p["embedding"] + self.w_names * p["names"])

    def days_apart(self, i: int, j: int) -> float:
        """Days between the two articles' dates; 0 when either is unknown."""
        d = abs(self.days[i] - self.days[j])
        return 0.0 if math.isnan(d) else float(d)

    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The TF-IDF vectors as one sparse matrix: (indptr, word ids, weights)."""
        if self._csr is None:
            ids: dict[str, int] = {}
            indptr = np.zeros(len(self) + 1, dtype=np.int64)
            cols: list[int] = []
            vals: list[float] = []
            for i, vec in enumerate(self.tfidf):
                for w, x in vec.items():
                    cols.append(ids.setdefault(w, len(ids)))
                    vals.append(x)
                indptr[i + 1] = len(cols)
            self._csr = (indptr, np.asarray(cols, dtype=np.int64),
                         np.asarray(vals, dtype=np.float64))
        return self._csr

    def sketch(self) -> np.ndarray:
        """[n, d + SKETCH_DIM] float32 rows whose dot products approximate the score, less
        the names term and the embedding's rescaling (for candidate search only)."""
        if self._sketch is None:
            self._sketch = _sketch(self)
        return self._sketch


def weighted_jaccard(a: dict[str, float], b: dict[str, float]) -> float:
    """Sum of the weights of the shared keys over the sum of the weights of all keys."""
    if not a or not b:
        return 0.0
    shared = sum(w for k, w in a.items() if k in b)
    union = sum(a.values()) + sum(w for k, w in b.items() if k not in a)
    return shared / union if union > 0 else 0.0


def parse_day(value: str | None) -> float:
    """Days since 1970-01-01 of an ISO date (its first 10 characters); nan if unknown."""
    if not value:
        return math.nan
    try:
        return float(date.fromisoformat(str(value)[:10]).toordinal() - 719163)
    except ValueError:
        return math.nan


def entity_words(report: Report) -> set[str]:
    """The words of the names of the article's people, organisations, places and groups."""
    stops = stop_words()
    out: set[str] = set()
    for entity in report.entities:
        if entity.label in NAME_LABELS:
            out.update(w for w in WORD.findall(entity.name.casefold()) if w not in stops)
    return out


def embedding_part(embedding: np.ndarray | None) -> np.ndarray | None:
    """The half of ``article_features`` that grouping reads (the mean), or the vector as given
    when it is not of even length."""
    if embedding is None:
        return None
    v = np.asarray(embedding, dtype=np.float32).ravel()
    if EMBEDDING_PART == "mean" and v.size % 2 == 0:
        return v[: v.size // 2]
    return v


def story_features(reports: Sequence[Report], embeddings=None, *,
                   w_embedding: float = W_EMBEDDING, w_names: float = W_NAMES) -> StoryFeatures:
    """Grouping features of ``reports``. ``embeddings``: one ``article_features`` vector per
    report (an ``[n, 2 * dim]`` array or a list, ``None`` items for articles without one), or
    ``None`` for none at all (then the embedding term is 0 for every pair)."""
    return features_from_parts(
        [words(r.text) for r in reports], [entity_words(r) for r in reports],
        [r.meta.date for r in reports], embeddings,
        w_embedding=w_embedding, w_names=w_names)


def features_from_parts(counts: Sequence, names: Sequence[set[str]],
                        dates: Sequence[str | float | None], embeddings=None, *,
                        w_embedding: float = W_EMBEDDING, w_names: float = W_NAMES
                        ) -> StoryFeatures:
    """:func:`story_features` from the pieces: word Counters, entity word sets, dates (ISO
    strings, or days since 1970 as floats, ``None`` if unknown) and embeddings."""
    n = len(counts)
    if not (len(names) == len(dates) == n):
        raise ValueError("counts, names and dates must have one item per article")
    idf = idf_table(list(counts) + [dict.fromkeys(s, 1) for s in names])
    days = np.array([d if isinstance(d, float | int) and not isinstance(d, bool)
                     else parse_day(d) for d in dates], dtype=np.float64)
    vectors = None
    if embeddings is not None:
        if len(embeddings) != n:
            raise ValueError(f"{len(embeddings)} embeddings for {n} articles")
        rows = [embedding_part(e) for e in embeddings]
        dim = next((r.size for r in rows if r is not None), 0)
        if dim:
            vectors = np.zeros((n, dim), dtype=np.float32)
            for i, r in enumerate(rows):
                if r is not None:
                    if r.size != dim:
                        raise ValueError(f"embedding {i} has {r.size} values, not {dim}")
                    norm = float(np.linalg.norm(r))
                    if norm > 0:
                        vectors[i] = r / norm
    return StoryFeatures(days, vectors, tfidf_vectors(counts),
                         [{w: idf.get(w, 1.0) for w in s} for s in names],
                         w_embedding, w_names)


def _hash(word: str) -> tuple[int, float]:
    h = zlib.crc32(word.encode("utf-8"))
    return h % SKETCH_DIM, 1.0 if (h >> 16) & 1 else -1.0


def _sketch(f: StoryFeatures) -> np.ndarray:
    n = len(f)
    lex = np.zeros((n, SKETCH_DIM), dtype=np.float32)
    cache: dict[str, tuple[int, float]] = {}
    for i, vec in enumerate(f.tfidf):
        for w, x in vec.items():
            slot = cache.get(w)
            if slot is None:
                slot = cache[w] = _hash(w)
            lex[i, slot[0]] += slot[1] * x
    norms = np.linalg.norm(lex, axis=1, keepdims=True)
    lex /= np.where(norms > 0, norms, 1.0)
    a = 1.0 - f.w_embedding - f.w_names
    parts = [lex * np.float32(math.sqrt(max(a, 0.0)))]
    if f.vectors is not None and f.w_embedding > 0:
        # the rescaled cosine's slope, so the sketch's scale matches the score's
        parts.append(f.vectors * np.float32(math.sqrt(f.w_embedding / (1 - EMBEDDING_FLOOR))))
    return np.ascontiguousarray(np.hstack(parts), dtype=np.float32)


def candidate_pairs(f: StoryFeatures, neighbours: int = NEIGHBOURS,
                    window_days: float = WINDOW_DAYS, block: int = BLOCK
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, sketch similarity) of each article's nearest neighbours inside the date window,
    ``i < j``, each pair once. All pairs inside the window when ``n <= neighbours + 1``."""
    n = len(f)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    sketch = f.sketch()
    days = f.days
    dated = ~np.isnan(days)
    order = np.concatenate([np.flatnonzero(dated)[np.argsort(days[dated], kind="stable")],
                            np.flatnonzero(~dated)])
    sorted_days = days[order]
    n_dated = int(dated.sum())
    undated_cols = order[n_dated:]
    k = min(neighbours, n - 1)
    rows_out, cols_out, sims_out = [], [], []
    for b0 in range(0, n, block):
        rows = order[b0:b0 + block]
        rdays = days[rows]
        if np.isnan(rdays).any():
            cols = np.arange(n)
        else:
            lo = np.searchsorted(sorted_days[:n_dated], rdays.min() - window_days, "left")
            hi = np.searchsorted(sorted_days[:n_dated], rdays.max() + window_days, "right")
            cols = np.concatenate([order[lo:hi], undated_cols])
        sims = sketch[rows] @ sketch[cols].T
        gap = np.abs(rdays[:, None] - days[cols][None, :])
        sims[gap > window_days] = -np.inf          # nan gaps (an undated side) stay allowed
        sims[rows[:, None] == cols[None, :]] = -np.inf
        kk = min(k, len(cols) - 1)
        if kk <= 0:
            continue
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        vals = np.take_along_axis(sims, top, axis=1)
        keep = np.isfinite(vals)
        rows_out.append(np.repeat(rows, kk)[keep.ravel()])
        cols_out.append(cols[top].ravel()[keep.ravel()])
        sims_out.append(vals.ravel()[keep.ravel()])
    if not rows_out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    i = np.concatenate(rows_out)
    j = np.concatenate(cols_out)
    s = np.concatenate(sims_out)
    lo_, hi_ = np.minimum(i, j), np.maximum(i, j)
    key = lo_.astype(np.int64) * n + hi_
    _, first = np.unique(key, return_index=True)
    return lo_[first], hi_[first], s[first]


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class Link:
    """Two articles joined into one story, with the score that joined them."""

    a: int
    b: int
    score: float
    parts: dict[str, float]


def word_cosines(f: StoryFeatures, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The exact TF-IDF cosine of each pair ``(i[k], j[k])``, in numpy: article ``a``'s vector
    is laid out densely once, and all its partners' weights are gathered against it."""
    indptr, cols, vals = f.csr()
    out = np.zeros(len(i), dtype=np.float64)
    if not len(i):
        return out
    dense = np.zeros(int(cols.max()) + 1 if len(cols) else 1, dtype=np.float64)
    order = np.argsort(i, kind="stable")
    si, sj = i[order], j[order]
    bounds = np.flatnonzero(np.diff(si)) + 1
    for seg in np.split(np.arange(len(si)), bounds):
        a = int(si[seg[0]])
        a0, a1 = indptr[a], indptr[a + 1]
        if a0 == a1:
            continue
        dense[cols[a0:a1]] = vals[a0:a1]
        js = sj[seg]
        starts, lengths = indptr[js], indptr[js + 1] - indptr[js]
        total = int(lengths.sum())
        if total:
            offsets = np.cumsum(lengths) - lengths
            pos = np.arange(total) - np.repeat(offsets, lengths) + np.repeat(starts, lengths)
            prod = vals[pos] * dense[cols[pos]]
            sums = np.add.reduceat(prod, np.minimum(offsets, total - 1))
            out[order[seg]] = np.where(lengths > 0, sums, 0.0)
        dense[cols[a0:a1]] = 0.0
    return out


def pair_scores(f: StoryFeatures, i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
    """The three similarities and the score of each pair ``(i[k], j[k])``."""
    lex = word_cosines(f, i, j)
    emb = np.zeros(len(i), dtype=np.float64)
    if f.vectors is not None and len(i):
        cos = np.einsum("ij,ij->i", f.vectors[i], f.vectors[j]).astype(np.float64)
        emb = np.clip((cos - EMBEDDING_FLOOR) / (1.0 - EMBEDDING_FLOOR), 0.0, 1.0)
        has = f.vectors.any(axis=1)
        emb = np.where(has[i] & has[j], emb, 0.0)
    names = np.array([weighted_jaccard(f.names[a], f.names[b])
                      for a, b in zip(i.tolist(), j.tolist(), strict=True)], dtype=np.float64)
    score = ((1.0 - f.w_embedding - f.w_names) * lex + f.w_embedding * emb
             + f.w_names * names)
    return {"words": lex, "embedding": emb, "names": names, "score": score}


def links(f: StoryFeatures, threshold: float = DEFAULT_THRESHOLD,
          window_days: float = WINDOW_DAYS, neighbours: int = NEIGHBOURS,
          undated_threshold: float | None = UNDATED_THRESHOLD) -> list[Link]:
    """Every pair of candidates that the rule links (see the module docstring).
    ``undated_threshold``: the score needed when either date is unknown (``None``: the same
    as ``threshold``)."""
    if undated_threshold is None:
        undated_threshold = threshold
    i, j, _ = candidate_pairs(f, neighbours, window_days)
    if not len(i):
        return []
    scores = pair_scores(f, i, j)
    undated = np.isnan(f.days[i]) | np.isnan(f.days[j])
    gap = np.abs(f.days[i] - f.days[j])
    ok = (scores["score"] >= np.where(undated, undated_threshold, threshold)) & (
        undated | (gap <= window_days))
    out = []
    for k in np.flatnonzero(ok).tolist():
        out.append(Link(int(i[k]), int(j[k]), round(float(scores["score"][k]), 4),
                        {name: round(float(scores[name][k]), 4)
                         for name in ("words", "embedding", "names")}))
    return out


def group_stories(f: StoryFeatures, threshold: float = DEFAULT_THRESHOLD,
                  window_days: float = WINDOW_DAYS, neighbours: int = NEIGHBOURS,
                  undated_threshold: float | None = UNDATED_THRESHOLD) -> list[list[int]]:
    """The stories of the articles: lists of article indices (ascending), the largest story
    first, then by first article; single articles (linked to none) come last, one list each."""
    return components(len(f), links(f, threshold, window_days, neighbours, undated_threshold))


def components(n: int, found: Sequence[Link]) -> list[list[int]]:
    """Connected components of ``n`` articles under ``found`` links, ordered as
    :func:`group_stories` orders them."""
    uf = _UnionFind(n)
    for link in found:
        uf.union(link.a, link.b)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(uf.find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (len(g) == 1, -len(g), g[0]))
