"""Quantities: numbers with what they count or their unit, with exact offsets.

:func:`find_quantities` reads a parsed spaCy ``Doc`` (the whole report text) and returns one
:class:`~unspin.report.Quantity` per number phrase, left to right, never overlapping:

- counts: "92 Ukrainian drones" (value 92, unit "drones"); the span runs from the number to
  the counted noun its ``nummod`` (or ``compound``/``amod``) arc points at, so modifiers in
  between are kept; "23 of the drones" also counts drones;
- percent: "4 percent", "4%", "2.3 per cent" (unit "percent"), "1.5 percentage points";
- money: "$2.10", "€3 billion", "2.5 million dollars", "£5m", "50p" (unit: ISO currency code;
  a bare "$" is read as USD, "cents" as USD and "pence" as GBP, both scaled by 0.01);
- durations: "three weeks" (a number counting a time unit);
- measures: "10 inches", "120 km/h", "3.5 tonnes", "25-year-old" (age, unit "year-old");
- ordinals: "third time", "21st century" (value 3 / 21);
- dates: "March 3, 2024", "2023", "the 1990s" when spaCy tags a DATE that holds a year, a
  month or a weekday (value: the year when there is one, else the first number);
- other: fractions ("two-thirds of voters", value 0.667; "half a million people" is a count of
  500000), vague plurals ("dozens of doctors", "tens of thousands of people": value None), and
  bare numbers with nothing to count ("Ukraine lost 23."), ranges and scores ("20-30", "3-1",
  value None).

Word numbers ("twenty-five", "one hundred and twenty", "a dozen") and multipliers ("million",
"bn", "k") are parsed. Not reported: numbers that are part of a name ("Article 5", "Boeing
737", "COVID-19"), clock times ("10 p.m."), a lone "one" that is not counting anything ("one of
the", "no one"), numbers that name a model, series, index or model year ("787 Dreamliner
sales", "the 777 program", "the STOXX 600 index", "the 2015 keyboard"), and phrases with no
explicit number ("a single day", "several").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from unspin.report import Quantity

SentenceIndex = Callable[[int], int]

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "dozen": 12.0,
}  # fmt: skip
_SUFFIX_SCALES = {
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000,
}  # fmt: skip
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8,
    "tenth": 10, "tenths": 10,
}  # fmt: skip
_VAGUE = frozenset(
    {"tens", "dozens", "scores", "hundreds", "thousands", "millions", "billions", "trillions"}
)
_CURRENCY_SYMBOLS = {
    "$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "₴": "UAH", "c$": "CAD", "a$": "AUD", "hk$": "HKD", "usd": "USD", "eur": "EUR",
    "gbp": "GBP", "jpy": "JPY", "cny": "CNY", "rub": "RUB", "inr": "INR", "uah": "UAH",
    "chf": "CHF", "cad": "CAD", "aud": "AUD",
}  # fmt: skip
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB", "rupee": "INR",
    "rupees": "INR", "hryvnia": "UAH", "hryvnias": "UAH", "franc": "CHF", "francs": "CHF",
}  # fmt: skip
_CURRENCY_CODES_AFTER = frozenset({"usd", "eur", "gbp", "jpy", "cny", "rub", "inr", "uah"})
_DOLLAR_ADJECTIVES = {
    "us": "USD", "u.s.": "USD", "american": "USD", "canadian": "CAD", "australian": "AUD",
}  # fmt: skip
_SUBUNITS = {"cent": "USD", "cents": "USD", "pence": "GBP"}
_PERCENT_WORDS = frozenset({"%", "percent", "pct", "pc"})
_TIME_UNITS = frozenset({
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "fortnight", "fortnights", "month", "months", "year", "years", "decade", "decades",
    "century", "centuries", "yr", "yrs", "hrs", "mins",
})  # fmt: skip
_MEASURE_UNITS = frozenset({
    "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "mile", "miles",
    "metre", "metres", "meter", "meters", "cm", "mm", "ft", "feet", "foot", "inch", "inches",
    "yard", "yards", "kg", "kgs", "kilogram", "kilograms", "gram", "grams", "lb", "lbs",
    "ton", "tons", "tonne", "tonnes", "litre", "litres", "liter", "liters", "gallon",
    "gallons", "barrel", "barrels", "bpd", "degree", "degrees", "°c", "°f", "acre", "acres",
    "hectare", "hectares", "mph", "knots", "mw", "gw", "kw", "kwh", "mwh", "gwh", "twh",
    "calories", "watts", "volts", "pound", "pounds",
})  # fmt: skip
_CLOCK_WORDS = frozenset({"a.m.", "p.m.", "am", "pm", "gmt", "utc", "bst", "et", "cet"})
_MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
})  # fmt: skip
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_WEIGHT_WORDS = frozenset({"weigh", "weighs", "weighed", "weighing", "weight", "heavy"})
_INNER_PUNCT = frozenset({"-", "“", "”", '"', "'", "‘", "’"})
_RANGE_WORDS = frozenset({"to", "and", "or", "-", "–", "—"})
_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "LAW", "EVENT", "WORK_OF_ART", "NORP"}
)

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGITS_SCALED = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(k|m|mn|mln|b|bn|tn|trn)$")
_DIGITS_PENCE = re.compile(r"^(\d+(?:\.\d+)?)p$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_DECADE = re.compile(r"^(\d{4})s$")
_YEAR = re.compile(r"^(1[0-9]{3}|20[0-9]{2}|2100)$")


@dataclass
class _Phrase:
    """A run of tokens spelling one number, ``doc[start:end]``."""

    start: int
    end: int
    value: float | None
    scale: float = 1.0  # the multiplier written in the phrase ("million": 1e6), for ranges
    vague: bool = False  # "dozens", "tens of thousands"
    fraction: bool = False  # "two-thirds", "a third"


@dataclass
class _Found:
    """A quantity before it becomes a :class:`Quantity`: token bounds plus its reading."""

    start: int
    end: int
    phrase: _Phrase
    value: float | None
    unit: str | None
    kind: str


def find_quantities(doc: Doc, sentence_index: SentenceIndex) -> list[Quantity]:
    """Numbers with their unit or counted noun in ``doc``.

    ``doc`` is the parsed report text (so token offsets are report offsets) and
    ``sentence_index`` maps a character offset to the report's sentence index. Returns the
    quantities in text order; no two overlap and ``doc.text[q.start:q.end] == q.text``.
    """
    found: list[_Found] = []
    used: set[int] = set()
    ents = _Entities(doc)
    for phrase in _phrases(doc):
        if used.intersection(range(phrase.start, phrase.end)):
            continue
        item = _read(doc, phrase, used, ents)
        if item is not None and "\n" in doc[item.start : item.end].text:
            item = _bare(doc, phrase)  # never across a line break ("age: 75\nFederation")
        if item is None:
            continue
        found.append(item)
        used.update(range(item.start, item.end))
    found.sort(key=lambda f: f.start)
    _share_range_units(doc, found)
    return [_to_quantity(doc, f, sentence_index) for f in found]


# --- finding number phrases -------------------------------------------------------------


def _phrases(doc: Doc) -> Iterable[_Phrase]:
    """Every number phrase in ``doc``, left to right, non-overlapping."""
    i = 0
    while i < len(doc):
        phrase = _phrase_at(doc, i)
        if phrase is None:
            i += 1
            continue
        yield phrase
        i = phrase.end


def _phrase_at(doc: Doc, i: int) -> _Phrase | None:
    """The number phrase starting at token ``i``, if one does."""
    return (
        _vague_at(doc, i)
        or _fraction_at(doc, i)
        or _ordinal_at(doc, i)
        or _range_at(doc, i)
        or _cardinal_at(doc, i)
    )


def _lower(doc: Doc, i: int) -> str:
    return doc[i].lower_ if 0 <= i < len(doc) else ""


def _glued(doc: Doc, i: int) -> bool:
    """True if token ``i`` is written with no space before the next token."""
    return doc[i].whitespace_ == ""


def _digit_value(text: str) -> float | None:
    """The value of a token written in digits ("1,400", "2.10", "5bn", "50p"), else None."""
    t = text.lower()
    if _DIGITS.match(t):
        return float(t.replace(",", ""))
    m = _DIGITS_SCALED.match(t)
    if m:
        return float(m.group(1).replace(",", "")) * _SUFFIX_SCALES[m.group(2)]
    return None


def _is_word_number(tok: Token) -> bool:
    return tok.lower_ in _SMALL or tok.lower_ in _SCALES


def _is_number_token(tok: Token) -> bool:
    return _digit_value(tok.text) is not None or _is_word_number(tok)


def _vague_at(doc: Doc, i: int) -> _Phrase | None:
    """ "dozens", "tens of thousands", "hundreds of millions" (followed by "of")."""
    if _lower(doc, i) not in _VAGUE:
        return None
    end = i + 1
    while _lower(doc, end) == "of" and _lower(doc, end + 1) in _VAGUE:
        end += 2
    if _lower(doc, end) != "of":
        return None
    return _Phrase(i, end, None, vague=True)


def _fraction_at(doc: Doc, i: int) -> _Phrase | None:
    """ "two-thirds", "two thirds", "a third of", "half of" (value as a fraction)."""
    low = _lower(doc, i)
    if low == "half" and _lower(doc, i + 1) == "of":
        return _Phrase(i, i + 1, 0.5, fraction=True)
    if low in ("a", "an", "one"):
        numerator = 1.0
    elif low in _SMALL and low != "zero":
        numerator = float(_SMALL[low])
    else:
        return None
    j = i + 1
    if _lower(doc, j) in ("-", "–") and _glued(doc, i) and _glued(doc, j):
        j += 1
    denom = _lower(doc, j)
    if denom not in _DENOMINATORS:
        return None
    plural = denom.endswith("s")
    if numerator == 1.0 and (plural or _lower(doc, j + 1) != "of"):
        return None  # "a third time" is an ordinal, "one thirds" is not English
    if numerator > 1.0 and not plural:
        return None
    return _Phrase(i, j + 1, numerator / _DENOMINATORS[denom], fraction=True)


def _ordinal_value(tok: Token) -> float | None:
    if tok.lower_ in _ORDINALS:
        return float(_ORDINALS[tok.lower_])
    m = _ORDINAL_DIGITS.match(tok.lower_)
    return float(m.group(1)) if m else None


def _ordinal_at(doc: Doc, i: int) -> _Phrase | None:
    """ "third", "21st" used as an ordinal (not "First," as an adverb, not "a second")."""
    tok = doc[i]
    value = _ordinal_value(tok)
    if value is None or tok.pos_ in ("ADV", "NOUN", "VERB") or tok.dep_ == "advmod":
        return None
    return _Phrase(i, i + 1, value)


def _range_at(doc: Doc, i: int) -> _Phrase | None:
    """Digits joined by a hyphen with no spaces: "20-30", "3-1" (value None)."""
    if _digit_value(doc[i].text) is None or i + 2 >= len(doc):
        return None
    hyphen = doc[i + 1].text in ("-", "–") and _glued(doc, i) and _glued(doc, i + 1)
    if hyphen and _digit_value(doc[i + 2].text) is not None:
        return _Phrase(i, i + 3, None)
    return None


def _cardinal_at(doc: Doc, i: int) -> _Phrase | None:
    """Digits or number words, with multipliers: "2.5 million", "twenty-five", "a dozen",
    "half a million", "one hundred and twenty", "5bn"."""
    tok = doc[i]
    low = tok.lower_
    if low in ("a", "an") and _lower(doc, i + 1) in _SCALES:
        end, value = _extend(doc, i + 1, 1.0)
        return _Phrase(i, end, value, scale=_scale_of(doc, i, end))
    if low == "half" and _lower(doc, i + 1) in ("a", "an") and _lower(doc, i + 2) in _SCALES:
        end, value = _extend(doc, i + 2, 0.5)
        return _Phrase(i, end, value, scale=_scale_of(doc, i, end))
    decade = _DECADE.match(low)
    if decade:
        return _Phrase(i, i + 1, float(decade.group(1)))
    if not _is_number_token(tok) or low in _SCALES:
        return None
    if tok.pos_ not in ("NUM", "ADJ", "NOUN", "PROPN") and _digit_value(tok.text) is None:
        return None
    end, value = _extend(doc, i, None)
    return _Phrase(i, end, value, scale=_scale_of(doc, i, end))


def _extend(doc: Doc, i: int, value: float | None) -> tuple[int, float | None]:
    """Read number tokens from ``i`` on; return the end token and the phrase value.

    ``value`` is a multiplicand already read ("a" = 1, "half a" = 0.5) or None.
    """
    total, current = 0.0, value if value is not None else 0.0
    seen_number = value is not None
    j = i
    while j < len(doc):
        tok = doc[j]
        low = tok.lower_
        digits = _digit_value(tok.text)
        if low in _SCALES:
            current = (current if seen_number else 1.0) * _SCALES[low]
            if _SCALES[low] >= 1e3:
                total, current = total + current, 0.0
            seen_number = True
        elif low in _SUFFIX_SCALES and seen_number and _glued(doc, j - 1):
            total, current = total + current * _SUFFIX_SCALES[low], 0.0
        elif digits is not None and not seen_number:
            current = digits
            seen_number = True
        elif low in _SMALL and (not seen_number or _joins_words(doc, j)):
            current += _SMALL[low]
            seen_number = True
        elif low in ("-", "and") and j > i and _joins_words(doc, j + 1):
            pass
        else:
            break
        j += 1
    if j == i:
        return i + 1, value
    return j, total + current


def _joins_words(doc: Doc, j: int) -> bool:
    """True if token ``j`` continues a spelled-out number ("twenty-five", "hundred and two")."""
    if j >= len(doc) or doc[j].lower_ not in _SMALL:
        return False
    prev = doc[j - 1].lower_
    if prev == "-":
        return doc[j - 2].lower_ in _SMALL and _glued(doc, j - 2) and _glued(doc, j - 1)
    if prev == "and":
        return doc[j - 2].lower_ in _SCALES
    return prev in _SCALES or (prev in _SMALL and _SMALL[prev] >= 20 and _SMALL[doc[j].lower_] < 10)


def _scale_of(doc: Doc, start: int, end: int) -> float:
    """The largest multiplier written in ``doc[start:end]`` (1.0 if none)."""
    scale = 1.0
    for tok in doc[start:end]:
        low = tok.lower_
        suffixed = _DIGITS_SCALED.match(low)
        if low in _SCALES:
            scale = max(scale, _SCALES[low])
        elif suffixed:
            scale = max(scale, _SUFFIX_SCALES[suffixed.group(2)])
        elif low in _SUFFIX_SCALES and tok.i > start:
            scale = max(scale, _SUFFIX_SCALES[low])
    return scale


# --- reading a phrase: kind, unit, span ---------------------------------------------------


def _read(doc: Doc, phrase: _Phrase, used: set[int],
          ents: _Entities | None = None) -> _Found | None:
    """Turn a number phrase into a quantity, or None if it is not one we report."""
    return (
        _as_money(doc, phrase)
        or _as_percent(doc, phrase)
        or _as_date(doc, phrase, used, ents)
        or _as_hyphen_compound(doc, phrase)
        or _as_counted(doc, phrase)
    )


def _ent_label(tok: Token) -> str:
    return tok.ent_type_ if tok.ent_iob_ != "O" else ""


def _as_money(doc: Doc, p: _Phrase) -> _Found | None:
    """ "$2.10", "€3 billion", "US$5 million", "2.5 million dollars", "50p", "30 cents"."""
    pence = _DIGITS_PENCE.match(doc[p.start].lower_)
    if pence and p.end == p.start + 1:
        return _Found(p.start, p.end, p, float(pence.group(1)) * 0.01, "GBP", "money")
    if p.value is None or p.vague or p.fraction:
        return None
    start, end, code, factor = p.start, p.end, None, 1.0
    before = _lower(doc, p.start - 1)
    if before in _CURRENCY_SYMBOLS:
        start, code = p.start - 1, _CURRENCY_SYMBOLS[before]
    after, after2 = _lower(doc, end), _lower(doc, end + 1)
    if after in _DOLLAR_ADJECTIVES and after2 in ("dollar", "dollars"):
        code, end = code or _DOLLAR_ADJECTIVES[after], end + 2
    elif after in _CURRENCY_WORDS and _currency_word_is_money(doc, end):
        code, end = code or _CURRENCY_WORDS[after], end + 1
    elif after in _CURRENCY_CODES_AFTER and code is None:
        code, end = after.upper(), end + 1
    elif after in _SUBUNITS and code is None:
        code, end, factor = _SUBUNITS[after], end + 1, 0.01
    if code is None:
        return None
    return _Found(start, end, p, p.value * factor, code, "money")


def _currency_word_is_money(doc: Doc, i: int) -> bool:
    """ "pounds" is money unless the words around it are about weight ("weighs 200 pounds")."""
    if doc[i].lower_ not in ("pound", "pounds"):
        return True
    return not any(t.lower_ in _WEIGHT_WORDS for t in doc[max(0, i - 8) : i + 8])


def _as_percent(doc: Doc, p: _Phrase) -> _Found | None:
    """ "4 percent", "4%", "2.3 per cent", "1.5 percentage points"."""
    if p.value is None or p.vague or p.fraction:
        return None
    after = _lower(doc, p.end)
    if after in _PERCENT_WORDS:
        return _Found(p.start, p.end + 1, p, p.value, "percent", "percent")
    if after == "per" and _lower(doc, p.end + 1) == "cent":
        return _Found(p.start, p.end + 2, p, p.value, "percent", "percent")
    if after == "percentage" and _lower(doc, p.end + 1) in ("point", "points"):
        unit = doc[p.end : p.end + 2].text
        return _Found(p.start, p.end + 2, p, p.value, unit, "percent")
    return None


def _date_like(tok: Token) -> bool:
    low = tok.lower_
    return low in _MONTHS or low in _WEEKDAYS or bool(_YEAR.match(low) or _DECADE.match(low))


def _as_date(doc: Doc, p: _Phrase, used: set[int],
             ents: _Entities | None = None) -> _Found | None:
    """A DATE entity holding this number and a year, month or weekday: "March 3, 2024"."""
    tok = doc[p.start]
    if _ent_label(tok) != "DATE" or p.value is None and not _DECADE.match(tok.lower_):
        return None
    ent = (ents or _Entities(doc)).of(tok)
    if ent is None:
        return None
    keys = [t for t in ent if _date_like(t) or _is_number_token(t)]
    if not any(_date_like(t) for t in keys) or any(t.i in used for t in ent):
        return None
    start, end = keys[0].i, keys[-1].i + 1
    if start > p.start or end < p.end:
        return None
    years = [t for t in keys if _YEAR.match(t.lower_) or _DECADE.match(t.lower_)]
    numbers = [t for t in keys if not _date_like(t) or t in years]
    anchor = years[0] if years else numbers[0] if numbers else tok
    value = _digit_value(anchor.text.rstrip("s"))
    anchor_phrase = _Phrase(anchor.i, anchor.i + 1, value)
    return _Found(start, end, anchor_phrase, value, None, "date")


class _Entities:
    """The doc's entities (``Doc.ents`` is rebuilt from every token on each call), read once
    on first use; :meth:`of` finds the one holding a token by bisection."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self._ents: tuple[Span, ...] | None = None
        self._ends: list[int] = []

    def of(self, tok: Token) -> Span | None:
        """The entity that holds ``tok``, or None."""
        if self._ents is None:
            self._ents = self.doc.ents
            self._ends = [e.end for e in self._ents]
        k = bisect.bisect_right(self._ends, tok.i)  # the first entity ending after tok
        if k < len(self._ents) and self._ents[k].start <= tok.i:
            return self._ents[k]
        return None


def _as_hyphen_compound(doc: Doc, p: _Phrase) -> _Found | None:
    """ "10-day ceasefire" (duration), "5-kilometre race" (measure), "25-year-old" (age)."""
    j = p.end
    if p.value is None or j + 1 >= len(doc) or doc[j].text not in ("-", "–"):
        return None
    if not (_glued(doc, j - 1) and _glued(doc, j) and doc[j + 1].is_alpha):
        return None
    if len(doc[j + 1]) < 2:
        return None  # "3-D", "4-H"
    end, unit_tok = j + 2, doc[j + 1]
    aged = end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ == "old"
    if aged and _glued(doc, end - 1) and _glued(doc, end):
        return _Found(p.start, end + 2, p, p.value, doc[j + 1 : end + 2].text, "measure")
    low = unit_tok.lower_
    kind = "duration" if low in _TIME_UNITS else "measure" if low in _MEASURE_UNITS else "other"
    if _ordinal_value(doc[p.start]) is not None:
        kind = "ordinal"  # "first-grade"
    return _Found(p.start, end, p, p.value, unit_tok.text, kind)


def _as_counted(doc: Doc, p: _Phrase) -> _Found | None:
    """A number with its counted noun ("92 Ukrainian drones", "dozens of doctors"), or a
    bare number when nothing is counted; None for names, times and lone "one"."""
    if _glued_hyphen_after(doc, p):
        return None  # "3-D models": a word we cannot read, not a count
    root = _phrase_root(doc, p)
    head = _counted_noun(doc, p, root) or _adjacent_plural(doc, p)
    if head is not None and (head.lower_ in _CLOCK_WORDS or _is_spelled_name(doc, p, head)):
        return None
    if head is not None:
        kind = _kind_for(p, head)
        if kind == "count" and _model_number(doc, p, head):
            return None
        unit, end = _unit_text(doc, head)
        return _Found(p.start, end, p, p.value, unit, kind)
    of_noun = _of_noun(doc, p, root)
    if of_noun is not None and not _lone_one(doc, p):
        end = of_noun.i + 1 if _plain_gap(doc, p.end, of_noun.i) else p.end
        return _Found(p.start, end, p, p.value, of_noun.text, _kind_for(p, of_noun))
    if _is_name_part(doc, p, root) or _lone_one(doc, p) or _ent_label(root) == "TIME":
        return None
    kind = "ordinal" if _ordinal_value(doc[p.start]) is not None else "other"
    if kind == "ordinal" and _ent_label(root) != "ORDINAL":
        return None
    return _Found(p.start, p.end, p, p.value, None, kind)


def _phrase_root(doc: Doc, p: _Phrase) -> Token:
    """The token of the phrase whose head lies outside it (the last such, else the last)."""
    roots = [t for t in doc[p.start : p.end] if not p.start <= t.head.i < p.end or t.head == t]
    nummods = [t for t in roots if t.dep_ == "nummod"]
    return (nummods or roots or [doc[p.end - 1]])[-1]


def _counted_noun(doc: Doc, p: _Phrase, root: Token) -> Token | None:
    """The noun right of the phrase that the phrase modifies, with only its own modifiers
    (no other number, conjunction or comma) in between."""
    if root.dep_ == "conj" and root.head.i < p.start and _is_number_token(root.head):
        root = root.head  # "between 20 and 30 people": 30 counts what 20 counts
    head = root.head
    if p.vague or head.i < p.end or head.pos_ not in ("NOUN", "PROPN"):
        return None
    if root.dep_ not in ("nummod", "compound", "amod", "nmod", "quantmod", "npadvmod"):
        return None
    subtree = {t.i for t in head.lefts for t in t.subtree}
    for tok in doc[p.end : head.i]:
        if tok.i not in subtree or tok.pos_ in ("CCONJ", "VERB"):
            return None
    return head if _plain_gap(doc, p.end, head.i) else None


def _adjacent_plural(doc: Doc, p: _Phrase) -> Token | None:
    """Fallback for parses that fail on Title Case headlines ("Thwart 92 Ukrainian Drone
    Attacks"): a plural noun ending the run of adjectives and nouns right after the number."""
    if p.vague or p.fraction:
        return None
    run = []
    for tok in doc[p.end : p.end + 4]:
        if tok.pos_ not in ("ADJ", "NOUN", "PROPN") or _is_number_token(tok):
            break
        run.append(tok)
    return run[-1] if run and run[-1].tag_ in ("NNS", "NNPS") else None


def _unit_text(doc: Doc, head: Token) -> tuple[str, int]:
    """The unit as written and the end token: "drones", or "km/h" for "km" "/" "h"."""
    j = head.i
    if j + 2 < len(doc) and doc[j + 1].text == "/" and _glued(doc, j) and _glued(doc, j + 1):
        return doc[j : j + 3].text, j + 3
    return head.text, j + 1


def _of_noun(doc: Doc, p: _Phrase, root: Token) -> Token | None:
    """The object of "of" after the phrase: "23 of the drones", "dozens of doctors"."""
    if _lower(doc, p.end) != "of":
        return None
    for prep in root.children:
        if prep.lower_ == "of" and prep.i == p.end:
            objs = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")]
            if objs:
                return objs[0]
    return None


def _plain_gap(doc: Doc, start: int, end: int) -> bool:
    """True if ``doc[start:end]`` holds no number and no punctuation but hyphens and quotes,
    so a span may run across it."""
    return not any(_is_number_token(t) or (t.is_punct and t.text not in _INNER_PUNCT)
                   for t in doc[start:end])


def _kind_for(p: _Phrase, noun: Token) -> str:
    """The kind of a number that counts ``noun``: ordinal, other (vague or fraction),
    duration (a time unit), measure (a unit of measure) or count."""
    low = noun.lower_
    if _ordinal_value(noun.doc[p.start]) is not None and p.end == p.start + 1:
        return "ordinal"
    if p.vague or p.fraction:
        return "other"
    if low in _TIME_UNITS:
        return "duration"
    if low in _MEASURE_UNITS or _ent_label(noun) == "QUANTITY":
        return "measure"
    return "count"


def _is_name_part(doc: Doc, p: _Phrase, root: Token) -> bool:
    """True for numbers inside a name ("Boeing 737", "Article 5", "Windows 11")."""
    if _ent_label(root) in _NAME_LABELS:
        return True
    head = root.head
    return head.i < p.start and head.pos_ in ("NOUN", "PROPN") and head.text[:1].isupper()


def _model_number(doc: Doc, p: _Phrase, noun: Token) -> bool:
    """True for a number that names a model, series, index or model year rather than
    counting: digits "counting" a singular noun (not a collective noun or an invariant plural:
    "the 50 staff") after a capitalised proper noun on the same noun ("a Thunderbolt 3 dock",
    "the STOXX 600 index"), after "the" ("the 777 program") or as a year ("the 2015
    keyboard"); or three digits or more right before a capitalised singular noun that
    is no named entity ("787 Dreamliner sales"; not "300 Tesla chargers"). Singular units
    the unit lists do not know stay counted ("355 horsepower", "a 180 page book")."""
    if p.value is None or p.value == 1:
        return False
    first = doc[p.start]
    digits = p.end == p.start + 1 and re.fullmatch(r"\d+", first.text) is not None
    prev = doc[p.start - 1] if p.start > 0 else None
    singular = noun.tag_ in ("NN", "NNP") and noun.lower_ not in _NOT_SINGULAR
    named_before = prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() \
        and prev.head.i == noun.i
    if digits and singular and (named_before or 1900 <= p.value <= 2100 or
                                (prev is not None and prev.lower_ == "the")):
        return True
    after = doc[p.end] if p.end < len(doc) else None
    return digits and len(first.text) >= 3 and after is not None and after.i < noun.i and \
        after.tag_ in ("NN", "NNP") and after.text[:1].isupper() and \
        after.ent_type_ not in _NAME_LABELS


_NOT_SINGULAR = frozenset({
    "staff", "personnel", "crew", "cattle", "livestock", "police", "people", "clergy",
    "faculty", "infantry", "military", "poultry", "head", "youth", "aircraft", "spacecraft",
    "craft", "sheep", "deer", "fish", "species", "offspring", "salmon", "bison", "moose",
    "swine", "counsel",
})  # fmt: skip
"""Nouns that count in the singular: collective nouns and invariant plurals."""


def _glued_hyphen_after(doc: Doc, p: _Phrase) -> bool:
    j = p.end
    return j + 1 < len(doc) and doc[j].text in ("-", "–") and _glued(doc, j - 1) and \
        _glued(doc, j)


def _is_spelled_name(doc: Doc, p: _Phrase, head: Token) -> bool:
    """True for a capitalised number word before a capitalised noun, or a number inside a
    name entity: "Five Pillars", "Second Vatican Council", "First Amendment", "Zero Hedge"."""
    if _ent_label(doc[p.start]) in _NAME_LABELS:
        return True
    word = doc[p.start]
    if word.text[:1].isdigit() or not word.text[:1].isupper():
        return False
    initial = word.is_sent_start or word.i == 0 or doc[word.i - 1].is_punct
    nxt = doc[p.end] if p.end < len(doc) else head
    return head.text[:1].isupper() or (not initial and nxt.text[:1].isupper())


def _lone_one(doc: Doc, p: _Phrase) -> bool:
    """ "one" alone is a pronoun far more often than a count ("one of the", "no one")."""
    return p.end == p.start + 1 and doc[p.start].lower_ == "one"


def _bare(doc: Doc, p: _Phrase) -> _Found | None:
    """The number alone, with nothing counted (None if it spans a line break itself)."""
    if "\n" in doc[p.start : p.end].text:
        return None
    return _Found(p.start, p.end, p, p.value, None, "other")


# --- ranges and output ---------------------------------------------------------------------


def _share_range_units(doc: Doc, found: list[_Found]) -> None:
    """Give the first number of a range its partner's unit and scale: in "2 to 3 million
    people", "2" becomes 2 million people (span still just "2")."""
    for left, right in zip(found, found[1:], strict=False):
        if left.unit is not None or left.kind != "other" or right.unit is None:
            continue
        if left.value is None or left.phrase.vague or left.phrase.fraction:
            continue  # "3-1 and 20-30 people": a score is not a range bound
        if right.kind in ("date", "ordinal"):
            continue
        gap = doc[left.end : right.start]
        if len(gap) != 1 or gap[0].lower_ not in _RANGE_WORDS:
            continue
        left.unit, left.kind = right.unit, right.kind
        if left.value is not None and left.phrase.scale == 1.0:
            left.value *= right.phrase.scale


def _to_quantity(doc: Doc, f: _Found, sentence_index: SentenceIndex) -> Quantity:
    span = doc[f.start : f.end]
    number = doc[f.phrase.start : f.phrase.end].text
    value = None if f.value is None else round(f.value, 6)
    return Quantity(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        value=value,
        number=number,
        unit=f.unit,
        kind=f.kind,  # type: ignore[arg-type]
        sentence=sentence_index(span.start_char),
    )
