"""The text renderer: the article with its highlights, then one table per finding (rich).

With colour, techniques get a background colour each, hedges are underlined, quantities bold
and each claim starts with a ``C1``-style tag. Without colour the same information is spelt out
with bracket markers (``[Loaded language: relentless aerial assaults]``, ``[hedge: reportedly]``,
``[qty: 92 drones]``, ``{C1}``) so that the output reads well in a pipe, a log or an email.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich import box
from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from unspin.render.highlight import (
    FRAMES_NOT_JUDGED,
    PALETTE,
    Block,
    CloseMark,
    OpenMark,
    Segment,
    TextRun,
    article_blocks,
    badge_note,
    display_name,
    nest,
    report_layers,
    segments,
    technique_colors,
    technique_definitions,
    technique_names,
)
from unspin.report import Report, claim_id
from unspin.taxonomy import get_technique

_TEXT_LAYERS = ("claim", "technique", "hedge", "quantity")
_CLAIM_TAG = Style(bold=True, color="white", bgcolor="#475569")
_NONE = "-"


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def score(value: float | None) -> str:
    return _NONE if value is None else f"{value:.2f}"


class _Writer:
    """Builds the renderables of one report; ``color`` picks styles or bracket markers."""

    def __init__(self, report: Report, color: bool) -> None:
        self.report = report
        self.color = color
        self.names = technique_names(report.techniques)
        self.colors = technique_colors(self.names)
        self.layers = report_layers(report, _TEXT_LAYERS)
        self.box = box.SIMPLE_HEAD if color else box.ASCII2

    # --- article -----------------------------------------------------------------------------

    def tech_style(self, name: str) -> Style:
        return Style(color="black", bgcolor=PALETTE[self.colors[name]][0])

    def segment_style(self, seg: Segment) -> Style:
        style = Style()
        techniques = seg.layer("technique")
        if techniques:
            style += self.tech_style(techniques[-1].item.technique)
        if seg.layer("hedge"):
            style += Style(underline=True)
        if seg.layer("quantity"):
            style += Style(bold=True)
        return style

    def block(self, block: Block) -> Text:
        segs = segments(self.report.text, self.layers, start=block.start, end=block.end)
        out = Text()
        if self.color:
            for seg in segs:
                for mark in seg.layer("claim"):
                    if mark.start == seg.start:
                        out.append(f" {claim_id(mark.index)} ", style=_CLAIM_TAG)
                        out.append(" ")
                out.append(seg.text, style=self.segment_style(seg))
        else:
            for event in nest(segs):
                if isinstance(event, TextRun):
                    out.append(event.segment.text)
                elif isinstance(event, OpenMark):
                    out.append(self.open_marker(event))
                elif isinstance(event, CloseMark) and event.mark.layer != "claim":
                    out.append("]")
        if block.kind == "title":
            out.stylize("bold")
        elif block.kind in ("caption", "credit"):
            label = "Caption" if block.kind == "caption" else "Credit"
            out = Text.assemble((f"{label}: ", "bold dim"), out)
            out.stylize("italic")
        return out

    def open_marker(self, event: OpenMark) -> str:
        mark = event.mark
        more = "" if event.first else " (cont.)"
        if mark.layer == "claim":
            return f"{{{claim_id(mark.index)}}} " if event.first else ""
        if mark.layer == "technique":
            return f"[{display_name(mark.item.technique)}{more}: "
        return f"[{'qty' if mark.layer == 'quantity' else mark.layer}{more}: "

    def paragraph_techniques(self, block: Block) -> Text | None:
        found = getattr(block.item, "techniques", None) if block.kind == "paragraph" else None
        if not found:
            return None
        parts = "; ".join(f"{display_name(t.technique)} {t.score:.2f} "
                          f"{badge_note(self.report, block.item, t.technique)}" for t in found)
        return Text(f"  (paragraph techniques: {parts})", style="dim")

    def article(self) -> list[RenderableType]:
        out: list[RenderableType] = []
        blocks = article_blocks(self.report)
        title = [b for b in blocks if b.kind == "title"]
        out += [self.block(b) for b in title]
        verdict = self.headline_verdict()
        if verdict is not None:
            out.append(verdict)
        meta = self.meta()
        if meta is not None:
            out.append(meta)
        if self.color and self.names:
            out.append(self.key())
        out.append(Text())
        for b in blocks:
            if b.kind in ("caption", "credit"):
                out.append(self.block(b))
                verdict = self.caption_verdict(b)
                if verdict is not None:
                    out.append(verdict)
                out.append(Text())
        for b in blocks:
            if b.kind == "paragraph":
                out.append(self.block(b))
                extra = self.paragraph_techniques(b)
                if extra is not None:
                    out.append(extra)
                out.append(Text())
        return out

    def meta(self) -> Text | None:
        r = self.report
        lines: list[str] = []
        parts = [r.meta.outlet, r.meta.byline, r.meta.date]
        head = " · ".join(p for p in parts if p)
        if head:
            lines.append(head)
        if r.meta.url:
            lines.append(r.meta.url)
        if r.meta.language != "en":
            lines.append(f"Language: {r.meta.language}")
        if r.genre is not None:
            g = r.genre
            lines.append(f"Genre: {g.label} ({g.scores.get(g.label, 0.0):.2f})")
        if r.frames:
            frames = sorted(r.frames, key=lambda f: -f.score)
            lines.append(
                "Frames: " + ", ".join(f"{display_name(f.frame)} ({f.score:.2f})" for f in frames)
            )
        elif not r.frames_judged:
            lines.append(f"Frames: {FRAMES_NOT_JUDGED}")
        return Text("\n".join(lines), style="dim") if lines else None

    def key(self) -> Text:
        out = Text.assemble(("Key: ", "dim"))
        for name in self.names:
            out.append(f" {display_name(name)} ", style=self.tech_style(name))
            out.append(" ")
        out.append("hedge", style="underline")
        out.append("  ")
        out.append("quantity", style="bold")
        out.append("  ")
        out.append(" C1 ", style=_CLAIM_TAG)
        out.append(" claim")
        return out

    # --- tables ------------------------------------------------------------------------------

    def heading(self, title: str, count: int | None = None) -> Text:
        label = title if count is None else f"{title} ({count})"
        return Text.assemble((label, "bold"), "\n", ("-" * len(label), "dim"))

    def table(self, *columns: str) -> Table:
        table = Table(box=self.box, show_edge=False, pad_edge=False, expand=False)
        for name in columns:
            table.add_column(name, overflow="fold")
        return table

    def section(self, title: str, items: list, body: RenderableType) -> list[RenderableType]:
        content = body if items else Text("none found", style="dim italic")
        return [self.heading(title, len(items)), content, Text()]

    def techniques(self) -> list[RenderableType]:
        r = self.report
        table = self.table("Technique", "Count", "Mean score", "Examples")
        for name in self.names:
            found = [t for t in r.techniques if t.technique == name]
            examples: list[str] = []
            for t in found:
                ex = f"“{clip(t.text, 48)}”"
                if ex not in examples:
                    examples.append(ex)
            mean = sum(t.score for t in found) / len(found)
            label = Text(display_name(name), style=self.tech_style(name) if self.color else "")
            table.add_row(label, str(len(found)), score(mean), Text("\n".join(examples[:3])))
        return self.section("Techniques", self.names, Group(table, *self.technique_notes()))

    def technique_notes(self) -> list[Text]:
        """What each technique found means: the report's definition and, for the techniques
        of unspin's taxonomy, an invented example."""
        definitions = technique_definitions(self.report.techniques)
        notes = [Text()]
        for name in self.names:
            try:
                example = get_technique(name).example
            except KeyError:  # a report from elsewhere may name techniques we do not know
                example = ""
            line = Text.assemble((display_name(name), "bold"), ": ", definitions.get(name, ""))
            if example:
                line.append(f"\n  Example: “{example}”", style="dim italic")
            notes.append(line)
        return notes

    def claims(self) -> list[RenderableType]:
        table = self.table("#", "Claim", "Score", "Attribution", "Rests on")
        table.columns[4].min_width, table.columns[4].max_width = 10, 34
        for i, c in enumerate(self.report.claims):
            a = c.attribution
            basis: list[str] = []
            if a and a.source:
                cue = f" ({clip(a.cue.text, 20)})" if a.cue else ""
                basis.append(clip(a.source.text, 48) + cue)
            if a and a.hedge:
                basis.append(f"hedge: {clip(a.hedge.text, 40)}")
            table.add_row(
                claim_id(i),
                Text(clip(c.text, 140)),
                score(c.checkworthiness),
                a.kind.replace("_", " ") if a else _NONE,
                Text("\n".join(basis) or _NONE),
            )
        return self.section("Claims", self.report.claims, table)

    def hedges(self) -> list[RenderableType]:
        r = self.report
        table = self.table("Hedge", "Kind", "In sentence")
        for h in r.hedges:
            sentence = r.sentences[h.sentence].text if h.sentence < len(r.sentences) else ""
            table.add_row(
                Text(clip(h.text, 40)), h.kind.replace("_", " "), Text(clip(sentence, 90))
            )
        return self.section("Hedges", r.hedges, table)

    def quantities(self) -> list[RenderableType]:
        r = self.report
        in_claims: dict[int, list[str]] = {}
        for i, c in enumerate(r.claims):
            for q in c.quantities:
                in_claims.setdefault(q, []).append(claim_id(i))
        table = self.table("Quantity", "Value", "Unit", "Kind", "Claims")
        for i, q in enumerate(r.quantities):
            table.add_row(
                Text(clip(q.text, 40)),
                _NONE if q.value is None else f"{q.value:g}",
                Text(q.unit or _NONE),
                q.kind,
                " ".join(in_claims.get(i, [])) or _NONE,
            )
        return self.section("Quantities", r.quantities, table)

    def entities(self) -> list[RenderableType]:
        table = self.table("Name", "Label", "Mentions")
        ordered = sorted(self.report.entities, key=lambda e: (-len(e.mentions), e.id))
        for e in ordered:
            table.add_row(Text(e.name), e.label, str(len(e.mentions)))
        return self.section("Entities", self.report.entities, table)

    def sources(self) -> list[RenderableType]:
        table = self.table("Source", "Kind", "Mentions", "Where", "Claims")
        for s in self.report.sources:
            claims = " ".join(s.claims) or "none"
            table.add_row(Text(s.name), s.kind, str(len(s.mentions)), ", ".join(s.where), claims)
        return self.section("Sources", self.report.sources, table)

    # --- consistency (headline and captions vs body) -----------------------------------------

    def stance_text(self, v, what: str) -> Text:
        """One line: ``Headline vs body: disagree (0.71)``, red for a mismatch."""
        style = "bold red" if v.stance in ("disagree", "unrelated") else "bold"
        return Text.assemble((f"{what} vs body: ", "dim"), (v.stance, style),
                             (f" ({score(v.score)})", "dim"))

    def headline_verdict(self) -> Text | None:
        c = self.report.consistency
        if c is None or c.headline is None:
            return None
        v = c.headline
        out = self.stance_text(v, "Headline")
        for e in v.evidence:
            out.append(f"\n  evidence: “{clip(e.text, 160)}”", style="dim italic")
        return out

    def caption_verdict(self, block: Block) -> Text | None:
        c = self.report.consistency
        if c is None:
            return None
        for v in c.captions:
            if v.start == block.start and v.end == block.end:
                return Text.assemble("  ", self.stance_text(v, "Caption"))
        return None

    def consistency(self) -> list[RenderableType]:
        c = self.report.consistency
        if c is None:
            return []
        items = ([("Headline", c.headline)] if c.headline else []) + \
            [("Caption", v) for v in c.captions]
        table = self.table("Part", "Text", "Stance", "Score", "Evidence")
        for what, v in items:
            evidence = "\n".join(f"“{clip(e.text, 70)}”" for e in v.evidence) or _NONE
            table.add_row(what, Text(clip(v.text, 60)), v.stance, score(v.score),
                          Text(evidence))
        return self.section("Headline and captions vs body", items, table)

    def flags(self) -> list[RenderableType]:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for f in self.report.flags:
            line = Text.assemble((f"[{f.code}]", "bold"), f" {f.message}")
            if f.text:
                line.append(f" “{clip(f.text, 80)}”", style="italic")
            grid.add_row("-", line)
        return self.section("Flags", self.report.flags, grid)

    def footer(self) -> list[RenderableType]:
        versions = ", ".join(f"{k} {v}" for k, v in sorted(self.report.versions.items()))
        line = f"unspin report, schema {self.report.schema_version}"
        if versions:
            line += f"; {versions}"
        return [Text(line, style="dim")]

    def renderables(self) -> Iterable[RenderableType]:
        yield from self.article()
        yield from self.flags()
        yield from self.techniques()
        yield from self.claims()
        yield from self.sources()
        yield from self.hedges()
        yield from self.quantities()
        yield from self.entities()
        yield from self.consistency()
        yield from self.footer()


def render_text(report: Report, *, color: bool | None = None, width: int | None = None) -> str:
    """The report as terminal text. ``color`` None: colour when stdout is a colour terminal.
    ``width`` None: the terminal's width (80 when not a terminal)."""
    if color is None or width is None:
        probe = Console()
        if color is None:
            color = probe.is_terminal and not probe.no_color and probe.color_system is not None
        if width is None:
            width = probe.width
    system = None
    if color:
        # Pastel backgrounds all collapse to one colour in 16-colour mode; 256 is near universal.
        detected = Console(force_terminal=True, file=io.StringIO()).color_system
        system = "truecolor" if detected == "truecolor" else "256"
    console = Console(
        record=True,
        file=io.StringIO(),
        width=max(40, width),
        force_terminal=color,
        no_color=not color,
        color_system=system,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(Group(*_Writer(report, color).renderables()))
    out = console.export_text(styles=color)
    if not color:
        out = "\n".join(line.rstrip() for line in out.splitlines()) + "\n"
    return out
