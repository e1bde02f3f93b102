"""The source inventory: every source an article cites, merged across its mentions, with the
claims it supports (the rules are in :mod:`unspin.sourcing`'s docstring)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from unspin.attribution import Intervals, Relation
from unspin.report import Claim, Entity, Report, Span
from unspin.sourcing.names import (
    AGENCY_PHOTO,
    ARTICLES,
    CREDIT_PHRASE,
    DOC_NOUN_RE,
    DOCUMENT_NOUNS,
    HE_SHE,
    KNOWN_OUTLET_RE,
    NP_STOP,
    ORG_WORDS,
    PROVENANCE,
    STOCK_LIBRARIES,
    WORD,
    Key,
    Part,
    SourceKind,
    display_name,
    is_outlet,
    kind_of_name,
    last_word,
    normalise_name,
)
from unspin.titles import person_name

# --- the layout of the article -----------------------------------------------------------


class Layout:
    """Which part (title, caption, body) an offset lies in, and how to call that place."""

    def __init__(self, report: Report):
        self.report = report
        self._starts = [s.start for s in report.sentences]
        captions = sorted((c.start, c.end) for c in report.captions)
        self._caption_starts = [a for a, _ in captions]
        self._caption_reach = []  # the largest caption end up to each caption (by start)
        reach = -1
        for _, end in captions:
            reach = max(reach, end)
            self._caption_reach.append(reach)

    def in_caption(self, offset: int) -> bool:
        """True if ``offset`` lies in a caption."""
        k = bisect.bisect_right(self._caption_starts, offset) - 1
        return k >= 0 and self._caption_reach[k] > offset

    def part(self, offset: int) -> Part:
        """The part of the sentence holding ``offset`` (title and captions also by span)."""
        title = self.report.title
        if title is not None and title.start <= offset < title.end:
            return "title"
        if self.in_caption(offset):
            return "caption"
        k = bisect.bisect_right(self._starts, offset) - 1
        if k >= 0 and offset < self.report.sentences[k].end:
            return self.report.sentences[k].part
        return "body"

    def place(self, offset: int) -> str:
        """How a reader calls the place of ``offset``: headline, caption, credit line, body."""
        part = self.part(offset)
        if part == "title":
            return "headline"
        if part == "caption":
            cap = next((c for c in self.report.captions if c.start <= offset < c.end), None)
            return "credit line" if cap is not None and cap.kind == "credit" else "caption"
        return "body"

    def sentence_part(self, index: int, offset: int) -> Part:
        """The part of sentence ``index``, falling back to the part of ``offset``."""
        if 0 <= index < len(self.report.sentences):
            return self.report.sentences[index].part
        return self.part(offset)


# --- building the inventory ----------------------------------------------------------------


@dataclass
class Draft:
    """A source being collected: its mentions, the relation spans that cite it, its claims."""

    key: Key
    name: str
    kind: SourceKind
    entity: Entity | None = None
    mentions: dict[tuple[int, int], Span] = field(default_factory=dict)
    cited_at: set[tuple[int, int]] = field(default_factory=set)
    relations: list[Relation] = field(default_factory=list)
    claims: set[int] = field(default_factory=set)
    # spans where the headline or a caption presents it as vouching for something
    vouches: set[tuple[int, int]] = field(default_factory=set)
    # the kept mentions' starts and ends, sorted (kept mentions never overlap)
    _starts: list[int] = field(default_factory=list, repr=False)
    _ends: list[int] = field(default_factory=list, repr=False)

    def add_mention(self, span: Span) -> None:
        """Keep ``span`` unless it overlaps a mention already kept."""
        # kept mentions do not overlap, so only the last one starting before span.end can
        k = bisect.bisect_left(self._starts, span.end)
        if k > 0 and self._ends[k - 1] > span.start:
            return
        self.mentions[(span.start, span.end)] = span
        self._starts.insert(k, span.start)
        self._ends.insert(k, span.end)


class Inventory:
    """The sources found so far, keyed by entity id or normalised name."""

    def __init__(self, report: Report):
        self.report = report
        self.text = report.text
        self.layout = Layout(report)
        self.drafts: dict[Key, Draft] = {}
        self._mentions = sorted(
            ((m.start, m.end, e) for e in report.entities for m in e.mentions),
            key=lambda t: t[0])
        self._mention_starts = [m[0] for m in self._mentions]
        self._longest_mention = max((m[1] - m[0] for m in self._mentions), default=0)
        self._by_name = _entity_names(report.entities)
        # persons and organisations by normalised name, persons by its last word
        self._people_named: dict[str, list[Entity]] = {}
        self._persons_last: dict[str, list[Entity]] = {}
        for e in report.entities:
            if e.label not in ("PERSON", "ORG"):
                continue
            key = normalise_name(e.name)
            self._people_named.setdefault(key, []).append(e)
            if e.label == "PERSON" and key.split():
                self._persons_last.setdefault(key.split()[-1], []).append(e)

    # entities ----------------------------------------------------------------------------

    def mentions_in(self, start: int, end: int) -> list[tuple[int, int, Entity]]:
        """Entity mentions overlapping ``[start, end)``, in text order."""
        lo = bisect.bisect_right(self._mention_starts, start - self._longest_mention)
        hi = bisect.bisect_left(self._mention_starts, end)
        return [m for m in self._mentions[lo:hi] if m[0] < end and start < m[1]]

    def entity_named(self, name: str) -> Entity | None:
        """The entity called ``name``: the one whose canonical name or a mention is ``name``,
        else the one person or organisation whose name ends ``name`` ("Councilmember Omar
        Bell" -> Omar Bell), else the one person with its last word ("Bell"); or None."""
        key = normalise_name(name)
        if key in self._by_name:
            return self._by_name[key]
        # the people whose normalised name ``n`` makes ``key`` end with " " + n
        tails = [e for i, ch in enumerate(key) if ch == " "
                 for e in self._people_named.get(key[i + 1:], ())]
        if len(tails) == 1:
            return tails[0]
        last = key.split()[-1] if key else ""
        same = self._persons_last.get(last, [])
        return same[0] if len(same) == 1 else None

    # adding sources ----------------------------------------------------------------------

    def add_entity(self, entity: Entity) -> Draft:
        """The draft for ``entity`` (created with all the entity's mentions)."""
        key: Key = ("entity", str(entity.id))
        draft = self.drafts.get(key)
        if draft is None:
            texts = [entity.name, *(m.text for m in entity.mentions)]
            kind = "outlet" if any(is_outlet(t) for t in texts) else \
                kind_of_name(entity.name, entity.label)
            draft = Draft(key, entity_display_name(entity), kind, entity)
            for m in entity.mentions:
                draft.add_mention(span_of(self.text, m.start, m.end))
            self.drafts[key] = draft
        return draft

    def add_named(self, name: str, kind: SourceKind) -> Draft:
        """The draft for a source that is known by name only (an entity if one is so named)."""
        entity = self.entity_named(name)
        if entity is not None:
            return self.add_entity(entity)
        key: Key = ("name", normalise_name(name))
        if key not in self.drafts:
            self.drafts[key] = Draft(key, name, kind)
        return self.drafts[key]

    def add_anonymous(self, span: Span) -> Draft:
        """The draft for an anonymous source ("officials", "reports"), keyed by its words."""
        name = display_name(span.text)
        key: Key = ("anonymous", normalise_name(name))
        if key not in self.drafts:
            self.drafts[key] = Draft(key, name, "anonymous")
        return self.drafts[key]

    def add_span(self, start: int, end: int, *, photo: bool = False,
                 vouches: bool = False) -> Draft | None:
        """A source named by the text ``[start, end)`` (a credit target or an outlet): the
        entity mentioned there if any, else a source by that name. ``photo``: the span
        credits a picture, so a person named there (the photographer) is no source.
        ``vouches``: the span presents the source as vouching for something (recorded in
        ``Draft.vouches``)."""
        draft = self._add_span(start, end, photo=photo)
        if draft is not None and vouches:
            draft.vouches.add(trim_span(self.text, start, end))
        return draft

    def _add_span(self, start: int, end: int, *, photo: bool) -> Draft | None:
        start, end = trim_span(self.text, start, end)
        if end <= start:
            return None
        name = display_name(self.text[start:end])
        if normalise_name(name) in STOCK_LIBRARIES or not any(ch.isalpha() for ch in name):
            return None
        inside = [m for m in self.mentions_in(start, end) if start <= m[0] and m[1] <= end]
        entity = inside[-1][2] if len(inside) == 1 else self.entity_named(name)
        if entity is not None:
            if photo and entity.label == "PERSON":
                return None
            draft = self.add_entity(entity)
            draft.add_mention(span_of(self.text, start, end))
            draft.cited_at.add((start, end))
            return draft
        if photo and _looks_like_person(name):
            return None
        draft = self.add_named(name, kind_of_name(name))
        draft.add_mention(span_of(self.text, start, end))
        draft.cited_at.add((start, end))
        return draft

    def finish(self) -> list[Draft]:
        """The drafts in order of their first mention."""
        drafts = [d for d in self.drafts.values() if d.mentions]
        return sorted(drafts, key=lambda d: min(d.mentions))


def entity_display_name(entity: Entity) -> str:
    """The name a source that is ``entity`` is shown by: a person's canonical name without
    its titles (:func:`person_name`), any other entity's canonical name."""
    return person_name(entity.name) if entity.label == "PERSON" else entity.name


def _entity_names(entities: Sequence[Entity]) -> dict[str, Entity]:
    """Normalised names (canonical, display and mention texts) -> entity, for names only one
    has."""
    owners: dict[str, set[int]] = {}
    by_id = {e.id: e for e in entities}
    for e in entities:
        for name in {e.name, entity_display_name(e), *(m.text for m in e.mentions)}:
            owners.setdefault(normalise_name(name), set()).add(e.id)
    return {k: by_id[next(iter(v))] for k, v in owners.items() if len(v) == 1}


def span_of(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without surrounding spaces, punctuation, brackets, a full stop that
    ends a sentence or a leading lowercase article."""
    while start < end and (text[start].isspace() or text[start] in "([,;:“\"'"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ")],;:”\"'" or
                           ends_sentence(text, end - 1)):
        end -= 1
    for article in ARTICLES:
        if text.startswith(article, start) and start + len(article) < end:
            start += len(article)
    return start, end


def _looks_like_person(name: str) -> bool:
    """Two or three capitalised words with no outlet or organisation word: "Jane Doe"."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and \
        not is_outlet(name) and not any(w.lower() in ORG_WORDS for w in words)


# --- relation sources ----------------------------------------------------------------------


def add_relation(inv: Inventory, rel: Relation, resting: set[tuple[int, int]]) -> None:
    """Put the source of ``rel`` into the inventory, unless it names no one (no source
    span, or a pronoun that could not be resolved) or it is a ``stance`` relation that no
    claim rests on (``resting``: the claims' attribution source spans).

    The relation keeps its whole source span (it is the evidence, and claims are matched to
    it); the mention kept for a named or anonymous source is the span without an appositive
    or relative clause ("Councilmember David Chen, who voted against the plan" -> the
    mention "Councilmember David Chen")."""
    if rel.source is None or (rel.kind != "report" and
                              (rel.source.start, rel.source.end) not in resting):
        return
    mention = rel.source
    if rel.source_kind == "anonymous":
        mention = _without_relative_clause(inv.text, rel.source)
        draft = inv.add_anonymous(mention)
    elif rel.source_kind == "pronoun":
        if rel.resolved is None:
            return
        low = rel.source.text.lower()
        kind: SourceKind = "person" if low in HE_SHE else "organisation" if low == "it" \
            else "other"
        draft = inv.add_named(rel.resolved, kind)
    else:
        mention = _source_head(inv.text, rel.source)
        entity = _entity_of_source(inv, rel)
        draft = inv.add_entity(entity) if entity is not None else \
            inv.add_named(display_name(mention.text), kind_of_name(mention.text))
    draft.add_mention(mention)
    draft.relations.append(rel)
    draft.cited_at.add((rel.source.start, rel.source.end))
    # the headline or a caption says what someone says: an authority up front, unless the
    # "source" is no one ("Photo shows ...", "Image Credit: ...", "Day 3: ...")
    if rel.kind == "report" and rel.cue is not None and rel.agent and \
            draft.kind != "other" and inv.layout.part(rel.cue.start) != "body":
        draft.vouches.add((mention.start, mention.end))


_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|whom|whose|which|that)\b", re.IGNORECASE)


def _source_head(text: str, source: Span) -> Span:
    """A named source span up to its first comma: the name without an appositive or relative
    clause ("Samuel Ortiz, the city's budget director" -> "Samuel Ortiz")."""
    cut = source.text.find(",")
    end = source.end if cut < 0 else source.start + len(source.text[:cut].rstrip())
    return span_of(text, source.start, end) if end > source.start else source


def _without_relative_clause(text: str, source: Span) -> Span:
    """A source span up to a relative clause ("a senior official, who spoke on condition of
    anonymity" -> "a senior official"); other commas stay ("officials in Kyiv, Warsaw and
    Berlin")."""
    match = _RELATIVE_CLAUSE.search(source.text)
    if match is None or match.start() == 0:
        return source
    return span_of(text, source.start, source.start + match.start())


def _entity_of_source(inv: Inventory, rel: Relation) -> Entity | None:
    """The entity a named relation source stands for (see the module doc), or None."""
    assert rel.source is not None
    head = _source_head(inv.text, rel.source)
    if last_word(head.text) in DOCUMENT_NOUNS:
        return None  # "the Pentagon report" is a document, not the Pentagon
    if rel.resolved:
        entity = inv.entity_named(rel.resolved)
        if entity is not None:
            return entity
    start, head_end = head.start, head.end
    if head.text.endswith(("'s", "’s")):
        head_end -= 2
    found = inv.mentions_in(start, head_end)
    for m_start, m_end, entity in found:
        if m_end == head_end or (m_start <= start and head_end <= m_end):
            return entity
    named = _appositive_person(inv, rel.source, head)
    if named is not None:
        return named
    for label in ("PERSON", "ORG", "GPE"):
        match = [e for _s, _e, e in found if e.label == label]
        if match:
            return match[-1]
    return None


def _appositive_person(inv: Inventory, source: Span, head: Span) -> Entity | None:
    """The person an appositive names after a role ("The city's budget director, Samuel
    Ortiz" -> Samuel Ortiz; "a Pentagon spokesperson, John Kirby" -> John Kirby): the PERSON
    entity whose mention ends the part between the first and the next comma, all of whose
    words are capitalised. None unless ``head`` is a role (its last word a person role)."""
    if head.end >= source.end or kind_of_name(head.text) != "person":
        return None
    after = head.end + 1  # past the comma
    comma = inv.text.find(",", after, source.end)
    start, end = trim_span(inv.text, after, source.end if comma < 0 else comma)
    words = inv.text[start:end].split()
    if not words or not all(w[:1].isupper() for w in words):
        return None
    people = [e for m_start, m_end, e in inv.mentions_in(start, end)
              if e.label == "PERSON" and start <= m_start and m_end == end]
    return people[-1] if people else None


# --- captions, credits and the headline ---------------------------------------------------


def add_captions(inv: Inventory, report: Report) -> None:
    """Sources cited in captions and credit lines: credits, outlets, documents and
    authorities."""
    for cap in report.captions:
        credited = _add_credits(inv, cap.start, cap.end)
        if cap.kind == "credit" and not credited:
            _add_credit_target(inv, cap.start, cap.end, photo=True, handout=False)
        _add_outlets(inv, cap.start, cap.end)
        _add_documents(inv, cap.start, cap.end)
        add_authorities(inv, cap.start, cap.end)


def _add_credits(inv: Inventory, start: int, end: int) -> bool:
    """Sources named by credit phrases in ``[start, end)``; True if any phrase was found.

    A picture credit ("Photo: ...", "AP Photo/...", "via ...") is routine; a handout or
    provenance credit ("courtesy of", "provided by", "obtained by", ...) presents its source
    as vouching for the material (:func:`_add_credit_target`)."""
    text = inv.text
    found = False
    for m in CREDIT_PHRASE.finditer(text, start, end):
        target_end = _credit_end(text, m.end(), end)
        photo = m.group("photo") is not None
        handout = not photo and not m.group().lower().startswith("via")
        _add_credit_target(inv, m.end(), target_end, photo=photo, handout=handout,
                           obtained=m.group().lower().startswith("obtained"))
        found = True
    for m in AGENCY_PHOTO.finditer(text, start, end):
        inv.add_span(m.start("agency"), m.end("agency"))
        found = True
    return found


def _add_credit_target(inv: Inventory, start: int, end: int, *, photo: bool, handout: bool,
                       obtained: bool = False) -> None:
    """Each "/"-separated part of a credit target ``[start, end)`` as a source. A handout
    credit vouches, unless it names a news outlet or agency, a person or a family (who hand
    out pictures routinely); whoever *obtained* a document vouches for it whatever it is
    ("Obtained by The Washington Post")."""
    offset = start
    for part in inv.text[start:end].split("/"):
        name = display_name(part)
        routine = is_outlet(name) or _looks_like_person(name) or \
            name.lower().endswith(("family", "families"))
        inv.add_span(offset, offset + len(part), photo=photo,
                     vouches=handout and (obtained or not routine))
        offset += len(part) + 1


def _credit_end(text: str, start: int, limit: int) -> int:
    """Where a credit target that starts at ``start`` ends: at a bracket, comma, semicolon,
    line break or a full stop that ends a sentence (not the dots of "U.S.")."""
    i = start
    while i < limit:
        ch = text[i]
        if ch in ")];,\n(":
            return i
        if ch == "." and ends_sentence(text, i):
            return i
        i += 1
    return limit


def ends_sentence(text: str, i: int) -> bool:
    """True if ``text[i]`` is a full stop that ends a sentence rather than an abbreviation
    ("Post." at the end of a sentence, not the last dot of "U.S.")."""
    if text[i : i + 1] != ".":
        return False
    before = text[max(0, i - 2) : i]
    abbreviation = len(before) == 2 and before[1].isupper() and not before[0].isalnum()
    after = text[i + 1 : i + 2]
    return not abbreviation and (not after or after.isspace() or after in ")]")


def _add_outlets(inv: Inventory, start: int, end: int) -> None:
    """News outlets named in ``[start, end)``: outlet entities and known outlet names."""
    for m_start, m_end, entity in inv.mentions_in(start, end):
        if m_start >= start and m_end <= end and \
                any(is_outlet(t) for t in (entity.name, inv.text[m_start:m_end])):
            inv.add_span(m_start, m_end)
    for m in KNOWN_OUTLET_RE.finditer(inv.text, start, end):
        inv.add_span(m.start(), m.end())


def _add_documents(inv: Inventory, start: int, end: int) -> None:
    """Documents named with their provenance in ``[start, end)``: the noun phrase ending in
    a document noun right before "obtained by", "seen by", "leaked to", ..."""
    text = inv.text
    for m in DOC_NOUN_RE.finditer(text, start, end):
        if not PROVENANCE.match(text, m.end(), end):
            continue
        first = _phrase_start(text, start, m.start())
        name = display_name(text[first : m.end()])
        draft = inv.add_named(name, "document")
        draft.add_mention(span_of(text, first, m.end()))
        draft.cited_at.add((first, m.end()))
        draft.vouches.add((first, m.end()))


AUTHORITY_NOUNS = (
    "researchers", "scientists", "experts", "doctors", "physicians", "economists",
    "analysts", "study", "studies", "survey", "report", "poll", "analysis", "data",
    "findings", "research", "scientist", "researcher", "expert", "doctor",
)  # fmt: skip
"""Nouns that present whoever owns them as an authority ("Harvard Medical School
researchers", "a Stanford study", "scientists at NASA")."""
_AUTHORITY_AFTER = re.compile(r"(?:['’]s?)?\s+(?:\w+\s+)?(?:" + "|".join(AUTHORITY_NOUNS) +
                              r")\b", re.IGNORECASE)
_AUTHORITY_BEFORE = re.compile(r"\b(?:" + "|".join(AUTHORITY_NOUNS) +
                               r")\s+(?:at|from|by|of|with)\s+(?:the\s+)?$", re.IGNORECASE)


def add_authorities(inv: Inventory, start: int, end: int) -> None:
    """Organisations, places and people that ``[start, end)`` (a headline or a caption)
    presents as an authority: named right before an authority noun (:data:`AUTHORITY_NOUNS`:
    "Harvard Medical School researchers", "NASA's scientists") or right after one and "at",
    "from", "by", "of" or "with" ("a study by Stanford University")."""
    text = inv.text
    for m_start, m_end, entity in inv.mentions_in(start, end):
        if m_start < start or m_end > end or entity.label not in ("ORG", "GPE", "NORP",
                                                                    "PERSON"):
            continue
        if _AUTHORITY_AFTER.match(text, m_end, end) or \
                _AUTHORITY_BEFORE.search(text[max(start, m_start - 40):m_start]):
            inv.add_span(m_start, m_end, vouches=True)


def _phrase_start(text: str, limit: int, noun: int) -> int:
    """Start of the up to four modifier words right before the noun at ``noun``, stopping at
    a function word ("the", "of", "by", ...) or punctuation."""
    first = noun
    words = list(WORD.finditer(text, limit, noun))
    for w in reversed(words[-4:]):
        word = w.group()
        if text[w.end() : first].strip() or word.lower() in NP_STOP:
            break
        if word.endswith(".") and ends_sentence(text, w.end() - 1):
            break
        first = w.start()
    return first


def add_title(inv: Inventory, report: Report) -> None:
    """News outlets and authorities named in the headline."""
    if report.title is not None:
        _add_outlets(inv, report.title.start, report.title.end)
        add_authorities(inv, report.title.start, report.title.end)


# --- claims each source supports ------------------------------------------------------------


def _word_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets of the first character of every word in ``text[start:end]``."""
    return [start + m.start() for m in re.finditer(r"\w+", text[start:end])]


def _speaks_for(rel: Relation, claim: Claim, words: Sequence[int]) -> bool:
    """True if the ``report`` relation ``rel`` vouches for ``claim`` (whose word offsets are
    ``words``): its cue is in the claim and governs its main clause, or at least 90% of the
    claim's words lie in its content."""
    if rel.kind != "report":
        return False
    if rel.cue is not None and claim.start <= rel.cue.start < claim.end and rel.main_clause:
        return True
    inside = sum(1 for w in words if rel.content.start <= w < rel.content.end)
    return bool(words) and inside >= 0.9 * len(words)


def attach_claims(drafts: Sequence[Draft], claims: Sequence[Claim], text: str) -> None:
    """Fill each draft's ``claims``: claims whose attribution source is one of its spans, or
    that one of its relations speaks for.

    The drafts' spans and relations are indexed by offset, so each claim looks only at the
    spans that overlap its source and the relations whose cue or content touches it."""
    cited = Intervals([(s, e, d) for d, draft in enumerate(drafts) for s, e in draft.cited_at])
    owners = [(rel, d) for d, draft in enumerate(drafts) for rel in draft.relations
              if rel.kind == "report"]
    by_cue = sorted((rel.cue.start, k) for k, (rel, _) in enumerate(owners)
                    if rel.cue is not None and rel.main_clause)
    cue_starts = [c for c, _ in by_cue]
    contents = Intervals([(rel.content.start, rel.content.end, k)
                          for k, (rel, _) in enumerate(owners)])
    for i, claim in enumerate(claims):
        source = claim.attribution.source if claim.attribution else None
        if source is not None:
            for d in cited.overlapping(source.start, source.end):
                drafts[d].claims.add(i)
        near = {k for _, k in by_cue[bisect.bisect_left(cue_starts, claim.start):
                                      bisect.bisect_left(cue_starts, claim.end)]}
        near.update(contents.overlapping(claim.start, claim.end))
        if not near:
            continue
        words = _word_starts(text, claim.start, claim.end)
        for k in near:
            rel, d = owners[k]
            if _speaks_for(rel, claim, words):
                drafts[d].claims.add(i)


