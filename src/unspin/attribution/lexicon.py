"""The cue lexicon and the word lists the attribution rules read.

Data only: which lemmas are cues and in which frames, which are stances or speech acts, and
the nouns, labels and heads the rules of :mod:`unspin.attribution.cues` and
:mod:`unspin.attribution.cue_phrases` look for. How each is
used is in the package docstring (:mod:`unspin.attribution`)."""

from __future__ import annotations

CUES: dict[str, str] = {
    # speech and writing
    "say": "cxdpo", "tell": "cxd", "add": "co", "write": "cdo", "state": "co", "declare": "cdo",
    "announce": "cdo", "report": "cxdo", "claim": "cxdo", "confirm": "cdo", "deny": "cd",
    "acknowledge": "cdo", "admit": "cdo", "concede": "cdo", "insist": "cpo", "argue": "cpo",
    "contend": "co", "assert": "cdo", "maintain": "co", "allege": "cdo", "note": "cdo",
    "explain": "cdo", "stress": "cdo", "emphasise": "cdo", "emphasize": "cdo", "reiterate": "cdo",
    "repeat": "cd", "warn": "cxdpo", "caution": "cxp", "suggest": "cdo", "imply": "c",
    "hint": "cpo", "indicate": "cd", "reveal": "cdo", "disclose": "cd", "recall": "cdo",
    "remark": "co", "observe": "co", "comment": "cpo", "mention": "cdo", "reply": "co",
    "respond": "cpo", "answer": "cdo", "ask": "cxdo", "wonder": "c", "question": "cd",
    "predict": "cdo", "promise": "cxd", "pledge": "cx", "vow": "cx", "threaten": "x",
    "urge": "cxd", "demand": "cd", "propose": "cxd", "recommend": "cxd", "tweet": "cdpo",
    "post": "cd", "joke": "cpo", "quip": "co", "boast": "cpo", "brag": "cp", "complain": "cpo",
    "lament": "cdo", "testify": "co", "assure": "cp", "point": "cdp", "conclude": "co",
    "estimate": "cdo", "describe": "cdo", "call": "xdp", "accuse": "dp", "criticize": "dp",
    "criticise": "dp", "blame": "dp", "praise": "dp", "denounce": "d", "decry": "d",
    "condemn": "d", "slam": "dp", "blast": "dp", "mock": "d", "dismiss": "d", "reject": "d",
    "defend": "d", "tout": "d", "echo": "dp", "express": "d", "portray": "d", "list": "d",
    "cite": "d", "quote": "cd", "refer": "p", "talk": "p", "discuss": "d", "highlight": "cd",
    "thank": "d", "attack": "d", "challenge": "d", "agree": "cx", "congratulate": "d",
    "apologize": "p", "apologise": "p", "shout": "c", "decline": "x", "refuse": "x",
    "speak": "p",
    # evidence
    "show": "cd", "find": "c", "learn": "c", "determine": "c",
    # cognition and feeling
    "believe": "co", "think": "co", "know": "c", "feel": "c", "fear": "cd", "worry": "cp",
    "hope": "cx", "expect": "cx", "doubt": "c", "suspect": "c", "recognize": "c",
    "recognise": "c", "see": "c", "consider": "c", "seem": "x", "appear": "x",
    # attitudes and actions towards something (always stance)
    "support": "d", "endorse": "d", "back": "d", "oppose": "d", "want": "cx", "seek": "x",
    "plan": "x", "intend": "x", "prefer": "cd", "favor": "d", "favour": "d", "decide": "x",
    # found on PolNeAR's training split: rulings, charges, labels and documents as cues
    "rule": "c", "charge": "c", "brand": "d", "label": "d", "dub": "d", "document": "cd",
    "detail": "d", "reference": "d", "encourage": "x",
    # quotation-only: "She continued, “...”", "“...,” the letter reads"
    "continue": "o", "read": "o",
}  # fmt: skip


_PARENTHETICAL_ONLY = frozenset({
    "explain", "claim", "observe", "admit", "acknowledge", "insist", "contend", "assert",
    "maintain", "allege", "concede", "stress", "emphasise", "emphasize", "recall", "predict",
    "warn", "complain", "testify", "state", "conclude", "estimate", "boast", "lament",
    "mention", "comment", "answer", "reiterate", "hint", "believe", "think",
})  # fmt: skip
"""Cues whose frame ``o`` (no complement: the reported clause is the one the cue hangs off,
"The move, Carr explained, was ...", "..., CNN claimed") needs a subject of their own: without
one they are passives or participles that report nothing ("as mentioned above", "is easily
explained")."""


QUOTATION_ONLY = frozenset({"continue", "read"})
"""Cues that are cues only next to a quotation: "prices continued to rise" and "he reads
the news" report nothing."""


SPEECH_ACTS = frozenset({
    "promise", "pledge", "vow", "threaten", "urge", "call", "warn", "caution", "propose",
    "recommend", "demand", "encourage",
})  # fmt: skip
"""Cues that are ``report`` with a to-infinitive too: a pledge, a threat or an appeal is
said ("Clinton pledged to push for an amendment" reports what she said she would do)."""


_VERBAL_ONLY = {"attack": frozenset({"for", "over", "as"})}
"""Cues that are also physical acts ("Russian forces attacked Kharkiv"): a cue only with one
of these prepositions ("attacked Clinton for her vote")."""

_TAKING_OBJECTS = {"claim": frozenset({
    "victory", "win", "seat", "title", "prize", "crown", "medal", "championship", "life",
    "delegate", "state", "majority", "credit", "territory", "ground",
})}  # fmt: skip
"""Cues that also mean taking or winning something: no cue with one of these direct objects
("claimed some victories in the Midwest", "the fire claimed three lives"; but "claimed
responsibility", "claimed that ...")."""


STANCE = frozenset({
    "support", "endorse", "back", "oppose", "want", "seek", "plan", "intend", "prefer",
    "favor", "favour", "decide",
})  # fmt: skip
"""Cues that are always ``stance``. Other cues are ``report`` with a clause or no
complement (frames ``c``, ``o``); with an object (``d``, ``p``) only when the object is
what was said (:data:`PROPOSITIONAL`: "denied *the report*", "accused *X of Y*", "called
*Trump unhinged*"), not whom it was about ("thanked *the crowd*"); with a to-infinitive
(``x``) only for hearsay and appearance ("is said *to be*", "appears *to show*")."""


PROPOSITIONAL = frozenset({
    "say", "tell", "write", "declare", "announce", "report", "claim", "confirm", "deny",
    "acknowledge", "admit", "concede", "assert", "allege", "note", "explain", "stress",
    "emphasise", "emphasize", "reiterate", "repeat", "warn", "caution", "suggest", "hint",
    "indicate", "reveal", "disclose", "recall", "mention", "answer", "question", "predict",
    "estimate", "describe", "call", "accuse", "criticize", "criticise", "blame", "insist",
    "argue", "tweet", "post", "point", "show", "fear", "cite", "quote", "complain", "boast",
    "brag", "worry", "comment", "promise",
})  # fmt: skip


_EPISTEMIC_X = frozenset({"seem", "appear", "claim", "say", "report", "expect"})


_PREPS = frozenset({"about", "of", "for", "against", "on", "over", "to", "with"})


_PREPS_BY_LEMMA = {
    "say": {"of", "about"}, "talk": {"about", "of"}, "refer": {"to"},
    "respond": {"to"}, "point": {"to", "out"}, "speak": {"about", "of", "against"},
    "insist": {"on"}, "argue": {"for", "against"},
    "tweet": {"about", "that"}, "complain": {"about", "of"}, "joke": {"about"},
    "warn": {"of", "about", "against"}, "caution": {"against", "about"},
    "boast": {"about", "of"}, "brag": {"about", "of"}, "worry": {"about"}, "hint": {"at"},
    "apologize": {"for"}, "apologise": {"for"}, "comment": {"on"}, "assure": {"of"},
    "call": {"for", "on"}, "slam": {"for", "over"}, "blast": {"for", "over"},
    "accuse": {"of"}, "blame": {"for"}, "criticize": {"for", "over"},
    "criticise": {"for", "over"}, "praise": {"for"}, "echo": {"about"},
}  # fmt: skip


ANONYMOUS_HEADS = frozenset({
    "official", "officials", "source", "sources", "report", "reports", "expert", "experts",
    "analyst", "analysts", "observer", "observers", "critic", "critics", "spokesperson",
    "spokesman", "spokeswoman", "spokespeople", "representative", "aide", "aides", "insider",
    "insiders", "people", "person", "persons", "someone", "diplomat", "diplomats",
    "witness", "witnesses", "resident", "residents", "commentator", "commentators",
    "economist", "economists", "scientist", "scientists", "researcher", "researchers",
    "organisers", "organizers", "activists", "campaigners", "protesters", "locals",
    "some", "many", "others", "several", "few", "most", "authorities", "media", "rumours",
    "rumors", "accounts", "claims", "study", "studies", "poll", "polls", "survey", "surveys",
    "exec", "execs", "executive", "executives",
})  # fmt: skip


# Heads that speak for whoever owns them: "a Pentagon spokesperson", "a Reuters report".
_OWNABLE = frozenset({
    "spokesperson", "spokesman", "spokeswoman", "spokespeople", "representative", "report",
    "reports", "study", "studies", "poll", "polls", "survey", "surveys",
})  # fmt: skip


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"})


_RELATIVES = frozenset({"who", "which", "that", "whom"})


_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})


_RUN_STOPS = frozenset({",", ".", ";", ":", "!", "?", "(", ")", "—", "–", "-", '"', "“", "”"})


EVIDENCE_NOUNS = frozenset({
    "poll", "polls", "survey", "surveys", "study", "studies", "report", "reports", "analysis",
    "ruling", "filing", "memo", "letter", "statement", "audit", "census", "tally", "count",
    "estimate", "estimates", "assessment", "review", "investigation", "indictment",
    "complaint", "lawsuit", "data", "figures", "records", "documents",
})  # fmt: skip
"""Nouns that "In a CBS News poll, ..." makes the source of the rest of the sentence."""


_CLOSING_EVIDENCE = frozenset({"poll", "polls", "survey", "surveys", "study", "studies"})


_COLON_LABELS = frozenset({
    "check", "review", "analysis", "opinion", "editorial", "explainer", "live", "watch",
    "video", "photos", "pictures", "update", "updates", "breaking", "exclusive", "interview",
    "podcast", "recap", "preview", "latest", "commentary", "letters", "obituary", "football",
    "basketball", "baseball", "soccer", "hockey", "cricket", "tennis", "golf", "sport",
    "sports", "quiz", "q&a", "factbox", "timeline", "graphic", "essay", "photo", "image",
    "images", "credit", "credits", "caption", "part", "chapter", "episode", "day", "round",
})  # fmt: skip
"""Last words of a headline label before a colon that names no speaker ("Fact Check:",
"Review:", "The Latest:", "Tuesday's college football:")."""


_COLON_NOUNS = frozenset({
    "poll", "report", "study", "survey", "newspaper", "officials", "sources", "police",
    "witnesses", "experts", "analysis", "lawmakers", "campaign", "camp", "aides", "insiders",
})  # fmt: skip


_MEDIA = frozenset({
    "statement", "interview", "email", "e-mail", "letter", "tweet", "post", "speech",
    "op-ed", "memo", "message", "release", "note", "video", "podcast", "broadcast",
    "appearance", "remarks", "briefing", "conference", "call", "filing", "report", "blog",
})  # fmt: skip


_ADJ_CUES: dict[str, str] = {
    # lemma -> frames: c (a clause), x (to-infinitive), p (prepositional object)
    "sure": "c", "certain": "c", "confident": "cp", "convinced": "c", "optimistic": "cp",
    "pessimistic": "cp", "aware": "cp", "adamant": "c", "hopeful": "cp", "worried": "cp",
    "concerned": "cp", "afraid": "c", "fearful": "c", "skeptical": "cp", "sceptical": "cp",
    "doubtful": "c", "unsure": "c", "critical": "p", "supportive": "p", "unhappy": "p",
    "happy": "p", "angry": "cp", "furious": "cp", "proud": "cp", "eager": "x", "keen": "x",
    "opposed": "p", "determined": "x", "clear": "", "willing": "x", "reluctant": "x",
    "satisfied": "cp", "dissatisfied": "p", "frustrated": "p", "upset": "cp",
    "disappointed": "cp", "pleased": "cp", "grateful": "p", "wary": "p",
}  # fmt: skip


_ADJ_PREPS = frozenset({"of", "about", "with", "that", "over", "on", "in"})


_COPULAS = frozenset({"be", "seem", "remain", "become", "appear", "feel", "sound"})


SPEECH_NOUNS = frozenset({
    "claim", "report", "allegation", "assertion", "accusation", "statement", "finding",
    "conclusion", "announcement", "argument", "suggestion", "warning", "prediction",
    "promise", "pledge", "charge", "admission", "acknowledgment", "acknowledgement",
    "insistence", "contention", "testimony", "assessment", "estimate", "assurance", "denial",
    "complaint", "declaration", "confirmation", "revelation", "rumor", "rumour",
})  # fmt: skip
"""Nouns that report what someone said or found, cues when a that-clause of their own says
what ("Trump's claim that ...", "reports that ...")."""


_LIGHT_VERBS = frozenset({
    "make", "give", "offer", "issue", "voice", "express", "repeat", "renew", "deliver", "level",
    "lodge", "file", "press", "raise", "provide",
})  # fmt: skip
"""Verbs whose speech-act object says what their subject said: "made the suggestion that",
"gave assurances that", "levelled the accusation that", "made comments about"."""


CASE_NOUNS = frozenset({
    "case", "argument", "pitch", "point", "claim", "promise", "pledge", "accusation",
    "allegation", "prediction", "assertion", "appeal", "plea", "vow", "warning", "threat",
})  # fmt: skip
"""Nouns that "make" turns into a speech act: "is making an impassioned case that ...",
"made the argument that ...", "made a pitch for ..."."""


_CASE_PREPS = frozenset({"for", "against", "about", "on", "to", "of"})


_WH_WORDS = frozenset({"when", "where", "how", "why", "if", "as", "while", "once"})


_AGENT_NOUNS = frozenset({
    "court", "government", "ministry", "campaign", "committee", "council", "party", "union",
    "company", "administration", "agency", "department", "police", "military", "army",
    "board", "commission", "panel", "group", "senate", "house", "congress", "parliament",
    "city", "state", "county", "nation", "nations", "country", "countries", "team", "firm",
    "lawmakers", "democrats", "republicans", "leaders", "voters", "members", "residents",
    "judge", "jury", "prosecutors", "lawyers", "attorneys", "people", "everyone", "both",
    "each", "others", "proponents", "opponents", "supporters", "critics", "activists",
})  # fmt: skip


_NEGATIONS = frozenset({"not", "n't", "never", "no"})
