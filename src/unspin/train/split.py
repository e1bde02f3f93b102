"""The fixed split every training recipe keeps: items fall into buckets by a hash of their id.

Each recipe hashes the key that keeps related items together (an article's id, a sentence's
id, an FNC-1 body, a BABE outlet+topic group, a BASIL event). Bucket :data:`LOCKBOX_BUCKET`
is the lockbox: set aside before any choice is made and scored once at the end. A hash, not
a seeded shuffle, so the lockbox stays the same whatever else in the data or code changes.
"""

from __future__ import annotations

import hashlib

N_BUCKETS = 5
LOCKBOX_BUCKET = 0


def hash_bucket(key: str, n: int = N_BUCKETS) -> int:
    """``sha256(key) % n`` (``key`` read as UTF-8 text)."""
    return int(hashlib.sha256(str(key).encode("utf-8")).hexdigest(), 16) % n


def in_lockbox(key: str) -> bool:
    """True for the fixed fifth of items set aside for one final score."""
    return hash_bucket(key) == LOCKBOX_BUCKET
