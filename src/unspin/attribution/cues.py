"""The cue rules. Each reads one token (or one sentence) of the parse and proposes a
candidate relation (source tokens, cue and content characters): "according to X", "in a
poll", a headline or transcript speaker label, a cue verb in one of its frames, a cue
adjective ("critical of"), "made the case that"."""

from __future__ import annotations

from spacy.tokens import Token

from unspin.attribution.lexicon import (
    _ADJ_CUES,
    _ADJ_PREPS,
    _CASE_PREPS,
    _CLOSING_EVIDENCE,
    _COLON_LABELS,
    _COLON_NOUNS,
    _COPULAS,
    _EPISTEMIC_X,
    _MEDIA,
    _PARENTHETICAL_ONLY,
    _PREPS,
    _PREPS_BY_LEMMA,
    _RELATIVES,
    _RUN_STOPS,
    _VERBAL_ONLY,
    _WH_WORDS,
    CASE_NOUNS,
    CUES,
    EVIDENCE_NOUNS,
    PROPOSITIONAL,
    QUOTATION_ONLY,
    SPEECH_ACTS,
    STANCE,
)
from unspin.attribution.relation import RelationKind
from unspin.attribution.spans import (
    _Candidate,
    _char_range,
    _Context,
    _depth,
    _Extent,
    _extent,
    _extent_chars,
    _join,
    _noun_before,
    _trimmed,
)


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
    whole = opens or closes
    excluded = {t.i for t in token.subtree} | set(range(first, last))
    if whole:
        content_tokens = [t for t in sent if t.i not in excluded and t.i != nxt.i]
    else:
        head = token.head
        if head.pos_ not in ("VERB", "AUX") or head.i == token.i:
            head = sent.root
        content_tokens = [t for t in head.subtree
                          if t.i not in excluded and sent.start <= t.i < sent.end]
    after = [t for t in content_tokens if t.i > token.i]
    if all(t.is_punct or t.is_space for t in after):  # "..., according to X." ends it
        content_tokens = [t for t in content_tokens if t.i < token.i]
    content = _char_range(doc, content_tokens)
    if content is None:
        return None
    cue = (token.idx, nxt.idx + len(nxt))
    return _Candidate(token, source, cue, content, "report", -1 if whole else _depth(token))


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
        if lemma in _PARENTHETICAL_ONLY and not any(c.dep_ == "nsubj" for c in verb.children):
            return None
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
