"""The cue verbs: a verb of the cue lexicon (:data:`~unspin.attribution.lexicon.CUES`) in one
of its frames, with its source (subject or agent), its cue span (auxiliaries, negation and a
bound preposition included) and its content (the complement, the clause it hangs off, or the
quotation beside it). The cue phrases and nouns ("according to", "in a poll", speaker labels,
"critical of", "made the case that", "Trump's claim that") are in
:mod:`unspin.attribution.cue_phrases`."""

from __future__ import annotations

import re

from spacy.tokens import Token

from unspin.attribution.lexicon import (
    _EPISTEMIC_X,
    _MEDIA,
    _PARENTHETICAL_ONLY,
    _PREPS,
    _PREPS_BY_LEMMA,
    _RELATIVES,
    _TAKING_OBJECTS,
    _VERBAL_ONLY,
    _WH_WORDS,
    CUES,
    PROPOSITIONAL,
    QUOTATION_ONLY,
    SPEECH_ACTS,
    STANCE,
)
from unspin.attribution.relation import RelationKind
from unspin.attribution.spans import (
    _Candidate,
    _Context,
    _depth,
    _Extent,
    _extent,
    _extent_chars,
    _join,
    _noun_before,
    _trimmed,
)


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


def _stray_that_clause(verb: Token) -> Token | None:
    """The verb of a that-clause that the parser hung on the wrong word: on a noun of the
    verb's object or prepositional phrase as if it were a relative clause ("told a meeting
    of leaders that few people understood ...", "reported at the time that the editor ..."),
    or on the verb as an adverbial clause ("tweeted in the early hours that Machado was
    ..."). The clause opens with "that" as a marker, not as a relative pronoun, and has a
    subject of its own; None when there is no such clause."""
    for that in verb.subtree:
        if that.i <= verb.i or that.lower_ != "that" or that.dep_ not in ("mark", "advmod"):
            continue
        clause = that.head
        if clause.pos_ not in ("VERB", "AUX") or clause.left_edge.i != that.i or \
                not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
            continue
        host = clause.head
        if clause.dep_ == "advcl" and host.i == verb.i:
            return clause
        if clause.dep_ in ("relcl", "acl") and host.dep_ in ("dobj", "pobj") and \
                verb.i in (host.head.i, host.head.head.i):
            return clause
    return None


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_WH_TAGS = frozenset({"WRB", "WDT", "WP", "WP$"})


def _bare_clause(verb: Token) -> Token | None:
    """A reported clause without "that" that the parser hung on the verb as an adverbial
    clause because an adjunct stands between them ("said after the convention he would not
    accept ..."). It follows the verb, is finite, has a subject of its own before its verb,
    and has no marker or wh-word (which would make it a clause of time, reason or condition:
    "said when he arrived ..."); the verb takes no object or complement. None when there is
    no such clause."""
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children):
        return None
    for clause in verb.children:
        if clause.dep_ != "advcl" or clause.i < verb.i or clause.pos_ not in ("VERB", "AUX"):
            continue
        before = [c for c in clause.children if c.i < clause.i]
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in before) or \
                any(c.dep_ == "mark" or c.tag_ in _WH_TAGS for c in before):
            continue
        if clause.tag_ in _FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and
                                              c.tag_ in _FINITE_TAGS for c in before):
            return clause
    return None


def _pointed_colon(verb: Token) -> Token | None:
    """The colon that follows the verb, right after it or after pointer words only
    (:data:`_POINTERS`: "argued that:", "said the following:"); None when there is none."""
    doc = verb.doc
    nxt = verb.i + 1
    while nxt < len(doc) and doc[nxt].lower_ in _POINTERS:
        nxt += 1
    return doc[nxt] if nxt < len(doc) and doc[nxt].text == ":" else None


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


_LEMMA_FIXES = {"hoping": "hope", "hoped": "hope", "hopes": "hope"}
"""Cue verbs spaCy's lemmatizer gets wrong (it gives "hop" for "hoping", "hoped" and "hopes"
in every context tried), by the word as written."""


def cue_lemma(token: Token) -> str:
    """The token's lemma as the cue lexicon reads it (:data:`_LEMMA_FIXES` corrected)."""
    return _LEMMA_FIXES.get(token.lower_) or token.lemma_.lower()


def _verb_cue(verb: Token, ctx: _Context) -> _Candidate | None:
    if verb.pos_ not in ("VERB", "AUX") or verb.tag_ == "MD":
        return None
    lemma = cue_lemma(verb)
    frames = CUES.get(lemma, "")
    if lemma in _OWN_OBSERVATION and _first_person_subject(verb):
        frames += "d"  # "In our testing, we saw a write speed of ...": the writer's own
    if not frames:
        return None
    if lemma in _VERBAL_ONLY and not any(c.dep_ == "prep" and c.lower_ in _VERBAL_ONLY[lemma]
                                         for c in verb.children):
        return None
    if lemma in _TAKING_OBJECTS and any(c.dep_ == "dobj" and c.lemma_.lower() in
                                        _TAKING_OBJECTS[lemma] for c in verb.children):
        return None
    doc = verb.doc
    medium = _medium(verb)
    frame = _frame(verb)
    stray = bare = None
    if frame in ("d", "p", "o") and "c" in frames:
        stray = _stray_that_clause(verb)
        if stray is None:
            stray = bare = _bare_clause(verb)
    if stray is not None:
        frame = "c"
    if frame != "o" and "o" in frames and _pointed_colon(verb) is not None:
        frame = "o"  # "argued that:", "said the following:": what follows the colon
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
        comps = [c for c in verb.children if c.dep_ == "ccomp"] or [stray]
        content_tokens = ctx.subtrees(comps)
        if bare is not None and content_tokens is not None:
            # the adjunct before the clause's subject ("after the convention") is the cue's
            subject = next(c for c in bare.children if c.dep_ in ("nsubj", "nsubjpass"))
            content_tokens = (subject.left_edge.i, content_tokens[1])
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
    depth: float = _depth(verb)
    if frame == "o":
        if lemma in _PARENTHETICAL_ONLY and not any(c.dep_ == "nsubj" for c in verb.children):
            return None
        content_tokens = _host_clause(verb, ctx)
        if content_tokens is not None:
            # the cue reports its host clause, so it ranks above the host's own cue ("His
            # wife, he says, plans to leave": "says" holds the stance "plans")
            depth = _depth(verb.head) - 0.5
        else:
            content_tokens = _clause_before(verb, ctx) or _after_colon(verb)
    source = _source(verb)
    cue = _cue_range(verb, cue_prep, medium[0] if medium else None)
    content = _extent_chars(doc, content_tokens)
    if content is None and frame == "o":
        content = _adjacent_quote(verb, source, cue, ctx)
    if content is None or (lemma in QUOTATION_ONLY and not ctx.overlapping(*content)):
        return None
    return _Candidate(verb, source, cue, content, kind, depth)


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
    frames = CUES.get(cue_lemma(xcomp), "")
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


_OWN_OBSERVATION = frozenset({"see", "find", "measure", "test", "observe", "notice", "record",
                              "clock", "count"})
"""Verbs of observation whose object, with "we" or "I" as subject, is something the writer
saw or measured ("we saw a write speed of 2,890 megabytes per second", "We've seen this sort
of cover-up before"): the claim rests on the writer's own observation."""


def _first_person_subject(verb: Token) -> bool:
    return any(c.dep_ == "nsubj" and c.lower_ in ("we", "i") for c in verb.children)


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
    if verb.dep_ == "conj" and verb.i > head.i and not _closing_conjunct(verb):
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


def _closing_conjunct(verb: Token) -> bool:
    """True for a closing cue the parse took for a conjoined clause ("This includes a
    special force, Defense Secretary Ash Carter told a Senate panel", "..., but it is under
    pressure, said the company's chief executive"): no "and", "but" or "or" between it and
    the conjunct before it, a subject of its own, and a comma right before the cue and its
    subject."""
    head = verb.head
    before = max([head.i] + [c.i for c in head.children if c.dep_ == "conj" and c.i < verb.i])
    if any(t.dep_ == "cc" for t in verb.doc[before + 1 : verb.i]):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    first = min(subject.left_edge.i, verb.i)
    return first > 0 and verb.doc[first - 1].text == ","


def _clause_before(verb: Token, ctx: _Context) -> _Extent:
    """ "..., police said." or "..., said Christine Link, ..." parsed with the reported
    clause as a dependent of the cue (an adverbial or paratactic clause before it, or a
    second subject when the cue's own subject follows it), set off by a comma right before
    the cue and its subject: that clause."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    subject = next((c for c in subjects if c.i > verb.i), None) or \
        next(iter(subjects), None)
    if subject is None:
        return None
    clauses = [c for c in verb.children if c.i < verb.i and (
        (c.pos_ in ("VERB", "AUX") and c.dep_ in ("advcl", "parataxis", "ccomp", "dep"))
        or (c.dep_ == "nsubj" and subject.i > verb.i))]
    first = min(subject.left_edge.i, _cue_start(verb))
    before = verb.doc[first - 1] if first > 0 else None
    if not clauses or before is None or before.text != ",":
        return None
    return ctx.subtrees(clauses)


def _after_colon(verb: Token) -> _Extent:
    """ "X said:" with nothing else: the rest of the sentence after the colon, or the whole
    next sentence when the colon ends this one, or the whole next paragraph (and the list
    items after it) when the colon ends its paragraph (first and last token)."""
    doc = verb.doc
    colon = next((c for c in verb.children if c.text == ":" and c.i > verb.i), None)
    if colon is None:
        nxt = verb.right_edge.i + 1
        if nxt < len(doc) and doc[nxt].text == ":":
            colon = doc[nxt]
    colon = colon or _pointed_colon(verb)
    if colon is None:
        return None
    end = verb.sent.end
    rest = doc[colon.i + 1 : end]
    if any(not (t.is_punct or t.is_space) for t in rest):
        return colon.i + 1, end - 1
    if end >= len(doc) or not len(doc[end].sent):
        return None
    following = doc[end].sent
    if "\n" in doc.text[colon.idx + 1 : following.start_char]:
        # the colon ends its paragraph: the next paragraph is the content (a block quote),
        # with the list items that follow it when it opens a list
        block_end = _block_end(doc.text, following.start_char)
        last = following.end - 1
        while last + 1 < len(doc) and doc[last + 1].idx < block_end:
            last += 1
        return following.start, last
    return following.start, following.end - 1


_POINTERS = frozenset({"that", "this", "these", "the", "following", "as", "follows"})
"""Words that only point at what comes after a colon ("argued that:", "said the following:",
"wrote as follows:")."""

_LIST_ITEM = re.compile(r"(?:[•·▪*\-–—]|\d{1,2}[.)])\s")
"""What opens a list item's paragraph: a bullet or dash, or a number with "." or ")"."""


def _block_end(text: str, start: int) -> int:
    """The end of the paragraph (the line) that begins at ``start`` or, when it opens a list
    item, of the last item of that list (paragraphs that each open with the same marker)."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    item = _LIST_ITEM.match(text, start)
    if item is None:
        return end
    marker = item.group()
    while True:
        nxt = end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if not text.startswith(marker, nxt):
            return end
        end = text.find("\n", nxt)
        end = len(text) if end < 0 else end


def _source(verb: Token) -> tuple[int, int] | None:
    """Token range of the source of ``verb`` (see the module doc), or None."""
    doc = verb.doc
    seen = 0
    tok = verb
    gerund = False
    while seen < 4:
        seen += 1
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
        # two subjects: "..., said Christine Link" with the clause before parsed as a subject
        subj = next((c for c in subjects if c.i > tok.i), subjects[0]) \
            if len(subjects) > 1 else next(iter(subjects), None)
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
        passive = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if passive is not None:
            # "He was criticised for saying ...": the one who said it is the passive subject
            return _trimmed(doc, passive.left_edge.i, passive.right_edge.i + 1) \
                if gerund else None
        if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return _noun_before(tok.head, tok)
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and \
                tok.head.head.pos_ in ("VERB", "AUX"):
            # "concluded by implying that ...", "pivoted to arguing that ..."; but "scolded
            # Romney for suggesting ...": after "for", the one who did it is the object
            obj = next((c for c in tok.head.head.children if c.dep_ == "dobj"), None)
            if tok.head.lower_ == "for" and obj is not None:
                return _trimmed(doc, obj.left_edge.i, obj.right_edge.i + 1)
            tok, gerund = tok.head.head, True
            continue
        if tok.dep_ == "xcomp" and tok.head.dep_ == "acomp" and \
                tok.head.head.pos_ in ("VERB", "AUX"):
            # "Sexton was quick to point out that ...", "he is correct to note that ..."
            tok = tok.head.head
            continue
        if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.i != tok.i and \
                tok.head.pos_ in ("VERB", "AUX"):
            if tok.dep_ == "advcl" and tok.tag_ != "VBG":
                return None
            tok = tok.head
            continue
        return None
    return None


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
