"""PolNeAR attribution relations: reading the brat files, scoring, writing predictions.

Layout (``../shared/data/polnear/<split>/``, see that folder's README): ``text/<name>.txt``
and ``attributions/<name>_<annotator>.ann``. An ``.ann`` file is brat standoff:

- ``T`` lines: ``T12<TAB>Role START END[;START END...]<TAB>covered text``, Role one of
  ``Source``, ``Cue``, ``Content``, ``Content2`` (a second content part), ``Attribution`` and
  ``Attribution-no-source`` (the relation's anchor, usually on the cue), ``Discuss`` and
  ``Discard`` (not relations; ignored). Spans may be discontinuous (``;``); the covered text
  of a span that crosses a line break continues on the next lines of the file.
- ``E`` lines tie the parts of one relation: ``E3<TAB>Attribution:T12 Cue:T11 Source:T10
  Content:T9``. Every ``E`` line with a cue or a content is one relation; ``Content2`` is
  added to the content.
- ``#`` lines are annotator notes (ignored).

Several annotators: a few articles were annotated by several people. :func:`read_polnear`
keeps, per article, the annotator whose id sorts first as the gold standard (a fixed,
content-blind choice) and the others in :attr:`PolnearArticle.others` for the
inter-annotator reference.

Metric (:func:`score_relations`), per role (source, cue, content):

1. Text is split into word tokens (runs of letters and digits, regex ``\\w+``); punctuation
   and quote marks do not count, so conventions about a trailing full stop do not matter. A
   role's tokens are the word tokens its spans overlap.
2. Relations are matched one to one within an article, greedily: all (gold, predicted) pairs
   whose contents share at least one token are sorted by the number of shared content
   tokens, then shared cue tokens, then shared source tokens (largest first; ties by order in
   the text), and taken in that order when both are still free. A pair whose contents are
   both empty is matched on its cues the same way.
3. Precision of a role = tokens shared by the role's spans over matched pairs / the role's
   tokens over *all* predicted relations; recall = the same shared tokens / the role's tokens
   over *all* gold relations. So unmatched gold relations are recall misses and unmatched
   predictions precision misses. Counts are summed over the split (micro), F1 is the harmonic
   mean.

The human reference scores every other annotator of an article against the gold annotator
with the same function (each pair once, summed), reported under ``human_*`` keys.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

ROLES = ("source", "cue", "content")
_ROLE_OF = {"Source": "source", "Cue": "cue", "Content": "content", "Content2": "content"}
_ANCHORS = ("Attribution", "Attribution-no-source")
_RECORD = re.compile(r"^[TEARMN#]\d*\t")
_WORD = re.compile(r"\w+")

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class BratRelation:
    """One attribution relation; each role is a tuple of ``(start, end)`` character spans
    (empty when the role is absent). ``id`` is the ``E`` id in its file."""

    id: str
    source: Spans = ()
    cue: Spans = ()
    content: Spans = ()

    def role(self, name: str) -> Spans:
        return getattr(self, name)


@dataclass
class PolnearArticle:
    """One article: its text, the gold annotator's relations, and the other annotators'."""

    name: str
    text: str
    annotator: str
    relations: list[BratRelation]
    others: dict[str, list[BratRelation]] = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def parse_ann(content: str, text: str | None = None, where: str = "") -> list[BratRelation]:
    """The relations of one ``.ann`` file's content. With ``text``, spans that fall outside
    it are dropped (and logged)."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in content.split("\n"):
        if not _RECORD.match(line):
            continue  # the continuation of a covered text that crossed a line break
        fields = line.split("\t")
        key = fields[0]
        if key.startswith("T") and len(fields) >= 2:
            kind, _, places = fields[1].partition(" ")
            parsed = _parse_places(places)
            if parsed is None or (text is not None and any(e > len(text) for _, e in parsed)):
                logger.warning("%s: bad span in %r", where, line[:80])
                continue
            spans[key] = (kind, parsed)
        elif key.startswith("E") and len(fields) >= 2:
            args = [tuple(a.split(":", 1)) for a in fields[1].split() if ":" in a]
            events.append((key, args))  # type: ignore[arg-type]
    relations = []
    for key, args in events:
        roles: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        for role, target in args:
            if role in _ROLE_OF and target in spans:
                roles[_ROLE_OF[role]] += spans[target][1]
        if roles["cue"] or roles["content"]:
            relations.append(BratRelation(
                key, *(tuple(sorted(set(roles[r]))) for r in ROLES)))
    return relations


def _parse_places(places: str) -> Spans | None:
    out = []
    for piece in places.split(";"):
        bounds = piece.split()
        if len(bounds) != 2 or not all(b.isdigit() for b in bounds):
            return None
        start, end = int(bounds[0]), int(bounds[1])
        if end < start:
            return None
        out.append((start, end))
    return tuple(out)


def read_polnear(split_dir: str | Path) -> list[PolnearArticle]:
    """Every article of a split that has a text and at least one annotation file, sorted by
    name. Raises FileNotFoundError when the split has no ``text/`` or ``attributions/``."""
    split = Path(split_dir)
    text_dir, ann_dir = split / "text", split / "attributions"
    for folder in (text_dir, ann_dir):
        if not folder.is_dir():
            raise FileNotFoundError(f"{split} has no {folder.name}/ folder")
    by_name: dict[str, dict[str, Path]] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        name, sep, annotator = path.stem.rpartition("_")
        if not sep:
            name, annotator = path.stem, ""
        by_name.setdefault(name, {})[annotator] = path
    articles = []
    for name in sorted(by_name):
        text_path = text_dir / f"{name}.txt"
        if not text_path.exists():
            logger.warning("no text for %s", name)
            continue
        text = _read_text(text_path)
        files = by_name[name]
        annotations = {a: parse_ann(_read_text(p), text, str(p)) for a, p in files.items()}
        first = min(annotations)
        gold = annotations.pop(first)
        articles.append(PolnearArticle(name, text, first, gold, annotations))
    return articles


# --- scoring ---------------------------------------------------------------------------------


class _Tokens:
    """Word tokens of a text, for mapping character spans to token indices."""

    def __init__(self, text: str):
        self.bounds = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [s for s, _ in self.bounds]

    def of(self, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
        import bisect

        out: set[int] = set()
        for start, end in spans:
            i = max(0, bisect.bisect_right(self.starts, start) - 1)
            while i < len(self.bounds) and self.bounds[i][0] < end:
                if self.bounds[i][1] > start:
                    out.add(i)
                i += 1
        return frozenset(out)


@dataclass
class _Counts:
    shared: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    pred: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    gold_relations: int = 0
    pred_relations: int = 0
    matched: int = 0

    def add(self, other: _Counts) -> None:
        for role in ROLES:
            self.shared[role] += other.shared[role]
            self.gold[role] += other.gold[role]
            self.pred[role] += other.pred[role]
        self.gold_relations += other.gold_relations
        self.pred_relations += other.pred_relations
        self.matched += other.matched

    def scores(self, prefix: str = "") -> dict[str, float]:
        out: dict[str, float] = {}
        for role in ROLES:
            p = self.shared[role] / self.pred[role] if self.pred[role] else 0.0
            r = self.shared[role] / self.gold[role] if self.gold[role] else 0.0
            f = 2 * p * r / (p + r) if p and r else 0.0
            out[f"{prefix}{role}_precision"] = round(p, 4)
            out[f"{prefix}{role}_recall"] = round(r, 4)
            out[f"{prefix}{role}_f1"] = round(f, 4)
        out[f"{prefix}gold_relations"] = self.gold_relations
        out[f"{prefix}predicted_relations"] = self.pred_relations
        out[f"{prefix}matched_relations"] = self.matched
        return out


def _article_counts(text: str, gold: Sequence[BratRelation],
                    pred: Sequence[BratRelation], tokens: _Tokens | None = None) -> _Counts:
    tokens = tokens or _Tokens(text)
    g = [{r: tokens.of(rel.role(r)) for r in ROLES} for rel in _in_text_order(gold)]
    p = [{r: tokens.of(rel.role(r)) for r in ROLES} for rel in _in_text_order(pred)]
    counts = _Counts(gold_relations=len(g), pred_relations=len(p))
    for role in ROLES:
        counts.gold[role] = sum(len(x[role]) for x in g)
        counts.pred[role] = sum(len(x[role]) for x in p)
    for i, j in match_relations(g, p):
        counts.matched += 1
        for role in ROLES:
            counts.shared[role] += len(g[i][role] & p[j][role])
    return counts


def _in_text_order(relations: Sequence[BratRelation]) -> list[BratRelation]:
    """Relations sorted by where they start in the text (their first span of any role), so
    that ties in :func:`match_relations` go by order in the text, not in the file."""
    return sorted(relations, key=lambda r: min((s for s, _ in r.source + r.cue + r.content),
                                               default=0))


def match_relations(gold: Sequence[dict[str, frozenset[int]]],
                    pred: Sequence[dict[str, frozenset[int]]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, greedy by shared content tokens, then
    shared cue tokens, then shared source tokens (see the module doc)."""
    pairs = []
    for i, gi in enumerate(gold):
        for j, pj in enumerate(pred):
            shared = tuple(len(gi[r] & pj[r]) for r in ("content", "cue", "source"))
            both_empty = not gi["content"] and not pj["content"]
            if shared[0] > 0 or (both_empty and shared[1] > 0):
                pairs.append((tuple(-s for s in shared), i, j))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def score_relations(items: Iterable[tuple[str, Sequence[BratRelation], Sequence[BratRelation]]],
                    prefix: str = "") -> dict[str, float]:
    """Precision, recall and F1 per role, summed over ``(text, gold, predicted)`` items."""
    total = _Counts()
    for text, gold, pred in items:
        total.add(_article_counts(text, gold, pred))
    return total.scores(prefix)


def human_reference(articles: Sequence[PolnearArticle]) -> dict[str, float]:
    """Every other annotator scored against the gold annotator (``human_*`` keys)."""
    items = [(a.text, a.relations, other) for a in articles for other in a.others.values()]
    scores = score_relations(items, prefix="human_")
    scores["human_pairs"] = len(items)
    scores["human_articles"] = sum(1 for a in articles if a.others)
    return scores


# --- predicting and writing -----------------------------------------------------------------


def predict_relations(text: str, nlp=None) -> list[BratRelation]:
    """Run unspin's attribution stage on one article text (title on the first line,
    paragraphs split by blank lines) and return its relations as brat relations: the
    pipeline's reading, parsing, mentions and attribution stages, on ``nlp`` (default: the
    shipped spaCy pipeline)."""
    from unspin.article import parse_text
    from unspin.nlp import load_spacy
    from unspin.pipeline import MAX_ANALYSED_CHARS, MAX_ANALYSED_TOKENS
    from unspin.stages import Analysis, Attribution, Mentions, Parsing, Reading

    if not text.strip():
        return []
    text = _same_length_newlines(text)
    article = parse_text(text)
    if article.text != text:  # parse_text normalises line breaks; offsets must not move
        raise ValueError("article text changes under parse_text; offsets would shift")
    analysis = Analysis(article)
    for stage in (Reading(MAX_ANALYSED_CHARS), Parsing(nlp or load_spacy(), MAX_ANALYSED_TOKENS),
                  Mentions(), Attribution()):
        stage.run(analysis)
    return to_brat(analysis.relations)


def _same_length_newlines(text: str) -> str:
    """``text`` with ``\\r\\n`` as `` \\n``, a lone ``\\r`` as ``\\n`` and a leading BOM as a
    space: what :func:`~unspin.article.parse_text` would normalise, done without moving any
    offset (the gold spans count code points of the raw file)."""
    text = text.replace("\r\n", " \n").replace("\r", "\n")
    return " " + text[1:] if text.startswith("\ufeff") else text


def to_brat(relations) -> list[BratRelation]:
    """unspin relations as brat relations. A content that runs around its own source and
    cue ("“A,” he said, “B.”") becomes the discontinuous content "A", "B", as PolNeAR
    annotates it."""
    out = []
    for k, rel in enumerate(relations, start=1):
        holes = sorted((p.start, p.end) for p in (rel.source, rel.cue) if p is not None)
        content = []
        start = rel.content.start
        for hs, he in holes:
            if start < hs < rel.content.end:
                content.append((start, hs))
            if hs < rel.content.end and he > start:
                start = max(start, he)
        if start < rel.content.end:
            content.append((start, rel.content.end))
        out.append(BratRelation(
            f"E{k}",
            ((rel.source.start, rel.source.end),) if rel.source else (),
            ((rel.cue.start, rel.cue.end),) if rel.cue else (),
            tuple(content),
        ))
    return out


def _fragments(text: str, spans: Spans) -> Spans:
    """Spans split at line breaks and trimmed, as brat stores them."""
    out = []
    for start, end in spans:
        for m in re.finditer(r"[^\n]+", text[start:end]):
            s, e = start + m.start(), start + m.end()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((s, e))
    return tuple(out)


def format_ann(text: str, relations: Sequence[BratRelation]) -> str:
    """The brat standoff of ``relations``, laid out like the PolNeAR gold files."""
    lines = []
    t = 0
    for k, rel in enumerate(relations, start=1):
        args = []
        anchor = rel.cue or rel.content
        roles = [("Source", rel.source), ("Cue", rel.cue), ("Content", rel.content)]
        kind = "Attribution" if rel.source else "Attribution-no-source"
        for role, spans in [*roles, (kind, anchor)]:
            pieces = _fragments(text, spans)
            if not pieces:
                continue
            t += 1
            places = ";".join(f"{s} {e}" for s, e in pieces)
            covered = " ".join(text[s:e] for s, e in pieces)
            lines.append(f"T{t}\t{role} {places}\t{covered}")
            args.append(f"{role}:T{t}")
        if not args:
            continue  # nothing but whitespace: no relation to write
        args.insert(0, args.pop())  # the anchor first, as in the gold files
        lines.append(f"E{k}\t{' '.join(args)}")
    return "\n".join(lines) + ("\n" if lines else "")


def write_predictions(predictions_dir: str | Path, name: str, text: str,
                      relations: Sequence[BratRelation], annotator: str = "unspin") -> Path:
    """Write ``<predictions_dir>/<name>_<annotator>.ann``; returns its path."""
    folder = Path(predictions_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}_{annotator}.ann"
    path.write_text(format_ann(text, relations), encoding="utf-8", newline="")
    return path


def evaluate_polnear(split_dir: str | Path,
                     predictions_dir: str | Path | None = None) -> dict:
    """Score unspin's attribution relations on a PolNeAR-style split.

    Parses every article with spaCy, runs :func:`unspin.attribution.find_relations`, and
    returns a flat, JSON-ready dict: ``source_f1``, ``cue_f1``, ``content_f1`` with their
    ``_precision`` and ``_recall`` (see the module doc for the matching), relation counts,
    and the same metric for the other human annotators where an article has several
    (``human_*``). With ``predictions_dir``, one ``<name>_unspin.ann`` per article is
    written there in the gold files' format.
    """
    from unspin.nlp import load_spacy

    started = time.perf_counter()
    articles = read_polnear(split_dir)
    if not articles:
        raise FileNotFoundError(f"no annotated articles in {split_dir}")
    nlp = load_spacy()
    items = []
    for article in articles:
        predicted = predict_relations(article.text, nlp)
        items.append((article.text, article.relations, predicted))
        if predictions_dir is not None:
            write_predictions(predictions_dir, article.name, article.text, predicted)
    scores = {"benchmark": "polnear", "split": str(split_dir), "articles": len(articles)}
    scores.update(score_relations(items))
    scores.update(human_reference(articles))
    scores["seconds"] = round(time.perf_counter() - started, 1)
    return scores
