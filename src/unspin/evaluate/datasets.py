"""Readers and writers for the benchmark layouts of ``../shared/data`` (see its README.md).

Readers return plain dataclasses; writers produce prediction files in the gold formats, so the
official scorers, and :mod:`unspin.evaluate.metrics`, read them like gold files.

Offsets are code points into the article text exactly as stored: articles are read with
``open(path, encoding="utf-8", newline="")`` so that no newline translation shifts them, and
every gold span is checked to lie inside its article.

Technique names in SemEval-2023 label files go through
:func:`unspin.taxonomy.normalise_technique`: misspelt names are mapped to the technique they
spell and names that match nothing are dropped. Every such decision is logged (logger
``unspin.evaluate.datasets``, level WARNING) and recorded in :data:`LABEL_REPAIRS`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from unspin.taxonomy import GENRES, normalise_technique

__all__ = [
    "CheckworthySentence",
    "DocLabel",
    "LABEL_REPAIRS",
    "LabelledParagraph",
    "LabelledSpan",
    "PtcArticle",
    "SemevalArticle",
    "line_offsets",
    "read_checkworthy",
    "read_ptc",
    "read_semeval_articles",
    "read_semeval_paragraphs",
    "write_checkworthy",
    "write_genre_frames",
    "write_ptc_predictions",
    "write_semeval_predictions",
]

logger = logging.getLogger(__name__)

LABEL_REPAIRS: dict[str, str | None] = {}
"""Every raw technique name a reader did not find verbatim in the SemEval-2023 list, and what
it became: the technique it was mapped to, or None when it was dropped. Accumulates over all
reads in this process."""


# --- data classes ----------------------------------------------------------------------------


@dataclass
class LabelledSpan:
    """A technique at ``text[start:end]`` (code points, end exclusive)."""

    technique: str
    start: int
    end: int


@dataclass
class PtcArticle:
    """A PTC article: ``spans`` from ``tc.labels``; ``si_spans`` from ``si.labels`` when the
    split has one, else the distinct (start, end) of ``spans``."""

    id: str
    text: str
    spans: list[LabelledSpan] = field(default_factory=list)
    si_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class LabelledParagraph:
    """Line ``line`` (numbered from 1, blank lines counted) of an article, at
    ``text[start:end]`` (the whole line without its line break), and its techniques."""

    line: int
    start: int
    end: int
    techniques: list[str] = field(default_factory=list)


@dataclass
class SemevalArticle:
    """A SemEval-2023 paragraph-task article with its paragraph labels and technique spans."""

    id: str
    text: str
    paragraphs: list[LabelledParagraph] = field(default_factory=list)
    spans: list[LabelledSpan] = field(default_factory=list)


@dataclass
class DocLabel:
    """A SemEval-2023 article-task article with its genre (None if unlabelled) and frames."""

    id: str
    text: str
    genre: str | None = None
    frames: list[str] = field(default_factory=list)


class CheckworthySentence(NamedTuple):
    """One CheckThat! sentence; ``label`` is True for Yes, False for No, None if unlabelled."""

    sentence_id: str
    text: str
    label: bool | None


# --- low-level helpers -----------------------------------------------------------------------


def _read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _id_order(article_id: str) -> tuple[int, int, str]:
    return (0, int(article_id), "") if article_id.isdigit() else (1, 0, article_id)


def _read_articles(folder: Path) -> dict[str, str]:
    """``article<ID>.txt`` files of ``folder`` as {ID: text}, in numeric ID order."""
    if not folder.is_dir():
        raise FileNotFoundError(f"no articles folder at {folder}")
    found = {}
    for path in folder.glob("article*.txt"):
        found[path.name[len("article"):-len(".txt")]] = _read_text(path)
    return {k: found[k] for k in sorted(found, key=_id_order)}


def _rows(path: Path, widths: Sequence[int]) -> Iterable[tuple[int, list[str]]]:
    """(line number, fields) of a tab-separated label file, skipping blank lines; every row must
    have one of ``widths`` fields."""
    with open(path, encoding="utf-8", newline="") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) not in widths:
                raise ValueError(f"{path}:{number}: expected {' or '.join(map(str, widths))} "
                                 f"tab-separated fields, found {len(fields)}: {line!r}")
            yield number, fields


def _int(value: str, path: Path, number: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{path}:{number}: {value!r} is not an integer offset") from None


def _span(fields: list[str], texts: Mapping[str, str], path: Path, number: int
          ) -> tuple[str, int, int]:
    """(article id, start, end) from ``id, start, end`` fields, checked against the article."""
    article_id, start, end = fields[0], _int(fields[1], path, number), _int(fields[2], path, number)
    if article_id not in texts:
        raise ValueError(f"{path}:{number}: no article{article_id}.txt for this label")
    if not 0 <= start <= end <= len(texts[article_id]):
        raise ValueError(f"{path}:{number}: span [{start}, {end}) lies outside article "
                         f"{article_id} ({len(texts[article_id])} characters)")
    return article_id, start, end


def _technique(raw: str, where: str) -> str | None:
    """The SemEval-2023 name for ``raw``, recording and logging any repair or drop."""
    name = normalise_technique(raw)
    if name != raw:
        if raw not in LABEL_REPAIRS:
            if name is None:
                logger.warning("%s: dropped unknown technique %r", where, raw)
            else:
                logger.warning("%s: read technique %r as %r", where, raw, name)
        LABEL_REPAIRS[raw] = name
    return name


def line_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, numbered from 1 as list index + 1.

    Lines are split on ``"\\n"``; ``end`` excludes the line break (and a ``"\\r"`` before it)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        out.append((pos, end - 1 if line.endswith("\r") else end))
        pos = end + 1
    return out


# --- readers ---------------------------------------------------------------------------------


def read_ptc(split_dir: str | Path) -> list[PtcArticle]:
    """Read a PTC split: ``articles/article<ID>.txt``, ``tc.labels`` and optional ``si.labels``.

    Every article is returned, labelled or not, in numeric ID order; spans keep file order.
    Technique names are kept verbatim (they are PTC names, see
    :data:`unspin.taxonomy.PTC_TECHNIQUES`)."""
    split_dir = Path(split_dir)
    texts = _read_articles(split_dir / "articles")
    articles = {aid: PtcArticle(aid, text) for aid, text in texts.items()}
    tc_path = split_dir / "tc.labels"
    if tc_path.exists():
        for number, fields in _rows(tc_path, (4,)):
            aid, start, end = _span([fields[0], fields[2], fields[3]], texts, tc_path, number)
            articles[aid].spans.append(LabelledSpan(fields[1].strip(), start, end))
    si_path = split_dir / "si.labels"
    if si_path.exists():
        for number, fields in _rows(si_path, (3,)):
            aid, start, end = _span(fields, texts, si_path, number)
            articles[aid].si_spans.append((start, end))
    else:
        for art in articles.values():
            art.si_spans = sorted({(s.start, s.end) for s in art.spans})
    return list(articles.values())


def read_semeval_paragraphs(split_dir: str | Path) -> list[SemevalArticle]:
    """Read a SemEval-2023 paragraph-task split: ``articles/``, ``paragraphs.labels`` and
    ``spans.labels`` (either label file may be absent).

    ``paragraphs.labels`` numbers lines from 1 counting blank lines; each labelled line becomes a
    :class:`LabelledParagraph` with its offsets in the article. Without ``paragraphs.labels``
    (an unlabelled split), every non-blank line is a paragraph with no techniques. Technique
    names are normalised (see the module docstring); a paragraph listing the same technique
    twice keeps it once."""
    split_dir = Path(split_dir)
    texts = _read_articles(split_dir / "articles")
    articles = {aid: SemevalArticle(aid, text) for aid, text in texts.items()}
    offsets = {aid: line_offsets(text) for aid, text in texts.items()}

    par_path = split_dir / "paragraphs.labels"
    if par_path.exists():
        by_line: dict[tuple[str, int], LabelledParagraph] = {}
        for number, fields in _rows(par_path, (2, 3)):
            aid, line = fields[0], _int(fields[1], par_path, number)
            if aid not in texts:
                raise ValueError(f"{par_path}:{number}: no article{aid}.txt for this label")
            if not 1 <= line <= len(offsets[aid]):
                raise ValueError(f"{par_path}:{number}: article {aid} has no line {line} "
                                 f"(it has {len(offsets[aid])})")
            para = by_line.get((aid, line))
            if para is None:
                para = LabelledParagraph(line, *offsets[aid][line - 1])
                by_line[(aid, line)] = para
                articles[aid].paragraphs.append(para)
            raw_names = fields[2].split(",") if len(fields) == 3 else []
            for raw in (r.strip() for r in raw_names):
                name = _technique(raw, f"{par_path}:{number}") if raw else None
                if name is not None and name not in para.techniques:
                    para.techniques.append(name)
        for art in articles.values():
            art.paragraphs.sort(key=lambda p: p.line)
    else:
        for aid, art in articles.items():
            art.paragraphs = [LabelledParagraph(i, s, e)
                              for i, (s, e) in enumerate(offsets[aid], start=1)
                              if art.text[s:e].strip()]

    span_path = split_dir / "spans.labels"
    if span_path.exists():
        for number, fields in _rows(span_path, (4,)):
            aid, start, end = _span([fields[0], fields[2], fields[3]], texts, span_path, number)
            name = _technique(fields[1].strip(), f"{span_path}:{number}")
            if name is not None:
                articles[aid].spans.append(LabelledSpan(name, start, end))
    return list(articles.values())


def read_semeval_articles(split_dir: str | Path) -> list[DocLabel]:
    """Read a SemEval-2023 article-task split: ``articles-genre-frames/``, ``genre.labels``
    (``ID \\t genre``) and ``frames.labels`` (``ID \\t Frame1,Frame2,...``); either label file
    may be absent. Articles without a genre get None, without frames an empty list."""
    split_dir = Path(split_dir)
    texts = _read_articles(split_dir / "articles-genre-frames")
    docs = {aid: DocLabel(aid, text) for aid, text in texts.items()}
    genre_path = split_dir / "genre.labels"
    if genre_path.exists():
        for number, fields in _rows(genre_path, (2,)):
            doc = _doc(docs, fields[0], genre_path, number)
            genre = fields[1].strip().lower()
            if genre not in GENRES:
                raise ValueError(f"{genre_path}:{number}: unknown genre {fields[1]!r}; "
                                 f"expected one of {', '.join(GENRES)}")
            doc.genre = genre
    frames_path = split_dir / "frames.labels"
    if frames_path.exists():
        for number, fields in _rows(frames_path, (1, 2)):
            doc = _doc(docs, fields[0], frames_path, number)
            names = fields[1].split(",") if len(fields) == 2 else []
            doc.frames = [n.strip() for n in names if n.strip()]
    return list(docs.values())


def _doc(docs: dict[str, DocLabel], aid: str, path: Path, number: int) -> DocLabel:
    if aid not in docs:
        raise ValueError(f"{path}:{number}: no article{aid}.txt for this label")
    return docs[aid]


_GLUED_LABEL = re.compile(r"(Yes|No)(\S+)")


def read_checkworthy(split_dir: str | Path) -> list[CheckworthySentence]:
    """Read ``sentences.tsv`` (``Sentence_id \\t Text \\t class_label``, header first) of a
    CheckThat! split. Columns are found by their header names; without a ``class_label`` column
    every label is None. Quotes are ordinary characters (no CSV quoting), CRLF line ends are
    accepted, and a row glued to the next one (a missing line break, as on one line of the
    train split: ``...\\tNo29286\\tYou can't...``) is split back into two rows, with a warning.
    """
    path = Path(split_dir) / "sentences.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        lines = [line.rstrip("\r\n") for line in f]
    if not lines:
        raise ValueError(f"{path}: empty file")
    header = [h.strip() for h in lines[0].split("\t")]
    if "Sentence_id" not in header or "Text" not in header:
        raise ValueError(f"{path}: header must name Sentence_id and Text, found {header}")
    i_id, i_text = header.index("Sentence_id"), header.index("Text")
    i_label = header.index("class_label") if "class_label" in header else None
    out = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        while i_label is not None and len(fields) > len(header):
            glued = _GLUED_LABEL.fullmatch(fields[i_label]) if i_label < len(fields) else None
            if glued is None:
                break
            logger.warning("%s:%d: two rows glued together; splitting at %r",
                           path, number, fields[i_label])
            first = list(fields[:len(header)])
            first[i_label] = glued.group(1)
            out.append(_sentence(first, i_id, i_text, i_label, path, number))
            fields = [glued.group(2), *fields[len(header):]]
        if len(fields) != len(header):
            raise ValueError(f"{path}:{number}: expected {len(header)} tab-separated fields, "
                             f"found {len(fields)}: {line!r}")
        out.append(_sentence(fields, i_id, i_text, i_label, path, number))
    return out


def _sentence(fields: list[str], i_id: int, i_text: int, i_label: int | None, path: Path,
              number: int) -> CheckworthySentence:
    label = None
    if i_label is not None:
        raw = fields[i_label].strip()
        if raw not in ("Yes", "No"):
            raise ValueError(f"{path}:{number}: class_label must be Yes or No, found {raw!r}")
        label = raw == "Yes"
    return CheckworthySentence(fields[i_id].strip(), fields[i_text], label)


# --- writers ---------------------------------------------------------------------------------


def _check_field(value: object, what: str, forbidden: str = "\t\n\r") -> str:
    text = str(value)
    if any(c in text for c in forbidden):
        raise ValueError(f"{what} {text!r} contains a character the format cannot hold "
                         f"({forbidden!r})")
    return text


def _write_lines(path: Path, lines: Iterable[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        for line in lines:
            f.write(line + "\n")
    return path


def _offsets(aid: object, start: int, end: int) -> str:
    if not 0 <= int(start) <= int(end):
        raise ValueError(f"invalid span [{start}, {end}) for article {aid}")
    return f"{int(start)}\t{int(end)}"


def _span_line(aid: object, technique: str, start: int, end: int) -> str:
    return (f"{_check_field(aid, 'article id')}\t{_check_field(technique, 'technique')}\t"
            f"{_offsets(aid, start, end)}")


def write_ptc_predictions(directory: str | Path,
                          si: Mapping[str, Iterable[tuple[int, int]]] | None,
                          tc: Iterable[tuple[str, str, int, int]] | None) -> list[Path]:
    """Write ``si.labels`` (``ID \\t start \\t end``, sorted by article and offset) from ``si``
    and ``tc.labels`` (``ID \\t technique \\t start \\t end``, in the given order) from ``tc``
    into ``directory`` (created if needed). Pass None to skip a file. Returns the paths
    written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    if si is not None:
        rows = []
        for aid in sorted(si, key=lambda a: _id_order(str(a))):
            for start, end in sorted(si[aid]):
                rows.append(f"{_check_field(aid, 'article id')}\t{_offsets(aid, start, end)}")
        written.append(_write_lines(directory / "si.labels", rows))
    if tc is not None:
        written.append(_write_lines(directory / "tc.labels",
                                    [_span_line(aid, t, s, e) for aid, t, s, e in tc]))
    return written


def write_semeval_predictions(directory: str | Path,
                              paragraphs: Iterable[tuple[str, int, Iterable[str]]] | None,
                              spans: Iterable[tuple[str, str, int, int]] | None) -> list[Path]:
    """Write ``paragraphs.labels`` (``ID \\t line \\t T1,T2,...``, empty third field when no
    technique) and ``spans.labels`` (``ID \\t technique \\t start \\t end``) into ``directory``,
    rows in the given order. Pass None to skip a file. Returns the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    if paragraphs is not None:
        rows = []
        for aid, line, techniques in paragraphs:
            names = ",".join(_check_field(t, "technique", "\t\n\r,") for t in techniques)
            rows.append(f"{_check_field(aid, 'article id')}\t{int(line)}\t{names}")
        written.append(_write_lines(directory / "paragraphs.labels", rows))
    if spans is not None:
        written.append(_write_lines(directory / "spans.labels",
                                    [_span_line(aid, t, s, e) for aid, t, s, e in spans]))
    return written


def write_genre_frames(directory: str | Path, genre: Mapping[str, str] | None,
                       frames: Mapping[str, Iterable[str]] | None) -> list[Path]:
    """Write ``genre.labels`` (``ID \\t genre``) and ``frames.labels`` (``ID \\t F1,F2,...``)
    into ``directory``, articles in numeric ID order. Pass None to skip a file. Returns the
    paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    if genre is not None:
        rows = [f"{_check_field(aid, 'article id')}\t{_check_field(genre[aid], 'genre')}"
                for aid in sorted(genre, key=lambda a: _id_order(str(a)))]
        written.append(_write_lines(directory / "genre.labels", rows))
    if frames is not None:
        rows = []
        for aid in sorted(frames, key=lambda a: _id_order(str(a))):
            names = ",".join(_check_field(f, "frame", "\t\n\r,") for f in frames[aid])
            rows.append(f"{_check_field(aid, 'article id')}\t{names}")
        written.append(_write_lines(directory / "frames.labels", rows))
    return written


def write_checkworthy(directory: str | Path,
                      rows: Mapping[str, bool] | Iterable[Sequence]) -> Path:
    """Write check-worthiness predictions to ``directory/predictions.tsv``: a
    ``Sentence_id \\t class_label`` header, then one ``ID \\t Yes|No`` row per sentence.

    ``rows`` is a mapping {sentence id: bool} or an iterable of ``(id, label)`` or
    ``(id, text, label)`` tuples (so the output of :func:`read_checkworthy` round-trips); a
    label is a bool or the string Yes/No. Returns the path written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    items = rows.items() if isinstance(rows, Mapping) else ((r[0], r[-1]) for r in rows)
    lines = ["Sentence_id\tclass_label"]
    for sid, label in items:
        if isinstance(label, str):
            if label not in ("Yes", "No"):
                raise ValueError(f"sentence {sid}: label must be Yes, No or a bool, "
                                 f"not {label!r}")
            label = label == "Yes"
        if label is None:
            raise ValueError(f"sentence {sid}: no label to write")
        lines.append(f"{_check_field(sid, 'sentence id')}\t{'Yes' if label else 'No'}")
    return _write_lines(directory / "predictions.tsv", lines)
