"""Caption and credit lines: telling a photo caption or credit from body text."""

from __future__ import annotations

import re

from unspin.article.model import CaptionKind

_CAPTION_MAX_CHARS = 300
_CREDIT_MAX_CHARS = 100

_CREDIT_PREFIX = re.compile(
    r"^(?:photo(?:graph)?s?|images?|pictures?|video|illustrations?|graphics?|credits?|"
    r"photo credits?|file photo)\s*(?::|\bby\b)\s*(?P<rest>.*)$",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"^(?:getty images|shutterstock|ap photo|afp|reuters|epa|file photo|handout)\.?$"
    r"|^.{1,60}\b(?:via getty images|getty images|shutterstock|handout)\.?$"
    r"|^[^.!?]{1,60}/(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg|Shutterstock)$"
    r"|^(?:REUTERS|AFP|AP|EPA)/[^.!?]{1,60}$"
    r"|^courtesy(?: of)?\s+[^.!?]{1,60}$",
    re.I,
)
_CAPTION_PREFIX = re.compile(r"^(?:pictured|above)\s*:\s*\S|^file photo\b", re.I)
_PAREN_CREDIT = re.compile(
    r"\([^()]*\b(?:(?:photos?|photographs?|images?|pictures?|courtesy|obtained by|getty|"
    r"shutterstock|handout)\b|credits?\s*:)[^()]*\)$",
    re.I,
)
_PAREN_AGENCY = re.compile(r"\((?:AP|AFP|EPA|Reuters|Getty Images|Getty)\)$", re.I)
_TRAILING_CREDIT = re.compile(
    r"[.!?\"”]\s+(?:(?:photos?|images?|pictures?|credits?)\s*(?::|\bby\b)\s*[^.!?]{1,80}"
    r"|(?:REUTERS|AFP|AP|EPA)/[^.!?]{1,60}"
    r"|(?:(?-i:[A-Z])[\w'’-]*\s+){0,4}(?:via\s+)?(?:getty images|shutterstock)"
    r"|[^.!?]{1,60}/(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg))\.?$",
    re.I,
)


def _caption_kind(line: str, *, strict: bool = False) -> CaptionKind | None:
    """``"credit"`` for a bare credit line, ``"caption"`` for a caption, else ``None``.

    ``strict`` (used inside the body) does not count a bare agency name in brackets, such as
    "(Reuters)", as a photo credit.
    """
    line = line.strip()
    if not line or len(line) > _CAPTION_MAX_CHARS:
        return None
    if len(line) <= _CREDIT_MAX_CHARS and _is_bare_credit(line, strict=strict):
        return "credit"
    if _has_caption_shape(line, strict=strict):
        return "caption"
    return None


def _is_bare_credit(line: str, *, strict: bool) -> bool:
    if _CREDIT_LINE.match(line):
        return True
    if line.startswith("(") and line.endswith(")"):
        return bool(_PAREN_CREDIT.fullmatch(line) or (not strict and _PAREN_AGENCY.fullmatch(line)))
    match = _CREDIT_PREFIX.match(line)
    return bool(match) and _is_short_name(match.group("rest"))


def _is_short_name(rest: str) -> bool:
    """True for what follows "Photo:" when it names a source rather than describing a scene."""
    rest = rest.strip()
    if len(rest.split()) > 8 or rest[:1].islower():
        return False
    return not re.search(r"[a-z]{2}[.!?](?:\s|$)|\w{2}[.!?]$", rest)


def _has_caption_shape(line: str, *, strict: bool) -> bool:
    before = line[: line.rfind("(")].strip() if line.endswith(")") else ""
    if before and (_PAREN_CREDIT.search(line) or (not strict and _PAREN_AGENCY.search(line))):
        return True
    if _TRAILING_CREDIT.search(line) or _CAPTION_PREFIX.match(line):
        return True
    match = _CREDIT_PREFIX.match(line)
    return bool(match) and bool(match.group("rest")) and not _is_short_name(match.group("rest"))
