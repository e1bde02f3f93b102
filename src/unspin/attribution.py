"""Attribution: on whose word each claim rests.

:func:`find_relations` reads a parsed spaCy ``Doc`` (the whole report text) and returns the
attribution relations in it: who (``source``) said, wrote, showed or believes (``cue``) what
(``content``). :func:`attribute_claim` turns them, with the hedges, into one
:class:`~unspin.report.Attribution` per claim sentence.

How relations are found (rules on spaCy's dependency parse; the cue list and the frames each
cue takes were chosen on PolNeAR's training split and checked on its dev split):

- **Cue verbs** (:data:`CUES`): "said", "told", "confirmed", "claimed", "warned", "accused",
  "believes", "showed", ... Each lemma lists the *frames* it is a cue in, read off the verb's
  children: ``c`` a clause ("said *that ...*", "“...,” *he said*"), ``x`` a to-infinitive
  ("urged Congress *to act*"), ``d`` a direct object ("accused *the EU of ...*"), ``p`` a
  prepositional object ("referring *to the deal*"), ``o`` none (the verb hangs off the
  quoted clause: "“...,” she said" parsed with "said" as the dependent). A verb is a cue only
  in the first frame that applies to it (in that order) and only when its lemma lists it.
- **"according to X"**: source X, content the rest of the clause.
- **Source**: the verb's subject (with everything that hangs off it: "Rudolph Giuliani, the
  former mayor, ..."), the agent of a passive ("was told by X"), the subject of the verb it
  is conjoined to or that it follows as a participle ("..., saying ..."), or the noun that a
  participle or relative clause modifies ("reports indicating ...", "officials who said").
- **Cue span**: the verb with its auxiliaries, negation, adverbs right before it, its
  particle and the preposition it takes ("has also urged", "did not respond to", "pointed
  out", "called on", "said of"); a to-infinitive cue continues the verb it completes ("went on
  to say", "seemed to suggest").
- **Content**: the complements of the frame; quotations that the content touches are taken
  whole, so a quotation opened one or more sentences (or paragraphs, when the next paragraph
  reopens the quote, as newspapers do) before the cue is content of that one relation; "X
  said:" at the end of a sentence takes the quotation or sentence after it; "“A,” he said,
  “B.”" takes both quotations, and so do the quotations that follow in the same paragraph,
  or make up the whole next paragraph, with no cue of their own; "..., police said" takes the
  clause before the comma.
- **Outermost only**: cues inside quotation marks, or inside another relation's content, are
  not relations of the article (the writer vouches only for who said what).

Each relation has a ``kind``: ``report`` (the content is something the source said, wrote,
found or believes, which a claim can rest on) or ``stance`` (the source's attitude to or
action on something: "backed the bill", "wants a wall"; PolNeAR annotates these too, but
:func:`attribute_claim` does not count them as sources of a claim).

Sources are ``named`` (a person, organisation or other specific source: "the ministry"),
``anonymous`` (``ANONYMOUS_HEADS``: "officials", "sources", "reports", "experts", "a
spokesperson" with no one named, "people familiar with ...") or ``pronoun`` ("he said").
Pronouns "he"/"she" are resolved to a person named in the two sentences before (or, if none,
in the four before) when exactly one person is named there, or when one of them is the
previous relation's source; "it" to an organisation in the same way. One-word names are
resolved to the full name used elsewhere in the article ("Peskov" -> "Dmitry Peskov").
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Token

from unspin.report import Attribution, Hedge, Sentence, Span
from unspin.titles import PERSON_ROLES, is_title_word, person_name

SourceKind = Literal["named", "anonymous", "pronoun"]
RelationKind = Literal["report", "stance"]

# --- the cue lexicon -----------------------------------------------------------------------
# lemma -> the frames it is a cue in (see the module doc).

CUES: dict[str, str] = {
    # speech and writing
    "say": "cxdpo", "tell": "cxd", "add": "co", "write": "cdo", "state": "c", "declare": "cdo",
    "announce": "cdo", "report": "cxdo", "claim": "cxd", "confirm": "cdo", "deny": "cd",
    "acknowledge": "cd", "admit": "cd", "concede": "cd", "insist": "cp", "argue": "cpo",
    "contend": "c", "assert": "cd", "maintain": "c", "allege": "cd", "note": "cdo",
    "explain": "cd", "stress": "cd", "emphasise": "cd", "emphasize": "cd", "reiterate": "cd",
    "repeat": "cd", "warn": "cxdp", "caution": "cxp", "suggest": "cdo", "imply": "c",
    "hint": "cp", "indicate": "cd", "reveal": "cdo", "disclose": "cd", "recall": "cd",
    "remark": "co", "observe": "c", "comment": "cp", "mention": "cd", "reply": "co",
    "respond": "cpo", "answer": "cd", "ask": "cxdo", "wonder": "c", "question": "cd",
    "predict": "cd", "promise": "cxd", "pledge": "x", "vow": "cx", "threaten": "x",
    "urge": "cxd", "demand": "cd", "propose": "cxd", "recommend": "cxd", "tweet": "cdpo",
    "post": "cd", "joke": "cpo", "quip": "co", "boast": "cp", "brag": "cp", "complain": "cp",
    "lament": "cd", "testify": "c", "assure": "cp", "point": "cdp", "conclude": "c",
    "estimate": "cd", "describe": "cdo", "call": "xdp", "accuse": "dp", "criticize": "dp",
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
    "believe": "c", "think": "c", "know": "c", "feel": "c", "fear": "cd", "worry": "cp",
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

_OPEN = {"“": "”", "«": "»", "„": "“"}


@dataclass
class Relation:
    """One attribution relation: ``source`` (or None) said / showed / believes (``cue``)
    ``content``. ``sentence`` is the index of the sentence holding the cue; ``quoted`` is
    True when the content is mostly inside quotation marks; ``resolved`` is the full name
    a pronoun or a one-word name was resolved to; ``agent`` is True when the source is
    someone who can hold a position (:func:`_is_agent`: a person, a group, an institution;
    not "Such actions" or "The data"), which a ``stance`` needs to speak for a claim."""

    source: Span | None
    cue: Span | None
    content: Span
    sentence: int
    quoted: bool
    source_kind: SourceKind
    resolved: str | None = None
    kind: RelationKind = "report"
    main_clause: bool = True
    agent: bool = True


# --- quotations ---------------------------------------------------------------------------


def find_quotes(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Quotations as ``(start, end)`` spans, marks included, in text order.

    “...” (and «...», „...“) pair up; a straight ``"`` or ``''`` closes what the same mark
    opened, and ``"`` and ” close each other's quotations (mixed marks). Quotes do not cross
    a title, caption or paragraph, except that a quotation left open at the end of a
    paragraph whose next paragraph opens with a quote mark runs on into it (the newspaper
    convention for long quotes); the span then covers both paragraphs. A mark left open
    otherwise is a stray mark, not a quotation; “ typed for a closing ” after a comma or
    full stop closes.
    """
    out: list[tuple[int, int]] = []
    carry: tuple[int, str] | None = None  # a quotation still open at the end of a block
    for start, end in _blocks(text, sentences):
        opened: int | None = None
        closer = ""
        i = start
        if carry is not None:
            j = _skip_space(text, start)
            mark = _mark_at(text, j)
            if mark is not None:
                opened, closer, i = carry[0], mark[1], j + mark[0]
            carry = None
        while i < end:
            if opened is None:
                mark = _mark_at(text, i)
                if mark is not None:
                    opened, closer = i, mark[1]
                    i += mark[0]
                    continue
            elif (n := _closing_length(text, i, closer)) or _miswritten_close(text, i, closer):
                n = n or len(closer)
                out.append((opened, i + n))
                i += n
                opened = None
                continue
            i += 1
        if opened is not None and _opens_with_quote(text, _next_block_start(text, end)):
            carry = (opened, closer)
        elif opened is not None:
            pass  # left open and not continued: a stray mark, not a quotation
    return out


_MIXED_CLOSERS = {'"': "”", "”": '"'}
"""Scraped and pasted text mixes straight and curly marks (\"...,” he said): a quotation
opened with one is closed by the other as well."""


def _closing_length(text: str, i: int, closer: str) -> int:
    """Length of the mark at ``i`` that closes a quotation waiting for ``closer`` (0: none)."""
    if text.startswith(closer, i):
        return len(closer)
    other = _MIXED_CLOSERS.get(closer)
    return 1 if other is not None and text.startswith(other, i) else 0


def _miswritten_close(text: str, i: int, closer: str) -> bool:
    """An opening “ typed where ” belongs: right after , . ? ! and before a space."""
    return closer == "”" and text[i] == "“" and i > 0 and text[i - 1] in ",.?!" and \
        (i + 1 >= len(text) or text[i + 1].isspace())


def _next_block_start(text: str, end: int) -> int:
    return _skip_space(text, end)


def _opens_with_quote(text: str, i: int) -> bool:
    return i < len(text) and _mark_at(text, i) is not None


def _blocks(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Title, captions and paragraphs as character ranges, from the sentences."""
    blocks: list[list[int]] = []
    key = None
    for s in sentences:
        new_key = (s.part, s.paragraph)
        gap = text[blocks[-1][1] : s.start] if blocks else ""
        if blocks and new_key == key and (s.part == "body" or "\n" not in gap):
            blocks[-1][1] = s.end
        else:
            blocks.append([s.start, s.end])
        key = new_key
    return [(a, b) for a, b in blocks]


def _mark_at(text: str, i: int) -> tuple[int, str] | None:
    """(length, closing mark) of an opening quotation mark at ``i``, or None."""
    ch = text[i : i + 1]
    if ch in _OPEN:
        return 1, _OPEN[ch]
    if text.startswith(("''", "``"), i):
        return 2, "''"
    if ch == '"':
        return 1, '"'
    return None


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


# --- finding relations ---------------------------------------------------------------------


@dataclass
class _Candidate:
    head: Token  # the cue's head token ("according" for "according to", ":" for "X: ...")
    source: tuple[int, int] | None  # token range [start, end)
    cue: tuple[int, int]  # character range
    content: tuple[int, int]  # character range
    kind: RelationKind
    depth: int


_Extent = tuple[int, int] | None
"""A first and a last token index (inclusive), or None for no tokens."""


def _join(a: _Extent, b: _Extent) -> _Extent:
    if a is None:
        return b
    if b is None:
        return a
    return min(a[0], b[0]), max(a[1], b[1])


def _subtree_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """For every token, the smallest and largest index in ``token.subtree``.

    spaCy lists as children of ``h`` only the tokens headed by ``h`` between its
    ``left_edge`` and ``right_edge``, and those edges can be wrong after a non-projective
    parse, so the bounds are computed from those same listed children, bottom up."""
    n = len(doc)
    heads, lefts, rights = [0] * n, [0] * n, [0] * n
    for t in doc:
        heads[t.i], lefts[t.i], rights[t.i] = t.head.i, t.left_edge.i, t.right_edge.i
    kids: list[list[int]] = [[] for _ in range(n)]
    roots = []
    for j in range(n):
        h = heads[j]
        if h != j and lefts[h] <= j <= rights[h]:
            kids[h].append(j)
        else:
            roots.append(j)
    lo, hi = list(range(n)), list(range(n))
    order: list[int] = []  # parents before their children
    stack = roots[::-1]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(kids[node])
    for node in reversed(order):
        for c in kids[node]:
            lo[node] = min(lo[node], lo[c])
            hi[node] = max(hi[node], hi[c])
    return lo, hi


class _Context:
    """What the rules need besides a token: the text (``Doc.text`` rebuilds it on every call)
    and its quotations (in text order, never overlapping, so their ends are sorted too)."""

    def __init__(self, doc: Doc, quotes: list[tuple[int, int]], text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.quotes = quotes
        self._starts = [q[0] for q in quotes]
        self._ends = [q[1] for q in quotes]
        self._bounds: tuple[list[int], list[int]] | None = None

    def quote_at(self, offset: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(self._starts, offset) - 1
        if k >= 0 and self.quotes[k][0] <= offset < self.quotes[k][1]:
            return self.quotes[k]
        return None

    def next_quote(self, offset: int) -> tuple[int, int] | None:
        """The first quotation that opens at or after ``offset``."""
        k = bisect.bisect_left(self._starts, offset)
        return self.quotes[k] if k < len(self.quotes) else None

    def first_ending_at_or_after(self, offset: int) -> int:
        """Index of the first quotation that ends at or after ``offset``."""
        return bisect.bisect_left(self._ends, offset)

    def overlapping(self, start: int, end: int) -> Sequence[tuple[int, int]]:
        """The quotations that overlap ``[start, end)``, in text order."""
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        return self.quotes[lo:hi]

    def subtrees(self, tokens: Iterable[Token]) -> _Extent:
        """The first and last token index of the subtrees of ``tokens`` together (None for
        none), as ``Token.subtree`` yields them, in O(1) a token: materialising subtrees
        is quadratic in a sentence of nested clauses ("X said that Y said that ...")."""
        if self._bounds is None:
            self._bounds = _subtree_bounds(self.doc)
        lo, hi = self._bounds
        ext: _Extent = None
        for t in tokens:
            ext = _join(ext, (lo[t.i], hi[t.i]))
        return ext


def find_relations(doc: Doc, sentences: Sequence[Sentence], hedges: Sequence[Hedge] = (),
                   *, quotes: Sequence[tuple[int, int]] | None = None) -> list[Relation]:
    """Attribution relations in ``doc`` (the parsed report text), in order of their cues.

    ``sentences`` are the report's sentences (their offsets are the report's); ``hedges``
    the hedges found in it (not needed to find relations; accepted so that every stage has
    the same inputs); ``quotes``: :func:`find_quotes` of the text, when the caller has
    them already. Every span satisfies ``doc.text[s.start:s.end] == s.text``.
    """
    text = doc.text
    ctx = _Context(doc, list(quotes) if quotes is not None else find_quotes(text, sentences),
                   text)
    starts = [s.start for s in sentences]
    candidates = []
    for sent in doc.sents:
        colon = _colon_cue(sent, ctx)
        if colon is not None:
            candidates.append(colon)
    for token in doc:
        if ctx.quote_at(token.idx) is not None:
            continue
        cand = _according_to(token) or _in_evidence(token) or _verb_cue(token, ctx) or \
            _adjective_cue(token) or _case_cue(token, ctx)
        if cand is not None:
            candidates.append(cand)
    accepted = _outermost(candidates, ctx)
    _run_on_quotes(doc, accepted, ctx)
    quoted = _QuoteCover(text, ctx.quotes)
    relations = [_relation(doc, c, quoted, starts, text) for c in accepted]
    _resolve(doc, relations, sentences)
    return relations


def _outermost(candidates: list[_Candidate], ctx: _Context) -> list[_Candidate]:
    """The candidates, shallowest cue first, that neither have their cue inside the content
    of one taken before nor hold the cue of one taken before in their content; in cue order.

    A prefix maximum over the taken contents' starts (a Fenwick tree) answers "is this cue
    inside some taken content" in O(log n), and a sorted list of the taken cues the other
    question, so this is O(n log n) in the number of candidates."""
    for cand in candidates:
        cand.content = _extend_to_quotes(cand.content, cand.cue, ctx, ctx.text)
    candidates = [c for c in candidates if c.content[1] > c.content[0]]
    starts = sorted({c.content[0] for c in candidates})
    tree = [-1] * (len(starts) + 1)  # 1-based; max content end over taken starts

    def covered(offset: int) -> bool:  # some taken content has start <= offset < end
        k = bisect.bisect_right(starts, offset)
        best = -1
        while k > 0:
            best = max(best, tree[k])
            k -= k & -k
        return best > offset

    def take(content: tuple[int, int]) -> None:
        k = bisect.bisect_left(starts, content[0]) + 1
        while k < len(tree):
            tree[k] = max(tree[k], content[1])
            k += k & -k

    cues: list[int] = []
    accepted: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.depth, c.cue[0])):
        if covered(cand.cue[0]):
            continue
        k = bisect.bisect_left(cues, cand.content[0])
        if k < len(cues) and cues[k] < cand.content[1]:
            continue
        accepted.append(cand)
        take(cand.content)
        bisect.insort(cues, cand.cue[0])
    accepted.sort(key=lambda c: c.cue[0])
    return accepted


def _run_on_quotes(doc: Doc, accepted: list[_Candidate], ctx: _Context) -> None:
    """ "“A,” he said. “B. C.”": a quotation that opens the sentence right after a relation's
    sentence, in the same paragraph or as the whole next paragraph, with no cue of its own,
    continues that relation's content (repeatedly, for several such quotations); so does
    "“A,” he said, “B.”" (:func:`_second_half`)."""
    text = ctx.text
    cues = sorted(c.cue[0] for c in accepted)
    for cand in accepted:
        second = _second_half(cand, ctx)
        if second is not None:
            cand.content = (cand.content[0], second[1])
        end = max(cand.content[1], _sent_end(cand.head.sent, text))
        while True:
            q = ctx.next_quote(end)
            if q is None or text[end : q[0]].strip():
                break
            if "\n" in text[end : q[0]] and not _whole_paragraph(text, q):
                break
            last = doc.char_span(q[1] - 1, q[1], alignment_mode="expand")
            stop = _sent_end(last.sent, text) if last is not None else q[1]
            k = bisect.bisect_left(cues, q[0])
            if k < len(cues) and cues[k] < stop:
                break
            cand.content = (cand.content[0], q[1])
            end = stop


def _second_half(cand: _Candidate, ctx: _Context) -> tuple[int, int] | None:
    """ "“A,” he said, “B.”": the quotation that follows the cue and its source in the
    sentence, when the content is a quotation before them and only punctuation comes
    between."""
    doc = ctx.doc
    text = ctx.text
    if cand.content[1] > cand.cue[0] or ctx.quote_at(cand.content[0]) is None:
        return None
    hi = cand.cue[1]
    if cand.source is not None and doc[cand.source[0]].idx > cand.cue[0]:
        last = doc[cand.source[1] - 1]
        hi = max(hi, last.idx + len(last))
    sent_end = _sent_end(cand.head.sent, text)
    q = ctx.next_quote(hi)
    if q is None or q[0] >= sent_end or any(c.isalnum() or c == "\n" for c in text[hi : q[0]]):
        return None
    return q


def _whole_paragraph(text: str, quote: tuple[int, int]) -> bool:
    """True if nothing but whitespace follows ``quote`` up to the end of its line."""
    line_end = text.find("\n", quote[1])
    return not text[quote[1] : line_end if line_end >= 0 else len(text)].strip()


def _sent_end(sent, text: str) -> int:
    """Where a spaCy sentence's text ends, before the whitespace (a paragraph break) that
    spaCy attaches to its last token. ``text``: the doc's text."""
    end = sent.end_char
    while end > sent.start_char and text[end - 1].isspace():
        end -= 1
    return end


def _inside(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _depth(token: Token) -> int:
    d = 0
    while token.head.i != token.i and d < 50:
        token = token.head
        d += 1
    return d


def _according_to(token: Token) -> _Candidate | None:
    """ "according to X": the cue is "according to", X the source, the clause the content.

    Opening or closing its sentence ("According to the FBI summary, Mills asked ...",
    "..., according to new research."), it vouches for the whole sentence, whichever clause
    the parse hung it on, and it is the sentence's outermost cue (a stance or speech cue in
    the rest of the sentence is part of what X says); opening it, X ends at the first comma
    (the parse sometimes runs the object on into the clause's subject)."""
    if token.lower_ != "according":
        return None
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is None or nxt.lower_ != "to":
        return None
    objects = [c for c in nxt.children if c.dep_ == "pobj"]
    if objects:
        first, last = objects[0].left_edge.i, objects[0].right_edge.i + 1
    else:
        first, last = _object_run(nxt)
        if first == last:
            return None
    sent, doc = token.sent, token.doc
    opens = all(t.is_punct or t.is_space for t in doc[sent.start:token.i])
    if opens:
        last = next((t.i for t in doc[first:last] if t.text == ","), last)
    closes = all(t.is_punct or t.is_space for t in doc[last:sent.end])
    source = _trimmed(doc, first, last)
    head = token.head
    if head.pos_ not in ("VERB", "AUX") or head.i == token.i or opens or closes:
        head = sent.root
    excluded = {t.i for t in token.subtree} | set(range(first, last))
    content_tokens = [t for t in head.subtree
                      if t.i not in excluded and sent.start <= t.i < sent.end]
    if opens or closes:
        content_tokens = [t for t in sent if t.i not in excluded and t.i != nxt.i]
    after = [t for t in content_tokens if t.i > token.i]
    if all(t.is_punct or t.is_space for t in after):  # "..., according to X." ends it
        content_tokens = [t for t in content_tokens if t.i < token.i]
    content = _char_range(doc, content_tokens)
    if content is None:
        return None
    cue = (token.idx, nxt.idx + len(nxt))
    return _Candidate(token, source, cue, content, "report",
                      -1 if opens or closes else _depth(token))


def _object_run(to: Token) -> tuple[int, int]:
    """Token range of the words after "according to" when the parse gave "to" no object
    ("according to the F.A.A." parsed with "the" as punctuation): up to the first comma,
    full stop or other clause punctuation, or the sentence's end; empty unless it holds a
    noun, a proper noun or a pronoun."""
    end = to.i + 1
    while end < to.sent.end and not (to.doc[end].is_punct and to.doc[end].text in _RUN_STOPS):
        end += 1
    run = to.doc[to.i + 1:end]
    if not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in run):
        return to.i + 1, to.i + 1
    return to.i + 1, end


_RUN_STOPS = frozenset({",", ".", ";", ":", "!", "?", "(", ")", "—", "–", "-", '"', "“", "”"})


EVIDENCE_NOUNS = frozenset({
    "poll", "polls", "survey", "surveys", "study", "studies", "report", "reports", "analysis",
    "ruling", "filing", "memo", "letter", "statement", "audit", "census", "tally", "count",
    "estimate", "estimates", "assessment", "review", "investigation", "indictment",
    "complaint", "lawsuit", "data", "figures", "records", "documents",
})  # fmt: skip
"""Nouns that "In a CBS News poll, ..." makes the source of the rest of the sentence."""


_CLOSING_EVIDENCE = frozenset({"poll", "polls", "survey", "surveys", "study", "studies"})


def _closing_poll(token: Token) -> _Candidate | None:
    """ "Clinton held a 24-point lead among black voters in a CNN national poll.": "in" a
    poll, survey or study that closes its sentence vouches for the whole sentence, whatever
    word the parse hung it on."""
    obj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lower_ not in _CLOSING_EVIDENCE:
        return None
    doc, sent = token.doc, token.sent
    last = token.right_edge.i + 1
    if token.i == sent.start or not all(t.is_punct or t.is_space for t in doc[last:sent.end]):
        return None
    source = _trimmed(doc, obj.left_edge.i, obj.i + 1)
    content = _char_range(doc, doc[sent.start:token.i])
    if source is None or content is None:
        return None
    return _Candidate(token, source, (token.idx, token.idx + len(token)), content, "report", -1)


def _in_evidence(token: Token) -> _Candidate | None:
    """ "In a CBS News poll, she led Sanders 56 percent to 32 percent": a sentence-level "in"
    whose object is an evidence noun (:data:`EVIDENCE_NOUNS`); the object is the source, "in"
    the cue and the rest of the clause the content. A cue of the clause itself ("In a
    statement, the ministry said ...") wins (:func:`_outermost` takes it first)."""
    if token.lower_ != "in" or token.dep_ != "prep":
        return None
    closing = _closing_poll(token)
    if closing is not None:
        return closing
    head = token.head
    if head.pos_ not in ("VERB", "AUX") or head.dep_ not in ("ROOT", "conj"):
        return None
    obj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lower_ not in EVIDENCE_NOUNS:
        return None
    source = _trimmed(token.doc, obj.left_edge.i, obj.i + 1)
    excluded = {t.i for t in token.subtree}
    sent = token.sent
    content = _char_range(token.doc, [t for t in head.subtree if t.i not in excluded and
                                      sent.start <= t.i < sent.end])
    if source is None or content is None:
        return None
    return _Candidate(token, source, (token.idx, token.idx + len(token)), content, "report",
                      _depth(token))


def _colon_cue(sent, ctx: _Context) -> _Candidate | None:
    """Headline style "Kerry: Refugee Numbers Will Rise" / "Poll: ...": a short name (at most
    six words, no verb; a proper noun, a named entity, a source noun, or a capitalised word)
    before a colon that opens the sentence is the source of the rest.

    A transcript's speaker label ("TRUMP: I will tell you this. Racial divisions have gotten
    worse."), a name in capitals opening a paragraph, is the source of the whole paragraph."""
    doc = sent.doc
    colon = next((t for t in sent[:7] if t.text == ":"), None)
    if colon is None or colon.i == sent.start or colon.i + 1 >= sent.end:
        return None
    before = doc[sent.start : colon.i]
    if any(t.pos_ in ("VERB", "AUX") for t in before):
        return None
    if not any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or
               t.lower_ in _COLON_NOUNS or (t.pos_ == "NOUN" and t.is_title)
               for t in before) or before[-1].lower_ in _COLON_LABELS or before[-1].like_num:
        return None
    if ctx.quote_at(colon.idx) is not None:
        return None
    source = _trimmed(doc, sent.start, colon.i)
    content = _char_range(doc, doc[colon.i + 1 : sent.end])
    if source is None or content is None:
        return None
    if _speaker_label(before, ctx.text):
        content = (content[0], max(content[1], _paragraph_end(ctx.text, content[0])))
    return _Candidate(colon, source, (colon.idx, colon.idx + 1), content, "report", 0)


def _speaker_label(before, text: str) -> bool:
    """True for a transcript's speaker label: a name written in capitals ("TRUMP", "SEN.
    SANDERS") that opens its paragraph (a line of its own)."""
    words = [t for t in before if t.is_alpha]
    start = before[0].idx
    return bool(words) and all(t.is_upper and len(t) > 1 for t in words) and \
        (start == 0 or text[start - 1] == "\n")


def _paragraph_end(text: str, offset: int) -> int:
    """The end of the paragraph (the line) holding ``offset``, trailing spaces left out."""
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    while end > offset and text[end - 1].isspace():
        end -= 1
    return end


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


def _for_clause(token: Token) -> bool:
    """True for "for the United States to act" parsed as an adverbial clause with "for"."""
    return token.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for"
                                         for m in token.children)


def _frame(verb: Token) -> str:
    deps = {c.dep_ for c in verb.children}
    if "ccomp" in deps:
        return "c"
    if "xcomp" in deps or any(_for_clause(c) for c in verb.children):
        return "x"
    if "dobj" in deps:
        return "d"
    if "prep" in deps:
        return "p"
    return "o"


def _medium(verb: Token) -> tuple[Token, Token | None] | None:
    """ "said in a statement (that ...)": the "in" and the clause the medium noun carries."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "on", "during", "via") and c.i > verb.i:
            obj = next((o for o in c.children if o.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() in _MEDIA:
                clause = next((k for k in obj.children if k.dep_ in ("acl", "ccomp", "relcl")
                               and any(m.lower_ == "that" and m.dep_ == "mark"
                                       for m in k.children)), None)
                return c, clause
    return None


def _verb_cue(verb: Token, ctx: _Context) -> _Candidate | None:
    if verb.pos_ not in ("VERB", "AUX") or verb.tag_ == "MD":
        return None
    lemma = verb.lemma_.lower()
    frames = CUES.get(lemma, "")
    if not frames:
        return None
    if lemma in _VERBAL_ONLY and not any(c.dep_ == "prep" and c.lower_ in _VERBAL_ONLY[lemma]
                                         for c in verb.children):
        return None
    doc = verb.doc
    medium = _medium(verb)
    frame = _frame(verb)
    if medium is not None and medium[1] is not None and frame in ("p", "o"):
        frame = "m"
    elif frame not in frames:
        if frame == "p" and "o" in frames:
            frame = "o"
        else:
            return None
    if frame == "x" and any(c.dep_ == "xcomp" and _takes_over(c) for c in verb.children):
        return None  # "seemed to suggest that ...": the cue is "seemed to suggest"
    kind = _kind(lemma, "c" if frame == "m" else frame)
    preps = _PREPS_BY_LEMMA.get(lemma, _PREPS)
    cue_end: Token | None = None
    content_tokens: _Extent = None  # first and last token of the content's tokens
    if frame == "c":
        comps = [c for c in verb.children if c.dep_ == "ccomp"]
        content_tokens = ctx.subtrees(comps)
    elif frame == "m":
        assert medium is not None and medium[1] is not None
        content_tokens = ctx.subtrees([medium[1]])
    elif frame in ("x", "d"):
        comps = [c for c in verb.children
                 if c.dep_ in ("xcomp", "dobj", "oprd", "ccomp", "attr") or _for_clause(c)
                 or (c.dep_ in ("prep", "dative") and c.lower_ in preps and c.i > verb.i)]
        if lemma == "tell":  # "told reporters (that ...)": the object is the hearer
            comps = [c for c in comps if c.dep_ != "dobj"]
            if not comps:
                frame = "o"
        content_tokens = ctx.subtrees(comps)
    elif frame == "p":
        preps_here = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in preps
                      and c.i > verb.i]
        if preps_here:
            cue_end = preps_here[0]
            content_tokens = ctx.subtrees(cue_end.children)  # its subtree but itself
        elif "o" in frames:
            frame = "o"  # "“...,” Clinton said to People": the preposition is no content
        else:
            return None
    cue_prep = cue_end or _bound_prep(verb, lemma)
    if frame == "o":
        content_tokens = _host_clause(verb, ctx) or _clause_before(verb, ctx) or \
            _after_colon(verb)
    source = _source(verb)
    cue = _cue_range(verb, cue_prep, medium[0] if medium else None)
    content = _extent_chars(doc, content_tokens)
    if content is None and frame == "o":
        content = _adjacent_quote(verb, source, cue, ctx)
    if content is None or (lemma in QUOTATION_ONLY and not ctx.overlapping(*content)):
        return None
    return _Candidate(verb, source, cue, content, kind, _depth(verb))


def _bound_prep(verb: Token, lemma: str) -> Token | None:
    """The preposition a cue verb takes ("called *on*", "said *of*", "warned *of*"), when it
    follows the verb (or its particle) directly; ``_cue_range`` adds it to the cue."""
    preps = _PREPS_BY_LEMMA.get(lemma, ())
    return next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in preps
                 and verb.i < c.i <= verb.i + 2), None)


def _takes_over(xcomp: Token) -> bool:
    """True if a to-infinitive is itself a cue verb in a frame it lists, with a complement
    ("seemed to *suggest that ...*"), so that it, not the verb it completes, heads the
    relation."""
    frames = CUES.get(xcomp.lemma_.lower(), "")
    frame = _frame(xcomp)
    return frame in frames and frame in "cd" and xcomp.pos_ == "VERB"


def _adjacent_quote(verb: Token, source: tuple[int, int] | None, cue: tuple[int, int],
                    ctx: _Context) -> tuple[int, int] | None:
    """The quotation right before "..., she said" or right after "she said, ..." in the
    same sentence (nothing but punctuation between), as characters."""
    doc = verb.doc
    text = ctx.text
    lo, hi = cue
    if source is not None:
        lo = min(lo, doc[source[0]].idx)
        hi = max(hi, doc[source[1] - 1].idx + len(doc[source[1] - 1]))
    sent = verb.sent
    # Every quotation the tests below accept ends at or after the whitespace right before
    # the sentence (the second test) or opens inside the sentence, and none opens after it.
    first = sent.start_char
    while first > 0 and text[first - 1].isspace():
        first -= 1
    for k in range(ctx.first_ending_at_or_after(first), len(ctx.quotes)):
        q = ctx.quotes[k]
        if q[0] >= sent.end_char:
            break
        if q[1] <= lo and q[0] >= sent.start_char - 1 and \
                all(not c.isalnum() for c in text[q[1] : lo]):
            return q
        if q[1] <= lo and _just_before(text, q[1], sent.start_char, lo):
            return q  # “...?” Biden said: the quote ends a sentence of its own
        if q[0] >= hi and q[0] < sent.end_char and \
                all(not c.isalnum() for c in text[hi : q[0]]):
            return q
    return None


def _just_before(text: str, quote_end: int, sent_start: int, lo: int) -> bool:
    """True if a quotation ending at ``quote_end`` closes the sentence right before the one
    starting at ``sent_start``, and nothing but the cue's source comes between."""
    return quote_end <= sent_start <= lo and not text[quote_end:sent_start].strip() and \
        "\n" not in text[quote_end:lo] and text[:quote_end].rstrip("”\"'»“")[-1:] in tuple("?!.,")


def _adjective_cue(adj: Token) -> _Candidate | None:
    """ "are confident that ...", "is critical of ...", "was eager to ...": an attitude
    adjective after a copula; the copula's subject is the source."""
    if adj.pos_ != "ADJ" or adj.dep_ != "acomp":
        return None
    frames = _ADJ_CUES.get(adj.lower_, "")
    head = adj.head
    if not frames or head.lemma_.lower() not in _COPULAS:
        return None
    doc = adj.doc
    content_tokens: list[Token] = []
    cue_prep = None
    kind: RelationKind = "stance"
    clause = next((c for c in adj.children if c.dep_ in ("ccomp", "xcomp")), None)
    if clause is not None and ("c" in frames if clause.dep_ == "ccomp" else "x" in frames):
        content_tokens = list(clause.subtree)
        kind = "report" if clause.dep_ == "ccomp" else "stance"
    elif "p" in frames:
        prep = next((c for c in adj.children if c.dep_ == "prep" and c.lower_ in _ADJ_PREPS),
                    None)
        if prep is None:
            return None
        cue_prep = prep
        content_tokens = [t for t in prep.subtree if t.i != prep.i]
    content = _char_range(doc, content_tokens)
    if content is None:
        return None
    source = _source(head)
    first = _cue_range(head, None, None)[0]
    last = cue_prep if cue_prep is not None and cue_prep.i == adj.i + 1 else adj
    return _Candidate(adj, source, (first, last.idx + len(last)), content, kind, _depth(adj))


CASE_NOUNS = frozenset({
    "case", "argument", "pitch", "point", "claim", "promise", "pledge", "accusation",
    "allegation", "prediction", "assertion", "appeal", "plea", "vow", "warning", "threat",
})  # fmt: skip
"""Nouns that "make" turns into a speech act: "is making an impassioned case that ...",
"made the argument that ...", "made a pitch for ..."."""
_CASE_PREPS = frozenset({"for", "against", "about", "on", "to"})


def _case_cue(verb: Token, ctx: _Context) -> _Candidate | None:
    """ "Sanders is making an impassioned case to black leaders that he can win": "make"
    with a :data:`CASE_NOUNS` object is a report cue (the verb and its object), the
    subject its source, and the object's that-clause (or, without one, its for / against /
    about phrase) its content."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() != "make":
        return None
    noun = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in CASE_NOUNS),
                None)
    if noun is None:
        return None
    # the that-clause, wherever the parse hung it ("a case to a gathering that he ...")
    clauses = [c for c in verb.subtree if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i
               and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)][:1]
    if not clauses:
        clauses = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in _CASE_PREPS
                   and c.i > noun.i]
    if not clauses:
        return None
    content = _extent_chars(verb.doc, ctx.subtrees(clauses[:1]))
    source = _source(verb)
    if content is None or source is None:
        return None
    first = _cue_range(verb, None)[0]
    return _Candidate(verb, source, (first, noun.idx + len(noun)), content, "report",
                      _depth(verb))


def _kind(lemma: str, frame: str) -> RelationKind:
    if lemma in STANCE:
        return "stance"
    if frame in ("c", "o"):
        return "report"
    if frame == "x":
        return "report" if lemma in _EPISTEMIC_X or lemma in SPEECH_ACTS else "stance"
    return "report" if lemma in PROPOSITIONAL else "stance"


def _host_clause(verb: Token, ctx: _Context) -> _Extent:
    """For a cue that hangs off the clause it reports ("“...,” she said", "as he said"):
    that clause without the cue's own subtree (first and last token), in the cue's
    sentence."""
    head = verb.head
    if head.i == verb.i or verb.dep_ not in ("parataxis", "ccomp", "advcl", "conj"):
        return None
    if head.pos_ not in ("VERB", "AUX"):
        return None
    if verb.dep_ == "conj" and verb.i > head.i:
        return None
    introduced_by_as = any(c.lower_ == "as" and c.dep_ == "mark" for c in verb.children)
    if verb.dep_ == "advcl" and not introduced_by_as and (verb.i > head.i or verb.tag_ == "VBG"):
        return None
    sent = verb.sent
    # the head's subtree without the cue's: the head and its other children's subtrees
    ext = _join((head.i, head.i), ctx.subtrees(c for c in head.children if c.i != verb.i))
    if ext is not None and sent.start <= ext[0] and ext[1] < sent.end:
        return ext
    own = {t.i for t in verb.subtree}  # a tree across sentences: keep the cue's sentence
    return _extent(t for t in head.subtree if t.i not in own and sent.start <= t.i < sent.end)


def _extent(tokens: Iterable[Token]) -> _Extent:
    idx = [t.i for t in tokens]
    return (min(idx), max(idx)) if idx else None


def _clause_before(verb: Token, ctx: _Context) -> _Extent:
    """ "..., police said." parsed with the reported clause as a dependent of the cue (an
    adverbial or paratactic clause before it, set off by a comma): that clause."""
    clauses = [c for c in verb.children if c.i < verb.i and c.pos_ in ("VERB", "AUX")
               and c.dep_ in ("advcl", "parataxis", "ccomp", "dep")]
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if not clauses or subject is None:
        return None
    before = verb.doc[subject.left_edge.i - 1] if subject.left_edge.i > 0 else None
    if before is None or before.text != ",":
        return None
    return ctx.subtrees(clauses)


def _after_colon(verb: Token) -> _Extent:
    """ "X said:" with nothing else: the rest of the sentence after the colon, or the whole
    next sentence when the colon ends this one (first and last token)."""
    doc = verb.doc
    colon = next((c for c in verb.children if c.text == ":" and c.i > verb.i), None)
    if colon is None:
        nxt = verb.right_edge.i + 1
        if nxt < len(doc) and doc[nxt].text == ":":
            colon = doc[nxt]
    if colon is None:
        return None
    end = verb.sent.end
    rest = doc[colon.i + 1 : end]
    if any(not t.is_punct for t in rest):
        return colon.i + 1, end - 1
    if end < len(doc):
        following = doc[end].sent
        return (following.start, following.end - 1) if len(following) else None
    return None


def _source(verb: Token) -> tuple[int, int] | None:
    """Token range of the source of ``verb`` (see the module doc), or None."""
    doc = verb.doc
    seen = 0
    tok = verb
    while seen < 4:
        seen += 1
        subj = next((c for c in tok.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is None:
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            if agent is not None:
                obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return _trimmed(doc, obj.left_edge.i, obj.right_edge.i + 1)
        if subj is not None:
            if subj.lower_ in _RELATIVES and tok.dep_ == "relcl":
                return _noun_before(tok.head, tok)
            return _trimmed(doc, subj.left_edge.i, subj.right_edge.i + 1)
        if any(c.dep_ == "nsubjpass" for c in tok.children):
            return None
        if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return _noun_before(tok.head, tok)
        if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.i != tok.i and \
                tok.head.pos_ in ("VERB", "AUX"):
            if tok.dep_ == "advcl" and tok.tag_ != "VBG":
                return None
            tok = tok.head
            continue
        return None
    return None


def _noun_before(noun: Token, clause: Token) -> tuple[int, int] | None:
    """The noun phrase of ``noun`` up to where ``clause`` (a modifier of it) starts."""
    own = {t.i for t in clause.subtree}
    tokens = [t.i for t in noun.subtree if t.i not in own and t.i < clause.left_edge.i]
    if not tokens:
        return None
    return _trimmed(noun.doc, min(tokens), max(tokens) + 1)


def _trimmed(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return (start, end) if start < end else None


def _cue_range(verb: Token, prep: Token | None,
               medium: Token | None = None) -> tuple[int, int]:
    """Characters of the cue: the verb, the auxiliaries / negation / adverbs right before
    it that depend on it, its particle, the preposition of a "p" frame, and "in a
    statement" right after it."""
    doc = verb.doc
    first = _cue_start(verb)
    last = verb.i
    for c in verb.children:
        if c.dep_ == "prt" and c.i == last + 1:
            last = c.i
    if prep is not None and prep.i == last + 1:
        last = prep.i
    if medium is not None and medium.i == last + 1:
        last = medium.right_edge.i
        clause_start = [k.left_edge.i for o in medium.children for k in o.children
                        if k.dep_ in ("acl", "ccomp", "relcl")]
        if clause_start:
            last = min(last, min(clause_start) - 1)
    return doc[first].idx, doc[last].idx + len(doc[last])


_WH_WORDS = frozenset({"when", "where", "how", "why", "if", "as", "while", "once"})


def _cue_start(verb: Token) -> int:
    """Index of the cue's first token: the verb with the auxiliaries, negation and adverbs
    right before it that depend on it; for a to-infinitive that continues the verb before it
    ("went on *to say*", "seemed *to suggest*"), from that verb's own start."""
    doc = verb.doc
    first = verb.i
    while first > 0:
        prev = doc[first - 1]
        if prev.head.i == verb.i and prev.dep_ in ("aux", "auxpass", "neg", "advmod") \
                and not prev.is_punct and prev.lower_ not in _WH_WORDS:
            first -= 1
        else:
            break
    head = verb.head
    if verb.dep_ == "xcomp" and head.i < first and head.pos_ in ("VERB", "AUX") and \
            doc[first].lower_ == "to" and all(
                t.head.i == head.i and t.dep_ in ("prt", "advmod", "neg")
                for t in doc[head.i + 1 : first]):
        return _cue_start(head)
    return first


def _char_range(doc: Doc, tokens: Iterable[Token]) -> tuple[int, int] | None:
    return _extent_chars(doc, _extent(tokens))


def _extent_chars(doc: Doc, ext: _Extent) -> tuple[int, int] | None:
    """Characters of the tokens ``ext[0]..ext[1]``, trimmed (:func:`_trimmed_content`)."""
    if ext is None:
        return None
    start, end = ext[0], ext[1] + 1
    span = _trimmed_content(doc, start, end)
    if span is None:
        return None
    return doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1])


def _trimmed_content(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Like _trimmed, but quotation marks, closing brackets and a final full stop stay."""
    keep = {"“", "”", '"', "''", "``", "’", "‘", ")", "."}
    while start < end and (doc[start].is_space or
                           (doc[start].is_punct and doc[start].text not in keep)):
        start += 1
    while end > start and (doc[end - 1].is_space or
                           (doc[end - 1].is_punct and doc[end - 1].text not in keep)):
        end -= 1
    if not any(t.is_alpha or t.like_num for t in doc[start:end]):
        return None
    return (start, end)


def _extend_to_quotes(content: tuple[int, int], cue: tuple[int, int],
                      ctx: _Context, text: str) -> tuple[int, int]:
    """Grow the content to every quotation it overlaps that does not hold the cue."""
    start, end = content
    for qs, qe in ctx.overlapping(start, end):
        if qe <= start or qs >= end or (qs <= cue[0] < qe):
            continue
        if qe - qs > end - start or qs < start or qe > end:
            start, end = min(start, qs), max(end, qe)
    while end > start and text[end - 1] in " ,;:\n":
        end -= 1
    return start, end


# --- relations out ---------------------------------------------------------------------------


def _relation(doc: Doc, cand: _Candidate, quoted: _QuoteCover, starts: list[int],
              text: str) -> Relation:
    source = None
    kind: SourceKind = "named"
    if cand.source is not None:
        s, e = cand.source
        span = doc[s:e]
        source = Span(start=span.start_char, end=span.end_char, text=span.text)
        kind = _source_kind(doc, s, e)
    else:
        kind = "anonymous"
    cs, ce = cand.cue
    content = Span(start=cand.content[0], end=cand.content[1],
                   text=text[cand.content[0]:cand.content[1]])
    return Relation(
        source=source,
        cue=Span(start=cs, end=ce, text=text[cs:ce]),
        content=content,
        sentence=max(0, bisect.bisect_right(starts, cs) - 1),
        quoted=quoted(content),
        source_kind=kind,
        kind=cand.kind,
        main_clause=_main_clause(cand.head, cand.content),
        agent=cand.source is not None and _is_agent(doc, *cand.source),
    )


_AGENT_NOUNS = frozenset({
    "court", "government", "ministry", "campaign", "committee", "council", "party", "union",
    "company", "administration", "agency", "department", "police", "military", "army",
    "board", "commission", "panel", "group", "senate", "house", "congress", "parliament",
    "city", "state", "county", "nation", "nations", "country", "countries", "team", "firm",
    "lawmakers", "democrats", "republicans", "leaders", "voters", "members", "residents",
    "judge", "jury", "prosecutors", "lawyers", "attorneys", "people", "everyone", "both",
    "each", "others", "proponents", "opponents", "supporters", "critics", "activists",
})  # fmt: skip


def _is_agent(doc: Doc, start: int, end: int) -> bool:
    """True if the source tokens ``[start, end)`` name someone who can hold a position: its
    head is a pronoun, a proper noun, a named person, group or place, a person's role
    ("The senator") or an institution or group noun ("The appeals court", "Republicans")."""
    head = _head_of(doc, start, end)
    if head.pos_ in ("PRON", "PROPN") or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    lemma = head.lemma_.lower()
    return lemma in PERSON_ROLES or lemma in _AGENT_NOUNS or head.lower_ in _AGENT_NOUNS or \
        head.lower_ in ANONYMOUS_HEADS


def _main_clause(cue: Token, content: tuple[int, int]) -> bool:
    """True if the relation speaks for its whole sentence: the cue is (conjoined to) the
    sentence's root or hangs off it as "according to", or the root is inside the content
    ("“...,” she said")."""
    root = cue.sent.root
    if cue.i == root.i or content[0] <= root.idx < content[1]:
        return True
    if cue.dep_ == "conj" and cue.head.i == root.i:
        return True
    if cue.lower_ == "according" and cue.head.i == root.i:
        return True
    return _opens_sentence(cue, root)


def _opens_sentence(cue: Token, root: Token) -> bool:
    """True for "X notes that ...: ..." parsed with the root after a colon or dash: the cue
    hangs off the root as a clause that is not subordinated (no "when", "as", ...) and its
    subtree opens the sentence (only punctuation or a conjunction before it)."""
    if cue.head.i != root.i or cue.i > root.i or cue.dep_ not in ("ccomp", "parataxis", "dep"):
        return False
    if any(c.dep_ == "mark" for c in cue.children):
        return False
    return all(t.is_punct or t.pos_ == "CCONJ" for t in cue.doc[cue.sent.start:cue.left_edge.i])


class _QuoteCover:
    """``cover(content)``: True when at least half of the content's letters (alphanumeric
    characters) lie inside quotation marks. Only the quotations the content overlaps are
    looked at (found by bisection), so a call costs O(len(content) + log n)."""

    def __init__(self, text: str, quotes: Sequence[tuple[int, int]]):
        self.text = text
        self.quotes = list(quotes)
        self._ends = [q[1] for q in self.quotes]
        self._starts = [q[0] for q in self.quotes]

    def _count(self, start: int, end: int) -> int:
        return sum(map(str.isalnum, self.text[start:end])) if end > start else 0

    def __call__(self, content: Span) -> bool:
        start, end = content.start, content.end
        letters = self._count(start, end)
        if not letters:
            return False
        lo = bisect.bisect_right(self._ends, start)
        hi = bisect.bisect_left(self._starts, end)
        covered = 0
        reached = start  # never count a letter twice
        for qs, qe in self.quotes[lo:hi]:
            a, b = max(qs, reached), min(qe, end)
            covered += self._count(a, b)
            reached = max(reached, b)
        return covered * 2 >= letters


def _quoted(content: Span, quotes: Sequence[tuple[int, int]], text: str) -> bool:
    """True when at least half of the content's letters lie inside quotation marks."""
    return _QuoteCover(text, quotes)(content)


def _head_of(doc: Doc, start: int, end: int) -> Token:
    span = doc[start:end]
    return span.root


def _source_kind(doc: Doc, start: int, end: int) -> SourceKind:
    head = _head_of(doc, start, end)
    if head.lower_ in _PRONOUNS and end - start == 1:
        return "pronoun"
    if head.lower_ in _PRONOUNS or head.pos_ == "PRON" and end - start <= 2:
        return "pronoun"
    if head.lower_ in ANONYMOUS_HEADS and not _named_core(head):
        return "anonymous"
    return "named"


def _named_core(head: Token) -> bool:
    """True if the head of a vague source phrase is pinned to a named person (or, for
    spokespeople and reports, a named owner): "Kremlin spokesperson Dmitry Peskov",
    "a Pentagon spokesperson", "a Reuters report" (not "a source close to Trump")."""
    core = [head]
    for c in head.children:
        if c.dep_ in ("compound", "appos", "flat", "nmod") or \
                (c.dep_ == "poss" and head.lower_ in _OWNABLE):
            core += list(c.subtree)
        if c.dep_ == "prep" and c.lower_ in ("from", "of", "by", "at") and \
                head.lower_ in _OWNABLE:
            core += list(c.subtree)
    for t in core:
        if t.ent_type_ == "PERSON":
            return True
        if t.ent_type_ in ("ORG",) and head.lower_ in _OWNABLE:
            return True
    return False


# --- names -----------------------------------------------------------------------------------


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


# --- claims ----------------------------------------------------------------------------------


def _words(text: str, start: int, end: int) -> set[int]:
    """Offsets of the first letter of every word in ``text[start:end]``."""
    out = set()
    prev = False
    for i in range(start, end):
        cur = text[i].isalnum()
        if cur and not prev:
            out.add(i)
        prev = cur
    return out


def attribute_claim(sentence: Sentence | Span, relations: Sequence[Relation],
                    hedges: Sequence[Hedge], text: str,
                    quotes: Sequence[tuple[int, int]] = ()) -> Attribution:
    """The attribution of a claim sentence.

    A relation that is not negated ("has not commented on") *speaks for* the sentence when
    its cue is in the sentence and either governs the main clause (``main_clause``: "Peskov
    confirmed that ...", "“...,” she said", "..., according to the ministry") or its content
    holds at least half of the sentence's words ("Trump unleashed a series of tweets
    saying that ..."), or when at least 90% of the sentence lies inside its content (a
    quotation or "X said:" whose cue is in another sentence). ``quotes`` are the text's
    quotations (:func:`find_quotes`). Then, in order:

    1. a ``report`` relation that speaks for the sentence, else a ``stance`` one (the claim
       is the source's own position or act: "Clinton pledged to ...", "The appeals court
       ruled that ...", "Republicans want ...", if its source is someone: ``agent``):
       ``hedged`` if its cue, or the first cue of the sentence, is hedged ("allegedly
       said"); ``anonymous`` if its source is vague or missing; ``direct_quote`` if its
       content is quoted; else ``attributed``. Of several, the one whose content holds the
       most of the sentence's words decides;
    2. a sentence at least half of whose letters lie inside quotation marks is someone's
       words even when no cue says whose: ``direct_quote`` with no source;
    3. a hedge in the sentence outside every relation's source, cue and content:
       ``anonymous`` for an anonymous-source hedge ("sources say"), else ``hedged``;
    4. a relation in a subordinate clause with a vague source whose content holds at least a
       quarter of the sentence's words ("..., with reports indicating that 23 munitions were
       fired") -> ``anonymous`` (a named source there does not vouch for the main clause);
    5. any other hedge in the sentence -> ``hedged``; else ``unattributed``.

    ``source``, ``cue`` and ``hedge`` are the spans of the deciding relation and hedge.
    To attribute many sentences, :func:`attribute_claims` is faster (the same results).
    """
    return _ClaimIndex(relations, hedges, quotes, text)(sentence, text)


def attribute_claims(claims: Sequence[Sentence | Span], relations: Sequence[Relation],
                     hedges: Sequence[Hedge], text: str,
                     quotes: Sequence[tuple[int, int]] = ()) -> list[Attribution]:
    """:func:`attribute_claim` of each of ``claims``, with the relations, hedges and
    quotations indexed once, so that each claim costs O(log n) plus what lies near it."""
    index = _ClaimIndex(relations, hedges, quotes, text)
    return [index(c, text) for c in claims]


class _ClaimIndex:
    """The relations, hedges and quotations that :func:`attribute_claim` reads, indexed by
    offset.

    For a sentence [s0, s1) only the relations whose cue starts in it or whose content
    overlaps it can speak for it; they are taken in their original order, so ties are
    broken as a loop over all relations would break them."""

    def __init__(self, relations: Sequence[Relation], hedges: Sequence[Hedge],
                 quotes: Sequence[tuple[int, int]], text: str):
        self.relations = list(relations)
        usable = [i for i, r in enumerate(self.relations) if not _negated(r)]
        by_cue = sorted((r.cue.start, i) for i in usable
                        if (r := self.relations[i]).cue is not None)
        self._cue_starts = [c for c, _ in by_cue]
        self._cue_rel = [i for _, i in by_cue]
        self._contents = Intervals([(self.relations[i].content.start,
                                      self.relations[i].content.end, i) for i in usable])
        taken = sorted((p.start, p.end) for r in self.relations if r.kind == "report"
                       for p in (r.source, r.cue, r.content) if p is not None)
        self._taken_starts = [a for a, _ in taken]
        self._taken_reach: list[int] = []
        reach = -1
        for _, b in taken:
            reach = max(reach, b)
            self._taken_reach.append(reach)
        self.hedges = list(hedges)
        by_start = sorted((h.start, i) for i, h in enumerate(self.hedges))
        self._hedge_starts = [a for a, _ in by_start]
        self._hedge_index = [i for _, i in by_start]
        self._quoted = _QuoteCover(text, quotes)

    def _candidates(self, s0: int, s1: int) -> list[Relation]:
        """The usable relations with a cue starting in [s0, s1) or content overlapping it,
        in their original order."""
        found = set(self._cue_rel[bisect.bisect_left(self._cue_starts, s0):
                                  bisect.bisect_left(self._cue_starts, s1)])
        found.update(self._contents.overlapping(s0, s1))
        return [self.relations[i] for i in sorted(found)]

    def _taken(self, offset: int) -> bool:
        """True if ``offset`` is inside the source, cue or content of a report relation."""
        k = bisect.bisect_right(self._taken_starts, offset) - 1
        return k >= 0 and self._taken_reach[k] > offset

    def __call__(self, sentence: Sentence | Span, text: str) -> Attribution:
        s0, s1 = sentence.start, sentence.end
        here = self._hedge_index[bisect.bisect_left(self._hedge_starts, s0):
                                 bisect.bisect_left(self._hedge_starts, s1)]
        hedges_here = [self.hedges[i] for i in sorted(here)]
        quoted = self._quoted(Span(start=s0, end=s1, text=text[s0:s1]))
        return _attribute(s0, s1, self._candidates(s0, s1), hedges_here, self._taken, text,
                          quoted)


class Intervals:
    """A static set of ``(start, end, payload)`` intervals (payloads comparable, e.g. ints);
    :meth:`overlapping` finds those that overlap a range in O((k + 1) log n) for k found (a
    segment tree of the largest end over the intervals sorted by start)."""

    def __init__(self, intervals: Sequence[tuple[int, int, int]]):
        self._items = sorted(intervals)
        self._starts = [a for a, _, _ in self._items]
        size = 1
        while size < len(self._items):
            size *= 2
        self._size = size
        tree = [-1] * (2 * size)
        for k, (_, end, _) in enumerate(self._items):
            tree[size + k] = end
        for node in range(size - 1, 0, -1):
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
        self._tree = tree

    def _found(self, start: int, end: int) -> list[int]:
        """Positions in ``_items`` of the intervals with ``istart < end`` and
        ``iend > start``, in order."""
        limit = bisect.bisect_left(self._starts, end)  # items [0, limit) start before end
        out: list[int] = []
        if limit == 0:
            return out
        stack = [(1, 0, self._size)]
        while stack:
            node, lo, hi = stack.pop()
            if lo >= limit or self._tree[node] <= start:
                continue
            if node >= self._size:
                out.append(lo)
                continue
            mid = (lo + hi) // 2
            stack.append((2 * node + 1, mid, hi))
            stack.append((2 * node, lo, mid))
        return out

    def overlapping(self, start: int, end: int) -> list[int]:
        """Payloads of the intervals with ``istart < end`` and ``iend > start``, in order of
        (start, end, payload)."""
        return [self._items[k][2] for k in self._found(start, end)]

    def spans_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """``(start, end)`` of the intervals :meth:`overlapping` finds."""
        return [self._items[k][:2] for k in self._found(start, end)]


def _attribute(s0: int, s1: int, relations: Sequence[Relation], hedges_here: list[Hedge],
               taken, text: str, quoted: bool = False) -> Attribution:
    """:func:`attribute_claim` of the sentence [s0, s1), given the usable relations that
    touch it, its hedges, ``taken(offset)`` and whether the sentence is mostly quoted."""
    words = _words(text, s0, s1)
    best: dict[str, tuple[float, Relation]] = {}
    speaking: list[Relation] = []
    partial: tuple[float, Relation] | None = None
    for rel in relations:
        inside = {w for w in words if rel.content.start <= w < rel.content.end}
        cover = len(inside) / max(1, len(words))
        speaks = False
        if rel.cue is not None and s0 <= rel.cue.start < s1:
            if rel.main_clause or cover >= 0.5:
                speaks = True
            elif rel.kind == "report" and cover >= 0.25 and \
                    (partial is None or cover > partial[0]):
                partial = (cover, rel)
        elif cover >= 0.9:
            speaks = True
        if speaks and (rel.kind == "report" or rel.agent):
            speaking.append(rel)
            if rel.kind not in best or cover > best[rel.kind][0]:
                best[rel.kind] = (cover, rel)
    chosen = best.get("report") or best.get("stance")
    if chosen is not None:
        # the first cue of the sentence, hedged, hedges it ("X reportedly rejected the
        # offer, and Y allegedly threatened ...")
        first = min(speaking, key=lambda r: r.cue.start if r.cue is not None else s1)
        for rel in (first, chosen[1]):
            cue_hedge = _hedge_on(rel, hedges_here)
            if cue_hedge is not None:
                return _attribution("hedged", rel, cue_hedge)
        rel = chosen[1]
        if rel.source is None or rel.source_kind == "anonymous":
            return _attribution("anonymous", rel, _hedge_in(rel, hedges_here))
        return _attribution("direct_quote" if rel.quoted else "attributed", rel, None)
    if quoted:
        return Attribution(kind="direct_quote")
    free = [h for h in hedges_here if not taken(h.start)]
    if free:
        anonymous = [h for h in free if h.kind == "anonymous_source"]
        if anonymous:
            return Attribution(kind="anonymous", hedge=_plain(anonymous[0]))
        return Attribution(kind="hedged", hedge=_plain(free[0]))
    if partial is not None:
        rel = partial[1]
        if rel.source is None or rel.source_kind == "anonymous":
            return _attribution("anonymous", rel, _hedge_in(rel, hedges_here))
    if hedges_here:
        h = hedges_here[0]
        kind = "anonymous" if h.kind == "anonymous_source" else "hedged"
        return Attribution(kind=kind, hedge=_plain(h))
    return Attribution(kind="unattributed")


_NEGATIONS = frozenset({"not", "n't", "never", "no"})


def _negated(rel: Relation) -> bool:
    """True for a cue that says the source did *not* say it ("has not commented on",
    "never confirmed"): nothing rests on such a source."""
    if rel.cue is None:
        return False
    words = rel.cue.text.lower().replace("n’t", " n't").replace("n't", " n't").split()
    return any(w in _NEGATIONS for w in words)


def _plain(span) -> Span:
    return Span(start=span.start, end=span.end, text=span.text)


def _hedge_on(rel: Relation, hedges: Sequence[Hedge]) -> Hedge | None:
    """A hedge that qualifies the cue itself ("allegedly accused", "reportedly said")."""
    if rel.cue is None:
        return None
    for h in hedges:
        if h.kind == "adverb" and rel.cue.start <= h.start < rel.cue.end:
            return h
        if h.kind == "adverb" and 0 <= rel.cue.start - h.end <= 2:
            return h
    return None


def _hedge_in(rel: Relation, hedges: Sequence[Hedge]) -> Hedge | None:
    spans = [(p.start, p.end) for p in (rel.source, rel.cue) if p is not None]
    return next((h for h in hedges if any(s < h.end and h.start < e for s, e in spans)), None)


def _attribution(kind: str, rel: Relation, hedge: Hedge | None) -> Attribution:
    return Attribution(
        kind=kind,  # type: ignore[arg-type]
        source=_plain(rel.source) if rel.source is not None else None,
        cue=_plain(rel.cue) if rel.cue is not None else None,
        hedge=_plain(hedge) if hedge is not None else None,
    )
