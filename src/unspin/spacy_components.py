"""unspin as spaCy pipeline components.

    import spacy
    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("unspin_techniques")
    doc = nlp(text)
    doc.spans["techniques"]          # SpanGroup, overlaps allowed, label_ = technique
    doc.spans["techniques"].attrs["scores"]

The factory is registered through the ``spacy_factories`` entry point, so ``add_pipe`` works
once unspin is installed. Paragraphs are the doc's blank-line-separated blocks; spans whose
edges fall inside a token are snapped outward to token boundaries (``alignment_mode="expand"``).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from unspin.encoder import Unit

_BLOCK = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


def text_units(text: str) -> list[Unit]:
    """Blank-line-separated blocks of ``text`` as units (stripped of surrounding spaces)."""
    units = []
    for m in _BLOCK.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            units.append(Unit(start, end))
    return units


class TechniqueTagger:
    """Adds ``doc.spans[key]``: persuasion technique spans with scores."""

    def __init__(self, key: str = "techniques"):
        from unspin.techniques import TechniqueModel, load_encoder

        self.key = key
        self.model = TechniqueModel.load()
        self.encoder = load_encoder()

    def __call__(self, doc: Doc) -> Doc:
        from unspin.techniques import decode_spans

        units = text_units(doc.text)
        spans, scores = [], []
        if units:
            encoded = self.encoder.encode(doc.text, units)
            for p in decode_spans(doc.text, encoded, self.model.heads, self.model.labels,
                                  self.model.config):
                span = doc.char_span(p.start, p.end, label=p.technique, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
                    scores.append(p.score)
        group = SpanGroup(doc, name=self.key, spans=spans)
        group.attrs["scores"] = scores
        doc.spans[self.key] = group
        return doc


@Language.factory("unspin_techniques", default_config={"key": "techniques"})
def make_technique_tagger(nlp: Language, name: str, key: str) -> TechniqueTagger:
    return TechniqueTagger(key=key)
