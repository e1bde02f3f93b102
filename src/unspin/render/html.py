"""The HTML renderer: one self-contained page (inline CSS and JS, no external resources).

Security rules, kept in one place:

* every string from the report (article text, names, definitions, messages, meta) goes
  through :func:`esc` before it reaches the page; nothing from the article is ever markup;
* class names and ids are built from indices and fixed vocabularies, never from report text;
* the report JSON for the script is embedded with ``<``, ``>`` and ``&`` as ``\\u003c`` etc.
  (:func:`embed_json`), so ``</script>`` in an article cannot end the data block;
* a Content-Security-Policy forbids loading anything and only runs the page's own script
  (pinned by its hash), so even an escaping bug could not fetch or execute anything else.

Highlights are server-rendered ``<mark>`` elements, so the page reads fine with JS disabled;
the script only adds rich tooltips (native ``title`` tooltips otherwise) and a fallback for
the layer checkboxes in browsers without CSS ``:has()``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import string
from functools import cache
from importlib import resources

from unspin.render.highlight import (
    FRAMES_NOT_JUDGED,
    PALETTE,
    Block,
    CloseMark,
    Mark,
    OpenMark,
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
from unspin.report import Report, claim_index
from unspin.taxonomy import get_technique

#: Layers a reader can switch on and off, with their legend label.
LAYERS: tuple[tuple[str, str], ...] = (
    ("technique", "Techniques"),
    ("hedge", "Hedges"),
    ("quantity", "Numbers"),
    ("entity", "Names"),
    ("claim", "Claims"),
)

_FOCUSABLE = {"technique", "hedge", "quantity"}

_HEDGE_HELP = {
    "adverb": "A distancing word: the writer reports the claim without vouching for it.",
    "phrase": "A distancing phrase: the writer reports the claim without vouching for it.",
    "passive_report": "A passive report: says something is reported without saying who reports it.",
    "anonymous_source": "An unnamed source: the reader cannot check who says this.",
}

_ATTRIBUTION_HELP = {
    "direct_quote": "Quoted directly from a named source.",
    "attributed": "Paraphrased from a named source.",
    "anonymous": "Attributed to an unnamed source.",
    "hedged": "Hedged: reported without anyone vouching for it.",
    "unattributed": "Asserted by the article itself, with no source.",
}


def esc(value: object) -> str:
    """Escape any value for HTML text and attribute values."""
    return html.escape(str(value), quote=True)


def embed_json(text: str) -> str:
    """JSON text made safe inside ``<script type="application/json">``: still the same JSON."""
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _token(value: str) -> str:
    """A CSS-class-safe token from a fixed vocabulary value."""
    return re.sub(r"[^a-z0-9_-]+", "-", value.lower())


@cache
def _resource(name: str) -> str:
    return (resources.files("unspin.render") / "templates" / name).read_text(encoding="utf-8")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _bar(value: float) -> str:
    """A small horizontal bar with the number, for a 0..1 score."""
    return (
        f'<span class="bar" aria-hidden="true"><span style="width:{round(value * 100)}%">'
        f'</span></span> <span class="num">{_score(value)}</span>'
    )


def _attrs(**attrs: object) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{esc(value)}"')
    return " ".join(parts)


def _clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class _Page:
    """Builds the fragments of one report's page."""

    def __init__(self, report: Report) -> None:
        self.r = report
        self.names = technique_names(report.techniques)
        para_names = [t.technique for p in report.paragraphs for t in p.techniques]
        extra = [n for n in dict.fromkeys(para_names) if n not in self.names]
        self.colors = technique_colors(self.names + extra)
        self.tq = {name: i for i, name in enumerate(self.names + extra)}
        self.definitions = technique_definitions(report.techniques)
        self.layers = report_layers(report)
        self.entity_pos = {id(e): i for i, e in enumerate(report.entities)}
        self.blocks = article_blocks(report)

    # --- highlighted text ---------------------------------------------------------------------

    def mark_title(self, mark: Mark) -> str:
        item = mark.item
        if mark.layer == "technique":
            definition = self.definitions.get(item.technique) or ""
            text = f"{display_name(item.technique)} (score {item.score:.2f})"
            return f"{text}. {definition}" if definition else text
        if mark.layer == "hedge":
            return f"Hedge ({item.kind.replace('_', ' ')}). {_HEDGE_HELP.get(item.kind, '')}"
        if mark.layer == "quantity":
            unit = f" {item.unit}" if item.unit else ""
            return f"Number ({item.kind}): {item.number}{unit}"
        if mark.layer == "entity":
            e = item.entity
            n = len(e.mentions)
            return f"{e.name} ({e.label}), {n} mention{'s' if n != 1 else ''}"
        if mark.layer == "claim":
            kind = item.attribution.kind if item.attribution else None
            text = f"Claim C{mark.index + 1}, check-worthiness {item.checkworthiness:.2f}"
            return f"{text}. {_ATTRIBUTION_HELP[kind]}" if kind else text
        return mark.layer

    def open_mark(self, event: OpenMark) -> str:
        mark = event.mark
        classes = ["hl", f"hl-{_token(mark.layer)}"]
        index = mark.index
        extra: dict[str, object] = {}
        if mark.layer == "technique":
            classes.append(f"tq-{self.tq[mark.item.technique]}")
            extra["data_tq"] = self.tq[mark.item.technique]
        elif mark.layer == "entity":
            index = self.entity_pos.get(id(mark.item.entity), 0)
            classes.append(f"ent-{_token(mark.item.entity.label)}")
        if not event.first:
            classes.append("cont")
        prefix = ""
        if mark.layer == "claim" and event.first:
            n = mark.index + 1
            prefix = (
                f'<a class="claim-tag" href="#claim-row-{mark.index}" '
                f'aria-label="Claim C{n}: go to the claims table">C{n}</a>'
            )
        attrs = _attrs(
            class_=" ".join(classes),
            id=f"{mark.layer}-{mark.index}" if event.first and mark.layer != "entity" else None,
            data_layer=mark.layer,
            data_i=index,
            tabindex="0" if event.first and mark.layer in _FOCUSABLE else None,
            title=self.mark_title(mark),
            **extra,
        )
        return f"{prefix}<mark {attrs}>"

    def highlighted(self, start: int, end: int) -> str:
        out: list[str] = []
        for event in nest(segments(self.r.text, self.layers, start=start, end=end)):
            if isinstance(event, TextRun):
                out.append(esc(event.segment.text))
            elif isinstance(event, OpenMark):
                out.append(self.open_mark(event))
            elif isinstance(event, CloseMark):
                out.append("</mark>")
        return "".join(out)

    def chip(self, name: str, score: float | None = None) -> str:
        cls = f"chip tq-{self.tq[name]}" if name in self.tq else "chip"
        tail = f' <span class="num">{_score(score)}</span>' if score is not None else ""
        return f'<span class="{cls}">{esc(display_name(name))}{tail}</span>'

    # --- header -------------------------------------------------------------------------------

    def title_text(self) -> str:
        return self.r.title.text if self.r.title else "Untitled article"

    def header(self) -> str:
        r = self.r
        title = [b for b in self.blocks if b.kind == "title"]
        h1 = self.highlighted(title[0].start, title[0].end) if title else "Untitled article"
        out = ['<p class="kicker">unspin report</p>', f'<h1 class="headline">{h1}</h1>']
        verdict = self.headline_verdict()
        if verdict:
            out.append(verdict)
        meta = []
        if r.meta.outlet:
            meta.append(f'<span class="outlet">{esc(r.meta.outlet)}</span>')
        if r.meta.byline:
            meta.append(f'<span class="byline">{esc(r.meta.byline)}</span>')
        if r.meta.date:
            iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?", r.meta.date)
            when = f' datetime="{esc(r.meta.date)}"' if iso else ""
            meta.append(f"<time{when}>{esc(r.meta.date)}</time>")
        if r.meta.language != "en":
            meta.append(f'<span class="lang">Language: {esc(r.meta.language)}</span>')
        if meta:
            out.append('<p class="meta">' + '<span class="sep">·</span>'.join(meta) + "</p>")
        if r.meta.url:
            # Shown as text, deliberately not a link: the page never points outside itself.
            out.append(
                f'<p class="url"><span class="label">Source URL</span> {esc(r.meta.url)}</p>'
            )
        badges = []
        if r.genre is not None:
            g = r.genre
            badges.append(
                f'<span class="badge genre genre-{_token(g.label)}" '
                f'title="Genre, by the genre model">Genre: {esc(display_name(g.label))}'
                f' <span class="num">{_pct(g.scores.get(g.label))}</span></span>'
            )
        for f in sorted(r.frames, key=lambda f: -f.score):
            badges.append(
                f'<span class="badge frame" title="Frame, by the framing model">'
                f'{esc(display_name(f.frame))} <span class="num">{_pct(f.score)}</span></span>'
            )
        if not r.frames_judged:
            badges.append(f'<span class="badge frame not-judged" title="{esc(FRAMES_NOT_JUDGED)}">'
                          f'Frames: not judged</span>')
        if badges:
            out.append('<div class="badges">' + "".join(badges) + "</div>")
        out.append(self.summary())
        return "\n".join(out)

    def summary(self) -> str:
        r = self.r
        unsourced = sum(
            1 for c in r.claims if c.attribution is None or c.attribution.kind == "unattributed"
        )
        items = [
            ("flags", len(r.flags), "flag", "flags"),
            ("techniques", len(r.techniques), "technique span", "technique spans"),
            ("claims", len(r.claims), "check-worthy claim", "check-worthy claims"),
            ("sources", len(r.sources), "source", "sources"),
            ("hedges", len(r.hedges), "hedge", "hedges"),
        ]
        lis = []
        for anchor, n, one, many in items:
            href = f"#panel-{anchor}" if anchor != "techniques" else "#legend"
            lis.append(f'<li><a href="{href}"><b>{n}</b> {one if n == 1 else many}</a></li>')
        if r.claims:
            lis.append(f"<li><b>{unsourced}</b> of {len(r.claims)} claims without a source</li>")
        return '<ul class="summary" aria-label="Summary">' + "".join(lis) + "</ul>"

    # --- article ------------------------------------------------------------------------------

    def caption(self, block: Block) -> str:
        label = "Credit" if block.kind == "credit" else "Caption"
        body = self.highlighted(block.start, block.end)
        verdict = self.caption_verdict(block)
        return (
            f'<figure class="caption caption-{_token(block.kind)}">'
            f'<span class="caption-label">{label}</span>'
            f"<figcaption>{body}</figcaption>{verdict}</figure>"
        )

    def paragraph(self, block: Block) -> str:
        body = self.highlighted(block.start, block.end)
        idx = getattr(block.item, "index", None)
        pid = f' id="p-{idx}"' if idx is not None else ""
        out = f'<p class="para"{pid}>{body}</p>'
        found = getattr(block.item, "techniques", None)
        if found:
            chips = "".join(
                self.chip(t.technique, t.score) +
                f'<span class="para-note">{esc(badge_note(self.r, block.item, t.technique))}'
                '</span>' for t in found)
            out += (
                '<p class="para-tech"><span class="label">Paragraph judged to use</span>'
                f"{chips}</p>"
            )
        return out

    def article(self) -> str:
        captions = [self.caption(b) for b in self.blocks if b.kind in ("caption", "credit")]
        paras = [self.paragraph(b) for b in self.blocks if b.kind == "paragraph"]
        out = []
        if captions:
            out.append(
                '<div class="captions" role="group" aria-label="Captions and credits">'
                + "".join(captions)
                + "</div>"
            )
        if not paras:
            paras = ['<p class="none">No body text.</p>']
        out.append('<div class="body">' + "\n".join(paras) + "</div>")
        return "\n".join(out)

    # --- legend -------------------------------------------------------------------------------

    def legend(self) -> str:
        r = self.r
        counts = {
            "technique": len(r.techniques),
            "hedge": len(r.hedges),
            "quantity": len(r.quantities),
            "entity": sum(len(e.mentions) for e in r.entities),
            "claim": len(r.claims),
        }
        layer_items = []
        for layer, label in LAYERS:
            layer_items.append(
                f'<li><label><input type="checkbox" id="show-{layer}" checked> '
                f'<span class="sample sample-{layer}">{label}</span>'
                f' <span class="count">{counts[layer]}</span></label></li>'
            )
        tech_items = []
        for name in self.names:
            n = sum(1 for t in r.techniques if t.technique == name)
            k = self.tq[name]
            definition = self.definitions.get(name) or ""
            example = _example(name)
            tech_items.append(
                f'<li><label><input type="checkbox" id="show-tq-{k}" checked> '
                f'<span class="swatch tq-{k}" aria-hidden="true"></span>'
                f'<span class="tname">{esc(display_name(name))}</span>'
                f' <span class="count">{n}</span></label>'
                + (f'<p class="def">{esc(definition)}</p>' if definition else "")
                + (f'<p class="def ex">Example: “{esc(example)}”</p>' if example else "")
                + "</li>"
            )
        techniques = (
            '<ul class="tech-list">' + "".join(tech_items) + "</ul>"
            if tech_items
            else '<p class="none">No persuasion techniques found.</p>'
        )
        return (
            '<h2 id="legend-h">Legend</h2>'
            '<p class="hint">Highlights show where the model found something; scores are its '
            "confidence from 0 to 1, not a verdict. Hover or focus a highlight for details.</p>"
            '<fieldset class="layers"><legend>Show</legend><ul>'
            + "".join(layer_items)
            + "</ul></fieldset>"
            "<h3>Persuasion techniques</h3>" + techniques
        )

    # --- panels -------------------------------------------------------------------------------

    def panel(self, key: str, title: str, body: str, count: int | None = None) -> str:
        n = f' <span class="count">{count}</span>' if count is not None else ""
        return (
            f'<section class="panel" id="panel-{key}" aria-labelledby="panel-{key}-h">'
            f'<h2 id="panel-{key}-h">{title}{n}</h2>{body}</section>'
        )

    @staticmethod
    def table(head: list[str], rows: list[str], cls: str = "") -> str:
        ths = "".join(f'<th scope="col">{h}</th>' for h in head)
        return (
            f'<div class="table-wrap"><table class="{cls}"><thead><tr>{ths}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    @staticmethod
    def none(what: str) -> str:
        return f'<p class="none">No {what} found.</p>'

    def claim_link(self, i: int) -> str:
        return f'<a class="claim-link" href="#claim-{i}">C{i + 1}</a>'

    def flags_panel(self) -> str:
        items = []
        for f in self.r.flags:
            quote = f'<q class="flag-text">{esc(_clip(f.text, 200))}</q>' if f.text else ""
            items.append(
                f'<li class="flag"><span class="flag-code">{esc(f.code.replace("_", " "))}</span>'
                f'<span class="flag-msg">{esc(f.message)}</span>{quote}</li>'
            )
        body = '<ul class="flags">' + "".join(items) + "</ul>" if items else self.none("flags")
        return self.panel("flags", "Things to check", body, len(items))

    def claims_panel(self) -> str:
        r = self.r
        rows = []
        for i, c in enumerate(r.claims):
            a = c.attribution
            kind = a.kind if a else "unattributed"
            source = esc(a.source.text) if a and a.source else '<span class="muted">none</span>'
            if a and a.cue:
                source += f' <span class="cue">({esc(a.cue.text)})</span>'
            hedge = esc(a.hedge.text) if a and a.hedge else '<span class="muted">–</span>'
            details = [
                f'<span class="chip chip-qty">{esc(r.quantities[q].text)}</span>'
                for q in c.quantities
                if 0 <= q < len(r.quantities)
            ]
            by_id = {e.id: e for e in r.entities}
            details += [
                f'<span class="chip chip-ent">{esc(by_id[e].name)}</span>'
                for e in c.entities
                if e in by_id
            ]
            rows.append(
                f'<tr id="claim-row-{i}"><td class="num">{self.claim_link(i)}</td>'
                f'<td class="claim-text">{esc(c.text)}'
                + (f'<div class="chips">{"".join(details)}</div>' if details else "")
                + "</td>"
                f'<td class="score">{_bar(c.checkworthiness)}</td>'
                f'<td><span class="badge attr attr-{_token(kind)}" '
                f'title="{esc(_ATTRIBUTION_HELP.get(kind, ""))}">'
                f"{esc(kind.replace('_', ' '))}</span></td>"
                f"<td>{source}</td><td>{hedge}</td></tr>"
            )
        head = ["#", "Claim", "Check-worthiness", "Attribution", "Source", "Hedge"]
        body = self.table(head, rows, "claims") if rows else self.none("check-worthy claims")
        return self.panel("claims", "Claims", body, len(rows))

    def sources_panel(self) -> str:
        rows = []
        for s in self.r.sources:
            where = "".join(
                f'<span class="badge where where-{_token(w)}">{w}</span>' for w in s.where
            )
            if s.claims:
                claims = " ".join(self.claim_link(claim_index(c)) for c in s.claims)
            else:
                claims = '<span class="warn">supports no claim</span>'
            n = len(s.mentions)
            rows.append(
                f'<tr><td class="src-name">{esc(s.name)}</td><td>{esc(s.kind)}</td>'
                f'<td class="num">{n}×</td><td>{where}</td><td>{claims}</td></tr>'
            )
        head = ["Who is cited", "Kind", "Cited", "Where", "Claims supported"]
        body = self.table(head, rows, "sources") if rows else self.none("sources")
        return self.panel("sources", "Sources", body, len(rows))

    def hedges_panel(self) -> str:
        r = self.r
        rows = []
        for i, h in enumerate(r.hedges):
            sentence = r.sentences[h.sentence].text if h.sentence < len(r.sentences) else ""
            rows.append(
                f'<tr><td><a href="#hedge-{i}">{esc(h.text)}</a></td>'
                f"<td>{esc(h.kind.replace('_', ' '))}</td>"
                f'<td class="context">{esc(_clip(sentence, 220))}</td></tr>'
            )
        head = ["Hedge", "Kind", "In the sentence"]
        body = self.table(head, rows, "hedges") if rows else self.none("hedges")
        return self.panel("hedges", "Hedges", body, len(rows))

    def quantities_panel(self) -> str:
        r = self.r
        in_claims: dict[int, list[int]] = {}
        for i, c in enumerate(r.claims):
            for q in c.quantities:
                in_claims.setdefault(q, []).append(i)
        rows = []
        for i, q in enumerate(r.quantities):
            value = "–" if q.value is None else f"{q.value:g}"
            claims = " ".join(self.claim_link(c) for c in in_claims.get(i, [])) or "–"
            rows.append(
                f'<tr><td><a href="#quantity-{i}">{esc(q.text)}</a></td>'
                f'<td class="num">{esc(value)}</td><td>{esc(q.unit or "–")}</td>'
                f"<td>{esc(q.kind)}</td><td>{claims}</td></tr>"
            )
        head = ["Number", "Value", "Unit", "Kind", "In claims"]
        body = self.table(head, rows) if rows else self.none("numbers")
        return self.panel("quantities", "Numbers", body, len(rows))

    def entities_panel(self) -> str:
        rows = []
        for e in sorted(self.r.entities, key=lambda e: (-len(e.mentions), e.id)):
            rows.append(
                f"<tr><td>{esc(e.name)}</td>"
                f'<td><span class="badge ent ent-{_token(e.label)}">{esc(e.label)}</span></td>'
                f'<td class="num">{len(e.mentions)}</td></tr>'
            )
        body = self.table(["Name", "Type", "Mentions"], rows) if rows else self.none("names")
        return self.panel("entities", "Names", body, len(rows))

    # --- consistency (headline and captions vs body) -------------------------------------------

    @staticmethod
    def stance_badge(v) -> str:
        help_ = {"agree": "The body supports it.", "disagree": "The body contradicts it.",
                 "discuss": "The body reports on it without taking a side.",
                 "unrelated": "The body is about something else."}[v.stance]
        return (f'<span class="badge stance stance-{_token(v.stance)}" title="{esc(help_)}">'
                f'{esc(v.stance)} <span class="num">{_pct(v.score)}</span></span>')

    def evidence_list(self, v) -> str:
        if not v.evidence:
            return ""
        items = "".join(f"<li>“{esc(_clip(e.text, 300))}”</li>" for e in v.evidence)
        return f'<ul class="evidence" aria-label="Evidence from the body">{items}</ul>'

    def headline_verdict(self) -> str:
        c = self.r.consistency
        if c is None or c.headline is None:
            return ""
        v = c.headline
        return (f'<div class="verdict headline-verdict"><span class="label">Headline vs '
                f'body</span> {self.stance_badge(v)}{self.evidence_list(v)}</div>')

    def caption_verdict(self, block: Block) -> str:
        c = self.r.consistency
        if c is None:
            return ""
        for v in c.captions:
            if v.start == block.start and v.end == block.end:
                return (f'<p class="verdict caption-verdict"><span class="label">Caption vs '
                        f"body</span> {self.stance_badge(v)}</p>")
        return ""

    def consistency_panel(self) -> str:
        c = self.r.consistency
        if c is None:
            return ""
        items = ([("Headline", c.headline)] if c.headline else []) + \
            [("Caption", v) for v in c.captions]
        rows = []
        for what, v in items:
            rows.append(
                f"<tr><td>{what}</td><td>{esc(_clip(v.text, 200))}</td>"
                f"<td>{self.stance_badge(v)}</td>"
                f"<td>{self.evidence_list(v) or '–'}</td></tr>"
            )
        body = self.table(["Part", "Text", "Relation to body", "Evidence"], rows)
        return self.panel("consistency", "Headline and captions vs body", body, len(rows))

    def panels(self) -> str:
        return "\n".join(
            [
                self.flags_panel(),
                self.claims_panel(),
                self.sources_panel(),
                self.hedges_panel(),
                self.consistency_panel(),
                '<div class="panel-grid">',
                self.quantities_panel(),
                self.entities_panel(),
                "</div>",
            ]
        )

    def footer(self) -> str:
        r = self.r
        rows = [f"<dt>Schema</dt><dd>{esc(r.schema_version)}</dd>"]
        rows += [f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in sorted(r.versions.items())]
        rows += [f"<dt>{esc(k)}</dt><dd>{esc(f'{v:g}')}</dd>" for k, v in sorted(r.metrics.items())]
        return (
            "<p>Made by unspin, offline. Highlights mark what the models found; they are "
            "pointers for a human reader, not verdicts.</p>"
            f'<dl class="versions">{"".join(rows)}</dl>'
        )

    # --- styles -------------------------------------------------------------------------------

    def technique_css(self) -> str:
        out = []
        for name, k in self.tq.items():
            bg, edge = PALETTE[self.colors[name]]
            out.append(f".tq-{k}{{--bg:{bg};--edge:{edge}}}")
            off = "background:none;box-shadow:none"
            out.append(f".report:has(#show-tq-{k}:not(:checked)) mark.tq-{k}{{{off}}}")
            out.append(f".report.off-tq-{k} mark.tq-{k}{{{off}}}")
        return "\n".join(out)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (UTF-8 text)."""
    page = _Page(report)
    script = _resource("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    lang = (
        report.meta.language
        if re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", report.meta.language)
        else "en"
    )
    assert '"' not in csp and "<" not in csp
    template = string.Template(_resource("report.html"))
    return template.substitute(
        lang=lang,
        csp=csp,
        page_title=esc(f"{_clip(page.title_text(), 90)} · unspin report"),
        css=_resource("report.css"),
        technique_css=page.technique_css(),
        header=page.header(),
        article=page.article(),
        legend=page.legend(),
        panels=page.panels(),
        footer=page.footer(),
        data=embed_json(report.to_json(indent=None)),
        script=script,
    )


def _example(name: str) -> str:
    """The invented example sentence of a technique; empty for a name we do not know."""
    try:
        return get_technique(name).example
    except KeyError:
        return ""
