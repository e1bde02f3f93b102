"""Entity swapping for training keeps every label on the same words."""

from __future__ import annotations

import random

from unspin.encoder import Unit
from unspin.train.corpus import TrainArticle, swap_entities


def test_swap_moves_offsets_with_the_text():
    text = "Russia said Putin won.\nUkraine said Zelenskiy lost badly."
    ents = [(0, 6, "GPE"), (12, 17, "PERSON"), (23, 30, "GPE"), (36, 45, "PERSON")]
    spans = [(12, 21, 0), (36, 56, 1), (0, 6, 2)]  # "Putin won", "Zelenskiy lost badly", "Russia"
    art = TrainArticle("1", text, [Unit(0, 22), Unit(23, 57)], [[0], [1]], spans, [], ents)
    pool = {"GPE": ["Atlantis"], "PERSON": ["Jo Bo"], "NORP": [], "ORG": [], "LOC": []}
    out = swap_entities(art, random.Random(1), pool)
    assert out.text == "Atlantis said Jo Bo won.\nAtlantis said Jo Bo lost badly."
    assert [out.text[s:e] for s, e, _ in out.spans] == ["Jo Bo won", "Jo Bo lost badly",
                                                        "Atlantis"]
    assert [out.text[u.start:u.end] for u in out.units] == out.text.split("\n")
