"""The HTTP API against the real app: the real pipeline, a real SQLite file, real sockets for
fetching. Dependencies are overridden only to tighten limits or to slow the pipeline down.

A handful of real analyses are made (the two example articles as text, HTML and an upload,
and one fetched page); everything else reuses them.
"""

from __future__ import annotations

import http.server
import importlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from unspin.report import Report, report_schema  # noqa: E402
from unspin.server import ServeError, Settings, create_app, serve  # noqa: E402
from unspin.server.analysis import AnalysisService  # noqa: E402
from unspin.server.api import get_analysis, get_settings  # noqa: E402

fetch = importlib.import_module("unspin.article.fetch")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PORT_TEXT = (EXAMPLES / "port_strike.txt").read_text(encoding="utf-8")
WIRE_TEXT = (EXAMPLES / "wire_report.txt").read_text(encoding="utf-8")
PORT_TITLE = "Reckless Union Bosses Hold Harbour City Hostage as Port Strike Drags Into Third Week"
TOKEN = "t0ken-for-the-tests-0123456789"
PAGE_TITLE = "Harbor council backs seawall"
PAGE = (
    f"<html><head><title>{PAGE_TITLE} | The Ledger</title></head><body><article>"
    f"<h1>{PAGE_TITLE}</h1><p>The council voted on Tuesday to fund a new seawall along the "
    "harbor front, the mayor's office said.</p><p>Work starts in May, officials said.</p>"
    "</article></body></html>"
).encode()


def _html(text: str) -> str:
    title, *paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paras[1:])
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<figure><figcaption>{paras[0]}</figcaption></figure>{body}</article></body></html>")


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    db = tmp_path_factory.mktemp("server") / "reports.db"
    return Settings(db_url=f"sqlite:///{db}", warm_up=False)


@pytest.fixture(scope="module")
def client(app_settings: Settings) -> Iterator[TestClient]:
    app = create_app(app_settings)
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture(scope="module")
def port_report(client: TestClient) -> dict:
    """The port strike example, analysed once through the API."""
    r = client.post("/api/analyze", json={"text": PORT_TEXT, "outlet": "Harbour Herald",
                                          "date": "2025-03-04"})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def wire_report(client: TestClient) -> dict:
    """The wire report example, as an HTML page."""
    r = client.post("/api/analyze", json={"html": _html(WIRE_TEXT), "outlet": "Riverton Gazette",
                                          "date": "2025-03-14", "source_url":
                                          "https://riverton.example/budget"})
    assert r.status_code == 201, r.text
    return r.json()


# --- analysis and storage ----------------------------------------------------------------------


def test_analyze_text_returns_the_report_and_its_id(client: TestClient,
                                                    port_report: dict) -> None:
    import jsonschema

    assert port_report["created"] is True and isinstance(port_report["id"], int)
    report = port_report["report"]
    jsonschema.validate(report, report_schema())
    Report.model_validate(report)  # spans exact
    assert report["title"]["text"] == PORT_TITLE
    assert report["meta"]["outlet"] == "Harbour Herald" and report["meta"]["date"] == "2025-03-04"
    assert {f["code"] for f in report["flags"]} >= {"unused_source", "hedged_claim"}
    got = client.get(f"/api/reports/{port_report['id']}")
    assert got.status_code == 200 and got.json()["report"] == report


def test_the_same_article_is_stored_once(client: TestClient, port_report: dict) -> None:
    before = client.get("/healthz").json()["reports"]
    again = client.post("/api/analyze", json={"text": PORT_TEXT, "outlet": "Harbour Herald",
                                              "date": "2025-03-04"})
    assert again.status_code == 200
    assert again.json()["id"] == port_report["id"] and again.json()["created"] is False
    assert again.json()["report"] == port_report["report"]
    # the same file uploaded is the same article too (read as text by its name)
    up = client.post("/api/analyze/file",
                     files={"file": ("port_strike.txt", PORT_TEXT.encode("utf-8"), "text/plain")},
                     data={"outlet": "Harbour Herald", "date": "2025-03-04"})
    assert up.status_code == 200, up.text
    assert up.json()["id"] == port_report["id"]
    assert client.get("/healthz").json()["reports"] == before


def test_html_and_uploads_go_to_their_readers_by_name(client: TestClient,
                                                      wire_report: dict) -> None:
    report = wire_report["report"]
    assert report["title"]["text"].startswith("City Council Approves")
    assert report["meta"]["outlet"] == "Riverton Gazette"
    assert report["meta"]["url"] == "https://riverton.example/budget"  # recorded, not fetched
    assert [c["kind"] for c in report["captions"]] == ["caption"]
    # a string that names a file on the server is article text, never a path
    r = client.post("/api/analyze", json={"text": "/etc/passwd"})
    assert r.status_code == 201 and r.json()["report"]["text"] == "/etc/passwd"
    assert client.delete(f"/api/reports/{r.json()['id']}").status_code == 204
    r = client.post("/api/analyze/file", files={"file": ("x.bin", b"\x00\x01\x02" * 50)})
    assert r.status_code == 422 and r.json()["error"] == "bad_input"
    assert "binary" in r.json()["detail"]


def test_request_errors_are_one_line_422s(client: TestClient) -> None:
    cases = [
        ({"text": "a", "url": "http://example.com/"}, "exactly one of text, html or url"),
        ({}, "exactly one of text, html or url"),
        ({"text": "   "}, "empty"),
        ({"text": "x", "date": "yesterday"}, "date"),
        ({"text": "x", "extra": 1}, "extra"),
        ({"url": "ftp://example.com/file"}, "only http and https"),
    ]
    for body, words in cases:
        r = client.post("/api/analyze", json=body)
        assert r.status_code == 422, (body, r.text)
        detail = r.json()["detail"]
        assert isinstance(detail, str) and "\n" not in detail and words in detail, detail
    r = client.post("/api/analyze", content=b"{not json", headers={"Content-Type":
                                                                    "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    french = ("Le conseil municipal a approuvé le budget\n\nLe conseil municipal a approuvé "
              "mardi soir le budget de la ville pour l'année prochaine, selon le maire.")
    r = client.post("/api/analyze", json={"text": french})
    assert r.status_code == 422 and r.json()["error"] == "not_english"
    assert client.get("/api/reports/999999").status_code == 404
    assert client.get("/api/reports/999999").json()["error"] == "not_found"


# --- reading, searching, deleting --------------------------------------------------------------


def _ids(client: TestClient, **params) -> list[int]:
    r = client.get("/api/reports", params=params)
    assert r.status_code == 200, r.text
    return [item["id"] for item in r.json()["items"]]


def test_search(client: TestClient, port_report: dict, wire_report: dict) -> None:
    p, w = port_report["id"], wire_report["id"]
    assert _ids(client, q='"container terminal"') == [p]
    assert _ids(client, q="budget") == [w]
    assert _ids(client, source="Miriam Okafor") == [p]
    assert _ids(client, outlet="Harbour Herald") == [p]
    assert _ids(client, flag="unused_source") == [p]
    assert _ids(client, technique="Loaded_Language") == [p]
    assert _ids(client, genre=port_report["report"]["genre"]["label"], q="strike") == [p]
    assert _ids(client, date_from="2025-03-10", date_to="2025-03-20") == [w]
    page = client.get("/api/reports", params={"limit": 1}).json()
    assert page["total"] >= 2 and len(page["items"]) == 1 and page["limit"] == 1
    item = client.get("/api/reports", params={"q": '"container terminal"'}).json()["items"][0]
    assert item["title"] == PORT_TITLE and item["outlet"] == "Harbour Herald"
    for bad in ({"limit": 0}, {"limit": 1000}, {"date_from": "March"}, {"genre": "poetry"}):
        r = client.get("/api/reports", params=bad)
        assert r.status_code == 422 and isinstance(r.json()["detail"], str)


def test_view_facets_and_trends(client: TestClient, port_report: dict,
                                wire_report: dict) -> None:
    view = client.get(f"/api/reports/{port_report['id']}/view").json()
    report = view["report"]
    text = report["text"]
    assert [b["kind"] for b in view["blocks"]][:2] == ["title", "caption"]

    def flat(nodes) -> str:
        return "".join(n if isinstance(n, str) else flat(n["children"]) for n in nodes)

    for block in view["blocks"]:  # the highlighted blocks are the text, exactly
        assert flat(block["nodes"]) == text[block["start"]:block["end"]]
    names = [t["name"] for t in view["techniques"]]
    assert set(names) >= {t["technique"] for t in report["techniques"]}
    assert all(t["definition"] for t in view["techniques"])
    facets = client.get("/api/facets").json()
    assert {"Harbour Herald", "Riverton Gazette"} <= {o["name"] for o in facets["outlets"]}
    assert "Miriam Okafor" in {s["name"] for s in facets["sources"]}
    trends = client.get("/api/trends").json()
    herald = next(t for t in trends if t["outlet"] == "Harbour Herald")
    week = herald["weeks"][0]
    assert week["week"] == "2025-03-03"
    words = report["metrics"]["words"]
    assert week["flags_per_100_words"] == pytest.approx(100 * len(report["flags"]) / words,
                                                        abs=1e-3)
    loaded = sum(1 for t in report["techniques"] if t["technique"] == "Loaded_Language")
    assert week["loaded_wording"] == loaded
    only = client.get("/api/trends", params={"outlet": "riverton gazette"}).json()
    assert [t["outlet"] for t in only] == ["Riverton Gazette"]


def test_delete(client: TestClient, wire_report: dict) -> None:
    # a copy of the wire report under another outlet: analysed from scratch, then deleted
    r = client.post("/api/analyze", json={"text": WIRE_TEXT, "outlet": "Deleted Daily"})
    assert r.status_code == 201
    rid = r.json()["id"]
    assert _ids(client, outlet="Deleted Daily") == [rid]
    assert client.delete(f"/api/reports/{rid}").status_code == 204
    assert client.get(f"/api/reports/{rid}").status_code == 404
    assert client.delete(f"/api/reports/{rid}").status_code == 404
    assert _ids(client, outlet="Deleted Daily") == []
    assert client.get(f"/api/reports/{wire_report['id']}").status_code == 200


def test_schema_health_openapi_and_page(client: TestClient) -> None:
    assert client.get("/api/schema").json() == report_schema()
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["store"] == "sqlite" and health["auth"] is False
    spec = client.get("/openapi.json").json()
    for path in ("/api/analyze", "/api/analyze/file", "/api/reports", "/api/reports/{report_id}",
                 "/api/trends", "/api/schema", "/healthz"):
        assert path in spec["paths"], path
    assert "delete" in spec["paths"]["/api/reports/{report_id}"]
    assert "Report" in spec["components"]["schemas"]
    for path in ("/", "/history", "/trends", "/reports/1", "/docs"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")


def test_the_page_has_a_strict_csp_and_no_inline_script(client: TestClient) -> None:
    for path in ("/", "/api/reports", "/static/app.js", "/docs"):
        csp = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert client.get("/api/reports").headers["cache-control"] == "no-store"
    for page in ("/", "/docs"):
        html = client.get(page).text
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
        assert scripts and all(s.strip() == "" for s in scripts)  # external scripts only
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"""(src|href)=["']https?://""", html)  # nothing from outside
    for script in ("/static/app.js", "/static/docs.js"):
        js = client.get(script).text
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                     "new Function"):
            assert sink not in js.split("*/", 1)[1], (script, sink)


# --- limits ---------------------------------------------------------------------------------


def test_size_limits_413_and_422(client: TestClient, app_settings: Settings) -> None:
    app = client.app
    app.dependency_overrides[get_settings] = lambda: app_settings.replace(max_article_chars=500)
    try:
        r = client.post("/api/analyze", json={"text": PORT_TEXT})
        assert r.status_code == 422 and r.json()["error"] == "article_too_large"
        assert "at most 500 characters" in r.json()["detail"]
    finally:
        app.dependency_overrides.clear()
    small = create_app(app_settings.replace(max_request_bytes=2000))
    with TestClient(small, base_url="http://127.0.0.1") as c:
        r = c.post("/api/analyze", json={"text": "x" * 5000})
        assert r.status_code == 413 and r.json()["error"] == "request_too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
            yield b'{"text": "'
            for _ in range(10):
                yield b"y" * 500
            yield b'"}'

        r = c.post("/api/analyze", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        r = c.post("/api/analyze/file", files={"file": ("a.txt", b"z" * 5000, "text/plain")})
        assert r.status_code == 413


class _SlowPipeline:
    """Stands in for the pipeline: waits until released, then returns a real report."""

    def __init__(self, report: Report, release: threading.Event) -> None:
        self.report, self.release = report, release

    def versions(self) -> dict[str, str]:
        return dict(self.report.versions)

    def __call__(self, article) -> Report:
        self.release.wait(10)
        return self.report


def test_busy_429_and_timeout_504(client: TestClient, app_settings: Settings,
                                  port_report: dict) -> None:
    app = client.app
    report = Report.model_validate(port_report["report"])
    report = report.model_copy(update={"meta": report.meta.model_copy(
        update={"outlet": "Slow Outlet"})})
    release = threading.Event()
    tight = app_settings.replace(max_concurrent_analyses=1, max_queued_analyses=0,
                                 analysis_timeout_s=0.5)
    service = AnalysisService(tight, app.state.store,
                              factory=lambda: _SlowPipeline(report, release))
    app.dependency_overrides[get_analysis] = lambda: service
    results: dict[str, object] = {}
    try:
        def first() -> None:
            results["first"] = client.post("/api/analyze", json={"text": "Slow one\n\nA."})

        thread = threading.Thread(target=first)
        thread.start()
        deadline = time.monotonic() + 5
        while service.running == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        busy = client.post("/api/analyze", json={"text": "Another one\n\nB."})
        assert busy.status_code == 429 and busy.json()["error"] == "busy"
        assert busy.headers["retry-after"]
        thread.join(10)
        slow = results["first"]
        assert slow.status_code == 504 and slow.json()["error"] == "analysis_timeout"
        assert "0.5 s" in slow.json()["detail"]
        release.set()  # the analysis finishes in the background, frees its slot, is stored
        deadline = time.monotonic() + 5
        while service.running and time.monotonic() < deadline:
            time.sleep(0.01)
        assert service.running == 0
        assert _ids(client, outlet="Slow Outlet") != []
    finally:
        release.set()
        app.dependency_overrides.clear()
        service.close()


# --- authentication and the loopback guard ---------------------------------------------------


def test_tokens(app_settings: Settings) -> None:
    app = create_app(app_settings.replace(tokens=frozenset({TOKEN})))
    with TestClient(app, base_url="http://desk.example:8000") as c:
        r = c.get("/api/reports")
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        assert "token" in r.json()["detail"]
        assert c.get("/api/reports", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.get("/api/reports", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
        assert c.post("/api/analyze", json={"text": "x"}).status_code == 401
        assert c.delete("/api/reports/1").status_code == 401
        # not secret: health, schema, limits, the page
        for path in ("/healthz", "/api/schema", "/api/limits", "/", "/docs", "/static/app.js"):
            assert c.get(path).status_code == 200, path
        assert c.get("/api/limits").json()["auth"] is True


def test_a_public_bind_address_needs_tokens(app_settings: Settings) -> None:
    with pytest.raises(ServeError, match="UNSPIN_API_TOKENS"):
        create_app(app_settings.replace(host="0.0.0.0"))
    with pytest.raises(ServeError, match="UNSPIN_API_TOKENS"):
        serve("192.168.1.20", 8000, app_settings.db_url)
    with pytest.raises(ServeError, match="at least 16 characters"):
        create_app(app_settings.replace(host="0.0.0.0", tokens=frozenset({"short"})))
    create_app(app_settings.replace(host="0.0.0.0", tokens=frozenset({TOKEN})))  # fine
    s = Settings.from_env({"UNSPIN_API_TOKENS": f"{TOKEN}, {TOKEN}x",
                           "UNSPIN_ALLOW_HOSTS": "intranet.local 10.1.2.3",
                           "UNSPIN_MAX_CONCURRENT": "2"}, host="::1", port=9000)
    assert s.tokens == {TOKEN, TOKEN + "x"} and s.auth_required and s.port == 9000
    assert s.allowed_hosts == {"intranet.local", "10.1.2.3"} and s.max_concurrent_analyses == 2
    with pytest.raises(ServeError, match="UNSPIN_MAX_CONCURRENT must be a number"):
        Settings.from_env({"UNSPIN_MAX_CONCURRENT": "two"})


def test_without_tokens_only_loopback_hosts_and_same_origin_writes(client: TestClient) -> None:
    r = client.get("/api/reports", headers={"Host": "attacker.example"})
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert client.get("/api/reports", headers={"Host": "localhost:8000"}).status_code == 200
    r = client.post("/api/analyze", json={"text": "x"},
                    headers={"Origin": "http://attacker.example"})
    assert r.status_code == 403 and "cross-origin" in r.json()["detail"]
    r = client.delete("/api/reports/999999", headers={"Origin": "http://127.0.0.1:8000"})
    assert r.status_code == 404  # same origin: allowed through


# --- fetching URLs ---------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(urlsplit(self.path).query)["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server:
    def __init__(self, host: str) -> None:
        self.httpd = http.server.ThreadingHTTPServer((host, 0), _Handler)
        self.httpd.paths = []  # type: ignore[attr-defined]
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def paths(self) -> list[str]:
        return self.httpd.paths  # type: ignore[attr-defined]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def page_server() -> Iterator[_Server]:
    srv = _Server("127.0.0.1")
    yield srv
    srv.close()


@pytest.fixture
def victim() -> Iterator[_Server | None]:
    """A server on 127.0.0.2 that a redirect must never reach (None if it cannot listen)."""
    try:
        srv = _Server("127.0.0.2")
    except OSError:
        yield None
        return
    yield srv
    srv.close()


def test_private_addresses_are_refused_before_connecting(
        client: TestClient, page_server: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    port = page_server.url.rsplit(":", 1)[1]

    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    cases = [
        (f"http://127.0.0.1:{port}/article", "127.0.0.1 is a loopback address"),
        (f"http://localhost:{port}/article", "resolves to 127.0.0.1, a loopback address"),
        ("http://10.0.0.1/article", "10.0.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        (f"http://[::ffff:127.0.0.1]:{port}/", "is a loopback address"),
    ]
    for url, reason in cases:
        r = client.post("/api/analyze", json={"url": url})
        assert r.status_code == 422, (url, r.text)
        body = r.json()
        assert body["error"] == "url_refused"
        assert body["detail"].startswith(f"refusing to fetch {url}: ") and reason in body["detail"]
        assert "public addresses only" in body["detail"]
        assert "--allow-private" not in body["detail"]  # no per-request way around it
    # no request field lifts the guard
    r = client.post("/api/analyze", json={"url": cases[0][0], "allow_private": True})
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    assert page_server.paths == []


def test_a_redirect_to_loopback_is_refused(client: TestClient, page_server: _Server,
                                           victim: _Server | None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # Let the first hop (127.0.0.1, standing in for a public site) through the guard; the
    # redirect it answers with must still be checked and refused.
    real = fetch._non_public
    monkeypatch.setattr(fetch, "_non_public",
                        lambda a: None if str(a) == "127.0.0.1" else real(a))
    targets = [("http://169.254.169.254/latest/meta-data/", "link-local"),
               ("http://10.0.0.1/", "private")]
    if victim is not None:
        targets.insert(0, (f"{victim.url}/article", "127.0.0.2 is a loopback address"))
    for target, reason in targets:
        start = f"{page_server.url}/redirect?to={target}"
        r = client.post("/api/analyze", json={"url": start})
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert detail.startswith(f"refusing to fetch {target} (redirected from {start})")
        assert reason in detail
    assert len(page_server.paths) == len(targets)  # each first hop went out...
    if victim is not None:
        assert victim.paths == []  # ...and no redirect arrived


def test_operator_allowed_hosts_are_fetched_without_redirects(
        client: TestClient, app_settings: Settings, page_server: _Server) -> None:
    app = client.app
    app.dependency_overrides[get_settings] = lambda: app_settings.replace(
        allowed_private_hosts=frozenset({"127.0.0.1"}))
    try:
        r = client.post("/api/analyze", json={"url": f"{page_server.url}/article",
                                              "outlet": "The Ledger"})
        assert r.status_code == 201, r.text
        report = r.json()["report"]
        assert report["title"]["text"] == PAGE_TITLE
        assert report["meta"]["url"] == f"{page_server.url}/article"
        r = client.post("/api/analyze",
                        json={"url": f"{page_server.url}/redirect?to=http://127.0.0.1:1/"})
        assert r.status_code == 502 and "redirects from allowed hosts" in r.json()["detail"]
    finally:
        app.dependency_overrides.clear()
    # without the operator's allow-list the same URL is refused
    r = client.post("/api/analyze", json={"url": f"{page_server.url}/article"})
    assert r.status_code == 422 and r.json()["error"] == "url_refused"
