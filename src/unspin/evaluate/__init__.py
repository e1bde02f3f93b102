"""Benchmark readers and writers (:mod:`unspin.evaluate.datasets`) and the official metrics
(:mod:`unspin.evaluate.metrics`). Model scoring lives in :mod:`unspin.evaluate.techniques`
and friends, which are not imported here (they need the inference stack)."""

from unspin.evaluate.datasets import (
    CheckworthySentence,
    DocLabel,
    LabelledParagraph,
    LabelledSpan,
    PtcArticle,
    SemevalArticle,
    read_checkworthy,
    read_ptc,
    read_semeval_articles,
    read_semeval_paragraphs,
    write_checkworthy,
    write_genre_frames,
    write_ptc_predictions,
    write_semeval_predictions,
)
from unspin.evaluate.metrics import (
    binary_prf,
    fnc_score,
    genre_macro_f1,
    macro_f1,
    merge_spans,
    micro_f1,
    span_prf,
    tc_micro_f1,
)

__all__ = [
    "CheckworthySentence",
    "DocLabel",
    "LabelledParagraph",
    "LabelledSpan",
    "PtcArticle",
    "SemevalArticle",
    "binary_prf",
    "fnc_score",
    "genre_macro_f1",
    "macro_f1",
    "merge_spans",
    "micro_f1",
    "read_checkworthy",
    "read_ptc",
    "read_semeval_articles",
    "read_semeval_paragraphs",
    "span_prf",
    "tc_micro_f1",
    "write_checkworthy",
    "write_genre_frames",
    "write_ptc_predictions",
    "write_semeval_predictions",
]
