"""A report as the web page draws it: blocks of nested highlights, built with the same overlap
rules as the HTML report (:mod:`unspin.render.highlight`), and the technique legend.

The page turns these into DOM nodes with ``textContent`` only; nothing here is markup.
"""

from __future__ import annotations

from unspin.render.highlight import (
    PALETTE,
    CloseMark,
    OpenMark,
    TextRun,
    article_blocks,
    display_name,
    nest,
    report_layers,
    segments,
    technique_colors,
    technique_definitions,
    technique_names,
)
from unspin.report import Report
from unspin.server.schemas import LegendTechnique, ReportView, ViewBlock, ViewMark
from unspin.store import StoredReport
from unspin.taxonomy import get_technique


def _example(name: str) -> str:
    try:
        return get_technique(name).example
    except KeyError:
        return ""


def legend(report: Report) -> list[LegendTechnique]:
    """The techniques of a report, most frequent first, with colours stable across reports."""
    names = technique_names(report.techniques)
    para = [t.technique for p in report.paragraphs for t in p.techniques]
    names += [n for n in dict.fromkeys(para) if n not in names]
    colors = technique_colors(names)
    definitions = technique_definitions(report.techniques)
    out = []
    for name in names:
        definition = definitions.get(name) or ""
        if not definition:
            try:
                definition = get_technique(name).definition
            except KeyError:
                definition = ""
        out.append(LegendTechnique(
            name=name, label=display_name(name), color=colors[name], definition=definition,
            example=_example(name),
            count=sum(1 for t in report.techniques if t.technique == name)))
    return out


def blocks(report: Report) -> list[ViewBlock]:
    """The title, captions and paragraphs, each as nested text runs and highlights."""
    layers = report_layers(report)
    entity_index = {id(e): i for i, e in enumerate(report.entities)}
    out = []
    for block in article_blocks(report):
        root: list[str | ViewMark] = []
        stack: list[list[str | ViewMark]] = [root]
        for event in nest(segments(report.text, layers, start=block.start, end=block.end)):
            if isinstance(event, TextRun):
                stack[-1].append(event.segment.text)
            elif isinstance(event, OpenMark):
                mark = event.mark
                index = (entity_index.get(id(mark.item.entity), 0) if mark.layer == "entity"
                         else mark.index)
                node = ViewMark(layer=mark.layer, index=index, first=event.first, children=[])
                stack[-1].append(node)
                stack.append(node.children)
            elif isinstance(event, CloseMark):
                stack.pop()
        item = block.item
        paragraph = getattr(item, "index", None) if block.kind == "paragraph" else None
        kind = block.kind if block.kind in ("title", "caption", "credit") else "paragraph"
        out.append(ViewBlock(kind=kind, start=block.start, end=block.end, paragraph=paragraph,
                             nodes=root))
    return out


def report_view(stored: StoredReport) -> ReportView:
    report = stored.report
    return ReportView(id=stored.id, analysed_at=stored.analysed_at, report=report,
                      blocks=blocks(report), techniques=legend(report))


def palette_css() -> str:
    """CSS classes ``pal-0`` ... for the technique palette (the HTML report's colours)."""
    rules = [f".pal-{i}{{--bg:{bg};--edge:{edge}}}" for i, (bg, edge) in enumerate(PALETTE)]
    return "\n".join(rules) + "\n"
