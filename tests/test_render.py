"""Renderers: highlight segments, JSON, text and HTML, on hand-built reports (no models)."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import random
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import jsonschema
import pytest

from unspin.render import FORMATS, render
from unspin.render.highlight import (
    CloseMark,
    OpenMark,
    TextRun,
    article_blocks,
    display_name,
    nest,
    segments,
    technique_colors,
)
from unspin.render.html import embed_json
from unspin.report import (
    Attribution,
    Caption,
    Claim,
    Consistency,
    Entity,
    Flag,
    FrameScore,
    Genre,
    Hedge,
    Mention,
    Meta,
    Paragraph,
    Quantity,
    Report,
    Sentence,
    Source,
    Span,
    Stance,
    Technique,
    TechniqueScore,
    report_schema,
)
from unspin.taxonomy import get_technique

# --- building reports by hand -------------------------------------------------------------------

TITLE = "Rebels Launch Brutal Attack"
CAPTION = "Archive image supplied by AP News."
SENT1 = "The brutal regime reportedly fired 40 missiles at the city, officials said."
SENT2 = "Critics call it a cowardly disgrace."
TEXT = f"{TITLE}\n\n{CAPTION}\n\n{SENT1} {SENT2}\n"

DEFINITIONS = {
    "Loaded_Language": "Words with strong emotional implications used to influence the reader.",
    "Exaggeration-Minimisation": "Representing something as much better or worse than it is.",
    "Name_Calling-Labeling": "Labelling the target as something the audience fears or hates.",
}


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def span(needle: str, cls=Span, text: str = TEXT, nth: int = 0, **kw):
    start, end = at(text, needle, nth)
    return cls(start=start, end=end, text=needle, **kw)


def technique(needle: str, name: str, score: float, nth: int = 0) -> Technique:
    return span(
        needle, Technique, nth=nth, technique=name, score=score, definition=DEFINITIONS[name]
    )


def sample_report() -> Report:
    """A small report with every kind of finding, overlapping spans included."""
    sentences = [
        span(TITLE, Sentence, index=0, paragraph=-1, part="title"),
        span(CAPTION, Sentence, index=1, paragraph=-1, part="caption"),
        span(SENT1, Sentence, index=2, paragraph=0),
        span(SENT2, Sentence, index=3, paragraph=0),
    ]
    body = f"{SENT1} {SENT2}"
    techniques = [
        technique("Brutal", "Loaded_Language", 0.81),
        technique("brutal regime", "Loaded_Language", 0.92),
        # Crosses the span above ("regime" is in both) and contains the hedge and the quantity.
        technique("regime reportedly fired 40 missiles", "Exaggeration-Minimisation", 0.64),
        technique("cowardly disgrace", "Name_Calling-Labeling", 0.88),
        # The same words, twice: two techniques on one span.
        technique("cowardly disgrace", "Loaded_Language", 0.75),
    ]
    quantities = [
        span(
            "40 missiles",
            Quantity,
            value=40.0,
            number="40",
            unit="missiles",
            kind="count",
            sentence=2,
        ),
    ]
    hedges = [span("reportedly", Hedge, kind="adverb", sentence=2)]
    entities = [
        Entity(id=0, name="AP News", label="ORG", mentions=[span("AP News", Mention, sentence=1)]),
        Entity(id=1, name="Rebels", label="NORP", mentions=[span("Rebels", Mention, sentence=0)]),
    ]
    claims = [
        span(
            SENT1,
            Claim,
            sentence=2,
            checkworthiness=0.91,
            quantities=[0],
            entities=[],
            attribution=Attribution(
                kind="attributed",
                source=span("officials"),
                cue=span("said"),
                hedge=span("reportedly"),
            ),
        ),
        span(
            SENT2,
            Claim,
            sentence=3,
            checkworthiness=0.42,
            attribution=Attribution(kind="anonymous", source=span("Critics")),
        ),
    ]
    return Report(
        text=TEXT,
        title=span(TITLE),
        meta=Meta(outlet="The Daily Example", byline="A. Writer", date="2024-05-01"),
        captions=[span(CAPTION, Caption)],
        paragraphs=[
            span(
                body,
                Paragraph,
                index=0,
                techniques=[
                    TechniqueScore(technique="Loaded_Language", score=0.9),
                    TechniqueScore(technique="Doubt", score=0.55),
                ],
            ),
        ],
        sentences=sentences,
        entities=entities,
        quantities=quantities,
        hedges=hedges,
        techniques=techniques,
        claims=claims,
        sources=[
            Source(name="AP News", kind="outlet", mentions=[span("AP News")], where=["caption"]),
            Source(
                name="officials",
                kind="anonymous",
                mentions=[span("officials")],
                where=["body"],
                claims=["C1"],
            ),
        ],
        consistency=Consistency(headline=span(TITLE, Stance, stance="discuss", score=0.6,
                                              scores={"discuss": 0.6})),
        genre=Genre(label="opinion", scores={"opinion": 0.7, "reporting": 0.3}),
        frames=[FrameScore(frame="Security_and_defense", score=0.8)],
        flags=[
            Flag(
                code="unused_source",
                message="The caption cites AP News; the body never does.",
                **span("AP News").model_dump(),
            ),
        ],
        versions={"unspin": "0.1.0"},
    )


def check_spans(report: Report) -> None:
    items = [
        report.title,
        *report.captions,
        *report.paragraphs,
        *report.sentences,
        *report.quantities,
        *report.hedges,
        *report.techniques,
        *report.claims,
    ]
    items += [m for e in report.entities for m in e.mentions]
    for item in items:
        assert report.text[item.start : item.end] == item.text, item


def test_sample_report_spans_are_exact():
    check_spans(sample_report())


# --- highlight.segments ---------------------------------------------------------------------


def item(start, end):
    return SimpleNamespace(start=start, end=end)


def brute_marks(text, layers, lo, hi, pos):
    """The (layer, index) of every usable span covering ``pos``, by brute force."""
    out = set()
    for name, items in layers.items():
        for i, it in enumerate(items):
            if it.start is None or it.end is None:
                continue
            s, e = max(0, min(it.start, len(text))), max(0, min(it.end, len(text)))
            if s <= pos < e:
                out.add((name, i))
    return out


def check_segments(text, layers, lo=0, hi=None):
    segs = segments(text, layers, start=lo, end=hi)
    hi = len(text) if hi is None else hi
    assert "".join(s.text for s in segs) == text[lo:hi]
    pos = lo
    for s in segs:
        assert s.start == pos and s.end > s.start and text[s.start : s.end] == s.text
        pos = s.end
        for p in (s.start, s.end - 1):
            assert {(m.layer, m.index) for m in s.marks} == brute_marks(text, layers, lo, hi, p)
    assert pos == hi or not segs
    for a, b in zip(segs, segs[1:], strict=False):
        assert a.marks != b.marks  # maximal: a cut only where the covering set changes
    check_nesting(text, segs)
    return segs


def check_nesting(text, segs):
    """nest() is properly nested and each mark's pieces spell out its (windowed) span."""
    stack, pieces, opened, firsts = [], {}, [], set()
    for ev in nest(segs):
        if isinstance(ev, OpenMark):
            stack.append(ev.mark)
            opened.append(ev)
        elif isinstance(ev, CloseMark):
            assert stack.pop() == ev.mark
            assert ev.last == (ev.mark.end <= pieces[ev.mark][-1].end)
        else:
            assert isinstance(ev, TextRun)
            assert stack == ev.segment.marks
            for op in opened:
                assert op.first == (op.mark.start == ev.segment.start)
                if op.first:
                    assert op.mark not in firsts
                    firsts.add(op.mark)
            opened = []
            for m in stack:
                pieces.setdefault(m, []).append(ev.segment)
    assert not stack
    if not segs:
        return
    lo, hi = segs[0].start, segs[-1].end
    for m, parts in pieces.items():
        assert "".join(p.text for p in parts) == text[max(lo, m.start) : min(hi, m.end)]
        assert all(a.end == b.start for a, b in zip(parts, parts[1:], strict=False))


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [(0, 5)],
        [(0, 11)],
        [(2, 4), (2, 4)],
        [(0, 6), (2, 4)],
        [(0, 6), (3, 9)],
        [(0, 3), (3, 6), (6, 11)],
        [(1, 10), (2, 9), (3, 8), (4, 7)],
        [(5, 5), (4, 4)],  # empty spans are ignored
        [(-3, 2), (9, 50)],  # clipped to the text
        [(8, 3)],  # reversed: ignored
        [(None, 4), (2, None)],  # no offsets: ignored
    ],
)
def test_segments_hand_cases(spans):
    text = "hello world"
    layers = {"technique": [item(s, e) for s, e in spans], "hedge": [item(2, 7)]}
    check_segments(text, layers)


def test_segments_marks_are_outermost_first():
    text = "abcdefghij"
    layers = {"quantity": [item(2, 4)], "technique": [item(0, 8)], "claim": [item(0, 10)]}
    segs = segments(text, layers)
    inner = next(s for s in segs if s.start == 2)
    assert [m.layer for m in inner.marks] == ["claim", "technique", "quantity"]
    assert inner.layer("technique")[0].key == "technique-0"


def test_segments_window_and_pairs_input():
    text = "one two three four"
    layers = [("technique", [item(2, 10)]), ("hedge", [item(8, 18)])]
    segs = segments(text, layers, start=4, end=13)
    assert "".join(s.text for s in segs) == text[4:13]
    assert segs[0].marks[0].start == 2  # marks keep their full extent
    assert segments(text, layers, start=5, end=5) == []
    check_segments(text, dict(layers), 4, 13)


def test_segments_random():
    rng = random.Random(1234)
    for _ in range(400):
        n = rng.randint(0, 40)
        text = "".join(rng.choice("ab c\n") for _ in range(n))
        layers = {
            name: [
                item(rng.randint(-2, n + 2), rng.randint(-2, n + 2))
                for _ in range(rng.randint(0, 6))
            ]
            for name in ("technique", "hedge", "quantity", "claim")
        }
        lo = rng.randint(0, n)
        hi = rng.randint(lo, n)
        check_segments(text, layers)
        check_segments(text, layers, lo, hi)


def test_article_blocks_keep_uncovered_text():
    report = Report(
        text="Headline\n\nFirst line.\nSecond line.\n", title=span("Headline", text="Headline")
    )
    blocks = article_blocks(report)
    assert [(b.kind, report.text[b.start : b.end]) for b in blocks] == [
        ("title", "Headline"),
        ("paragraph", "First line."),
        ("paragraph", "Second line."),
    ]


def test_display_name_and_colours():
    assert display_name("Loaded_Language") == "Loaded language"
    assert display_name("Name_Calling-Labeling") == "Name calling labeling"
    names = [f"T{i}" for i in range(12)]
    assert len(set(technique_colors(names).values())) == 12  # distinct while the palette lasts
    assert technique_colors(["Doubt", "Loaded_Language"])["Loaded_Language"] == 0  # stable


# --- JSON -----------------------------------------------------------------------------------------


def test_json_validates_and_round_trips():
    report = sample_report()
    out = render(report, "json")
    assert out == report.to_json()
    jsonschema.Draft202012Validator(report_schema()).validate(json.loads(out))
    assert Report.model_validate_json(out) == report


def test_unknown_format():
    assert FORMATS == ("text", "json", "html")
    with pytest.raises(ValueError, match="unknown format"):
        render(sample_report(), "pdf")  # type: ignore[arg-type]


# --- text -----------------------------------------------------------------------------------------


def test_text_plain_has_markers_and_tables():
    out = render(sample_report(), "text", color=False, width=200)
    assert "\x1b[" not in out
    # Crossing spans: the outer one closes, the crossing one goes on as a continuation.
    assert (
        "[Loaded language: brutal [Exaggeration minimisation: regime]]"
        "[Exaggeration minimisation (cont.):  [hedge: reportedly] fired [qty: 40 missiles]]"
    ) in out
    assert "[Name calling labeling: [Loaded language: cowardly disgrace]]" in out
    assert "{C1} The [Loaded language: brutal" in out
    assert "{C2} Critics" in out
    assert "Caption: Archive image supplied by AP News." in out
    assert "Rebels Launch [Loaded language: Brutal] Attack" in out
    assert "The Daily Example · A. Writer · 2024-05-01" in out
    assert "Genre: opinion (0.70)" in out and "Security and defense (0.80)" in out
    assert ("paragraph techniques: Loaded language 0.90 at “brutal regime”; "
            "Doubt 0.55 whole paragraph") in out
    for heading in (
        "Flags (1)",
        "Techniques (3)",
        "Claims (2)",
        "Sources (2)",
        "Hedges (1)",
        "Quantities (1)",
        "Entities (2)",
        "Headline and captions vs body (1)",
    ):
        assert heading in out
    techniques = out[out.index("Techniques (3)") : out.index("Claims (2)")]
    assert re.search(r"Loaded language\s*\|\s*3\s*\|\s*0\.83", techniques)  # count, mean score
    assert "“cowardly disgrace”" in techniques
    # what each technique means: its definition and the invented example sentence
    assert DEFINITIONS["Loaded_Language"] in techniques
    assert get_technique("Loaded_Language").example[:40] in techniques
    claims = out[out.index("Claims (2)") : out.index("Sources (2)")]
    assert "attributed" in claims and "officials (said)" in claims and "hedge: reportedly" in claims
    assert "anonymous" in claims and "Critics" in claims
    sources = out[out.index("Sources (2)") : out.index("Hedges (1)")]
    assert re.search(r"AP News\s*\|\s*outlet\s*\|\s*1\s*\|\s*caption\s*\|\s*none", sources)
    assert "[unused_source] The caption cites AP News" in out


def test_text_colour_keeps_span_text():
    report = sample_report()
    out = render(report, "text", color=True, width=200)
    assert "\x1b[" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    for t in report.techniques:
        assert t.text in plain
    assert " C1 " in plain


def test_text_empty_report_and_markup_safety():
    text = "Plain [bold]words[/bold] :smile: here."
    out = render(Report(text=text, title=None), "text", color=False, width=80)
    assert text in out
    assert "none found" in out
    assert "Genre" not in out and "Frames" not in out and "Headline and captions" not in out


# --- HTML -----------------------------------------------------------------------------------------


class MarkCollector(HTMLParser):
    """Collects the text inside each highlight, keyed by (layer, data-i), and checks nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.open_marks: list[tuple[str, str] | None] = []
        self.text: dict[tuple[str, str], str] = {}
        self.skip = 0
        self.tags: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "a" and "claim-tag" in (a.get("class") or ""):
            self.skip += 1
        if tag == "mark":
            key = (a["data-layer"], a["data-i"])
            self.open_marks.append(key)
            self.text.setdefault(key, "")

    def handle_endtag(self, tag):
        if tag == "a" and self.skip:
            self.skip -= 1
        if tag == "mark":
            self.open_marks.pop()

    def handle_data(self, data):
        if self.skip:
            return
        for key in set(self.open_marks):
            self.text[key] += data


def parse_marks(page: str) -> MarkCollector:
    parser = MarkCollector()
    parser.feed(page)
    parser.close()
    assert parser.open_marks == []
    return parser


def data_block(page: str) -> str:
    found = re.findall(
        r'<script type="application/json" id="unspin-data">(.*?)</script>', page, re.S
    )
    assert len(found) == 1
    return found[0]


class ResourceFinder(HTMLParser):
    """Everything in a page that could load something: external URLs, embedding tags, CSS urls."""

    URL_ATTRS = {"src", "href", "action", "srcset", "poster", "data", "formaction", "background"}
    EMBEDS = {"link", "img", "iframe", "frame", "object", "embed", "video", "audio", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in self.EMBEDS:
            self.found.append(f"<{tag}>")
        self.in_style = tag == "style"
        for name, value in attrs:
            if name in self.URL_ATTRS and not (value or "").startswith("#"):
                self.found.append(f"{tag} {name}={value}")
            if name == "style" and "url(" in (value or ""):
                self.found.append(f"{tag} style={value}")

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style and ("url(" in data or "@import" in data):
            self.found.append("css url")


def external_refs(page: str) -> list[str]:
    finder = ResourceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def test_html_is_one_self_contained_document():
    report = sample_report()
    page = render(report, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert page.count("<html") == 1 and page.count("<body") == 1
    assert "<link" not in page and "@font-face" not in page
    assert external_refs(page) == []
    assert "http://" not in page and "https://" not in page  # no URL in this report at all
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # The CSP pins the page's one script by its hash.
    script = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(script) == 1
    digest = base64.b64encode(hashlib.sha256(script[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in page


def test_html_marks_every_span():
    report = sample_report()
    marks = parse_marks(render(report, "html")).text
    for layer, items in (
        ("technique", report.techniques),
        ("hedge", report.hedges),
        ("quantity", report.quantities),
        ("claim", report.claims),
    ):
        for i, it in enumerate(items):
            assert marks[(layer, str(i))] == it.text, (layer, i)
    for i, e in enumerate(report.entities):
        assert marks[("entity", str(i))] == "".join(m.text for m in e.mentions)


def test_html_content():
    report = sample_report()
    page = render(report, "html")
    assert "<title>Rebels Launch Brutal Attack · unspin report</title>" in page
    assert "The Daily Example" in page and "A. Writer" in page and "2024-05-01" in page
    assert "Genre: Opinion" in page and "Security and defense" in page
    # Captions come above the body, styled as captions.
    assert page.index('<figure class="caption') < page.index('<div class="body">')
    # Legend: each technique with its definition, count and a toggle; the layer toggles.
    for name, definition in DEFINITIONS.items():
        assert display_name(name) in page and definition in page
        assert html.escape(get_technique(name).example, quote=False) in page
    assert re.search(r"Loaded language</span> <span class=\"count\">3</span>", page)
    for layer in ("technique", "hedge", "quantity", "entity", "claim"):
        assert f'id="show-{layer}"' in page
    assert page.count('id="show-tq-') == 3
    # Panels.
    assert 'id="claim-row-0"' in page and 'href="#claim-0"' in page and 'id="claim-0"' in page
    assert "officials" in page and "reportedly" in page and "attr-attributed" in page
    assert "supports no claim" in page  # AP News, cited only in the caption
    assert "unused source" in page and "The caption cites AP News; the body never does." in page
    assert "Headline and captions vs body" in page
    # Keyboard: highlights can be focused; tooltips exist without the script too.
    assert 'tabindex="0"' in page and 'title="Loaded language (score 0.92).' in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert '<time datetime="2024-05-01">' in page
    data = data_block(page)
    assert "<" not in data and ">" not in data
    assert Report.model_validate_json(data) == report


def test_html_escapes_everything():
    evil = "<script>alert(1)</script>"
    text = (
        f"Breaking <b>news</b> & more\n\n"
        f"They wrote {evil} and then </script><img src=x onerror=alert(2)> <!-- end.\n"
    )
    title = span("Breaking <b>news</b> & more", text=text)
    body_start = text.index("They")
    body = Paragraph(start=body_start, end=len(text) - 1, text=text[body_start:-1], index=0)
    tech = Technique(
        **span(evil, text=text).model_dump(),
        technique='x"><script>alert(3)',
        score=0.5,
        definition="</script><script>alert(4)</script>",
    )
    report = Report(
        text=text,
        title=title,
        meta=Meta(
            byline='"><svg onload=alert(5)>',
            url="javascript:alert(6)",
            outlet="<i>Outlet</i>",
            language="en",
        ),
        paragraphs=[body],
        sentences=[Sentence(start=body.start, end=body.end, text=body.text, index=0,
                            paragraph=0)],
        techniques=[tech],
        hedges=[Hedge(**span("</script>", text=text).model_dump(), kind="phrase", sentence=0)],
        sources=[
            Source(
                name='<a href="https://evil.example">x</a>',
                kind="other",
                mentions=[],
                where=["body"],
            )
        ],
        flags=[Flag(code="<iframe>", message="<iframe src=//evil.example></iframe>")],
        frames=[FrameScore(frame="<style>", score=0.5)],
        versions={"<k>": "</script>"},
    )
    check_spans(report)
    page = render(report, "html")
    assert "<script>alert" not in page
    assert page.count("<script") == 2 and page.count("</script") == 2  # the data and the code
    for bad in (
        "<img",
        "<svg",
        "<iframe",
        "<b>news",
        "<i>",
        '<a href="https',
        "<!-- end",
        "<style>\n<",
        "onload=alert(5)>",
    ):
        assert bad not in page, bad
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript", page, re.I)
    assert "javascript:alert(6)</p>" in page  # the URL is shown as text, not a link
    assert external_refs(page) == []
    assert "&lt;script&gt;alert(1)" in page
    data = data_block(page)
    assert "</script" not in data and "<" not in data
    assert Report.model_validate_json(data) == report
    marks = parse_marks(page).text
    assert marks[("technique", "0")] == evil and marks[("hedge", "0")] == "</script>"


def test_html_empty_report():
    page = render(Report(text="Only a line of text.", title=None), "html")
    assert "Untitled article" in page
    assert "Only a line of text." in page
    assert "No persuasion techniques found." in page and "No check-worthy claims found." in page
    assert "Headline and captions vs body" not in page


def test_embed_json_is_same_json():
    raw = json.dumps({"a": "</script><!-- & \u2028"})
    safe = embed_json(raw)
    assert "<" not in safe and ">" not in safe and "&" not in safe
    assert json.loads(safe) == json.loads(raw)


def test_frames_not_judged_is_said_in_every_view():
    report = sample_report().model_copy(update={"frames": [], "frames_judged": False})
    text = render(report, "text", color=False, width=200)
    assert "Frames: not judged: the frame model recognises too little" in text
    page = render(report, "html")
    assert 'class="badge frame not-judged"' in page and "Frames: not judged" in page
    assert "not judged" not in render(sample_report(), "text", color=False, width=200)
    assert json.loads(render(report, "json"))["frames_judged"] is False
