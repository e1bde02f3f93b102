"""Sourcing: who the article cites, for which claims, and what its sourcing leaves out.

:func:`find_sources` takes a :class:`~unspin.report.Report` whose ``text``, ``title``,
``captions``, ``sentences``, ``entities``, ``quantities``, ``hedges`` and ``claims`` (with
their ``attribution``) are filled, plus the attribution relations of the whole text
(:func:`unspin.attribution.find_relations`). It returns the sources (for ``report.sources``)
and the sourcing flags (for ``report.flags``). It reads nothing else and changes nothing.

Which sources there are
-----------------------
- **Relation sources**: the source of every ``report`` relation, wherever it stands
  ("Kremlin spokesperson Dmitry Peskov confirmed ...", "according to the ministry", "reports
  indicating ..."). ``stance`` relations ("Romania has declined to send forces") cite no one,
  and pronouns that attribution could not resolve name no one; both are skipped.

  The rule: a source is someone the article reports as *saying* (or showing, writing,
  documenting) something, not someone it only *talks about*. A person who said something is
  a source even when what they said is no check-worthy claim and no claim rests on them
  (``claims`` is then empty): in the example article Vladimir Putin is one because "he
  reiterated his focus on strengthening Russia’s Far East region" is a ``report`` relation
  whose source resolves to him, though that clause is not the claim of its sentence. A person
  named only in a headline, in a relation's content ("Peskov confirmed that ... Putin had
  extended an invitation") or as the subject of a ``stance`` relation (acts, refusals,
  feelings: "declined", "expressing frustration", "rejected") is not a source.
- **Credits** in captions and credit lines: the name after "obtained by", "provided by",
  "released by", "courtesy of", "photo by", "Photo:", "credit:", "via", the agency in
  "AP Photo/Name", and a bare credit line. A credit naming several parties ("Jane
  Doe/City Herald") is split at "/". When the credit is for a picture, parts that look like a
  person's name are the photographer and are left out (they took the picture; they vouch for
  no claim); stock-photo libraries (:data:`STOCK_LIBRARIES`) are left out for the same reason.
- **Outlets** (:func:`is_outlet`) named in the headline or a caption, and **documents**
  named in a caption together with their provenance ("Unclassified U.S. intelligence document
  obtained by ...", "a memo seen by ...").

Mentions become one source per entity: a relation's source is the entity that
``Relation.resolved`` names, else the entity whose mention ends the source's name (the part
before its first comma: "Kremlin spokesperson Dmitry Peskov" -> Dmitry Peskov, "Peskov" ->
Dmitry Peskov) or contains it, else the person an appositive names after a role ("The city's
budget director, Samuel Ortiz" -> Samuel Ortiz), else a person, organisation or place named
inside it ("a Pentagon spokesperson" -> Pentagon); anonymous sources never map to an entity
("a source close to Trump" is not Trump). A source that is no entity is keyed by its name
without a leading article, matched against entity names first. An entity source's mentions
are all of the entity's mentions plus the relation source names outside them ("he" resolved
to Putin, "The city's budget director" for Samuel Ortiz).

Names and spans: a source's ``name`` is the entity's canonical name, for a person without
the titles before it (:func:`person_name`: "Councilmember David Chen" -> "David Chen",
"Council President Maria Alvarez" -> "Maria Alvarez"); for a source that is no entity, the
source's name without an appositive or relative clause and a leading article ("The mayor's
office" -> "mayor's office"). Mentions are exact spans of the text, cut before an appositive
or relative clause ("Councilmember David Chen, who voted against the plan" is mentioned as
"Councilmember David Chen"); the relations themselves keep their whole source spans, which
are the evidence that claims are matched against.

``kind``: ``anonymous`` for anonymous relation sources; ``outlet`` for news organisations;
``document`` for names ending in a document noun (:data:`DOCUMENT_NOUNS`); ``person`` for
PERSON entities, resolved "he"/"she" and role nouns ("the union's negotiator");
``organisation`` for ORG and GPE entities (a country that "said" something is its
government), resolved "it" and organisation nouns ("the Ukrainian military"); else ``other``.
``claims`` are the claims whose ``attribution.source`` is one of the source's spans, and the
claims that one of its ``report`` relations speaks for (its cue governs the claim's main
clause, or the claim lies inside its content).

Flags
-----
- ``unused_source``: a named (not anonymous) source mentioned in the headline, a caption or a
  credit line that no body claim rests on and that is the source of no ``report`` relation in
  the body. Span: its first mention there. The article's own outlet (``meta.outlet``, or the
  outlet of a wire dateline: "RIVERTON, March 14 (Riverton Gazette) -") is never flagged:
  crediting its own photographer borrows no authority.
- ``unattributed_claim``: a body claim attributed to no one that states a figure (a quantity
  of kind count, percent, money or measure) or a contested event (:data:`CONTESTED_EVENTS`:
  killed, wounded, intercepted, shot down, destroyed, attacked, fired, strikes, invaded, ...).
  Span: the claim.
- ``hedged_claim`` / ``anonymous_claim``: one per claim of that kind. Span: the hedge (for
  hedged claims) or the anonymous source, else its hedge (for anonymous claims); else the claim.
- ``one_sided_sourcing``: see below. No span (it is about the article as a whole).

Flags are sorted by start offset; flags without a span come last.

The one-sided rule
------------------
1. **Parties.** Every GPE, NORP and ORG entity that is not a news outlet stands for a party:
   its name mapped through :data:`PARTY_ALIASES` (capitals and seats of government: Kremlin
   and Moscow -> Russia, Kyiv -> Ukraine, White House and Pentagon -> United States, ...) or,
   failing that, the first demonym or alias among its words (:data:`DEMONYMS`: Russian ->
   Russia, so "Russian Defence Ministry" -> Russia), or else its own name ("Bulgaria",
   "Harbour Transit Authority").
2. **The two sides** of the story are the two parties mentioned most often in the article
   (title, captions and body; ties go to the one named first), each at least twice. With
   fewer than two such parties, sides cannot be determined and there is no flag.
3. **A source's side.** A place or group (GPE, NORP) belongs to its own party, and so does
   an organisation that is a side itself or whose name maps to a party ("Kremlin"). Any other
   source (a person, an outlet, "Defence Ministry") belongs to the party named right next to
   one of its mentions: in the words that make up its relation's source span ("Kremlin
   spokesperson Dmitry Peskov"), in the up to three capitalised or role words right before a
   mention ("Russian President Vladimir Putin", "Russia’s Defence Ministry"), or in an
   appositive right after it ("Maria Lopez, president of the Transit Workers Union,"). The
   party named most often there wins; a tie means no side. A source whose party is not one of
   the two sides (a third country, a neutral expert) has no side. Only named parties count:
   "the union's negotiator" has a side only if the union is named as an entity.
4. **The flag** fires when the body has at least two attributed claims (``direct_quote`` or
   ``attributed``, with a named source), at least one of them rests on a source with a side,
   and every such sided source belongs to the same side: the other side is named but never
   cited for a claim. Anonymous and hedged claims do not count either way.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from unspin.attribution import Intervals, Relation
from unspin.report import Claim, Entity, Flag, Report, Source, Span
from unspin.titles import PERSON_ROLES, person_name

SourceKind = Literal["person", "organisation", "outlet", "document", "anonymous", "other"]
Part = Literal["title", "caption", "body"]
Key = tuple[str, str]

PARTS: tuple[Part, ...] = ("title", "caption", "body")

# --- lexicons ----------------------------------------------------------------------------------

KNOWN_OUTLETS = frozenset({
    "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "BBC", "BBC News",
    "CNN", "Fox News", "MSNBC", "NBC", "NBC News", "ABC", "ABC News", "CBS", "CBS News", "NPR",
    "PBS", "CNBC", "Bloomberg", "Politico", "Axios", "TASS", "RIA Novosti", "RIA", "Interfax",
    "Sputnik", "RT", "Xinhua", "Al Jazeera", "Anadolu", "Ukrinform", "Kyiv Independent",
    "Meduza", "Kommersant", "Izvestia", "Pravda", "Guardian", "The Guardian", "Economist",
    "The Economist", "Financial Times", "Der Spiegel", "Spiegel", "Le Monde", "The Hill",
    "Newsweek", "The Atlantic", "HuffPost", "Breitbart", "BuzzFeed News", "Vice News",
    "Yahoo News", "Daily Mail", "USA Today", "Forbes", "UPI", "dpa", "Kyodo", "Yonhap", "EFE",
    "ANSA", "Sky News", "Euronews", "Deutsche Welle", "DW", "France 24", "Voice of America",
    "VOA", "Radio Free Europe", "RFE/RL",
})  # fmt: skip
"""News organisations recognised by name (case-sensitive, with or without a leading "The")."""

_OUTLET_SUFFIXES = (
    "Post", "Times", "Journal", "News", "Herald", "Tribune", "Gazette", "Chronicle",
    "Telegraph", "Observer", "Guardian", "Standard", "Courier", "Express", "Mirror", "Inquirer",
    "Independent", "Examiner", "Dispatch", "Bulletin", "Register", "Star", "Sun", "Globe",
    "Monitor", "Press", "Daily", "Weekly", "Magazine", "Radio", "Television", "TV",
    "Broadcasting", "Wire", "Ledger", "Sentinel", "Enquirer", "Reporter",
)  # fmt: skip
_OUTLET_PATTERN = re.compile(
    r"(?:The\s+)?(?:[A-Z][\w.&'’-]*\s+){1,4}(?:" + "|".join(_OUTLET_SUFFIXES) + r")"
)
_KNOWN_OUTLET_RE = re.compile(
    r"(?<![\w/])(?:" + "|".join(re.escape(n) for n in sorted(KNOWN_OUTLETS, key=len,
                                                               reverse=True)) + r")(?![\w])"
)

STOCK_LIBRARIES = frozenset({"getty images", "getty", "shutterstock", "alamy", "istock",
                             "istockphoto", "adobe stock", "unsplash"})
"""Picture libraries: they license photos and vouch for no claim, so they are no sources."""

DOCUMENT_NOUNS = frozenset({
    "document", "documents", "report", "memo", "memos", "memorandum", "study", "letter",
    "letters", "filing", "filings", "dossier", "cable", "cables", "assessment", "transcript",
    "email", "emails", "e-mail", "records", "files", "papers", "briefing", "presentation",
    "audit", "survey", "poll", "analysis", "indictment", "affidavit", "complaint", "lawsuit",
    "record",
})  # fmt: skip
"""Nouns that make a source a document ("the memo", "an intelligence assessment")."""

_ORG_WORDS = frozenset({
    "military", "army", "navy", "ministry", "government", "council", "union", "company",
    "police", "department", "agency", "authority", "committee", "office", "administration",
    "board", "commission", "association", "alliance", "federation", "party", "forces",
    "force", "service", "bureau", "court", "parliament", "assembly", "institute", "group",
    "foundation", "university", "bank", "corporation", "firm", "campaign", "command",
    "coalition", "chamber", "society", "district", "county", "city",
})  # fmt: skip
_TITLE_LEAD = frozenset({"senior", "top", "deputy", "press", "foreign", "defence", "defense",
                         "interior", "military", "army", "prime", "vice", "security"})

CONTESTED_EVENTS = re.compile(
    r"\b(?:kill(?:ed|ing|s)?|wound(?:ed|ing)?|injur(?:ed|ing|ies)|dead|deaths?|died|"
    r"casualt(?:y|ies)|intercept(?:ed|ing|s)?|shot\s+down|downed|destroy(?:ed|ing|s)?|"
    r"attack(?:ed|ing|s)?|fir(?:ed|ing)|shell(?:ed|ing)|(?:air|missile|drone|rocket)[\s-]?strikes?|"
    r"bomb(?:ed|ing|ings|s)?|"
    r"bombardments?|invad(?:ed|ing)|invasion|captur(?:ed|ing)|seiz(?:ed|ing)|repel(?:led|ling)|"
    r"assaults?|massacred?|execut(?:ed|ions?)|arrested|detained|raid(?:ed|s)?|looted)\b",
    re.IGNORECASE,
)
"""Words of events whose occurrence or scale is routinely disputed (battle, casualty and
security news). "Strike" counts only as an air, missile, drone or rocket strike: a labour
strike is not a contested event. A body claim that states one with no source gets
``unattributed_claim``."""

_FIGURE_KINDS = frozenset({"count", "percent", "money", "measure"})

DEMONYMS = {
    "russian": "Russia", "russians": "Russia", "ukrainian": "Ukraine", "ukrainians": "Ukraine",
    "american": "United States", "americans": "United States", "israeli": "Israel",
    "israelis": "Israel", "palestinian": "Palestine", "palestinians": "Palestine",
    "iranian": "Iran", "iranians": "Iran", "chinese": "China", "taiwanese": "Taiwan",
    "british": "United Kingdom", "french": "France", "german": "Germany", "germans": "Germany",
    "european": "European Union", "europeans": "European Union", "syrian": "Syria",
    "turkish": "Turkey", "armenian": "Armenia", "azerbaijani": "Azerbaijan",
    "georgian": "Georgia", "belarusian": "Belarus", "polish": "Poland", "indian": "India",
    "pakistani": "Pakistan", "afghan": "Afghanistan", "iraqi": "Iraq", "saudi": "Saudi Arabia",
    "yemeni": "Yemen", "lebanese": "Lebanon", "egyptian": "Egypt", "sudanese": "Sudan",
    "ethiopian": "Ethiopia", "venezuelan": "Venezuela", "mexican": "Mexico",
    "canadian": "Canada", "japanese": "Japan",
}  # fmt: skip
"""Demonyms (lowercase) -> the party they stand for."""

PARTY_ALIASES = {
    "kremlin": "Russia", "moscow": "Russia", "russian federation": "Russia",
    "kyiv": "Ukraine", "kiev": "Ukraine", "us": "United States", "usa": "United States",
    "united states": "United States", "america": "United States",
    "united states of america": "United States", "white house": "United States",
    "pentagon": "United States", "beijing": "China", "tehran": "Iran", "idf": "Israel",
    "israel defense forces": "Israel", "uk": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "united kingdom": "United Kingdom",
    "downing street": "United Kingdom", "eu": "European Union",
    "european union": "European Union", "brussels": "European Union", "taipei": "Taiwan",
    "pyongyang": "North Korea",
}  # fmt: skip
"""Names (lowercase, dots and a leading "the" removed) -> the party they stand for."""

_PARTY_LABELS = frozenset({"GPE", "NORP", "ORG"})
_ARTICLES = ("the ", "a ", "an ")
_HE_SHE = frozenset({"he", "she", "him", "her"})

# --- credits and documents in captions ----------------------------------------------------

_PHOTO_WORDS = r"(?:photo(?:graph)?s?|images?|pictures?|video|footage|illustrations?|credits?)"
_CREDIT_PHRASE = re.compile(
    r"\b(?:(?P<photo>" + _PHOTO_WORDS + r"\s*(?::|\b(?:by|from)\b))"
    r"|(?:obtained|provided|released|supplied|distributed|shared)\s+by|courtesy(?:\s+of)?"
    r"|via)\s*",
    re.IGNORECASE,
)
_AGENCY_PHOTO = re.compile(
    r"(?P<agency>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})\s+(?:Photos?|Images?)\s*/"
)
_PROVENANCE = re.compile(
    r"\s+(?:(?:was|were|has\s+been|have\s+been)\s+)?(?:obtained|provided|released|seen|"
    r"published|leaked|shared|reviewed|supplied)\s+(?:by|to|with)\b",
    re.IGNORECASE,
)
_DOC_NOUN_RE = re.compile(r"\b(?:" + "|".join(sorted(DOCUMENT_NOUNS)) + r")\b", re.IGNORECASE)
_NP_STOP = frozenset({"a", "an", "the", "this", "that", "these", "those", "of", "by", "and",
                      "or", "in", "on", "to", "for", "with", "from", "was", "were", "is",
                      "are", "his", "her", "its", "their", "our"})
_WORD = re.compile(r"[\w.'’-]+")


# --- the layout of the article -----------------------------------------------------------


class _Layout:
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


# --- names and kinds ---------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """A name as a lookup key: lowercase, dots and a leading article removed, spaces collapsed,
    a possessive cut off ("The Washington Post" -> "washington post", "U.S." -> "us")."""
    key = " ".join(name.replace(".", "").split()).lower()
    for article in _ARTICLES:
        if key.startswith(article):
            key = key[len(article):]
    return re.sub(r"['’]s$", "", key)


def display_name(text: str) -> str:
    """A source's display name: its text without a leading article, a possessive or trailing
    punctuation ("the union's negotiator," -> "union's negotiator", "The mayor's office" ->
    "mayor's office"). A capitalised "The" stays when a name follows it ("The Washington
    Post")."""
    name = " ".join(text.split()).strip(" ,;:()")
    for article in _ARTICLES:
        if name.startswith(article) or (name.startswith(article.capitalize()) and
                                        name[len(article):][:1].islower()):
            name = name[len(article):]
    return re.sub(r"['’]s$", "", name)


def is_outlet(name: str) -> bool:
    """True for a news organisation's name: one of :data:`KNOWN_OUTLETS`, or capitalised
    words ending in a newspaper or broadcaster word ("The Washington Post", "City Herald")."""
    name = " ".join(name.split())
    bare = name[4:] if name.startswith("The ") else name
    return name in KNOWN_OUTLETS or bare in KNOWN_OUTLETS or \
        _OUTLET_PATTERN.fullmatch(name) is not None or name.endswith("/RL")


def _last_word(name: str) -> str:
    words = _WORD.findall(name.lower())
    return re.sub(r"['’]s$", "", words[-1]) if words else ""


def kind_of_name(name: str, label: str | None = None) -> SourceKind:
    """The kind of a named (not anonymous) source from its name and, if it is an entity, its
    label; see the module doc."""
    if is_outlet(name):
        return "outlet"
    last = _last_word(name)
    if last in DOCUMENT_NOUNS:
        return "document"
    if label == "PERSON":
        return "person"
    if label in ("ORG", "GPE"):
        return "organisation"
    if label is not None:
        return "other"
    if last in PERSON_ROLES:
        return "person"
    if last in _ORG_WORDS:
        return "organisation"
    return "other"


# --- building the inventory ----------------------------------------------------------------


@dataclass
class _Draft:
    """A source being collected: its mentions, the relation spans that cite it, its claims."""

    key: Key
    name: str
    kind: SourceKind
    entity: Entity | None = None
    mentions: dict[tuple[int, int], Span] = field(default_factory=dict)
    cited_at: set[tuple[int, int]] = field(default_factory=set)
    relations: list[Relation] = field(default_factory=list)
    claims: set[int] = field(default_factory=set)
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


class _Inventory:
    """The sources found so far, keyed by entity id or normalised name."""

    def __init__(self, report: Report):
        self.report = report
        self.text = report.text
        self.drafts: dict[Key, _Draft] = {}
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

    def add_entity(self, entity: Entity) -> _Draft:
        """The draft for ``entity`` (created with all the entity's mentions)."""
        key: Key = ("entity", str(entity.id))
        draft = self.drafts.get(key)
        if draft is None:
            texts = [entity.name, *(m.text for m in entity.mentions)]
            kind = "outlet" if any(is_outlet(t) for t in texts) else \
                kind_of_name(entity.name, entity.label)
            draft = _Draft(key, entity_display_name(entity), kind, entity)
            for m in entity.mentions:
                draft.add_mention(_span(self.text, m.start, m.end))
            self.drafts[key] = draft
        return draft

    def add_named(self, name: str, kind: SourceKind) -> _Draft:
        """The draft for a source that is known by name only (an entity if one is so named)."""
        entity = self.entity_named(name)
        if entity is not None:
            return self.add_entity(entity)
        key: Key = ("name", normalise_name(name))
        if key not in self.drafts:
            self.drafts[key] = _Draft(key, name, kind)
        return self.drafts[key]

    def add_anonymous(self, span: Span) -> _Draft:
        """The draft for an anonymous source ("officials", "reports"), keyed by its words."""
        name = display_name(span.text)
        key: Key = ("anonymous", normalise_name(name))
        if key not in self.drafts:
            self.drafts[key] = _Draft(key, name, "anonymous")
        return self.drafts[key]

    def add_span(self, start: int, end: int, *, photo: bool = False) -> _Draft | None:
        """A source named by the text ``[start, end)`` (a credit target or an outlet): the
        entity mentioned there if any, else a source by that name. ``photo``: the span
        credits a picture, so a person named there (the photographer) is no source."""
        start, end = _trim(self.text, start, end)
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
            draft.add_mention(_span(self.text, start, end))
            draft.cited_at.add((start, end))
            return draft
        if photo and _looks_like_person(name):
            return None
        draft = self.add_named(name, kind_of_name(name))
        draft.add_mention(_span(self.text, start, end))
        draft.cited_at.add((start, end))
        return draft

    def finish(self) -> list[_Draft]:
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


def _span(text: str, start: int, end: int) -> Span:
    return Span(start=start, end=end, text=text[start:end])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without surrounding spaces, punctuation, brackets, a full stop that
    ends a sentence or a leading lowercase article."""
    while start < end and (text[start].isspace() or text[start] in "([,;:“\"'"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ")],;:”\"'" or
                           _ends_sentence(text, end - 1)):
        end -= 1
    for article in _ARTICLES:
        if text.startswith(article, start) and start + len(article) < end:
            start += len(article)
    return start, end


def _looks_like_person(name: str) -> bool:
    """Two or three capitalised words with no outlet or organisation word: "Jane Doe"."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and \
        not is_outlet(name) and not any(w.lower() in _ORG_WORDS for w in words)


# --- relation sources ----------------------------------------------------------------------


def _add_relation(inv: _Inventory, rel: Relation) -> None:
    """Put the source of ``rel`` into the inventory, unless it is a ``stance`` relation or
    names no one (no source span, or a pronoun that could not be resolved).

    The relation keeps its whole source span (it is the evidence, and claims are matched to
    it); the mention kept for a named or anonymous source is the span without an appositive
    or relative clause ("Councilmember David Chen, who voted against the plan" -> the
    mention "Councilmember David Chen")."""
    if rel.source is None or rel.kind != "report":
        return
    mention = rel.source
    if rel.source_kind == "anonymous":
        mention = _without_relative_clause(inv.text, rel.source)
        draft = inv.add_anonymous(mention)
    elif rel.source_kind == "pronoun":
        if rel.resolved is None:
            return
        low = rel.source.text.lower()
        kind: SourceKind = "person" if low in _HE_SHE else "organisation" if low == "it" \
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


_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|whom|whose|which|that)\b", re.IGNORECASE)


def _source_head(text: str, source: Span) -> Span:
    """A named source span up to its first comma: the name without an appositive or relative
    clause ("Samuel Ortiz, the city's budget director" -> "Samuel Ortiz")."""
    cut = source.text.find(",")
    end = source.end if cut < 0 else source.start + len(source.text[:cut].rstrip())
    return _span(text, source.start, end) if end > source.start else source


def _without_relative_clause(text: str, source: Span) -> Span:
    """A source span up to a relative clause ("a senior official, who spoke on condition of
    anonymity" -> "a senior official"); other commas stay ("officials in Kyiv, Warsaw and
    Berlin")."""
    match = _RELATIVE_CLAUSE.search(source.text)
    if match is None or match.start() == 0:
        return source
    return _span(text, source.start, source.start + match.start())


def _entity_of_source(inv: _Inventory, rel: Relation) -> Entity | None:
    """The entity a named relation source stands for (see the module doc), or None."""
    assert rel.source is not None
    head = _source_head(inv.text, rel.source)
    if _last_word(head.text) in DOCUMENT_NOUNS:
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


def _appositive_person(inv: _Inventory, source: Span, head: Span) -> Entity | None:
    """The person an appositive names after a role ("The city's budget director, Samuel
    Ortiz" -> Samuel Ortiz; "a Pentagon spokesperson, John Kirby" -> John Kirby): the PERSON
    entity whose mention ends the part between the first and the next comma, all of whose
    words are capitalised. None unless ``head`` is a role (its last word a person role)."""
    if head.end >= source.end or kind_of_name(head.text) != "person":
        return None
    after = head.end + 1  # past the comma
    comma = inv.text.find(",", after, source.end)
    start, end = _trim(inv.text, after, source.end if comma < 0 else comma)
    words = inv.text[start:end].split()
    if not words or not all(w[:1].isupper() for w in words):
        return None
    people = [e for m_start, m_end, e in inv.mentions_in(start, end)
              if e.label == "PERSON" and start <= m_start and m_end == end]
    return people[-1] if people else None


# --- captions, credits and the headline ---------------------------------------------------


def _add_captions(inv: _Inventory, report: Report) -> None:
    """Sources cited in captions and credit lines: credits, outlets and documents."""
    for cap in report.captions:
        credited = _add_credits(inv, cap.start, cap.end)
        if cap.kind == "credit" and not credited:
            _add_credit_target(inv, cap.start, cap.end, photo=True)
        _add_outlets(inv, cap.start, cap.end)
        _add_documents(inv, cap.start, cap.end)


def _add_credits(inv: _Inventory, start: int, end: int) -> bool:
    """Sources named by credit phrases in ``[start, end)``; True if any phrase was found."""
    text = inv.text
    found = False
    for m in _CREDIT_PHRASE.finditer(text, start, end):
        target_end = _credit_end(text, m.end(), end)
        _add_credit_target(inv, m.end(), target_end, photo=m.group("photo") is not None)
        found = True
    for m in _AGENCY_PHOTO.finditer(text, start, end):
        inv.add_span(m.start("agency"), m.end("agency"))
        found = True
    return found


def _add_credit_target(inv: _Inventory, start: int, end: int, *, photo: bool) -> None:
    """Each "/"-separated part of a credit target ``[start, end)`` as a source."""
    offset = start
    for part in inv.text[start:end].split("/"):
        inv.add_span(offset, offset + len(part), photo=photo)
        offset += len(part) + 1


def _credit_end(text: str, start: int, limit: int) -> int:
    """Where a credit target that starts at ``start`` ends: at a bracket, comma, semicolon,
    line break or a full stop that ends a sentence (not the dots of "U.S.")."""
    i = start
    while i < limit:
        ch = text[i]
        if ch in ")];,\n(":
            return i
        if ch == "." and _ends_sentence(text, i):
            return i
        i += 1
    return limit


def _ends_sentence(text: str, i: int) -> bool:
    """True if ``text[i]`` is a full stop that ends a sentence rather than an abbreviation
    ("Post." at the end of a sentence, not the last dot of "U.S.")."""
    if text[i : i + 1] != ".":
        return False
    before = text[max(0, i - 2) : i]
    abbreviation = len(before) == 2 and before[1].isupper() and not before[0].isalnum()
    after = text[i + 1 : i + 2]
    return not abbreviation and (not after or after.isspace() or after in ")]")


def _add_outlets(inv: _Inventory, start: int, end: int) -> None:
    """News outlets named in ``[start, end)``: outlet entities and known outlet names."""
    for m_start, m_end, entity in inv.mentions_in(start, end):
        if m_start >= start and m_end <= end and \
                any(is_outlet(t) for t in (entity.name, inv.text[m_start:m_end])):
            inv.add_span(m_start, m_end)
    for m in _KNOWN_OUTLET_RE.finditer(inv.text, start, end):
        inv.add_span(m.start(), m.end())


def _add_documents(inv: _Inventory, start: int, end: int) -> None:
    """Documents named with their provenance in ``[start, end)``: the noun phrase ending in
    a document noun right before "obtained by", "seen by", "leaked to", ..."""
    text = inv.text
    for m in _DOC_NOUN_RE.finditer(text, start, end):
        if not _PROVENANCE.match(text, m.end(), end):
            continue
        first = _phrase_start(text, start, m.start())
        name = display_name(text[first : m.end()])
        draft = inv.add_named(name, "document")
        draft.add_mention(_span(text, first, m.end()))
        draft.cited_at.add((first, m.end()))


def _phrase_start(text: str, limit: int, noun: int) -> int:
    """Start of the up to four modifier words right before the noun at ``noun``, stopping at
    a function word ("the", "of", "by", ...) or punctuation."""
    first = noun
    words = list(_WORD.finditer(text, limit, noun))
    for w in reversed(words[-4:]):
        word = w.group()
        if text[w.end() : first].strip() or word.lower() in _NP_STOP:
            break
        if word.endswith(".") and _ends_sentence(text, w.end() - 1):
            break
        first = w.start()
    return first


def _add_title(inv: _Inventory, report: Report) -> None:
    """News outlets named in the headline."""
    if report.title is not None:
        _add_outlets(inv, report.title.start, report.title.end)


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


def _attach_claims(drafts: Sequence[_Draft], claims: Sequence[Claim], text: str) -> None:
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


# --- flags: sources --------------------------------------------------------------------------


_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,60}?\((?P<outlet>[A-Z][^()\n]{1,60})\)\s*[-–—]")


def publisher_names(report: Report) -> set[str]:
    """Normalised names of the outlet that published the article: ``meta.outlet`` and the
    outlet in a wire dateline that opens the body ("RIVERTON, March 14 (Riverton Gazette) -").
    An outlet crediting its own photographer borrows no one's authority."""
    names = {normalise_name(report.meta.outlet)} if report.meta.outlet else set()
    if report.paragraphs:
        match = _DATELINE.match(report.paragraphs[0].text)
        if match:
            names.add(normalise_name(match["outlet"]))
    return names


def _unused_flags(drafts: Sequence[_Draft], layout: _Layout, claims: Sequence[Claim],
                  relations: Sequence[Relation], publisher: set[str]) -> list[Flag]:
    """``unused_source`` for named sources cited in the headline or a caption that nothing
    in the body rests on (the article's own outlet, ``publisher``, excepted)."""
    body_sources = Intervals([(r.source.start, r.source.end, 0) for r in relations
                              if r.kind == "report" and r.source is not None and
                              layout.sentence_part(r.sentence, r.source.start) == "body"])
    flags = []
    for draft in drafts:
        up_front = [k for k in sorted(draft.mentions) if layout.part(k[0]) != "body"]
        if draft.kind == "anonymous" or not up_front or \
                normalise_name(draft.name) in publisher or \
                _used_in_body(draft, layout, claims, body_sources):
            continue
        span = draft.mentions[up_front[0]]
        flags.append(Flag(code="unused_source", message=_unused_message(draft, layout, span),
                          start=span.start, end=span.end, text=span.text))
    return flags


def _used_in_body(draft: _Draft, layout: _Layout, claims: Sequence[Claim],
                  body_sources: Intervals) -> bool:
    """True if a body claim rests on the source, or it is (or is named inside) the source of
    a ``report`` relation in the body ("Russia" in "Russia’s Defence Ministry said")."""
    if any(layout.sentence_part(claims[i].sentence, claims[i].start) == "body"
           for i in draft.claims):
        return True
    # a source span holding a mention, or held by it, overlaps it (both are non-empty)
    return any(s <= m_start and m_end <= e or (m_start <= s and e <= m_end)
               for m_start, m_end in draft.mentions
               for s, e in body_sources.spans_overlapping(m_start, m_end))


def _unused_message(draft: _Draft, layout: _Layout, span: Span) -> str:
    place = layout.place(span.start)
    what = f"a document ({draft.name})" if draft.kind == "document" else draft.name
    return f"The {place} cites {what}, but nothing in the body rests on it."


# --- flags: claims ---------------------------------------------------------------------------


def _claim_flags(report: Report, layout: _Layout) -> list[Flag]:
    """``unattributed_claim``, ``hedged_claim`` and ``anonymous_claim`` for the claims."""
    flags = []
    figures = Intervals([(q.start, q.end, k) for k, q in enumerate(report.quantities)
                         if q.kind in _FIGURE_KINDS])
    for claim in report.claims:
        att = claim.attribution
        if att is None:
            continue
        if att.kind == "unattributed":
            if layout.sentence_part(claim.sentence, claim.start) == "body":
                flag = _unattributed_flag(report, claim, figures)
                if flag is not None:
                    flags.append(flag)
        elif att.kind == "hedged":
            span = att.hedge or claim
            flags.append(_flag("hedged_claim", span,
                               f"This claim is hedged with “{span.text}”: the article neither "
                               "vouches for it nor says who does." if att.hedge else
                               "This claim is hedged: the article neither vouches for it nor "
                               "says who does."))
        elif att.kind == "anonymous":
            span = att.source or att.hedge or claim
            flags.append(_flag("anonymous_claim", span,
                               f"This claim rests on an unnamed source (“{span.text}”)."
                               if span is not claim else
                               "This claim rests on an unnamed source."))
    return flags


def _unattributed_flag(report: Report, claim: Claim,
                       index: Intervals | None = None) -> Flag | None:
    """``unattributed_claim`` if the claim states a figure or a contested event. ``index``:
    the report's figure quantities (payload: index in ``report.quantities``)."""
    if index is None:
        index = Intervals([(q.start, q.end, k) for k, q in enumerate(report.quantities)
                           if q.kind in _FIGURE_KINDS])
    figures = [report.quantities[k] for k in sorted(index.overlapping(claim.start, claim.end))
               if claim.start <= report.quantities[k].start and
               report.quantities[k].end <= claim.end]
    if figures:
        what = f"a figure (“{figures[0].text}”)"
    else:
        event = CONTESTED_EVENTS.search(claim.text)
        if event is None:
            return None
        what = f"a contested event (“{event.group()}”)"
    return _flag("unattributed_claim", claim,
                 f"This claim states {what} without saying who says so.")


def _flag(code: str, span: Span, message: str) -> Flag:
    return Flag(code=code, message=message, start=span.start, end=span.end, text=span.text)


# --- flags: one-sided sourcing ------------------------------------------------------------


def party_of_name(name: str) -> str | None:
    """The party a name stands for through :data:`PARTY_ALIASES` or :data:`DEMONYMS` (the
    whole name, else its first word that is one), or None ("Kremlin" -> "Russia", "Russian
    Defence Ministry" -> "Russia", "Bulgaria" -> None)."""
    key = normalise_name(name)
    if key in PARTY_ALIASES:
        return PARTY_ALIASES[key]
    if key in DEMONYMS:
        return DEMONYMS[key]
    for word in key.split():
        word = re.sub(r"['’]s$", "", word)
        if word in PARTY_ALIASES:
            return PARTY_ALIASES[word]
        if word in DEMONYMS:
            return DEMONYMS[word]
    return None


def entity_party(entity: Entity) -> str | None:
    """The party a GPE, NORP or ORG entity stands for (None for other labels and outlets)."""
    if entity.label not in _PARTY_LABELS or is_outlet(entity.name):
        return None
    return party_of_name(entity.name) or entity.name


def article_sides(entities: Sequence[Entity]) -> list[str]:
    """The two sides of the story: the two parties mentioned most often, each at least
    twice (ties: first named first); fewer than two if there are no two such parties."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for e in entities:
        party = entity_party(e)
        if party is None:
            continue
        counts[party] += len(e.mentions)
        first[party] = min(first.get(party, e.mentions[0].start), e.mentions[0].start)
    ranked = sorted(counts, key=lambda p: (-counts[p], first[p]))
    return [p for p in ranked[:2] if counts[p] >= 2]


def _parties_in(inv: _Inventory, start: int, end: int, skip: Entity | None) -> list[str]:
    """Parties named in ``[start, end)``: party entities and capitalised alias words."""
    found = []
    for m_start, m_end, entity in inv.mentions_in(start, end):
        party = entity_party(entity) if entity is not skip else None
        if party is not None and m_start >= start and m_end <= end:
            found.append(party)
    covered = [(s, e) for s, e, _ in inv.mentions_in(start, end)]
    for w in _WORD.finditer(inv.text, start, end):
        if not w.group()[:1].isupper() or any(s <= w.start() < e for s, e in covered):
            continue
        party = party_of_name(w.group().rstrip("."))
        if party is not None:
            found.append(party)
    return found


def _title_before(text: str, start: int) -> tuple[int, int]:
    """The up to three capitalised or role words right before ``start`` ("Kremlin
    spokesperson", "Russian President") as a character range."""
    first = start
    words = list(_WORD.finditer(text, max(0, start - 80), start))
    for w in reversed(words[-3:]):
        gap = text[w.end() : first]
        if gap.strip() or "\n" in gap or _ends_sentence(text, w.end() - 1):
            break
        word = re.sub(r"['’]s$", "", w.group())
        if not (word[:1].isupper() or word.lower() in PERSON_ROLES or
                word.lower() in _TITLE_LEAD or word.lower() in _ORG_WORDS):
            break
        first = w.start()
    return first, start


def _appositive_after(text: str, end: int) -> tuple[int, int]:
    """An appositive right after ``end`` (", a spokesman for the Kremlin,"), or empty."""
    m = re.match(r",\s*([^,;()\n“”\"]{1,80}?)(?=[,;)\n]|\.\s|\.$|$)", text[end : end + 100])
    if m is None:
        return end, end
    return end + m.start(1), end + m.end(1)


def source_side(inv: _Inventory, draft: _Draft, sides: Sequence[str]) -> str | None:
    """The side (one of ``sides``) that a source belongs to, or None (see the module doc).

    A place or group is its own party; an organisation is its own party when it is a side or
    its name maps to a party ("Kremlin"), else, like a person or an outlet, it belongs to the
    party named next to its mentions ("Russia’s Defence Ministry")."""
    if draft.kind == "anonymous":
        return None
    entity = draft.entity
    if entity is not None and entity.label != "PERSON":
        party = entity_party(entity)
        if party in sides:
            return party
        if entity.label in ("GPE", "NORP") or (party is not None and party != entity.name):
            return None
    party = _context_party(inv, draft)
    return party if party in sides else None


def _context_party(inv: _Inventory, draft: _Draft) -> str | None:
    """The party named most often next to a source's mentions and inside the relation spans
    that cite it; None if no party or a tie."""
    votes: Counter[str] = Counter()
    for start, end in sorted(set(draft.mentions) | draft.cited_at):
        ranges = [_title_before(inv.text, start), _appositive_after(inv.text, end)]
        if (start, end) in draft.cited_at:
            ranges.append((start, end))
        for a, b in ranges:
            votes.update(_parties_in(inv, a, b, draft.entity))
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _one_sided_flag(inv: _Inventory, drafts: Sequence[_Draft], report: Report,
                    layout: _Layout) -> Flag | None:
    """``one_sided_sourcing`` if every sided source of the body's attributed claims belongs
    to one side of the story while the other side is named too (see the module doc)."""
    sides = article_sides(report.entities)
    if len(sides) < 2:
        return None
    attributed = {i for i, c in enumerate(report.claims)
                  if c.attribution is not None and
                  c.attribution.kind in ("direct_quote", "attributed") and
                  layout.sentence_part(c.sentence, c.start) == "body"}
    if len(attributed) < 2:
        return None
    by_side: dict[str, list[str]] = {}
    for draft in drafts:
        if not draft.claims.intersection(attributed):
            continue
        side = source_side(inv, draft, sides)
        if side is not None:
            by_side.setdefault(side, []).append(draft.name)
    if len(by_side) != 1:
        return None
    side, names = next(iter(by_side.items()))
    other = next(s for s in sides if s != side)
    message = (f"Every attributed claim that can be tied to a side comes from {side} "
               f"({', '.join(names)}); {other}, also named in the article, is not cited "
               "for any claim.")
    return Flag(code="one_sided_sourcing", message=message)


# --- the stage -------------------------------------------------------------------------------


def _collect(report: Report, relations: Iterable[Relation]) -> tuple[_Inventory, list[_Draft]]:
    """All sources of the article as drafts, with their claims attached."""
    inv = _Inventory(report)
    for rel in relations:
        _add_relation(inv, rel)
    _add_captions(inv, report)
    _add_title(inv, report)
    drafts = inv.finish()
    _attach_claims(drafts, report.claims, report.text)
    return inv, drafts


def _to_source(draft: _Draft, layout: _Layout) -> Source:
    mentions = [draft.mentions[k] for k in sorted(draft.mentions)]
    parts = {layout.part(m.start) for m in mentions}
    return Source(name=draft.name, kind=draft.kind, mentions=mentions,
                  where=[p for p in PARTS if p in parts], claims=sorted(draft.claims))


def find_sources(report: Report, relations: Sequence[Relation]) -> tuple[list[Source], list[Flag]]:
    """The sources the article cites and its sourcing flags.

    ``report``: a Report with ``text``, ``title``, ``captions``, ``sentences``, ``entities``,
    ``quantities``, ``hedges`` and ``claims`` (each with its ``attribution``) filled.
    ``relations``: the attribution relations of the whole text, as
    :func:`unspin.attribution.find_relations` returns them.

    Returns ``(sources, flags)``: the sources in order of first mention, each merged across
    its mentions, with the parts it is named in and the indices of the claims it supports;
    and the flags ``unused_source``, ``unattributed_claim``, ``hedged_claim``,
    ``anonymous_claim`` and ``one_sided_sourcing``, sorted by start offset (flags without a
    span last). Every span satisfies ``report.text[start:end] == text``.
    """
    layout = _Layout(report)
    inv, drafts = _collect(report, relations)
    flags = _unused_flags(drafts, layout, report.claims, relations, publisher_names(report))
    flags += _claim_flags(report, layout)
    one_sided = _one_sided_flag(inv, drafts, report, layout)
    if one_sided is not None:
        flags.append(one_sided)
    flags.sort(key=lambda f: (f.start is None, f.start or 0, f.end or 0))
    return [_to_source(d, layout) for d in drafts], flags
