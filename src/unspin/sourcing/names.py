"""The words sourcing knows: news outlets, picture libraries, document and organisation nouns,
contested events, demonyms and party aliases, credit phrases; and how names become keys, display
names and kinds of source."""

from __future__ import annotations

import re
from typing import Literal

from unspin.titles import PERSON_ROLES

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
KNOWN_OUTLET_RE = re.compile(
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

ORG_WORDS = frozenset({
    "military", "army", "navy", "ministry", "government", "council", "union", "company",
    "police", "department", "agency", "authority", "committee", "office", "administration",
    "board", "commission", "association", "alliance", "federation", "party", "forces",
    "force", "service", "bureau", "court", "parliament", "assembly", "institute", "group",
    "foundation", "university", "bank", "corporation", "firm", "campaign", "command",
    "coalition", "chamber", "society", "district", "county", "city",
})  # fmt: skip
TITLE_LEAD = frozenset({"senior", "top", "deputy", "press", "foreign", "defence", "defense",
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

FIGURE_KINDS = frozenset({"count", "percent", "money", "measure"})

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

PARTY_LABELS = frozenset({"GPE", "NORP", "ORG"})
ARTICLES = ("the ", "a ", "an ")
HE_SHE = frozenset({"he", "she", "him", "her"})

# --- credits and documents in captions ----------------------------------------------------

_PHOTO_WORDS = r"(?:photo(?:graph)?s?|images?|pictures?|video|footage|illustrations?|credits?)"
CREDIT_PHRASE = re.compile(
    r"\b(?:(?P<photo>" + _PHOTO_WORDS + r"\s*(?::|\b(?:by|from)\b))"
    r"|(?:obtained|provided|released|supplied|distributed|shared)\s+by|courtesy(?:\s+of)?"
    r"|via)\s*",
    re.IGNORECASE,
)
AGENCY_PHOTO = re.compile(
    r"(?P<agency>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})\s+(?:Photos?|Images?)\s*/"
)
PROVENANCE = re.compile(
    r"\s+(?:(?:was|were|has\s+been|have\s+been)\s+)?(?:obtained|provided|released|seen|"
    r"published|leaked|shared|reviewed|supplied)\s+(?:by|to|with)\b",
    re.IGNORECASE,
)
DOC_NOUN_RE = re.compile(r"\b(?:" + "|".join(sorted(DOCUMENT_NOUNS)) + r")\b", re.IGNORECASE)
NP_STOP = frozenset({"a", "an", "the", "this", "that", "these", "those", "of", "by", "and",
                      "or", "in", "on", "to", "for", "with", "from", "was", "were", "is",
                      "are", "his", "her", "its", "their", "our"})
WORD = re.compile(r"[\w.'’-]+")


# --- names and kinds ---------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """A name as a lookup key: lowercase, dots and a leading article removed, spaces collapsed,
    a possessive cut off ("The Washington Post" -> "washington post", "U.S." -> "us")."""
    key = " ".join(name.replace(".", "").split()).lower()
    for article in ARTICLES:
        if key.startswith(article):
            key = key[len(article):]
    return re.sub(r"['’]s$", "", key)


def display_name(text: str) -> str:
    """A source's display name: its text without a leading article, a possessive or trailing
    punctuation ("the union's negotiator," -> "union's negotiator", "The mayor's office" ->
    "mayor's office"). A capitalised "The" stays when a name follows it ("The Washington
    Post")."""
    name = " ".join(text.split()).strip(" ,;:()")
    for article in ARTICLES:
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


def last_word(name: str) -> str:
    words = WORD.findall(name.lower())
    return re.sub(r"['’]s$", "", words[-1]) if words else ""


def kind_of_name(name: str, label: str | None = None) -> SourceKind:
    """The kind of a named (not anonymous) source from its name and, if it is an entity, its
    label; see the module doc."""
    if is_outlet(name):
        return "outlet"
    last = last_word(name)
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
    if last in ORG_WORDS:
        return "organisation"
    return "other"


