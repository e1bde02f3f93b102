"""A Comparison as terminal text, JSON, or one self-contained HTML page.

The HTML page has no external assets (styles inline in one ``<style>`` element, no scripts, no
fonts, no images) and every piece of article text, name and input is escaped, so a hostile
article cannot inject markup. Each story is a table with one column per article: figures side
by side (rows whose figures or attributions differ are marked), claims told only here, the
sources each article cites, and its language.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

from unspin.compare.model import (
    AlignedClaim,
    ArticleLanguage,
    ClaimAttribution,
    Comparison,
    Story,
    StoryArticle,
)


def render_comparison(comparison: Comparison, fmt: str = "text") -> str:
    """``fmt``: ``"text"`` (terminal), ``"json"`` (the published schema) or ``"html"``."""
    if fmt == "json":
        return comparison.to_json()
    if fmt == "html":
        return render_html(comparison)
    if fmt == "text":
        return render_text(comparison)
    raise ValueError(f"unknown format {fmt!r}: expected text, json or html")


def _label(outlet: str | None, name: str) -> str:
    return f"{outlet} ({name})" if outlet else name


def _attribution(a: ClaimAttribution) -> str:
    if a.kind == "not_a_claim":
        return "not judged a claim"
    kind = a.kind.replace("_", " ")
    if a.source is not None:
        kind += f": {a.source.text}"
    if a.hedge is not None:
        kind += f" (hedged: {a.hedge.text})"
    return kind


# --- text ---------------------------------------------------------------------------------------


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=width, initial_indent=indent,
                         subsequent_indent=indent) or [indent]


def render_text(comparison: Comparison) -> str:
    """A plain-text view for a terminal."""
    out: list[str] = []
    n_articles = sum(len(s.articles) for s in comparison.stories) + len(comparison.unrelated)
    out.append(f"{n_articles} articles: {len(comparison.stories)} stories, "
               f"{len(comparison.unrelated)} unrelated"
               + (f", {len(comparison.errors)} not analysed" if comparison.errors else ""))
    for story in comparison.stories:
        out.append("")
        out.append("=" * 100)
        out.append(f"Story {story.id}: {len(story.articles)} articles")
        for a in story.articles:
            out.append(f"  - {_label(a.outlet, a.input)} {a.date or ''}".rstrip())
            if a.title:
                out += _wrap(a.title, "      ")
        out.append("")
        out.append("Figures side by side")
        if not story.claims:
            out.append("  (no figure given by two or more articles)")
        for c in story.claims:
            mark = "DIFFER" if not c.agree else ("SOURCES DIFFER" if not c.attributions_agree
                                                 else c.agreement)
            ctx = f" [{', '.join(c.context)}]" if c.context else ""
            out.append(f"  * {c.about}{ctx}: {mark}")
            for f in c.figures:
                out.append(f"      {f.number:>12}  {_label(f.outlet, f.input)}: "
                           f"{_attribution(f.attribution)}")
                out += _wrap(f'"{f.sentence.text}"', " " * 20)
            for m in c.missing:
                out.append(f"      {'-':>12}  {m}: not given")
        out.append("")
        out.append("Told only here")
        if not story.only_here:
            out.append("  (none)")
        for o in story.only_here:
            out.append(f"  * {_label(o.outlet, o.input)} ({_attribution(o.attribution)})")
            out += _wrap(f'"{o.sentence.text}"', "      ")
        out.append("")
        out.append("Sources")
        for s in story.sources:
            by = ", ".join(f"{c.outlet or c.input} ({c.claims} claims)" for c in s.cited_by)
            out.append(f"  * {s.name} [{s.kind}]{' only here' if s.only_here else ''}: {by}")
        out.append("")
        out.append("Language")
        for lang in story.language:
            tops = ", ".join(f"{t.technique} {t.count}" for t in lang.top_techniques) or "none"
            out.append(f"  * {_label(lang.outlet, lang.input)}: "
                       f"{lang.techniques_per_100_words} techniques and "
                       f"{lang.loaded_per_100_words} loaded phrases per 100 words; {tops}")
            for t in lang.targets:
                quotes = "; ".join(f'"{w.text}"' for w in t.wording[:3])
                out += _wrap(f"targets {t.name} ({t.label}) x{t.count}: {quotes}", "      ")
    if comparison.unrelated:
        out.append("")
        out.append("Unrelated (no other article tells the same story)")
        for a in comparison.unrelated:
            out.append(f"  - {_label(a.outlet, a.input)}" + (f": {a.title}" if a.title else ""))
    if comparison.errors:
        out.append("")
        out.append("Not analysed")
        for e in comparison.errors:
            out.append(f"  - {e.input}: {e.error}")
    return "\n".join(out) + "\n"


# --- HTML ---------------------------------------------------------------------------------------


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;
background:#fafafa}
header,main{max-width:1400px;margin:0 auto;padding:12px 20px}
h1{font-size:22px;margin:8px 0}h2{font-size:19px;margin:28px 0 8px}
h3{font-size:16px;margin:18px 0 6px}
.story{background:#fff;border:1px solid #ddd;border-radius:8px;padding:4px 16px 16px;
margin:18px 0}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #e3e3e3;padding:6px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f5;font-weight:600}
td.row{width:14%;font-weight:600;background:#fcfcfd}
tr.differ td{background:#fff4e5}tr.differ td.row{background:#ffe2b8}
tr.srcdiffer td.row{background:#fdf0c4}
.num{font-size:18px;font-weight:700}.differ .num{color:#b34700}
.q{color:#555;font-size:13px}.att{font-size:12px;color:#345;margin-top:4px}
.missing{color:#999;font-style:italic}
.only{margin:0 0 8px;padding-left:8px;border-left:3px solid #7a5cff}
.loaded{background:#ffe1e1;border-radius:3px;padding:0 2px}
.tag{display:inline-block;background:#eef;border-radius:10px;padding:0 8px;margin:1px;
font-size:12px}
.note{color:#666;font-size:13px}
ul{margin:4px 0;padding-left:18px}
"""


def render_html(comparison: Comparison) -> str:
    """The whole comparison as one HTML page, with no external assets."""
    n_articles = sum(len(s.articles) for s in comparison.stories) + len(comparison.unrelated)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>unspin compare</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header><h1>unspin compare</h1>",
        f'<p class="note">{n_articles} articles: {len(comparison.stories)} stories, '
        f"{len(comparison.unrelated)} unrelated"
        + (f", {len(comparison.errors)} not analysed" if comparison.errors else "")
        + ". Figures that differ between outlets are marked in orange.</p></header><main>",
    ]
    for story in comparison.stories:
        parts.append(_story_html(story))
    if comparison.unrelated:
        parts.append("<h2>Unrelated</h2><p class=\"note\">No other article tells the same "
                     "story.</p><ul>")
        for a in comparison.unrelated:
            parts.append(f"<li><b>{esc(a.outlet or '')}</b> {esc(a.title or '')} "
                         f'<span class="q">{esc(a.input)}</span></li>')
        parts.append("</ul>")
    if comparison.errors:
        parts.append("<h2>Not analysed</h2><ul>")
        for e in comparison.errors:
            parts.append(f"<li>{esc(e.input)}: {esc(e.error)}</li>")
        parts.append("</ul>")
    g = comparison.grouping
    parts.append(f'<p class="note">Grouping: score threshold {esc(g.threshold)} '
                 f"({esc(g.undated_threshold)} when a date is unknown), dates at most "
                 f"{esc(g.window_days)} days apart; embeddings "
                 f"{'used' if g.embeddings else 'not available'}.</p>")
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _head_row(articles: Sequence[StoryArticle]) -> str:
    cells = "".join(
        f"<th>{esc(a.outlet or a.input)}<div class=\"q\">{esc(a.title or '')}</div>"
        f"<div class=\"q\">{esc(a.date or '')} &middot; {esc(a.input)}</div></th>"
        for a in articles)
    return f'<tr><th class="row"></th>{cells}</tr>'


def _story_html(story: Story) -> str:
    arts = story.articles
    order = {a.input: k for k, a in enumerate(arts)}
    title = next((a.title for a in arts if a.title), f"Story {story.id}")
    out = [f'<section class="story" id="story-{story.id}">',
           f"<h2>Story {story.id}: {esc(title)}</h2>",
           f'<p class="note">{len(arts)} articles.</p>',
           "<h3>Figures side by side</h3>"]
    if story.claims:
        out.append("<table>" + _head_row(arts))
        for c in story.claims:
            out.append(_claim_row(c, order, len(arts)))
        out.append("</table>")
    else:
        out.append('<p class="note">No figure is given by two or more articles.</p>')
    out.append("<h3>Who each outlet relies on</h3><table>" + _head_row(arts))
    cells = []
    for a in arts:
        kinds = ", ".join(f"{esc(k)} {v}" for k, v in a.source_kinds.items()) or "none"
        att = ", ".join(f"{esc(k.replace('_', ' '))} {v}" for k, v in a.attribution.items())
        cells.append(f"<td>Sources: {kinds}<div class=\"att\">{a.claims} claims: "
                     f"{att or 'none'}</div></td>")
    out.append(f'<tr><td class="row">Overview</td>{"".join(cells)}</tr>')
    for s in story.sources:
        row = [""] * len(arts)
        for c in s.cited_by:
            k = order.get(c.input)
            if k is not None:
                row[k] += (f"<div>{esc(c.name)} <span class=\"tag\">{esc(c.kind)}</span>"
                           f"<div class=\"att\">{c.mentions} mentions, {c.claims} claims, "
                           f"in {esc(', '.join(c.where))}</div></div>")
        label = esc(s.name) + (' <span class="tag">only here</span>' if s.only_here else "")
        out.append(f'<tr><td class="row">{label}</td>'
                   + "".join(f"<td>{c or '<span class=missing>&ndash;</span>'}</td>"
                             for c in row) + "</tr>")
    out.append("</table>")
    out.append("<h3>Told only here</h3><table>" + _head_row(arts) + '<tr><td class="row">'
               "Claims no other article makes</td>")
    for a in arts:
        items = [o for o in story.only_here if o.input == a.input]
        cell = "".join(f'<p class="only">{esc(o.sentence.text)}<span class="att"><br>'
                       f"{esc(_attribution(o.attribution))}</span></p>" for o in items)
        out.append(f"<td>{cell or '<span class=missing>none</span>'}</td>")
    out.append("</tr></table>")
    out.append("<h3>Language</h3><table>" + _head_row(arts))
    langs = {lang.input: lang for lang in story.language}
    out.append('<tr><td class="row">Rates and techniques</td>'
               + "".join(_language_cell(langs.get(a.input)) for a in arts) + "</tr>")
    out.append('<tr><td class="row">Loaded wording aimed at</td>'
               + "".join(_targets_cell(langs.get(a.input)) for a in arts) + "</tr>")
    out.append("</table>")
    if story.links:
        out.append('<p class="note">Grouped because: ' + "; ".join(
            f"{esc(lk.a)} ~ {esc(lk.b)} score {lk.score:.3f} (words {lk.words:.2f}, "
            f"names {lk.names:.2f}, embedding {lk.embedding:.2f})" for lk in story.links)
            + "</p>")
    out.append("</section>")
    return "\n".join(out)


def _claim_row(c: AlignedClaim, order: dict[str, int], n: int) -> str:
    cells = ['<span class="missing">not given</span>'] * n
    for f in c.figures:
        k = order.get(f.input)
        if k is None:
            continue
        cells[k] = (f'<div class="num">{esc(f.number)}</div>'
                    f'<div class="q">{esc(f.sentence.text)}</div>'
                    f'<div class="att">{esc(_attribution(f.attribution))}</div>')
    cls = "differ" if not c.agree else ("srcdiffer" if not c.attributions_agree else "")
    label = esc(c.about) + (f'<div class="q">{esc(", ".join(c.context))}</div>'
                            if c.context else "")
    if c.disagreement:
        label += f'<div class="att">{esc(c.disagreement)}</div>'
    return (f'<tr class="{cls}"><td class="row">{label}</td>'
            + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")


def _language_cell(lang: ArticleLanguage | None) -> str:
    if lang is None:
        return "<td></td>"
    tops = "".join(f'<span class="tag">{esc(t.technique)} {t.count}</span>'
                   for t in lang.top_techniques)
    return (f"<td>{lang.techniques_per_100_words} techniques and "
            f"{lang.loaded_per_100_words} loaded phrases per 100 words "
            f"({lang.words} words)<div>{tops}</div></td>")


def _targets_cell(lang: ArticleLanguage | None) -> str:
    if lang is None or not lang.targets:
        return '<td><span class="missing">none found</span></td>'
    items = "".join(
        f"<li><b>{esc(t.name)}</b> <span class=\"tag\">{esc(t.label)}</span> &times;{t.count}: "
        + ", ".join(f'<span class="loaded">{esc(w.text)}</span>' for w in t.wording[:4])
        + "</li>" for t in lang.targets)
    return f"<td><ul>{items}</ul></td>"
