"""Compare coverage: many articles grouped into stories, each story told side by side.

- :func:`compare_inputs`  paths, URLs, directories, record files -> :class:`Comparison`
- :func:`compare_reports` analysed Reports (and their embeddings) -> :class:`Comparison`
- :func:`render_comparison` a Comparison as ``"text"``, ``"json"`` or ``"html"``
- :func:`comparison_schema` the published JSON Schema of the output

Where each concern lives: ``grouping`` (stories: the rule, its threshold, candidate search),
``lexical`` (words and TF-IDF against a background), ``alignment`` (aligned figures, claims told
only here, sources, language), ``model`` (the output's pydantic models), ``render`` (terminal
text and a self-contained HTML page), ``analysis`` (Reports with their embeddings), ``api``.
"""

from unspin.compare.api import compare_inputs, compare_reports, read_inputs
from unspin.compare.model import Comparison, comparison_schema, comparison_schema_json
from unspin.compare.render import render_comparison, render_html, render_text

__all__ = [
    "Comparison",
    "compare_inputs",
    "compare_reports",
    "comparison_schema",
    "comparison_schema_json",
    "read_inputs",
    "render_comparison",
    "render_html",
    "render_text",
]
