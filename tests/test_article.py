"""Tests for unspin.article: every reader keeps spans exact and rejects bad input clearly."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from unspin.article import (
    Article,
    decode_bytes,
    fetch_url,
    load_article,
    load_articles,
    parse_html,
    parse_record,
    parse_text,
    read_records,
)
from unspin.errors import FetchError, InputError

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def assert_spans(article: Article) -> None:
    """The span invariant: exact, stripped, in order, not overlapping."""
    spans = [article.title] if article.title else []
    spans += [*article.captions, *article.paragraphs]
    for span in spans:
        assert article.text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
    ordered = sorted(spans, key=lambda s: s.start)
    for left, right in zip(ordered, ordered[1:], strict=False):
        assert left.end <= right.start
    assert [c.start for c in article.captions] == sorted(c.start for c in article.captions)
    assert [p.start for p in article.paragraphs] == sorted(p.start for p in article.paragraphs)


def texts(spans: list) -> list[str]:
    return [s.text for s in spans]


# --------------------------------------------------------------------------------------------
# HTML fixtures
# --------------------------------------------------------------------------------------------

JUNK = [
    "cookie",
    "Advertisement",
    "Refinance your boat",
    "Summer sailing camps",
    "FrostRack",
    "Valley Feed",
    "Subscribe",
    "Related stories",
    "Ferry fares to rise",
    "More from Circuit Wire",
    "You may also like",
    "Hay prices hit",
    "Trending now",
    "Vote them all out",
    "swimming pool all winter",
    "EV bubble",
    "empty promises",
    "Pray for rain",
    "Leave a Reply",
    "All rights reserved",
    "Registered office",
    "Share on Facebook",
    "Sign up",
    "Front page",
    "Privacy",
    "Tags:",
]

HTML_CASES = {
    "harbor_ledger.html": {
        "title": "Council approves $41 million seawall plan after heated debate",
        "byline": "Maria Okafor",
        "date": "2024-03-14",
        "outlet": "The Harbor Ledger",
        "first_words": [
            "The city council voted",
            "Supporters said",
            "Opponents questioned",
            "The engineering firm",
            "Mayor Lena Brooks",
        ],
        "captions": [
            (
                "caption",
                "Waves break over the crumbling north seawall during a February storm. "
                "Photo: Daniel Reyes for The Harbor Ledger",
            )
        ],
    },
    "circuit_wire.html": {
        "title": "Chipmaker delays new plant as orders slow",
        "byline": "Sam Lindqvist",
        "date": "2023-11-02",
        "outlet": "Circuit Wire",
        "first_words": [
            "Veltrona, the American",
            "The company now expects",
            "Slower sales",
            "Chief executive Hannah Oduya",
            "Shares in Veltrona",
            "Local officials in Licking County",
        ],
        "captions": [
            (
                "caption",
                "An aerial view of the cleared site outside Columbus where the factory was due "
                "to rise.",
            ),
            ("credit", "Veltrona handout"),
        ],
    },
    "valley_courier.html": {
        "title": "Drought forces farmers to sell cattle early",
        "byline": "Rosa Delgado; Ken Ito",
        "date": "2022-08-09",
        "outlet": "The Valley Courier",
        "first_words": [
            "Ranchers across the upper valley",
            "At the county livestock auction",
            '"We are feeding hay',
            "The state agriculture department",
            "Rainfall at the Millbrook",
        ],
        "captions": [
            (
                "caption",
                "Buyers watch yearlings in the sale ring at the county livestock auction on "
                "Saturday. (Courier photo by Ken Ito)",
            )
        ],
    },
}


@pytest.mark.parametrize("name", sorted(HTML_CASES))
def test_html_fixture(name: str) -> None:
    case = HTML_CASES[name]
    article = parse_html((FIXTURES / name).read_bytes())
    assert_spans(article)
    assert article.title is not None and article.title.text == case["title"]
    assert (article.byline, article.date, article.outlet) == (
        case["byline"],
        case["date"],
        case["outlet"],
    )
    starts = [
        p.text[: len(w)] for p, w in zip(article.paragraphs, case["first_words"], strict=False)
    ]
    assert starts == case["first_words"]
    assert len(article.paragraphs) == len(case["first_words"])
    assert [(c.kind, c.text) for c in article.captions] == case["captions"]
    body = "\n".join(texts(article.paragraphs))
    for junk in JUNK:
        assert junk.lower() not in body.lower(), junk
    # the text is title, captions, paragraphs, separated by blank lines
    expected = "\n\n".join(
        [case["title"], *(t for _, t in case["captions"]), *texts(article.paragraphs)]
    )
    assert article.text == expected


def test_html_paragraphs_are_whole() -> None:
    article = parse_html((FIXTURES / "harbor_ledger.html").read_text(encoding="utf-8"))
    assert article.paragraphs[-1].text == (
        'Mayor Lena Brooks said she would sign the measure this week. "Nobody enjoys taking on '
        'debt," she said in a statement, "but the alternative is losing the neighbourhood."'
    )
    assert article.url == "https://harborledger.example/news/2024/03/14/seawall-plan"


def test_html_url_argument_wins() -> None:
    article = parse_html((FIXTURES / "valley_courier.html").read_bytes(), url="https://x.test/a")
    assert article.url == "https://x.test/a"


def test_load_article_html_file_by_extension(tmp_path: Path) -> None:
    article = load_article(FIXTURES / "circuit_wire.html")
    assert article.title is not None and article.outlet == "Circuit Wire"
    # the same page under a .txt name is still sniffed as HTML
    copy = tmp_path / "page.txt"
    copy.write_bytes((FIXTURES / "circuit_wire.html").read_bytes())
    assert load_article(str(copy)).title == article.title


def test_html_badly_named_wrapper_and_caption_scope() -> None:
    body = "".join(
        f"<p>Paragraph {n} of the report says the bridge inspection found new cracks.</p>"
        for n in range(1, 5)
    )
    html = (
        "<html><head><title>Bridge report</title></head><body>"
        '<div class="gallery"><figure><img src="a.jpg"><figcaption>A teaser photo from '
        "another story.</figcaption></figure></div>"
        '<main><div class="layout has-sidebar"><h2>Bridge report</h2>'
        '<figure><img src="b.jpg"><figcaption>Photo: City of Example</figcaption></figure>'
        f'<div class="story">{body}</div>'
        '<div class="sidebar"><p>Most read: ten things to do this weekend in town.</p></div>'
        "</div></main></body></html>"
    )
    article = parse_html(html)
    assert_spans(article)
    assert len(article.paragraphs) == 4
    assert [(c.kind, c.text) for c in article.captions] == [("credit", "Photo: City of Example")]
    assert "Most read" not in article.text


def test_html_headline_and_subheads() -> None:
    body = "".join(
        f"<p>Paragraph {n} says the harbour pilots voted to strike over new shift rules.</p>"
        for n in range(3)
    )
    html = (
        '<html><head><meta property="og:title" content="Pilots to strike">'
        "<title>Pilots to strike | Port Post</title></head><body><article>"
        '<h1>Harbour pilots vote to strike over shift rules</h1><p class="byline">By Ann Lee</p>'
        f"{body}<h2>What next</h2><p>Talks resume on Monday, the union said in a statement.</p>"
        "</article></body></html>"
    )
    article = parse_html(html)
    assert_spans(article)
    assert article.title is not None
    assert article.title.text == "Harbour pilots vote to strike over shift rules"
    assert article.byline == "Ann Lee"
    assert len(article.paragraphs) == 5 and article.paragraphs[3].text == "What next"
    assert "By Ann Lee" not in article.text


MALFORMED = [
    "<html><body><p>Unclosed <div><<<>>> &&& </html",
    "<<<<>>>>",
    "<html><head><title>x</title></head><body></body></html>",
    "<p>",
    "<html><body>" + "<div>" * 2000 + "deep" + "</span>" * 10,
    "<html><body><p>\x00\x01 broken</p></body></html>",
    "<!doctype html><html><body><table><tr><td>only a table cell</td></tr></table></body></html>",
]


@pytest.mark.parametrize("html", MALFORMED)
def test_malformed_html_does_not_crash(html: str) -> None:
    try:
        article = parse_html(html)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert_spans(article)


def test_malformed_html_with_text_still_reads() -> None:
    html = (
        "<html><body><div><p>The first paragraph of a story that has no closing tags at all "
        "and yet goes on<p>Second paragraph, also unclosed, keeps talking about the council "
        "vote<div><p>Third one with <b>bold <i>nested text that never closes</div></body>"
    )
    article = parse_html(html)
    assert_spans(article)
    assert len(article.paragraphs) == 3
    assert article.paragraphs[2].text == "Third one with bold nested text that never closes"


def test_html_without_main_text() -> None:
    html = (
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/news'>News</a></nav><footer><p>Copyright 2024 Example Media. All rights "
        "reserved.</p></footer></body></html>"
    )
    with pytest.raises(InputError, match="no article text found in the HTML"):
        parse_html(html)


# --------------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------------


def test_example_article(example_path: Path) -> None:
    article = load_article(example_path)
    raw = example_path.read_text(encoding="utf-8")
    assert_spans(article)
    assert article.text == raw.replace("\r\n", "\n")
    assert article.title is not None
    assert article.title.text == raw.splitlines()[0].strip()
    assert [(c.kind, c.text) for c in article.captions] == [
        (
            "caption",
            "Unclassified U.S. intelligence document obtained by The Washington Post. "
            "(Obtained by The Washington Post)",
        )
    ]
    assert len(article.paragraphs) == 6
    assert article.paragraphs[0].text.startswith("The Russian military successfully")
    assert article.paragraphs[-1].text.endswith("no immediate resolution in sight.")


def test_parse_text_normalises_newlines_and_bom() -> None:
    article = parse_text("\ufeffTitle line\r\n\r\nFirst paragraph here.\rSecond line.\r\n")
    assert article.text == "Title line\n\nFirst paragraph here.\nSecond line.\n"
    assert_spans(article)
    assert article.title is not None and article.title.text == "Title line"
    assert texts(article.paragraphs) == ["First paragraph here.", "Second line."]


def test_parse_text_blocks() -> None:
    text = (
        "  A headline  \n\n"
        "This block is hard wrapped\nacross lines that do not\nend sentences.\n\n"
        "One sentence per line.\nAnother one here!\nAnd a question?\n\n\n"
        "   Indented last paragraph.   \n"
    )
    article = parse_text(text)
    assert_spans(article)
    assert article.title is not None and article.title.text == "A headline"
    assert texts(article.paragraphs) == [
        "This block is hard wrapped\nacross lines that do not\nend sentences.",
        "One sentence per line.",
        "Another one here!",
        "And a question?",
        "Indented last paragraph.",
    ]


def test_parse_text_header_lines() -> None:
    text = (
        "Storm closes ferry line\n"
        "By Jane Doe and John Roe, Reuters\n"
        "March 14, 2024\n\n"
        "Ferries on the north route at the pier on Monday. (AP Photo/Evan Vucci)\n"
        "Photo: Reuters\n"
        "Getty Images\n\n"
        "The ferry line closed on Monday after a storm damaged the pier.\n\n"
        "Officials said it would reopen next week."
    )
    article = parse_text(text)
    assert_spans(article)
    assert article.byline == "Jane Doe and John Roe, Reuters"
    assert article.date == "2024-03-14"
    assert [(c.kind, c.text) for c in article.captions] == [
        ("caption", "Ferries on the north route at the pier on Monday. (AP Photo/Evan Vucci)"),
        ("credit", "Photo: Reuters"),
        ("credit", "Getty Images"),
    ]
    assert texts(article.paragraphs) == [
        "The ferry line closed on Monday after a storm damaged the pier.",
        "Officials said it would reopen next week.",
    ]
    assert "By Jane Doe" in article.text


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (
            "A soldier walks past a destroyed tank. (Image courtesy of Maxar Technologies)",
            "caption",
        ),
        ("Protesters gather outside parliament. (Photo: Jane Smith)", "caption"),
        ("Protesters gather outside parliament on Sunday. (Reuters)", "caption"),
        ("Image: Satellite view of the port after the strike.", "caption"),
        ("Pictured: the minister arrives at the summit.", "caption"),
        ("File photo: the refinery in 2019.", "caption"),
        ("Photo by Maria Lopez", "credit"),
        ("Credit: Ministry of Defence", "credit"),
        ("Getty Images", "credit"),
        ("(AP Photo/Evan Vucci)", "credit"),
        ("Evan Vucci/AP", "credit"),
    ],
)
def test_caption_lines_after_title(line: str, kind: str) -> None:
    article = parse_text(f"Headline\n{line}\n\nThe body of the story starts here.")
    assert_spans(article)
    assert [(c.kind, c.text) for c in article.captions] == [(kind, line)]
    assert texts(article.paragraphs) == ["The body of the story starts here."]


@pytest.mark.parametrize(
    "line",
    [
        "By the time police arrived, the crowd had left.",
        "By Tuesday, officials had counted the votes.",
        "Ministers met in Brussels to discuss the photo agreement.",
    ],
)
def test_ordinary_first_lines_are_body(line: str) -> None:
    article = parse_text(f"Headline\n\n{line}")
    assert article.byline is None and article.captions == []
    assert texts(article.paragraphs) == [line]


def test_credit_in_body_and_agency_ending_kept() -> None:
    text = (
        "Headline\n\nFirst paragraph of the story.\n\nPhoto: Reuters\n\n"
        "The last paragraph ends with the wire agency. (Reuters)"
    )
    article = parse_text(text)
    assert_spans(article)
    assert [(c.kind, c.text) for c in article.captions] == [("credit", "Photo: Reuters")]
    assert texts(article.paragraphs)[-1].endswith("(Reuters)")


def test_parse_text_keyword_arguments_win() -> None:
    article = parse_text(
        "Title\nBy Jane Doe\n\nBody text here.",
        url="https://example.test/a",
        outlet="Example",
        date="2024-01-02T10:00:00Z",
        byline="Someone Else",
    )
    assert (article.url, article.outlet, article.date, article.byline) == (
        "https://example.test/a",
        "Example",
        "2024-01-02",
        "Someone Else",
    )


def test_single_line_is_body_not_title() -> None:
    article = parse_text("Putin says the war is going to plan.")
    assert article.title is None
    assert texts(article.paragraphs) == ["Putin says the war is going to plan."]


def test_parse_text_empty() -> None:
    with pytest.raises(InputError, match="empty"):
        parse_text(" \n\r\n\t")


# --------------------------------------------------------------------------------------------
# Bytes, sizes, encodings
# --------------------------------------------------------------------------------------------

ACCENTED = "Café owners in Zürich said the naïve plan would cost €40 – “too much”.\n\nSecond para."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "input is empty"),
        (b"   \n\t\r\n  ", "input is empty"),
        (b"\x89PNG\r\n\x1a\n" + random.Random(0).randbytes(2000), "input looks binary, not text"),
        (b"x" * 5_000_001, r"input is larger than 5 MB \(5000001 bytes\)"),
        (bytes(range(1, 9)) * 100, "input looks binary, not text"),
    ],
)
def test_bad_bytes(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_article(data)


def test_big_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Title\n\n" + b"word " * 1_100_000)
    with pytest.raises(InputError, match=r"larger than 5 MB \(5500007 bytes\)"):
        load_article(path)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café crème in Zürich\n\nThe naïve señor paid.", "latin-1"),
        (ACCENTED, "cp1252"),
        (ACCENTED, "utf-16"),
        (ACCENTED, "utf-8-sig"),
        (ACCENTED, "utf-8"),
    ],
)
def test_encodings(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    assert decode_bytes(data) == text
    article = load_article(data)
    assert_spans(article)
    assert article.text == text


def test_decode_bytes_falls_back_to_detection() -> None:
    text = "Москва заявила, что переговоры продолжатся на следующей неделе в Стамбуле."
    assert decode_bytes(text.encode("cp1251")) == text


def test_latin1_html_page_declares_charset() -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Café closes</title></head><body>'
        "<article><h1>Café closes</h1><p>The café on the corner closed its doors after "
        "forty years, its owner said on Friday.</p></article></body></html>"
    ).encode("latin-1")
    article = load_article(html)
    assert article.title is not None and article.title.text == "Café closes"
    assert article.paragraphs[0].text.startswith("The café on the corner")


# --------------------------------------------------------------------------------------------
# JSON records
# --------------------------------------------------------------------------------------------


def test_parse_record_plain() -> None:
    record = {
        "title": "Mayor resigns",
        "body": "Mayor resigns\n\nThe mayor resigned on Monday.\r\n\r\nHer deputy takes over.",
        "url": "https://example.test/m",
        "date": "2024-05-01T08:00:00+02:00",
        "outlet": "Example Times",
        "byline": ["Jane Doe", "John Roe"],
        "captions": ["The mayor at city hall. (Photo: City of Example)", "Getty Images"],
    }
    article = parse_record(record)
    assert_spans(article)
    assert article.title is not None and article.title.text == "Mayor resigns"
    assert [(c.kind, c.text) for c in article.captions] == [
        ("caption", "The mayor at city hall. (Photo: City of Example)"),
        ("credit", "Getty Images"),
    ]
    assert texts(article.paragraphs) == ["The mayor resigned on Monday.", "Her deputy takes over."]
    assert article.byline == "Jane Doe, John Roe"
    assert article.date == "2024-05-01"
    assert (article.outlet, article.url) == ("Example Times", "https://example.test/m")


def test_parse_record_html_text() -> None:
    record = {
        "content": "<article><h1>Dam bursts</h1><p>A dam burst upstream of the town early on "
        "Sunday, flooding two villages.</p><figure><figcaption>The broken dam.</figcaption>"
        "</figure></article>",
        "outlet": "River News",
    }
    article = parse_record(record)
    assert_spans(article)
    assert article.title is not None and article.title.text == "Dam bursts"
    assert texts(article.captions) == ["The broken dam."]
    assert article.paragraphs[0].text.startswith("A dam burst upstream")
    assert article.outlet == "River News"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"title": "No body here"}, r'record "No body here" has no text'),
        ({"id": 7, "text": "   "}, r'record "7" has no text'),
        ({"text": 5}, r'"text" must be a string'),
        ({"text": "Body.", "title": {"a": 1}}, r'"title" must be a string'),
        ({"text": "Body.", "captions": 3}, r'"captions" must be a list of strings'),
    ],
)
def test_parse_record_errors(record: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_record(record)


def test_read_records_forms() -> None:
    one = {"title": "A", "text": "Alpha body text."}
    two = {"title": "B", "text": "Beta body text."}
    assert len(read_records(json.dumps(one))) == 1
    assert len(read_records(json.dumps([one, two]))) == 2
    jsonl = json.dumps(one) + "\n\n" + json.dumps(two) + "\n"
    articles = read_records(jsonl)
    assert [a.title.text for a in articles if a.title] == ["A", "B"]
    for article in articles:
        assert_spans(article)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"text": "a"}\n{"text": "b"\n', r"^line 2: not valid JSON"),
        ('{\n  "title": "T",\n  "text": "a",,\n}', r"^line 3: not valid JSON"),
        ('{"text": "a"}\n{"title": "Empty"}\n', r'^line 2: record "Empty" has no text'),
        ('[{"text": "a"}, {"body": ""}]', r"^record 2: record without a title has no text"),
        ("[1, 2]", r"^record 1: found a number, not a JSON object"),
        ("[]", "no articles found"),
        ("", "input is empty"),
    ],
)
def test_read_records_errors(data: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_records(data)


def test_load_article_json_sniffing(tmp_path: Path) -> None:
    record = {"title": "Sniffed", "text": "Body of the sniffed record."}
    assert load_article(json.dumps(record)).title.text == "Sniffed"  # type: ignore[union-attr]
    many = json.dumps(record) + "\n" + json.dumps(record)
    with pytest.raises(InputError, match="found 2 articles; analyse one at a time"):
        load_article(many.encode())
    assert len(load_articles(many.encode())) == 2
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert load_article(path).title.text == "Sniffed"  # type: ignore[union-attr]
    bad = tmp_path / "bad.json"
    bad.write_text("not json at all", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        load_article(bad)
    # text that merely starts with a bracket stays text
    assert load_article("[Updated] Headline\n\nBody.").title.text == "[Updated] Headline"  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# load_article sources
# --------------------------------------------------------------------------------------------


def test_load_article_sources(tmp_path: Path) -> None:
    text = "Headline\n\nThe body of the article."
    assert load_article(text).title.text == "Headline"  # type: ignore[union-attr]
    assert load_article("Just a short sentence").paragraphs[0].text == "Just a short sentence"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert load_article(str(path)).text == text
    assert load_article(path).text == text
    stdin = io.BytesIO(text.encode("utf-16"))
    assert load_article("-", stdin=stdin).text == text
    assert load_article("-", stdin=io.StringIO(text)).text == text
    with pytest.raises(InputError, match="no such file: missing.txt"):
        load_article("missing.txt")
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "nope.html")
    with pytest.raises(InputError, match="is a directory"):
        load_article(tmp_path)
    with pytest.raises(InputError, match="input is empty"):
        load_article("-", stdin=io.BytesIO(b"\xef\xbb\xbf  "))


def test_load_article_html_string() -> None:
    html = "<p>The council met on Tuesday and voted to repave the main street.</p>"
    article = load_article(html)
    assert texts(article.paragraphs) == [
        "The council met on Tuesday and voted to repave the main street."
    ]


# --------------------------------------------------------------------------------------------
# URLs, against a local server
# --------------------------------------------------------------------------------------------

PAGE = (FIXTURES / "harbor_ledger.html").read_bytes()
PLAIN = "Plain headline\n\nA plain text story with one paragraph.".encode("cp1252")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        routes = {
            "/article": (200, "text/html; charset=utf-8", PAGE),
            "/nocharset": (200, "text/html", PAGE),
            "/plain": (200, "text/plain; charset=windows-1252", PLAIN),
            "/gzip": (200, "text/html", gzip.compress(PAGE)),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),
            "/big": (200, "text/html", b"<p>" + b"a" * 20_000 + b"</p>"),
            "/empty": (200, "text/html", b""),
        }
        if self.path == "/ua":
            self._send(200, "text/plain", f"UA\n\n{self.headers['User-Agent']}".encode())
        elif self.path in ("/loop", "/to-ftp") or self.path.startswith("/hop"):
            self._redirect()
        elif self.path == "/slow":
            time.sleep(1.0)
            self._send(200, "text/plain", b"late")
        elif self.path in routes:
            self._send(*routes[self.path])
        else:
            self._send(404, "text/plain", b"not found")

    def _redirect(self) -> None:
        if self.path == "/to-ftp":
            target = "ftp://127.0.0.1/file"
        elif self.path.startswith("/hop"):
            left = int(self.path[4:])
            target = f"/hop{left - 1}" if left > 0 else "/article"
        else:
            target = "/loop"
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, code: int, ctype: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if self.path == "/gzip":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)


def test_fetch_html(server: str) -> None:
    for path in ("/article", "/nocharset", "/gzip", "/hop3"):
        article = fetch_url(server + path, allow_private=True)
        assert_spans(article)
        assert article.title is not None
        assert article.title.text == HTML_CASES["harbor_ledger.html"]["title"]
        assert article.url == server + path
        assert article.outlet == "The Harbor Ledger"


def test_fetch_plain_and_user_agent(server: str) -> None:
    article = load_article(server + "/plain", allow_private=True)
    assert article.title is not None and article.title.text == "Plain headline"
    assert article.url == server + "/plain"
    agent = fetch_url(server + "/ua", allow_private=True).paragraphs[0].text
    assert agent == "unspin/0.1 (+https://github.com/unspin)"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/loop", r"^could not fetch URL: more than 5 redirects$"),
        ("/hop6", r"^could not fetch URL: more than 5 redirects$"),
        ("/missing", r"^could not fetch URL: HTTP 404"),
        ("/to-ftp", r"^could not fetch URL: "),
    ],
)
def test_fetch_failures(server: str, path: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch_url(server + path, allow_private=True)


def test_fetch_limits(server: str) -> None:
    with pytest.raises(InputError, match="larger than 0.01 MB"):
        fetch_url(server + "/big", max_bytes=10_000, allow_private=True)
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(server + "/slow", timeout=0.3, allow_private=True)
    with pytest.raises(InputError, match="image/png"):
        fetch_url(server + "/image", allow_private=True)
    with pytest.raises(InputError, match="empty"):
        fetch_url(server + "/empty", allow_private=True)


def test_fetch_bad_urls() -> None:
    with pytest.raises(InputError, match="only http and https"):
        fetch_url("ftp://example.test/file.html")
    with pytest.raises(InputError, match="only http and https"):
        fetch_url("file:///etc/passwd")
    with pytest.raises(InputError, match="no host"):
        fetch_url("http://")


def test_fetch_unreachable_port() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=r"^could not fetch URL: ") as info:
        fetch_url(f"http://127.0.0.1:{port}/", timeout=2, allow_private=True)
    assert "\n" not in str(info.value)


def test_no_network_for_plain_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    load_article((FIXTURES / "valley_courier.html").read_bytes())
    load_article(Path(__file__).resolve().parents[1] / "examples" / "port_strike.txt")
