"""Training examples for the technique model, built from ``../shared/data``.

The SemEval-2023 English training articles are the PTC articles (same texts, same offsets), so
one corpus carries three kinds of labels: SemEval-2023 spans (23 techniques), PTC spans (14
techniques) and SemEval-2023 paragraph labels. Units are the non-empty lines of each article,
which is what ``paragraphs.labels`` numbers.

Rhetoric, not sides: :func:`swap_entities` replaces people, places, groups and organisations
with others of the same kind drawn from the corpus, consistently within an article, and moves
every label offset with the text; training sees each article with and without swaps.
"""

from __future__ import annotations

import bisect
import json
import random
from dataclasses import dataclass, replace
from pathlib import Path

from unspin.encoder import Unit
from unspin.evaluate.datasets import read_ptc, read_semeval_paragraphs
from unspin.evaluate.techniques import SEMEVAL_LABELS, line_units
from unspin.taxonomy import PTC_TECHNIQUES

SWAP_LABELS = ("PERSON", "GPE", "NORP", "ORG", "LOC")


@dataclass
class TrainArticle:
    id: str
    text: str
    units: list[Unit]
    unit_labels: list[list[int]]            # technique indices per unit
    spans: list[tuple[int, int, int]]       # SemEval-2023 spans (start, end, label index)
    ptc_spans: list[tuple[int, int, int]]   # PTC spans (start, end, label index)
    entities: list[tuple[int, int, str]]    # spaCy entities (start, end, label), for swapping


def load_corpus(data_dir: Path, entity_cache: Path | None = None) -> list[TrainArticle]:
    """Read ``semeval2023/train`` and ``ptc/train`` under ``data_dir`` into training articles."""
    semeval = {a.id: a for a in read_semeval_paragraphs(data_dir / "semeval2023" / "train")}
    ptc = {a.id: a for a in read_ptc(data_dir / "ptc" / "train")}
    index23 = {n: i for i, n in enumerate(SEMEVAL_LABELS)}
    index14 = {n: i for i, n in enumerate(PTC_TECHNIQUES)}
    entities = _entities(semeval, entity_cache)
    articles = []
    for aid in sorted(semeval):
        art = semeval[aid]
        numbered = line_units(art.text)
        by_line = {p.line: p.techniques for p in art.paragraphs}
        units = [u for _, u in numbered]
        unit_labels = [sorted(index23[t] for t in by_line.get(n, []) if t in index23)
                       for n, _ in numbered]
        spans = [(s.start, s.end, index23[s.technique]) for s in art.spans
                 if s.technique in index23 and s.end > s.start]
        ptc_spans = []
        if aid in ptc:
            # SemEval-2023 joins PTC's sentence lines into paragraphs ("\n" -> " "), keeping
            # offsets; keep each PTC span whose text matches once line breaks count as spaces
            ptc_text = ptc[aid].text.replace("\n", " ")
            flat = art.text.replace("\n", " ")
            ptc_spans = [(s.start, s.end, index14[s.technique]) for s in ptc[aid].spans
                         if s.technique in index14 and s.end > s.start
                         and s.end <= len(flat) and ptc_text[s.start:s.end] == flat[s.start:s.end]]
        articles.append(TrainArticle(aid, art.text, units, unit_labels, spans, ptc_spans,
                                     entities.get(aid, [])))
    return articles


def _entities(semeval: dict, cache: Path | None) -> dict[str, list[tuple[int, int, str]]]:
    """spaCy entities of every article (cached as JSON: NER over the corpus takes a minute)."""
    if cache and cache.exists():
        return {k: [tuple(e) for e in v] for k, v in json.loads(cache.read_text()).items()}
    from unspin.nlp import load_spacy

    nlp = load_spacy()
    out = {}
    ids = sorted(semeval)
    for aid, doc in zip(ids, nlp.pipe((semeval[i].text for i in ids), batch_size=16),
                        strict=True):
        out[aid] = [(e.start_char, e.end_char, e.label_) for e in doc.ents
                    if e.label_ in SWAP_LABELS]
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(out))
    return out


def entity_pool(articles: list[TrainArticle]) -> dict[str, list[str]]:
    """Distinct entity strings per label over the corpus, for swapping."""
    pool: dict[str, set[str]] = {label: set() for label in SWAP_LABELS}
    for art in articles:
        for s, e, label in art.entities:
            name = art.text[s:e]
            if "\n" not in name and len(name) > 1:
                pool[label].add(name)
    return {k: sorted(v) for k, v in pool.items()}


def swap_entities(art: TrainArticle, rng: random.Random,
                  pool: dict[str, list[str]]) -> TrainArticle:
    """A copy of ``art`` with each distinct entity replaced by a random same-label entity,
    consistently within the article; every offset moved with the text."""
    choice: dict[str, str] = {}
    edits: list[tuple[int, int, str]] = []
    for s, e, label in sorted(art.entities):
        if edits and s < edits[-1][1]:
            continue
        name = art.text[s:e]
        if name not in choice:
            choice[name] = rng.choice(pool[label]) if pool.get(label) else name
        edits.append((s, e, choice[name]))
    if not edits:
        return art
    parts, pos = [], 0
    ends, shift = [], []
    delta = 0
    for s, e, new in edits:
        parts.append(art.text[pos:s])
        parts.append(new)
        pos = e
        ends.append(e)
        delta += len(new) - (e - s)
        shift.append(delta)
    parts.append(art.text[pos:])
    text = "".join(parts)

    def move(p: int, is_end: bool) -> int:
        # edits that end at or before p shift it; a position inside an edit snaps to its edge
        k = bisect.bisect_right(ends, p)
        base = p + (shift[k - 1] if k else 0)
        if k < len(edits) and edits[k][0] < p < edits[k][1]:
            s, _e, new = edits[k]
            before = shift[k - 1] if k else 0
            return s + before + (len(new) if is_end else 0)
        return base

    def move_span(s: int, e: int) -> tuple[int, int]:
        return move(s, False), move(e, True)

    return replace(
        art,
        text=text,
        units=[Unit(*move_span(u.start, u.end)) for u in art.units],
        spans=[(*move_span(s, e), k) for s, e, k in art.spans],
        ptc_spans=[(*move_span(s, e), k) for s, e, k in art.ptc_spans],
        entities=[(*move_span(s, e), lab) for s, e, lab in art.entities],
    )
