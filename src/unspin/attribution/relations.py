""":func:`find_relations`: the candidates of :mod:`unspin.attribution.cues` made into
relations: the outermost cue first, quotations run on over the sentences they span, sources
classified (named, anonymous, pronoun) and resolved (:mod:`unspin.attribution.names`)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from unspin.attribution.cue_phrases import (
    _according_to,
    _adjective_cue,
    _case_cue,
    _colon_cue,
    _in_evidence,
    _noun_cue,
)
from unspin.attribution.cues import _extend_to_quotes, _verb_cue, cue_lemma
from unspin.attribution.lexicon import (
    _AGENT_NOUNS,
    _OWNABLE,
    _PRONOUNS,
    ANONYMOUS_HEADS,
    CUES,
)
from unspin.attribution.names import _resolve
from unspin.attribution.quotes import _QuoteCover, find_quotes
from unspin.attribution.relation import Relation, SourceKind
from unspin.attribution.spans import _Candidate, _Context, _head_of
from unspin.report import Hedge, Sentence, Span
from unspin.titles import PERSON_ROLES, is_title_word


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
            _adjective_cue(token) or _case_cue(token, ctx) or _noun_cue(token, ctx)
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
    sentence's root or hangs off it as "according to", as a gerund after "by" or "to" ("Mr.
    Trump has rallied thousands by promising to ...", "Cruz pivoted to arguing that ...") or
    as the complement of its adjective ("Sexton was quick to point out that ..."), or as a
    participle of the root's own subject ("Clinton has taken a swipe at Trump's stance,
    saying that ...": the sentence tells what the source did and said, so it rests on the
    source), or the root is inside the content ("“...,” she said"), or the cue opens the
    sentence (:func:`_opens_sentence`)."""
    root = cue.sent.root
    if cue.i == root.i or content[0] <= root.idx < content[1]:
        return True
    if cue.dep_ == "conj" and cue.head.i == root.i:
        return True
    if cue.lower_ == "according" and cue.head.i == root.i:
        return True
    if cue.dep_ == "pcomp" and cue.head.lower_ in ("by", "to") and cue.head.head.i == root.i:
        return True
    if cue.dep_ == "xcomp" and cue.head.dep_ == "acomp" and cue.head.head.i == root.i:
        return True  # "Sexton was quick to point out that ..."
    if _participle_of_subject(cue, root):
        return True
    return _opens_sentence(cue, root)


def _participle_of_subject(cue: Token, root: Token) -> bool:
    """True for "X did Y, saying ...": the cue is a present participle hanging off the root
    with no "while", "after", ... of its own, and the root has a subject (who is then the
    participle's source too). Not when the root is a cue verb itself ("“...,” the mayor said,
    adding that ..."): the root's own relation speaks for the sentence."""
    if cue.tag_ != "VBG" or cue.dep_ != "advcl" or cue.head.i != root.i:
        return False
    if cue_lemma(root) in CUES:
        return False
    if any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in cue.children):
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children)


def _opens_sentence(cue: Token, root: Token) -> bool:
    """True for "X notes that ...: ..." parsed with the root after a colon or dash (or
    further on, the cue a clause of a clause of it): every clause from the cue up to the
    root is a complement, parataxis or loose dependent with no "when", "as", "that", ... of
    its own, and the cue's subtree opens the sentence (only punctuation or a conjunction
    before it)."""
    if cue.i > root.i:
        return False
    tok = cue
    while tok.i != root.i:
        if tok.dep_ not in ("ccomp", "parataxis", "dep") or tok.head.i < tok.i or \
                any(c.dep_ == "mark" for c in tok.children):
            return False
        tok = tok.head
    return all(t.is_punct or t.pos_ == "CCONJ" for t in cue.doc[cue.sent.start:cue.left_edge.i])


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
    "a Pentagon spokesperson", "a Reuters report" (not "a source close to Trump").

    An owner is named when its words hold a person or organisation entity, or, since the
    small spaCy model leaves many company and outlet names untagged ("a WeWork spokesperson",
    "The Wrap's report", "a report in the Argus Leader"), a proper noun that is not a date,
    a place or a number (a place says where, not whose: "a poll in Iowa"). Owners come from
    the head's compounds and possessor, and from its "of", "from", "by", "at", "for" and "in"
    phrases."""
    ownable = head.lower_ in _OWNABLE
    for c in head.children:
        modifier = c.dep_ in ("compound", "appos", "flat", "nmod") or \
            (c.dep_ == "poss" and ownable)
        if modifier and _names_someone(c.subtree, proper_nouns=ownable,
                                       organisations=ownable):
            return True
        owner = c.dep_ == "prep" and ownable and c.lower_ in _OWNER_PREPOSITIONS
        if owner and _names_someone(c.subtree, proper_nouns=True, organisations=True):
            return True
    return False


_OWNER_PREPOSITIONS = frozenset({"from", "of", "by", "at", "for", "in"})
_NOT_OWNERS = frozenset({"DATE", "TIME", "GPE", "LOC", "NORP", "CARDINAL", "ORDINAL",
                         "PERCENT", "MONEY", "QUANTITY", "EVENT", "LAW", "LANGUAGE"})


def _names_someone(tokens, proper_nouns: bool, organisations: bool) -> bool:
    """True if ``tokens`` hold a person, an organisation (when ``organisations``) or, when
    ``proper_nouns``, a capitalised proper noun outside the entity types of
    :data:`_NOT_OWNERS` (that title words alone, "Mr", "Senator", do not make)."""
    for t in tokens:
        if t.ent_type_ == "PERSON" or (organisations and t.ent_type_ == "ORG"):
            return True
        if proper_nouns and t.pos_ == "PROPN" and t.text[:1].isupper() \
                and t.ent_type_ not in _NOT_OWNERS and not is_title_word(t.text):
            return True
    return False
