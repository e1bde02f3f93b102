"""Sources resolved: pronouns and one-word names to the people and organisations named
nearby (the rule is in the package docstring)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Doc

from unspin.attribution.relation import Relation
from unspin.report import Sentence
from unspin.titles import is_title_word, person_name


def _person_names(doc: Doc) -> dict[str, str]:
    """One-word keys (surnames, and first names that only one person has) -> full names."""
    full: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        words = _name_words(ent)
        if len(words) >= 2:
            name = " ".join(words)
            full.setdefault(words[-1].lower(), set()).add(name)
    out = {}
    for key, names in full.items():
        longest = max(names, key=len)
        if all(longest.endswith(n.split()[-1]) for n in names) and \
                len({n.split()[-1] for n in names}) == 1 and \
                len({n.split()[0] for n in names if len(n.split()) > 1}) <= 1:
            out[key] = longest
    return out


def _name_words(span) -> list[str]:
    """The words of a name, without punctuation, possessive and leading titles
    (:func:`~unspin.titles.person_name`). A person's name takes in the capitalised proper
    nouns right before it that spaCy left out of every entity ("Dmitry" in "Dmitry
    [Peskov]")."""
    if span.label_ == "PERSON":
        doc, start = span.doc, span.start
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title \
                and doc[start - 1].whitespace_ == " " and not doc[start - 1].ent_type_:
            start -= 1
        span = doc[start : span.end]
    words = [t.text for t in span if not t.is_punct and t.text not in ("'s", "’s")]
    if len(words) == 1 and is_title_word(words[0]):
        return []  # a bare title ("the Judge") names no one
    return person_name(" ".join(words)).split()


def _mentions(doc: Doc, names: dict[str, str], labels: tuple[str, ...]) -> list[tuple[int, str]]:
    """(character offset, canonical name) of every mention with one of ``labels``."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        words = _name_words(ent)
        if not words:
            continue
        name = " ".join(words)
        if ent.label_ == "PERSON":
            name = names.get(words[-1].lower(), name)
        out.append((ent.start_char, name))
    return out


def _resolve(doc: Doc, relations: list[Relation], sentences: Sequence[Sentence]) -> None:
    """Fill ``resolved`` for pronoun sources, one-word names and titled names whose head is
    a person ("Kremlin spokesperson Dmitry Peskov" -> "Dmitry Peskov"); see the module doc."""
    if not relations:
        return
    names = _person_names(doc)
    pools = {"PERSON": _Pool(_mentions(doc, names, ("PERSON",))),
             "ORG": _Pool(_mentions(doc, names, ("ORG",)))}
    ents = list(doc.ents)
    ent_ends = [e.end for e in ents]
    sent_starts = [s.start for s in sentences]
    last: dict[str, tuple[int, str]] = {}
    for rel in relations:
        if rel.source is None:
            continue
        low = rel.source.text.lower()
        label = "PERSON" if low in ("he", "she", "him", "her") else "ORG" if low == "it" else ""
        if rel.source_kind == "pronoun":
            if label:
                rel.resolved = _antecedent(pools[label], rel, sent_starts, last.get(label))
        elif rel.source_kind == "named":
            span = doc.char_span(rel.source.start, rel.source.end, alignment_mode="expand")
            head = span.root if span is not None else None
            if head is not None and head.ent_type_ in ("PERSON", "ORG"):
                label = head.ent_type_
                k = bisect.bisect_right(ent_ends, head.i)  # the first entity ending after it
                ent = ents[k] if k < len(ents) and ents[k].start <= head.i else None
                words = _name_words(ent) if ent is not None else []
                if words:
                    name = names.get(words[-1].lower(), " ".join(words)) \
                        if label == "PERSON" else " ".join(words)
                    if name != rel.source.text:
                        rel.resolved = name
        name = rel.resolved or (rel.source.text if rel.source_kind == "named" else None)
        if label and name:
            last[label] = (rel.sentence, name)


class _Pool:
    """The mentions of one label, (offset, name) in text order, with their offsets."""

    def __init__(self, mentions: list[tuple[int, str]]):
        self.mentions = mentions
        self.offsets = [off for off, _ in mentions]

    def between(self, start: int, end: int) -> list[tuple[int, str]]:
        """The mentions at offsets in ``[start, end)``."""
        return self.mentions[bisect.bisect_left(self.offsets, start):
                             bisect.bisect_left(self.offsets, end)]


def _antecedent(pool: _Pool, rel: Relation, sent_starts: list[int],
                last: tuple[int, str] | None) -> str | None:
    """The one person (or organisation) a pronoun source can stand for, or None: the only
    one named earlier in its sentence (outside the relation's own content); else the previous
    relation's source if it spoke within the last two sentences; else the only one named in
    the two (then four) sentences before."""
    assert rel.source is not None
    here = sent_starts[rel.sentence] if rel.sentence < len(sent_starts) else 0
    # only mentions from four sentences back on are looked at below
    first = sent_starts[max(0, rel.sentence - 4)] if sent_starts else 0
    before = [(off, n) for off, n in pool.between(min(here, first), rel.source.start)
              if not rel.content.start <= off < rel.content.end]
    same = list(dict.fromkeys(n for off, n in before if off >= here))
    if len(same) == 1:
        return same[0]
    if same:
        return None
    if last is not None and 0 <= rel.sentence - last[0] <= 2:
        return last[1]
    for back in (2, 4):
        first = sent_starts[max(0, rel.sentence - back)] if sent_starts else 0
        window = list(dict.fromkeys(n for off, n in before if off >= first))
        if len(window) == 1:
            return window[0]
        if window:
            return None
    return None
