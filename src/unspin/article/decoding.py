"""Bytes to text: byte order marks, declared charsets, detection, and binary input."""

from __future__ import annotations

import codecs
import re

from unspin.errors import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_UNICODE_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_WESTERN_EXTRA = frozenset("“”‘’–—…€•·°£§©®«»¡¿×÷\u00a0‚„†‡ˆ‰‹›™šžŠŽŸœŒ")


def decode_bytes(data: bytes) -> str:
    """Decode bytes to text: a BOM first, then strict UTF-8, then a best guess.

    Mostly-ASCII text with a few Western European letters is read as Windows-1252 (a superset
    of Latin-1); anything else is left to charset-normalizer. Never raises UnicodeDecodeError.

    Raises :class:`InputError` ("input looks binary, not text") for NUL bytes, a high share of
    control characters, or bytes no encoding explains.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec))
            except UnicodeDecodeError:
                break
    if b"\x00" in data or _control_share(data) > 0.05:
        raise InputError("input looks binary, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return western
    return _check_text(_detect(data))


def _control_share(data: bytes) -> float:
    sample = data[:65536]
    if not sample:
        return 0.0
    controls = sum(1 for b in sample if (b < 32 or b == 127) and b not in _TEXT_CONTROLS)
    return controls / len(sample)


def _as_western(data: bytes) -> str | None:
    """``data`` as Windows-1252 if that reads as Western European text, else ``None``."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    others = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in text if c.isalpha())
    plausible = sum(1 for c in others if c in _WESTERN_EXTRA or ("\u00c0" <= c <= "\u00ff"))
    accented = sum(1 for c in others if c.isalpha())
    if plausible < 0.95 * len(others) or accented > 0.4 * max(letters, 1):
        return None
    return text


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("input looks binary, not text")
    return str(best)


def _check_text(text: str) -> str:
    """``text`` unless it is mostly control characters."""
    sample = text[:65536]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v\x1b")
    if "\x00" in sample or (sample and controls / len(sample) > 0.05):
        raise InputError("input looks binary, not text")
    return text


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html_bytes(data: bytes) -> str:
    """Decode an HTML page: BOM, then the ``<meta>`` charset, then detection."""
    if data.startswith(_UNICODE_BOMS):
        return decode_bytes(data)
    match = _META_CHARSET.search(data[:4096])
    codec = _codec(match.group(1).decode("ascii")) if match else None
    if codec:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    return decode_bytes(data)


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label; ISO-8859-1 and ASCII read as Windows-1252."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name
