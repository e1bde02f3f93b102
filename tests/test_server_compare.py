"""``POST /api/compare`` against the real app: the real pipeline and encoder, a real SQLite
file, a real local HTTP server standing in for a private address that must never be fetched.

The four articles (tests/fixtures/compare/port_alder_fire.json) are three tellings of one
warehouse fire that disagree on how many workers were hurt, and one unrelated article. They
are analysed once, by the first comparison; every later request finds their stored reports.
Limits and time-outs are checked with a stand-in pipeline that replays those reports.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from unspin.compare import Comparison, comparison_schema, render_comparison  # noqa: E402
from unspin.report import Report  # noqa: E402
from unspin.server import ServeError, Settings, create_app  # noqa: E402
from unspin.server.analysis import AnalysisService  # noqa: E402
from unspin.server.api import get_analysis, get_settings  # noqa: E402
from unspin.store import Store  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "compare" / "port_alder_fire.json"
ARTICLES: list[dict] = json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]
TOKEN = "t0ken-for-the-compare-tests-0123"


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    db = tmp_path_factory.mktemp("compare") / "reports.db"
    return Settings(db_url=f"sqlite:///{db}", warm_up=False)


@pytest.fixture(scope="module")
def client(app_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(app_settings), base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture(scope="module")
def compared(client: TestClient) -> dict:
    """The four articles compared once (this is where they are analysed)."""
    r = client.post("/api/compare", json={"articles": ARTICLES})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def reports(client: TestClient, compared: dict) -> dict[str, Report]:
    """The stored reports of the four articles, by title."""
    page = client.get("/api/reports", params={"limit": 100}).json()
    out = {}
    for item in page["items"]:
        report = Report.model_validate(client.get(f"/api/reports/{item['id']}").json()["report"])
        out[report.title.text] = report
    assert set(out) >= {a["title"] for a in ARTICLES}
    return out


def _invalid(r) -> str:
    """The one-line message of a 422 for a malformed request."""
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "invalid_request" and set(body) == {"detail", "error"}
    assert isinstance(body["detail"], str) and "\n" not in body["detail"]
    return body["detail"]


# --- one story of three, one unrelated -------------------------------------------------------


def test_one_story_of_three_and_an_unrelated_article(compared: dict,
                                                     reports: dict[str, Report]) -> None:
    import jsonschema

    jsonschema.validate(compared, comparison_schema())
    comparison = Comparison.model_validate(compared)
    # the same schema and rendering as `unspin compare --format json`
    assert json.loads(render_comparison(comparison, "json")) == compared
    assert comparison.errors == []
    assert comparison.grouping.embeddings  # from the analyses' own encoder pass
    [story] = comparison.stories
    assert {a.input for a in story.articles} == {"herald", "courier", "ledger"}
    assert {a.outlet for a in story.articles} == {"Harbour Herald", "Coastal Courier",
                                                  "Daily Ledger"}
    assert [(u.input, u.outlet) for u in comparison.unrelated] == [("library",
                                                                    "Riverton Gazette")]
    # the injured workers, side by side: 14, 9 and 14, marked as a disagreement
    workers = next(c for c in story.claims if c.about == "workers")
    assert not workers.agree and workers.agreement == "differ"
    assert {f.input: f.value for f in workers.figures} == {"herald": 14.0, "courier": 9.0,
                                                           "ledger": 14.0}
    assert {f.input: f.outlet for f in workers.figures}["courier"] == "Coastal Courier"
    assert "9 (Coastal Courier)" in workers.disagreement
    herald = next(f for f in workers.figures if f.input == "herald")
    assert herald.attribution.kind == "attributed"
    assert herald.attribution.source.text == "the Port Alder Fire Department"
    # ...and the figure they agree on
    firefighters = next(c for c in story.claims if c.about == "firefighters")
    assert firefighters.agree and {f.value for f in firefighters.figures} == {60.0}
    # spans are offsets into each article's stored report
    texts = {a.input: reports[a.title].text for a in story.articles}
    for claim in story.claims:
        for f in claim.figures:
            for span in (f.quantity, f.sentence):
                assert texts[f.input][span.start:span.end] == span.text
    assert {o.input for o in story.only_here} <= set(texts)
    assert "Dana Whitlock" in " ".join(s.name for s in story.sources)
    assert {lang.input for lang in story.language} == set(texts)


def test_the_same_articles_again_are_found_not_analysed_again(client: TestClient,
                                                              compared: dict) -> None:
    before = client.get("/healthz").json()["reports"]
    r = client.post("/api/compare", json={"articles": ARTICLES})
    assert r.status_code == 200, r.text
    assert client.get("/healthz").json()["reports"] == before
    again = r.json()
    # the stored reports' embeddings (one encoder pass each) group and align as before
    assert again["stories"][0]["claims"] == compared["stories"][0]["claims"]
    assert again["unrelated"] == compared["unrelated"]
    for new, old in zip(again["stories"][0]["links"], compared["stories"][0]["links"],
                        strict=True):
        assert (new["a"], new["b"]) == (old["a"], old["b"])
        assert new["score"] == pytest.approx(old["score"], abs=1e-3)


def test_names_default_to_the_url_or_article_n(client: TestClient, compared: dict) -> None:
    herald, courier, ledger = (dict(a) for a in ARTICLES[:3])
    del herald["id"], courier["id"], ledger["id"]
    courier["source_url"] = "https://courier.example/fire"
    r = client.post("/api/compare", json={"articles": [herald, courier, ledger]})
    assert r.status_code == 200, r.text
    names = {a["input"] for a in r.json()["stories"][0]["articles"]}
    assert names == {"article 1", "https://courier.example/fire", "article 3"}


# --- articles that cannot be read ------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        body = b"<html><body><article><h1>Private</h1><p>Never fetched.</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def private_server() -> Iterator[http.server.ThreadingHTTPServer]:
    """A page on 127.0.0.1, standing in for an address on the server's own network."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.paths = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_private_addresses_are_reported_refused_and_never_fetched(
        client: TestClient, compared: dict, private_server: http.server.ThreadingHTTPServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    local = f"http://127.0.0.1:{private_server.server_address[1]}/article"
    urls = [local, "http://10.0.0.1/news", "http://169.254.169.254/latest/meta-data/"]
    body = {"articles": [*ARTICLES[:2], *({"url": u} for u in urls), {"text": "   "}]}
    r = client.post("/api/compare", json=body)
    assert r.status_code == 200, r.text
    comparison = Comparison.model_validate(r.json())
    assert [{a.input for a in s.articles} for s in comparison.stories] == [{"herald",
                                                                            "courier"}]
    errors = {e.input: e.error for e in comparison.errors}
    assert list(errors) == [*urls, "article 6"]
    for url in urls:
        assert errors[url].startswith(f"refusing to fetch {url}: ")
        assert "public addresses only" in errors[url] and "--allow-private" not in errors[url]
    assert "empty" in errors["article 6"]
    assert private_server.paths == []  # type: ignore[attr-defined]


def test_fewer_than_two_readable_articles_is_a_422(client: TestClient, compared: dict) -> None:
    r = client.post("/api/compare", json={"articles": [ARTICLES[0],
                                                       {"url": "http://10.0.0.1/x"}]})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "too_few_articles"
    assert body["detail"].startswith("only 1 of the 2 articles could be read and analysed")
    assert "http://10.0.0.1/x: refusing to fetch" in body["detail"]


# --- malformed requests and limits -----------------------------------------------------------


def test_malformed_bodies_are_one_line_422s(client: TestClient) -> None:
    one = {"text": "Council meets\n\nThe council met on Monday."}
    cases = [
        ({"articles": [one]}, "give at least 2 articles to compare (got 1)"),
        ({"articles": []}, "give at least 2 articles to compare (got 0)"),
        ({}, "articles: Field required"),
        ({"articles": "two articles"}, "articles"),
        ({"articles": [one, {"text": "x", "url": "https://example.com/"}]},
         "exactly one of text, html or url (got text, url)"),
        ({"articles": [one, {}]}, "exactly one of text, html or url"),
        ({"articles": [one, {"html": "<p>x</p>", "title": "A title"}]},
         "title is for pasted text only"),
        ({"articles": [one, {"text": "x", "date": "last week"}]}, "date"),
        ({"articles": [one, {"text": "x", "allow_private": True}]}, "allow_private"),
        ({"articles": [one, one], "threshold": 0.1}, "threshold"),
    ]
    for body, words in cases:
        detail = _invalid(client.post("/api/compare", json=body))
        assert words in detail, (body, detail)
    _invalid(client.post("/api/compare", content=b'{"articles": [', headers={
        "Content-Type": "application/json"}))


def test_too_many_articles_413(client: TestClient, app_settings: Settings) -> None:
    many = [{"text": f"Story {k}\n\nSomething happened on day {k}."} for k in range(21)]
    r = client.post("/api/compare", json={"articles": many})
    assert r.status_code == 413 and r.json()["error"] == "too_many_articles"
    assert r.json()["detail"] == ("21 articles sent; this server compares at most 20 articles "
                                  "in one request")
    app = client.app
    app.dependency_overrides[get_settings] = lambda: app_settings.replace(max_compare_articles=3)
    try:
        r = client.post("/api/compare", json={"articles": ARTICLES})
        assert r.status_code == 413 and "at most 3 articles" in r.json()["detail"]
    finally:
        app.dependency_overrides.clear()
    # the request size limit counts all the articles together
    small = create_app(app_settings.replace(max_request_bytes=2000))
    with TestClient(small, base_url="http://127.0.0.1") as c:
        r = c.post("/api/compare", json={"articles": ARTICLES * 2})
        assert r.status_code == 413 and r.json()["error"] == "request_too_large"


def test_article_size_limit_applies_to_each_article(client: TestClient,
                                                    app_settings: Settings,
                                                    compared: dict) -> None:
    app = client.app
    app.dependency_overrides[get_settings] = lambda: app_settings.replace(max_article_chars=330)
    try:
        long = {"id": "long", "text": "Long one\n\n" + "Words go on and on. " * 30}
        r = client.post("/api/compare", json={"articles": [*ARTICLES[:2], long]})
        assert r.status_code == 200, r.text
        errors = r.json()["errors"]
        assert [e["input"] for e in errors] == ["long"]
        assert "at most 330 characters" in errors[0]["error"]
    finally:
        app.dependency_overrides.clear()


class _ReplayPipeline:
    """Stands in for the pipeline: answers an article with the stored report of the same
    title; an article with any other title waits until released, then gets the third one."""

    def __init__(self, reports: dict[str, Report], release: threading.Event) -> None:
        self.reports, self.release = reports, release

    def versions(self) -> dict[str, str]:
        return dict(next(iter(self.reports.values())).versions)

    def __call__(self, article) -> Report:
        title = article.text[article.title.start:article.title.end]
        if title not in self.reports:
            self.release.wait(10)
            title = ARTICLES[2]["title"]
        return self.reports[title]


def _replay_service(settings: Settings, reports: dict[str, Report], release: threading.Event,
                    db: Path) -> AnalysisService:
    return AnalysisService(settings, Store(f"sqlite:///{db}"),
                           factory=lambda: _ReplayPipeline(reports, release))


def _let_go(service: AnalysisService, release: threading.Event) -> None:
    """Let every waiting stand-in analysis finish, then make the next ones wait again."""
    release.set()
    deadline = time.monotonic() + 10
    while service.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert service.running == 0
    release.clear()


def test_an_analysis_over_its_time_is_reported_and_the_rest_compared(
        client: TestClient, app_settings: Settings, reports: dict[str, Report],
        tmp_path: Path) -> None:
    release = threading.Event()
    tight = app_settings.replace(max_concurrent_analyses=2, analysis_timeout_s=0.5)
    service = _replay_service(tight, reports, release, tmp_path / "replay.db")
    app = client.app
    app.dependency_overrides[get_analysis] = lambda: service
    app.dependency_overrides[get_settings] = lambda: tight
    slow = {"id": "slow", "text": "Slow\n\nThis one takes its time."}
    try:
        started = time.monotonic()
        r = client.post("/api/compare", json={"articles": [*ARTICLES, slow]})
        assert r.status_code == 200, r.text
        assert time.monotonic() - started < 5
        comparison = Comparison.model_validate(r.json())
        assert [(e.input, e.error) for e in comparison.errors] == [
            ("slow", "the analysis did not finish within 0.5 s")]
        assert {a.input for a in comparison.stories[0].articles} == {"herald", "courier",
                                                                      "ledger"}
        assert not comparison.grouping.embeddings  # a pipeline with no encoder: words alone
        _let_go(service, release)
        # only time limits left fewer than two: 504, not the client's fault
        r = client.post("/api/compare", json={"articles": [ARTICLES[0], slow]})
        assert r.status_code == 504 and r.json()["error"] == "analysis_timeout"
        assert "slow: the analysis did not finish within 0.5 s" in r.json()["detail"]
        _let_go(service, release)
        # the whole comparison's limit: what is left then is reported as not analysed
        app.dependency_overrides[get_settings] = lambda: tight.replace(
            compare_timeout_s=0.3, max_concurrent_analyses=1)
        late = {"id": "late", "text": "Late\n\nToo late to be analysed."}
        r = client.post("/api/compare", json={"articles": [*ARTICLES[:2], slow, late]})
        assert r.status_code == 200, r.text
        assert r.json()["errors"] == [
            {"input": name, "error": "not analysed: the comparison took longer than 0.3 s"}
            for name in ("slow", "late")]
    finally:
        release.set()
        app.dependency_overrides.clear()
        service.close()
        service.store.close()


def test_busy_is_a_429_for_the_whole_comparison(client: TestClient, app_settings: Settings,
                                                reports: dict[str, Report],
                                                tmp_path: Path) -> None:
    release = threading.Event()
    tight = app_settings.replace(max_concurrent_analyses=1, max_queued_analyses=0,
                                 analysis_timeout_s=5)
    service = _replay_service(tight, reports, release, tmp_path / "busy.db")
    client.app.dependency_overrides[get_analysis] = lambda: service
    held: dict[str, object] = {}
    try:
        thread = threading.Thread(target=lambda: held.setdefault("r", client.post(
            "/api/analyze", json={"text": "Slow\n\nHolding the only slot."})))
        thread.start()
        deadline = time.monotonic() + 5
        while service.running == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        r = client.post("/api/compare", json={"articles": ARTICLES[:2]})
        assert r.status_code == 429 and r.json()["error"] == "busy"
        assert r.headers["retry-after"]
        release.set()
        thread.join(10)
        assert held["r"].status_code == 201  # type: ignore[attr-defined]
    finally:
        release.set()
        client.app.dependency_overrides.clear()
        service.close()
        service.store.close()


# --- the API's description, tokens, the page ------------------------------------------------


def test_openapi_limits_tokens_and_page(client: TestClient, app_settings: Settings) -> None:
    spec = client.get("/openapi.json").json()
    op = spec["paths"]["/api/compare"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CompareRequest")
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Comparison")
    assert {"413", "422", "429", "504"} <= set(op["responses"])
    assert "Comparison" in spec["components"]["schemas"]
    limits = client.get("/api/limits").json()
    assert limits["max_compare_articles"] == 20 and limits["compare_timeout_s"] == 300
    env = Settings.from_env({"UNSPIN_MAX_COMPARE": "5", "UNSPIN_COMPARE_TIMEOUT": "30"})
    assert (env.max_compare_articles, env.compare_timeout_s) == (5, 30.0)
    with pytest.raises(ServeError, match="max_compare_articles must be at least 2"):
        create_app(app_settings.replace(max_compare_articles=1))
    with pytest.raises(ServeError, match="timeouts must be positive"):
        create_app(app_settings.replace(compare_timeout_s=0))
    page = client.get("/compare")
    assert page.status_code == 200 and 'id="compare-form"' in page.text
    with TestClient(create_app(app_settings.replace(tokens=frozenset({TOKEN}))),
                    base_url="http://desk.example") as c:
        r = c.post("/api/compare", json={"articles": ARTICLES})
        assert r.status_code == 401 and r.json()["error"] == "unauthorized"
