"""Dates: a line that is a date alone, and metadata dates normalised to ISO."""

from __future__ import annotations

import re
from datetime import date as _date
from datetime import datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_ISO_TIME = r"(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"
_DATE_FORMS = [
    rf"(?P<iso>{_YEAR}-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})){_ISO_TIME}",
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
    rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}",
]
_DATE_PREFIX = r"(?:(?:published|updated|posted|last updated)\s*(?:on)?\s*:?\s*)?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME_SUFFIX = (
    r"(?:\s*[,|\-–—]?\s*(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s+[A-Z]{2,5}|\s*(?:UTC|GMT)[+-]?\d{0,2})?)?"
)
_DATE_LINES = [
    re.compile(rf"^{_DATE_PREFIX}{_WEEKDAY}{form}{_TIME_SUFFIX}$", re.I) for form in _DATE_FORMS
]


def _date_of(line: str) -> str | None:
    """ISO date (``YYYY-MM-DD``) if ``line`` is a date alone, such as "March 14, 2024"."""
    line = line.strip()
    if len(line) > 60:
        return None
    for pattern in _DATE_LINES:
        match = pattern.match(line)
        if match:
            return _iso_from_match(match)
    return None


def _iso_from_match(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("iso"):
        year, month, day = int(groups["year"]), int(groups["m"]), int(groups["d"])
    else:
        month = _MONTHS.get(groups["month"].lower().rstrip("."), 0)
        year, day = int(groups["year"]), int(groups["day"])
    try:
        return _date(year, month, day).isoformat()
    except ValueError:
        return None


def _normalise_date(value: str | None) -> str | None:
    """An ISO date for ``value`` when it can be parsed; otherwise ``value`` unchanged."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return _date_of(value) or value
