"""The cue phrases and nouns. Each reads one token (or one sentence) of the parse and proposes
a candidate relation (source tokens, cue and content characters): "according to X", "in a
poll", a headline or transcript speaker label, a cue adjective ("critical of"), "made the case
that", a speech-act noun with a that-clause of its own ("Trump's claim that ..."). The cue
verbs are in :mod:`unspin.attribution.cues`."""

from __future__ import annotations

from spacy.tokens import Token

from unspin.attribution.cues import _cue_range, _source
from unspin.attribution.lexicon import (
    _ADJ_CUES,
    _ADJ_PREPS,
    _CASE_PREPS,
    _CLOSING_EVIDENCE,
    _COLON_LABELS,
    _COLON_NOUNS,
    _COPULAS,
    _LIGHT_VERBS,
    _RUN_STOPS,
    ANONYMOUS_HEADS,
    CASE_NOUNS,
    EVIDENCE_NOUNS,
    SPEECH_NOUNS,
)
from unspin.attribution.relation import RelationKind
from unspin.attribution.spans import (
    _Candidate,
    _char_range,
    _Context,
    _depth,
    _extent_chars,
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
    """ "Sanders is making an impassioned case to black leaders that he can win", "made
    comments about ...", "delivered a forceful promise to ...", "offering warnings about
    ...": a light verb (:data:`_LIGHT_VERBS`) with a speech-act object (:data:`CASE_NOUNS`,
    :data:`SPEECH_NOUNS`) is a report cue (the verb and its object), the subject its source,
    and the object's that-clause (or, without one, its to-infinitive or its for / against /
    about / on / to / of phrase) its content."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in _LIGHT_VERBS:
        return None
    noun = next((c for c in verb.children if c.dep_ == "dobj"
                 and c.lemma_.lower() in _SPEECH_OBJECTS), None)
    if noun is None:
        return None
    # the that-clause, wherever the parse hung it ("a case to a gathering that he ...")
    clauses = [c for c in verb.subtree if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i
               and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)][:1]
    if not clauses:
        clauses = [c for c in noun.children if c.i > noun.i and (
            (c.dep_ == "acl" and any(m.dep_ == "aux" and m.lower_ == "to" for m in c.children))
            or (c.dep_ == "prep" and c.lower_ in _CASE_PREPS))]
    if not clauses:
        return None
    content = _extent_chars(verb.doc, ctx.subtrees(clauses[:1]))
    source = _source(verb)
    if content is None or source is None:
        return None
    first = _cue_range(verb, None)[0]
    return _Candidate(verb, source, (first, noun.idx + len(noun)), content, "report",
                      _depth(verb))


_SPEECH_OBJECTS = CASE_NOUNS | SPEECH_NOUNS | {
    "comment", "remark", "review", "critique", "indictment", "reference", "mention",
    "detail", "outline", "congratulation", "criticism", "attack", "defense", "defence",
}
"""What a light verb turns into a speech act when it is the verb's object."""


def _noun_cue(noun: Token, ctx: _Context) -> _Candidate | None:
    """ "Trump's claim that ...", "a New York Times report that ...", "reports that ...": a
    speech-act noun (:data:`SPEECH_NOUNS`) with a that-clause of its own ("that" its marker,
    not a relative pronoun) is a report cue, the clause its content, and its owner its source:
    the possessor, the compounds before it or a "by" / "from" phrase; with no owner, the
    noun phrase itself when it is a vague source ("reports that ..."), else it is no cue
    ("bristled at the suggestion that ..." says nothing of whose). The object of a light verb
    is :func:`_case_cue`'s ("Cruz made the argument that ...")."""
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in SPEECH_NOUNS:
        return None
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB" and \
            noun.head.lemma_.lower() in _LIGHT_VERBS:
        return None
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl")
                   and c.i > noun.i and any(m.dep_ == "mark" and m.lower_ == "that"
                                            for m in c.children)), None)
    if clause is None:
        return None
    content = _extent_chars(noun.doc, ctx.subtrees([clause]))
    if content is None:
        return None
    owner = _owner(noun)
    if owner is None:
        return None
    return _Candidate(noun, owner, (noun.idx, noun.idx + len(noun)), content, "report",
                      _depth(noun))


def _owner(noun: Token) -> tuple[int, int] | None:
    """Token range of whoever a speech-act noun belongs to (see :func:`_noun_cue`)."""
    doc = noun.doc
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        words = [t for t in poss.subtree if not (t.dep_ == "case" and t.head.i == poss.i)]
        return _trimmed(doc, words[0].i, words[-1].i + 1) if words else None
    compounds = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
    if compounds:
        return _trimmed(doc, compounds[0].left_edge.i, compounds[-1].right_edge.i + 1)
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from") and prep.i > noun.i:
            obj = next((o for o in prep.children if o.dep_ == "pobj"), None)
            if obj is not None:
                return _trimmed(doc, obj.left_edge.i, obj.right_edge.i + 1)
    if noun.lower_ in ANONYMOUS_HEADS:
        return _trimmed(doc, noun.left_edge.i, noun.i + 1)
    return None
