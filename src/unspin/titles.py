"""Titles and roles that stand before a person's name ("Mayor", "Dr.", "Kremlin spokesperson"):
one lexicon for attribution (canonical speaker names) and sourcing (source names and kinds).
"""

from __future__ import annotations

import re

PERSON_ROLES = frozenset({
    "spokesperson", "spokesman", "spokeswoman", "official", "minister", "president", "mayor",
    "governor", "senator", "negotiator", "chair", "chairman", "chairwoman", "chief", "head",
    "director", "leader", "commander", "general", "envoy", "ambassador", "adviser", "advisor",
    "aide", "lawyer", "attorney", "councilmember", "councillor", "councilor", "secretary",
    "treasurer", "manager", "economist", "analyst", "expert", "professor", "researcher",
    "officer", "deputy", "representative", "member", "resident", "witness", "owner",
})  # fmt: skip
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sen", "rep", "gov", "gen", "col", "maj", "capt",
    "lt", "sgt", "adm", "rev", "judge", "justice", "chancellor", "premier", "speaker", "king",
    "queen", "prince", "princess", "sheikh", "commissioner", "inspector", "superintendent",
    "sheriff", "prosecutor", "congressman", "congresswoman", "councilman", "councilwoman",
    "alderman", "lord", "lady", "sir", "dame",
})  # fmt: skip
"""Honorifics and titles (lowercase, without dots) dropped before a person's name, besides
the roles of :data:`PERSON_ROLES` ("Dr. Jane Roe" -> "Jane Roe")."""


def person_name(name: str) -> str:
    """A person's name without the titles before it: the longest run of leading words that
    ends in a title (:data:`PERSON_ROLES`, :data:`HONORIFICS`) and is followed only by
    capitalised words is dropped ("Councilmember David Chen" -> "David Chen", "Council
    President Maria Alvarez" -> "Maria Alvarez", "Kremlin spokesperson Dmitry Peskov" ->
    "Dmitry Peskov", "Dr. Jane Roe" -> "Jane Roe"). A name with no such title is returned
    unchanged."""
    words = name.split()
    cut = 0
    for i in range(1, len(words)):
        rest = words[i:]
        if is_title_word(words[i - 1]) and all(w[:1].isupper() for w in rest):
            cut = i
    return " ".join(words[cut:]) if cut else name


def is_title_word(word: str) -> bool:
    """True for a word that can stand in a title before a name ("Mayor", "spokesperson")."""
    low = re.sub(r"['’]s$", "", word.rstrip(".,").lower())
    return low in PERSON_ROLES or low in HONORIFICS
