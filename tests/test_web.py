"""The web page in a real browser: Debian's headless Chromium, driven by selenium through the
system chromedriver, against a real uvicorn server on a free loopback port.

It pastes the example article, sees its highlights, claims and flags, finds it again through
the search by a phrase, a source, its outlet and a flag, checks that article text never
becomes markup, and saves the screenshot used in the README (docs/serve.png). Skipped, with
the reason, when Chromium, chromedriver or selenium is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PORT_TEXT = (ROOT / "examples" / "port_strike.txt").read_text(encoding="utf-8")
WIRE_TEXT = (ROOT / "examples" / "wire_report.txt").read_text(encoding="utf-8")
PORT_TITLE = "Reckless Union Bosses Hold Harbour City Hostage as Port Strike Drags Into Third Week"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT = ROOT / "docs" / "serve.png"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage", "--disable-extensions", "--window-size=1280,1500")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``unspin serve`` (uvicorn, in a thread) on a free port with a fresh store."""
    uvicorn = pytest.importorskip("uvicorn")
    from unspin.server import Settings, create_app

    db = tmp_path_factory.mktemp("web") / "reports.db"
    port = _free_port()
    app = create_app(Settings(port=port, db_url=f"sqlite:///{db}", warm_up=False))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser test skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    if not Path(CHROMEDRIVER).exists():
        pytest.skip(f"browser test skipped: no chromedriver at {CHROMEDRIVER} "
                    "(apt-get install chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as exc:
        pytest.skip(f"browser test skipped: Chromium did not start: {exc.msg}")
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver, condition, timeout: float = 30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _results(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#results .result-title a")]


def _search(driver, base_url: str, **fields: str) -> list[str]:
    """Fill the history form (text fields typed, selects chosen), submit, return the titles."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(base_url + "/history")
    _wait(driver, lambda d: "report" in d.find_element(By.ID, "history-status").text)
    for name, value in fields.items():
        box = driver.find_element(By.CSS_SELECTOR, f"#search-form [name={name}]")
        if box.tag_name == "select":
            _wait(driver, lambda d, box=box, value=value: value in [
                o.get_attribute("value") for o in Select(box).options])
            Select(box).select_by_value(value)
        else:
            box.clear()
            box.send_keys(value)
    driver.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    _wait(driver, lambda d: all(f"{k}=" in d.current_url for k in fields))
    _wait(driver, lambda d: "Searching" not in d.find_element(By.ID, "history-status").text)
    return _results(driver)


def _click(driver, element) -> None:
    """Scroll ``element`` to the middle of the window at once (the page scrolls smoothly,
    and a click on an element still moving misses), then click it."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})",
                          element)
    element.click()


def _csp_violations(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")
            if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]]


def test_paste_read_and_find_again(browser, base_url: str) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    # another article in the store, so that every search below has to tell them apart
    r = httpx.post(base_url + "/api/analyze", timeout=60,
                   json={"text": WIRE_TEXT, "outlet": "Riverton Gazette", "date": "2025-03-14"})
    assert r.status_code == 201, r.text

    driver.get(base_url + "/")
    driver.find_element(By.ID, "in-text").send_keys(PORT_TEXT)
    driver.find_element(By.ID, "in-outlet").send_keys("Harbour Herald")
    driver.find_element(By.ID, "analyse-button").click()
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#report .hl-technique"), 60)
    assert "/reports/" in driver.current_url

    # highlights: techniques with their colours, hedges, numbers, claims tagged C1...
    assert driver.find_element(By.ID, "report-title").text.endswith(
        "Hostage as Port Strike Drags Into Third Week")
    marks = driver.find_elements(By.CSS_SELECTOR, "#article mark.hl-technique")
    assert {"radical union", "madness"} <= {m.text for m in marks}
    assert all("pal-" in m.get_attribute("class") for m in marks)
    hedges = {m.text for m in driver.find_elements(By.CSS_SELECTOR, "#article mark.hl-hedge")}
    assert {"reportedly", "allegedly"} <= hedges
    assert driver.find_elements(By.CSS_SELECTOR, "#article .claim-tag")
    legend = driver.find_element(By.ID, "legend").text
    assert "Loaded language" in legend and "Name calling labeling" in legend
    # claims with their sources, and the flags
    claims = driver.find_element(By.ID, "panel-claims").text
    assert "Port Authority chair Miriam Okafor" in claims and "hedged" in claims
    flags = driver.find_element(By.ID, "panel-flags").text
    assert "Borrowed authority" in flags and "Harbour City Chamber of Commerce" in flags
    badges = driver.find_element(By.CSS_SELECTOR, "#report .badges").text
    assert "Genre:" in badges
    assert "Frames: not judged" in badges  # a port strike is unlike the frames' training news

    # keyboard: focusing a highlight shows its definition
    madness = next(m for m in marks if m.text == "madness")
    driver.execute_script("arguments[0].focus()", madness)
    tip = driver.find_element(By.ID, "tip")
    _wait(driver, lambda d: tip.is_displayed(), 5)
    assert "Loaded language" in tip.text and "emotional" in tip.text
    SCREENSHOT.parent.mkdir(exist_ok=True)
    driver.find_element(By.TAG_NAME, "body").send_keys("\ue00c")  # Escape hides the tip
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height), 2300))  # the article, flags and claims
    driver.save_screenshot(str(SCREENSHOT))
    driver.set_window_size(1280, 1500)

    # found again by a phrase, a source, its outlet and a flag (and not the other article)
    assert _search(driver, base_url, q='"container terminal"') == [PORT_TITLE]
    assert _search(driver, base_url, source="Miriam Okafor") == [PORT_TITLE]
    assert _search(driver, base_url, outlet="Harbour Herald") == [PORT_TITLE]
    assert _search(driver, base_url, flag="unused_source") == [PORT_TITLE]
    assert len(_search(driver, base_url, q="council")) == 1  # the wire report only
    assert _search(driver, base_url, q='"no such phrase anywhere"') == []
    assert "No stored report matches" in driver.find_element(By.ID, "history-status").text
    # each result links to its stored report
    _search(driver, base_url, flag="unused_source")
    driver.find_element(By.CSS_SELECTOR, "#results .result-title a").click()
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#report .hl-technique"))
    assert driver.find_element(By.ID, "report-title").text.endswith(PORT_TITLE)

    # trends: one chart per outlet, drawn as SVG
    driver.get(base_url + "/trends")
    _wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#charts svg.chart")) == 2)
    assert "Harbour Herald" in driver.find_element(By.ID, "charts").text
    assert _csp_violations(driver) == []


def test_article_text_never_becomes_markup(browser, base_url: str) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    title = 'Council <b id="injected">meets</b> <img src=x onerror="window.pwned=1">'
    body = ("The council met on Monday <script>window.pwned=2</script> and approved the "
            "budget, officials said. <a href=\"javascript:alert(1)\">Read more</a>")
    driver.get(base_url + "/")
    driver.find_element(By.ID, "in-text").send_keys(f"{title}\n\n{body}")
    driver.find_element(By.ID, "analyse-button").click()
    _wait(driver, lambda d: "/reports/" in d.current_url and d.find_elements(
        By.CSS_SELECTOR, "#report .para"), 60)
    report = driver.find_element(By.ID, "report")
    assert '<b id="injected">' in driver.find_element(By.ID, "report-title").text
    assert "<script>window.pwned=2</script>" in report.text
    assert driver.find_elements(By.ID, "injected") == []
    assert report.find_elements(By.CSS_SELECTOR, "img, script, #article b, #report-title b, "
                                                 "#article a[href^=javascript]") == []
    assert driver.execute_script("return window.pwned === undefined")
    assert _csp_violations(driver) == []


def test_compare_side_by_side(browser, base_url: str) -> None:
    """Four pasted articles (tests/fixtures/compare): one story of three in columns, the
    figure they disagree on highlighted, the fourth listed apart."""
    import json

    from selenium.webdriver.common.by import By

    driver = browser
    fixture = ROOT / "tests" / "fixtures" / "compare" / "port_alder_fire.json"
    articles = json.loads(fixture.read_text(encoding="utf-8"))["articles"]
    articles[3] = {**articles[3], "title": 'Riverton library <b id="injected">to open</b> '
                                          "on Sundays"}
    driver.get(base_url + "/compare")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#compare-entries .compare-entry")) == 2
    for k, article in enumerate(articles, start=1):
        if k > 2:
            _click(driver, driver.find_element(By.ID, "compare-add"))
        entry = driver.find_elements(By.CSS_SELECTOR, "#compare-entries .compare-entry")[k - 1]
        assert entry.find_element(By.TAG_NAME, "legend").text == f"Article {k}"
        entry.find_element(By.TAG_NAME, "textarea").send_keys(
            f"{article['title']}\n\n{article['text']}")
        entry.find_element(By.CSS_SELECTOR, "input[list=outlet-list]").send_keys(
            article["outlet"])
    # one article given by a private address: reported, never fetched
    _click(driver, driver.find_element(By.ID, "compare-add"))
    entry = driver.find_elements(By.CSS_SELECTOR, "#compare-entries .compare-entry")[-1]
    _click(driver, entry.find_element(By.CSS_SELECTOR, "input[value=url]"))
    entry.find_element(By.CSS_SELECTOR, "input[type=url]").send_keys("http://10.0.0.1/news")
    _click(driver, driver.find_element(By.ID, "compare-button"))
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#comparison .story"), 90)
    assert "5 articles: 1 story, 1 unrelated, 1 not analysed" in driver.find_element(
        By.ID, "compare-status").text

    [story] = driver.find_elements(By.CSS_SELECTOR, "#comparison .story")
    figures = story.find_element(By.CSS_SELECTOR, "table.figures")
    columns = [th.find_element(By.CLASS_NAME, "col-outlet").text
               for th in figures.find_elements(By.CSS_SELECTOR, "thead th.article-col")]
    assert sorted(columns) == ["Coastal Courier", "Daily Ledger", "Harbour Herald"]
    # the injured workers: the row is marked, and the odd figure out (9) stands out
    row = next(r for r in figures.find_elements(By.CSS_SELECTOR, "tr.claim-row")
               if r.find_element(By.CLASS_NAME, "claim-about").text == "workers")
    assert "differ" in row.get_attribute("class").split()
    assert "Figures differ" in row.find_element(By.CSS_SELECTOR, "th").text
    cells = row.find_elements(By.CSS_SELECTOR, "td")
    numbers = {columns[k]: c.find_element(By.CLASS_NAME, "fig-num").text
               for k, c in enumerate(cells)}
    assert numbers == {"Harbour Herald": "14", "Coastal Courier": "9", "Daily Ledger": "14"}
    odd = row.find_elements(By.CSS_SELECTOR, "td.fig-odd")
    assert [c.find_element(By.CLASS_NAME, "fig-num").text for c in odd] == ["9"]
    assert "the Port Alder Fire Department" in cells[columns.index("Harbour Herald")].text
    background = driver.execute_script(
        "return getComputedStyle(arguments[0]).backgroundColor", odd[0])
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet applies
    agreed = next(r for r in figures.find_elements(By.CSS_SELECTOR, "tr.claim-row")
                  if r.find_element(By.CLASS_NAME, "claim-about").text == "firefighters")
    assert "agree" in agreed.get_attribute("class").split()
    # claims told only here, sources and language, a column per outlet
    only = story.find_element(By.CSS_SELECTOR, "table.only").text
    assert "Union leader Marco Reyes" in only
    assert "Dana Whitlock" in story.find_element(By.CSS_SELECTOR, "table.sources").text
    language = story.find_element(By.CSS_SELECTOR, "table.language")
    assert len(language.find_elements(By.CSS_SELECTOR, "thead th.article-col")) == 3
    assert "per 100 words" in language.text
    # the unrelated article and the refused address, listed apart
    unrelated = driver.find_element(By.ID, "compare-unrelated").text
    assert "Riverton Gazette" in unrelated and '<b id="injected">' in unrelated
    assert driver.find_elements(By.ID, "injected") == []
    assert "refusing to fetch http://10.0.0.1/news" in driver.find_element(
        By.ID, "compare-errors").text
    assert _csp_violations(driver) == []
