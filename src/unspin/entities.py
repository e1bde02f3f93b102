"""Entities: people, organisations, places and groups, merged across their mentions.

:func:`find_entities` reads a parsed spaCy ``Doc`` (the whole report text) and returns one
:class:`~unspin.report.Entity` per thing named in the article, each with its mentions.

Mentions start from spaCy's entities (PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, PRODUCT;
dates, numbers, languages and works of art are skipped) and are cleaned: a leading lowercase
"the" ("the Black Sea" -> "Black Sea"; a capitalised "The", as in "The Washington Post", is
kept), a personal title ("President Joe Biden" -> "Joe Biden"; for a non-PERSON span only
before one to three capitalised words that do not name an institution), a possessive
("Zelenskiy’s" -> "Zelenskiy"), surrounding punctuation, an acronym in brackets, and
anything after a line break are cut off. Then:

- a mention like "Putin’s Defense Systems" whose part before the possessive names a person
  found elsewhere in the article becomes a mention of that person ("Putin");
- an acronym defined in brackets next to its long form ("Donetsk People’s Republic (DPR)",
  "NATO (North Atlantic Treaty Organization)") becomes a mention of the long form;
- later uses of a name or of an unambiguous surname that spaCy missed (same words,
  capitalised, outside any other spaCy entity) are added as mentions.

Mentions are merged when:

- their text is the same, ignoring case, dots, a leading "the" and the apostrophe style;
- they are full names of one person: same first and last word ("Donald J. Trump", "Donald
  Trump");
- a one-word name ("Peskov") is the surname of exactly one person in the article (or, if no
  surname matches, the first name of exactly one); if two people share it, it stays apart.
  Full names on Title Case lines (headlines, where spaCy tags "Trump Slams Biden" as a
  PERSON) and names with function words do not count as people here;
- a one-word ORG ("Post") is the last word of exactly one longer ORG ("The Washington Post";
  not "Texas" for "University of Texas");
- an acronym and the long form it is defined next to.

Each entity's ``name`` is its longest mention; its ``label`` is its mentions' majority label,
with documented fixes for the small spaCy model: a name written after a personal title
("President Zelenskiy") is a PERSON, a surname merged into a person votes PERSON, and a short
list of often-mislabelled place names (``PLACE_NAMES``: "Kyiv" tagged PERSON) are GPE. Ties
go to the label of the longest mention. Entity ids run 0.. in order of first mention.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc

from unspin.report import Entity, Mention

SentenceIndex = Callable[[int], int]

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})

TITLES = frozenset({
    "president", "vice", "prime", "minister", "pm", "chancellor", "secretary", "senator", "sen",
    "rep", "representative", "congressman", "congresswoman", "governor", "gov", "mayor",
    "judge", "justice", "general", "gen", "colonel", "col", "lieutenant", "lt", "captain",
    "capt", "admiral", "adm", "sergeant", "sgt", "commander", "mr", "mrs", "ms", "miss", "dr",
    "prof", "professor", "sir", "dame", "lord", "lady", "king", "queen", "prince", "princess",
    "pope", "rev", "reverend", "sheikh", "ayatollah", "spokesperson", "spokesman",
    "spokeswoman", "chairman", "chairwoman", "chair", "ceo", "coach", "ambassador", "envoy",
    "leader", "chief", "director", "premier", "emir", "crown", "cardinal", "archbishop",
    "bishop", "father", "rabbi", "imam", "pastor", "monsignor", "patriarch",
})  # fmt: skip

# Places that the small English model often tags as PERSON or ORG in war and world news.
PLACE_NAMES = frozenset({
    "kyiv", "kiev", "kharkiv", "odesa", "odessa", "lviv", "mariupol", "bakhmut", "avdiivka",
    "zaporizhzhia", "kherson", "donetsk", "luhansk", "crimea", "sevastopol", "gaza", "rafah",
    "tehran", "beijing", "moscow", "pyongyang", "taipei", "damascus", "kabul", "riyadh",
    "ankara", "minsk", "tbilisi", "caracas", "khartoum", "sanaa", "beirut", "kinshasa",
})  # fmt: skip

# Titles that also begin company and place names ("General Motors", "Chief Executive").
_ORG_TITLES = frozenset({"general", "chief", "director", "leader", "chair", "crown", "lord"})
_INSTITUTION_WORDS = frozenset({
    "university", "college", "school", "hospital", "foundation", "institute", "company",
    "corporation", "corp", "inc", "group", "church", "cathedral", "county", "city", "street",
    "park", "bank", "club", "party", "council", "committee", "museum", "center", "centre",
    "airport", "station", "hall", "house", "office", "motors", "electric", "dynamics",
})  # fmt: skip
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NO_NAME_MERGE = frozenset({"NORP", "EVENT", "LAW"})  # never a mislabelled surname
_CONNECTORS = frozenset({"of", "for", "and", "&", "on", "in"})
_FUNCTION_WORDS = frozenset({"to", "with", "for", "and", "the", "from", "on", "in", "at", "by"})


@dataclass
class _Mention:
    """A cleaned mention: tokens ``doc[start:end]``; ``label`` is "" when it has no vote."""

    start: int
    end: int
    label: str
    titled: bool = False
    headline: bool = False  # in a Title Case line, where the small model's spans are poor


def find_entities(doc: Doc, sentence_index: SentenceIndex) -> list[Entity]:
    """The entities named in ``doc``, merged across their mentions.

    ``doc`` is the parsed report text (token offsets are report offsets) and ``sentence_index``
    maps a character offset to the report's sentence index. Returns entities with ids 0.. in
    order of first mention; mentions are in text order, never overlap, and each satisfies
    ``doc.text[m.start:m.end] == m.text``.
    """
    headlines = _title_case_lines(doc.text)
    headline_starts = [a for a, _ in headlines]  # lines: in order, never overlapping
    mentions = []
    for ent in doc.ents:
        m = _clean(doc, ent.start, ent.end, ent.label_)
        if m is not None:
            k = bisect.bisect_right(headline_starts, ent.start_char) - 1
            m.headline = k >= 0 and ent.start_char < headlines[k][1]
            mentions.append(m)
    mentions = _split_possessive_names(doc, mentions)
    mentions += _acronym_mentions(doc, mentions)
    mentions += _missed_mentions(doc, mentions)
    mentions.sort(key=lambda m: m.start)
    groups = _merge(doc, mentions)
    return _build(doc, groups, sentence_index)


# --- mentions ------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def _key(doc: Doc, start: int, end: int) -> str:
    """What two mentions of one entity share: "The U.S." and "US" both give "us". Words are
    split at spaces, so a hyphenated surname ("Habib-Powell") stays one word."""
    words = _norm(doc[start:end].text).casefold().replace(".", "").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of lines written in Title Case ("Trump Slams Biden Over Tariffs")."""
    lines, start = [], 0
    for line in text.split("\n"):
        words = [w for w in line.split() if len(w) > 3 and w[0].isalpha()]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            lines.append((start, start + len(line)))
        start += len(line) + 1
    return lines


def _clean(doc: Doc, start: int, end: int, label: str) -> _Mention | None:
    """Trim a spaCy entity to the name itself, or None if its label is not one we keep."""
    if label not in LABELS:
        return None
    while start < end and (doc[start].is_punct or doc[start].text == "the"):
        start += 1
    broken = next((t.i for t in doc[start:end] if "\n" in t.whitespace_ or t.is_space), None)
    if broken is not None:
        end = broken + (0 if doc[broken].is_space else 1)  # a name never runs over a line
    bracket = next((t.i for t in doc[start + 1 : end] if t.text == "("), None)
    if bracket is not None:
        end = bracket  # "World Health Organization (WHO": the acronym is found on its own
    titled = False
    while _title_to_strip(doc, start, end, label):
        start, titled = start + 1, True
    while end > start and (doc[end - 1].is_punct or _norm(doc[end - 1].text) in _POSSESSIVES):
        end -= 1
    if start >= end or not any(c.isalpha() for c in doc[start:end].text):
        return None
    before = start > 0 and _is_title(doc[start - 1].text)
    titled = titled or (before and label in ("PERSON", "ORG"))
    return _Mention(start, end, label, titled)


def _title_to_strip(doc: Doc, start: int, end: int, label: str) -> bool:
    """True if ``doc[start]`` is a personal title before a name: always for a PERSON
    ("President Joe Biden"); for other labels only before one to three capitalised words
    that do not name an institution ("Cardinal O’Malley" tagged ORG, but not "General Motors"
    or "Queen Mary University")."""
    if end - start < 2 or not _is_title(doc[start].text):
        return False
    if label == "PERSON":
        return True
    rest = doc[start + 1 : end]
    return (
        len(rest) <= 3
        and all(t.text[:1].isupper() for t in rest)
        and not any(t.lower_ in _INSTITUTION_WORDS for t in rest)
        and doc[start].lower_ not in _ORG_TITLES
    )


def _is_person(m: _Mention) -> bool:
    """A PERSON mention, or one written after a personal title ("Chancellor Olaf Scholz"
    tagged ORG)."""
    return m.label == "PERSON" or m.titled


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _is_title(text: str) -> bool:
    return text.lower().rstrip(".") in TITLES


def _split_possessive_names(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """ "Putin’s Defense Systems" (ORG) -> "Putin" when "Putin" names a person elsewhere."""
    known = {_key(doc, m.start, m.end) for m in mentions if _is_person(m)}
    known |= set(_short_names(doc, mentions))
    out = []
    for m in mentions:
        cut = next((t.i for t in doc[m.start + 1 : m.end] if _norm(t.text) in _POSSESSIVES),
                   None)
        if cut is not None and m.label != "PERSON" and _key(doc, m.start, cut) in known:
            m = _Mention(m.start, cut, "", m.titled)
        out.append(m)
    return out


def _name_words(doc: Doc, m: _Mention) -> list[str]:
    """The words of a mention's key without a trailing "Jr." / "III"."""
    words = _key(doc, m.start, m.end).split()
    while len(words) > 2 and words[-1] in _SUFFIXES:
        words.pop()
    return words


def _identity(doc: Doc, m: _Mention) -> tuple[str, str] | None:
    """(first, last) word of a person's full name: "Donald J. Trump" and "Donald Trump" are
    one person, ("donald", "trump"). None for one-word names and non-persons."""
    words = _name_words(doc, m)
    if not _is_person(m) or len(words) < 2 or _FUNCTION_WORDS.intersection(words):
        return None  # "Trump To Jeff Sessions" is a headline fragment, not a name
    if m.headline and len(words) > 2:
        return None  # "Trump Slams Biden": three capitalised words in a headline
    return words[0], words[-1]


def _short_names(doc: Doc, mentions: Iterable[_Mention]) -> dict[str, tuple[str, str]]:
    """One-word names that stand for exactly one person in the article, by surname first
    ("peskov" -> ("dmitry", "peskov")), else by first name when no surname matches."""
    by_last: dict[str, set[tuple[str, str]]] = defaultdict(set)
    by_first: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in mentions:
        person = _identity(doc, m)
        if person is not None:
            by_first[person[0]].add(person)
            by_last[person[1]].add(person)
    short = {part: next(iter(ids)) for part, ids in by_first.items() if len(ids) == 1}
    for part, ids in by_last.items():
        short.pop(part, None)
        if len(ids) == 1:
            short[part] = next(iter(ids))
    return short


def _surname_tokens(doc: Doc, m: _Mention) -> tuple[int, int] | None:
    """Token bounds of the surname of a person's full name (a hyphenated one included)."""
    if _identity(doc, m) is None:
        return None
    end = m.end
    while end - m.start > 2 and _key(doc, end - 1, end) in _SUFFIXES:
        end -= 1
    start = end - 1
    while start > m.start and doc[start - 1].whitespace_ == "":
        start -= 1
    return start, end


def _org_heads(doc: Doc, mentions: Iterable[_Mention]) -> dict[str, str]:
    """One-word ORG names that stand for exactly one longer ORG name ending with them:
    "post" -> "washington post" (not "texas" for "University of Texas")."""
    heads: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        words = _key(doc, m.start, m.end).split()
        if m.label == "ORG" and len(words) >= 2 and not _CONNECTORS.intersection(words):
            heads[words[-1]].add(" ".join(words))
    return {head: next(iter(keys)) for head, keys in heads.items() if len(keys) == 1}


def _acronym_positions(doc: Doc, m: _Mention) -> Iterable[int]:
    """Token indices of an acronym that ``m`` defines: "Long Form (LF)" or "LF (Long Form)"."""
    layouts = (
        (m.end + 1, m.end, m.end + 2),  # acronym, its "(", its ")"
        (m.start - 2, m.start - 1, m.end),
    )
    for i, opening, closing in layouts:
        inside = min(i, opening) >= 0 and closing < len(doc)
        if inside and (doc[opening].text, doc[closing].text) == ("(", ")") and \
                _is_acronym_of(doc[i].text, doc, m):
            yield i


def _acronym_mentions(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Mentions for acronyms defined in brackets that spaCy did not tag; they carry the long
    form's label."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    out = []
    for m in mentions:
        for i in _acronym_positions(doc, m):
            if i not in taken:
                out.append(_Mention(i, i + 1, m.label))
                taken.add(i)
    return out


def _is_acronym_of(acronym: str, doc: Doc, m: _Mention) -> bool:
    if not _is_acronym(acronym):
        return False
    letters = acronym.replace(".", "")
    words = [t.text for t in doc[m.start : m.end]
             if t.is_alpha and _norm(t.text) not in _POSSESSIVES]
    capitals = "".join(w[0] for w in words if w[0].isupper())
    every = "".join(w[0] for w in words).upper()
    return letters in (capitals, every) or _is_subsequence(letters, capitals)


def _is_subsequence(short: str, long: str) -> bool:
    """ "CDC" in "UCDCP" (US Centers for Disease Control and Prevention)."""
    rest = iter(long)
    return all(c in rest for c in short)


def _missed_mentions(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Later uses of a capitalised name, or of an unambiguous surname, that spaCy did not tag.
    They carry no label vote."""
    names = {tuple(t.text for t in doc[m.start : m.end]) for m in mentions
             if doc[m.start].text[:1].isupper()}
    short = _short_names(doc, mentions)
    for m in mentions:
        bounds = _surname_tokens(doc, m)
        if bounds is not None and _key(doc, *bounds) in short:
            names.add(tuple(t.text for t in doc[bounds[0] : bounds[1]]))
    taken = {i for m in mentions for i in range(m.start, m.end)}
    taken |= {t.i for ent in doc.ents for t in ent}  # not "May" in "May 5" for Theresa May
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in sorted(names, key=len, reverse=True):
        by_first[words[0]].append(words)
    texts = [t.text for t in doc]
    out = []
    i = 0
    while i < len(texts):
        n = _match_at(doc, texts, i, by_first.get(texts[i], ()), taken)
        if n:
            out.append(_Mention(i, i + n, ""))
        i += max(n, 1)
    return out


def _match_at(doc: Doc, texts: list[str], i: int, candidates: Iterable[tuple[str, ...]],
              taken: set[int]) -> int:
    """The length of the longest candidate name at token ``i`` on free tokens, or 0."""
    for words in candidates:
        n = len(words)
        if tuple(texts[i : i + n]) != words or taken.intersection(range(i, i + n)):
            continue
        if n > 1 or doc[i].pos_ == "PROPN" or _is_acronym(words[0]):
            return n
    return 0


# --- merging ----------------------------------------------------------------------------------


def _merge(doc: Doc, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Group mentions of one entity; groups come in order of first mention."""
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for same in _links(doc, mentions):
        union(*same)
    groups: dict[int, list[_Mention]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[find(i)].append(m)
    return [groups[root] for root in sorted(groups)]


def _links(doc: Doc, mentions: list[_Mention]) -> Iterable[tuple[int, int]]:
    """Pairs of mention indices that name the same entity (see the module doc)."""
    first_by_key: dict[str, int] = {}
    first_by_person: dict[tuple[str, str], int] = {}
    for i, m in enumerate(mentions):
        key = _key(doc, m.start, m.end)
        yield first_by_key.setdefault(key, i), i
        person = _identity(doc, m)
        if person is not None:
            yield first_by_person.setdefault(person, i), i
    short, heads = _short_names(doc, mentions), _org_heads(doc, mentions)
    for i, m in enumerate(mentions):
        key = _key(doc, m.start, m.end)
        if " " in key or m.label in _NO_NAME_MERGE:
            continue
        if key in short:
            yield first_by_person[short[key]], i
            m.label = "PERSON"  # a surname tagged ORG or GPE is the small model's mistake
        elif key in heads and m.label in ("ORG", ""):
            yield first_by_key[heads[key]], i
    for i, m in enumerate(mentions):
        for j in _acronym_positions(doc, m):
            acronym = first_by_key.get(_key(doc, j, j + 1))
            if acronym is not None:  # None: the acronym sits inside a longer mention
                yield i, acronym


# --- output ----------------------------------------------------------------------------------


def _build(doc: Doc, groups: list[list[_Mention]], sentence_index: SentenceIndex) -> list[Entity]:
    entities = []
    for group in groups:
        spans = [doc[m.start : m.end] for m in group]
        longest = max(range(len(spans)), key=lambda k: (len(spans[k].text), -k))
        entities.append(Entity(
            id=len(entities),
            name=spans[longest].text,
            label=_label(doc, group, group[longest]),  # type: ignore[arg-type]
            mentions=[Mention(start=s.start_char, end=s.end_char, text=s.text,
                              sentence=sentence_index(s.start_char)) for s in spans],
        ))
    return entities


def _label(doc: Doc, group: list[_Mention], longest: _Mention) -> str:
    """Majority label, with the title and place-name fixes described in the module doc."""
    if _key(doc, longest.start, longest.end) in PLACE_NAMES:
        return "GPE"
    if any(m.titled for m in group):
        return "PERSON"
    votes = Counter(m.label for m in group if m.label)
    if not votes:
        return "ORG"
    best = max(votes.values())
    winners = {label for label, n in votes.items() if n == best}
    if longest.label in winners:
        return longest.label
    return next(m.label for m in group if m.label in winners)
