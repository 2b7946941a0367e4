"""The built site in a real browser: headless Chromium over every page of the TOC.

The site is served on 127.0.0.1 (a free port, ``http.server`` in a thread) and driven
through the Chrome DevTools Protocol (``--remote-debugging-port`` and the
``websocket-client`` package the lock file already holds). For every page of the table
of contents the test checks that

- the page and everything it requests from the site load (no HTTP status >= 400, no
  uncaught JavaScript exception);
- every image has loaded (``naturalWidth > 0``);
- no failure text is shown: an unrendered glue role, a missing glue target, a Python
  traceback or error name in the article, an error or stderr block in a cell output;
- on chapter pages, the first chart is visible: it has a size, is not hidden or covered
  at its centre, and a screenshot of it (saved as a test artefact) is not blank;
- at both widths (:data:`WIDTHS`, a desktop and a phone), with every folded block open, no
  table is wider than the viewport unless it sits in a scroll box of its own (the table or
  a box inside the article: the page never scrolls sideways), and at the desktop width the
  key columns (:data:`KEY_COLUMNS`) are visible without scrolling;
- Chinese text is drawn with a CJK font: two different characters give two different
  images, and neither is the missing-glyph box of a private-use character.

Screenshots go to a ``test-artifacts`` folder of the run's temporary folder, or to
``$PLANBOOK_TEST_ARTIFACTS`` when set; the test prints the folder.
Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it when it can);
without ``/usr/bin/chromium`` the test is skipped.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("PLANBOOK_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [  # TOOLCHAIN item 11, plus what a container needs
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--window-size=1400,900",
]
WIDTHS = (1400, 400)
"""The desktop and the phone width (CSS pixels) every page is checked at."""
KEY_COLUMNS = re.compile(r"^(value|unit|verdict|probability)\b", re.I)
"""Headers of the columns a reader must see without scrolling at the desktop width."""
FAILURE_TEXT = [
    re.compile(r"\{glue:?\w*\}"),  # a glue role Sphinx did not render
    re.compile(r"glue target not found", re.I),
    re.compile(r"No key [`'\"]?\w+[`'\"]? found in glue data"),
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"\bNameError\b"),
]
# In cell outputs: an exception or warning as Python prints it ("ValueError: ...",
# "Error: ...", "FutureWarning: ..."); a table column named "Error" is not one.
OUTPUT_FAILURE = re.compile(r"\b\w*(Error|Exception|Warning): |Traceback")
KNOWN_EXCEPTIONS = [
    # sphinx-thebe 0.3.1 (jupyter-book 1.0.4) adds its inline config script twice under
    # Sphinx 7.4, so the second `const THEBE_JS_URL` is a redeclaration. Harmless (the
    # first copy configured thebe); any other exception fails the test.
    "Identifier 'THEBE_JS_URL' has already been declared",
]
IGNORED_REQUESTS = {"/favicon.ico"}  # asked for by the browser itself; the site has none
LOAD_TIMEOUT = 30.0


def chromium_missing() -> bool:
    return not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK))


pytestmark = pytest.mark.skipif(
    chromium_missing(),
    reason=f"{CHROMIUM} not found: install Debian's 'chromium' package "
    "(.ci/run does so when run as root) to run the browser test",
)


# --------------------------------------------------------------------------- serving


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site quietly and records every failed request."""

    failures: list[str]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code).isdigit() and int(code) >= 400 and self.path not in IGNORED_REQUESTS:
            self.failures.append(f"{code} {self.path}")


@dataclass
class Server:
    """The site on 127.0.0.1 at a free port, in a daemon thread."""

    root: Path
    failures: list[str] = field(default_factory=list)

    def __enter__(self) -> Server:
        handler = type("Handler", (_Handler,), {"failures": self.failures})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(self.root))
        )
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------- browser


class Browser:
    """Headless Chromium and one page target, driven over the DevTools protocol."""

    def __init__(self, executable: Path = CHROMIUM) -> None:
        import websocket  # websocket-client, in the lock as a Jupyter dependency

        self.profile = Path(tempfile.mkdtemp(prefix="planbook-chromium-"))
        self.proc = subprocess.Popen(
            [
                str(executable),
                *FLAGS,
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._devtools_port()
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read())
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=LOAD_TIMEOUT, suppress_origin=True
        )
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        for domain in ("Page", "Runtime"):
            self.call(f"{domain}.enable")
        self.resize(WIDTHS[0])

    def resize(self, width: int) -> None:
        """Emulate a viewport ``width`` CSS pixels wide (900 high); the page re-lays out."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _devtools_port(self) -> int:
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + LOAD_TIMEOUT
        while time.monotonic() < deadline:
            if marker.is_file() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}")
            time.sleep(0.1)
        raise RuntimeError("chromium did not open its DevTools port")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = LOAD_TIMEOUT) -> dict[str, Any]:
        """Wait for an event (it may already have arrived)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {timeout} s")
            self.events.append(json.loads(self.ws.recv()))

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        """Navigate and wait for the load event and for every image to settle."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate(SETTLE_IMAGES)

    def exceptions(self) -> list[str]:
        """Uncaught JavaScript exceptions reported since the last :meth:`open`."""
        return [
            e["params"]["exceptionDetails"].get("text", "exception")
            + " "
            + str(e["params"]["exceptionDetails"].get("exception", {}).get("description", ""))
            for e in self.events
            if e.get("method") == "Runtime.exceptionThrown"
        ]

    def screenshot(self, clip: dict[str, float]) -> bytes:
        result = self.call(
            "Page.captureScreenshot",
            format="png",
            clip={**clip, "scale": 1},
            captureBeyondViewport=False,
        )
        return base64.b64decode(result["data"])

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


SETTLE_IMAGES = """
new Promise(resolve => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = "eager"; });
  const pending = images.filter(img => !img.complete);
  if (pending.length === 0) { resolve(true); return; }
  let left = pending.length;
  const one = () => { left -= 1; if (left === 0) resolve(true); };
  pending.forEach(img => {
    img.addEventListener("load", one, {once: true});
    img.addEventListener("error", one, {once: true});
  });
  setTimeout(() => resolve(false), 15000);
})
"""

INSPECT = """
(() => {
  const article = document.querySelector("article") || document.body;
  const images = Array.from(document.images).map(img => ({
    src: img.getAttribute("src"), complete: img.complete, width: img.naturalWidth,
  }));
  const outputs = Array.from(article.querySelectorAll(
    ".cell_output .output, .cell_output pre, div.output"
  )).map(o => ({cls: o.className, text: o.innerText.slice(0, 300)}));
  const errors = Array.from(article.querySelectorAll(
    ".output.stderr, .output.error, .output.traceback, div.stderr"
  )).map(o => o.innerText.slice(0, 300));
  return {title: document.title, text: article.innerText, images, outputs, errors};
})()
"""

FIRST_CHART = """
(() => {
  const img = document.querySelector("article .cell_output img, article img");
  if (!img) return null;
  img.scrollIntoView({block: "center"});
  const r = img.getBoundingClientRect();
  const style = getComputedStyle(img);
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {
    x: r.left + visualViewport.pageLeft, y: r.top + visualViewport.pageTop,
    width: Math.min(r.width, innerWidth), height: Math.min(r.height, innerHeight),
    visible: style.visibility !== "hidden" && style.display !== "none" && +style.opacity > 0,
    on_top: top === img, src: img.getAttribute("src"),
  };
})()
"""


LAYOUT = """
(() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const vw = document.documentElement.clientWidth;
  const article = document.querySelector("article") || document.body;
  const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const clip = el => {  // the viewport cut by every box that clips or scrolls around el
    let left = 0, right = vw;
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") {
        const r = a.getBoundingClientRect();
        left = Math.max(left, r.left); right = Math.min(right, r.right);
      }
    }
    return {left, right};
  };
  const wide = [], hidden = [];
  Array.from(article.querySelectorAll("table")).forEach((table, i) => {
    const r = table.getBoundingClientRect();
    if (r.width === 0) return;
    const name = table.id || table.caption?.innerText?.slice(0, 60) || `table ${i + 1}`;
    if (r.left < -1 || r.right > vw + 1) {
      let box = scrolls(table) ? table : null;
      for (let a = table.parentElement; !box && a && article.contains(a) && a !== article;
           a = a.parentElement) { if (scrolls(a)) box = a; }
      const b = box && box.getBoundingClientRect();
      if (!b || b.left < -1 || b.right > vw + 1) wide.push(`${name}: ${Math.round(r.width)} px`);
    }
    Array.from(table.querySelectorAll("thead th")).forEach(th => {
      const text = th.innerText.trim();
      if (!KEY.test(text)) return;
      const h = th.getBoundingClientRect(), c = clip(th);
      if (h.right > c.right + 1 || h.left < c.left - 1) hidden.push(`${name}: ${text}`);
    });
  });
  return {width: vw, page: document.documentElement.scrollWidth, wide, hidden};
})()
"""

CJK = """
(() => {
  const article = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  let node, found = null;
  while (!found && (node = walker.nextNode())) {
    const m = node.data.match(/[\u4e00-\u9fff]{2,}/);
    if (m && new Set(m[0]).size > 1) found = {el: node.parentElement, text: m[0]};
  }
  if (!found) return null;
  const family = getComputedStyle(found.el).fontFamily;
  const ctx = document.createElement("canvas").getContext("2d", {willReadFrequently: true});
  ctx.canvas.width = 64; ctx.canvas.height = 64;
  const draw = ch => {
    ctx.clearRect(0, 0, 64, 64); ctx.font = `40px ${family}`; ctx.fillText(ch, 8, 48);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3));
  };
  const [a, b] = Array.from(new Set(found.text)).slice(0, 2).map(draw);
  const tofu = draw("\ue000"), same = (x, y) => x.every((v, i) => v === y[i]);
  return {
    text: found.text, family, inked: a.some(v => v > 0) && b.some(v => v > 0),
    distinct: !same(a, b), tofu: same(a, tofu) || same(b, tofu),
  };
})()
"""


# --------------------------------------------------------------------------- checks


def layout_problems(browser: Browser, width: int) -> list[str]:
    """At ``width``: tables wider than the viewport outside a scroll box of their own, and
    (at the desktop width) key columns out of sight."""
    browser.resize(width)
    seen = browser.evaluate(LAYOUT.replace("KEY.test", f"/{KEY_COLUMNS.pattern}/i.test"))
    problems = [f"{width} px: table wider than the viewport: {w}" for w in seen["wide"]]
    if width == WIDTHS[0]:
        problems += [f"{width} px: key column out of sight: {h}" for h in seen["hidden"]]
    return problems


def cjk_font_installed() -> bool:
    """Whether fontconfig knows a font for Chinese (``.ci/run`` installs Debian's
    fonts-wqy-microhei; without one the glyphs are not checked, and a test says so)."""
    try:
        found = subprocess.run(
            ["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(found.strip())


def cjk_problems(browser: Browser) -> tuple[bool, list[str]]:
    """Whether the page shows Chinese text, and what is wrong with how it is drawn."""
    seen = browser.evaluate(CJK)
    if seen is None:
        return False, []
    if (seen["inked"] and seen["distinct"] and not seen["tofu"]) or not cjk_font_installed():
        return True, []
    return True, [f"Chinese text {seen['text'][:20]!r} not drawn with a CJK font: {seen}"]


def toc_pages(root: Path) -> list[str]:
    """The site paths of every page of the table of contents, in order.

    Chapters are listed as ``book/chapters/<stem>`` and published as
    ``notebooks/<stem>.html`` (see ``planbook.engine.build.site.stage_sources``).
    """
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return [f.replace("book/chapters/", "notebooks/") + ".html" for f in files]


def blank_fraction(png: bytes) -> float:
    """Share of pixels of a screenshot that are (near) white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    histogram = image.histogram()
    return sum(histogram[245:]) / max(1, sum(histogram))


@dataclass
class PageReport:
    """What the browser saw on one page."""

    path: str
    problems: list[str]
    images: int
    screenshot: Path | None
    seconds: float
    chinese: bool = False


def check_page(
    browser: Browser, server: Server, path: str, chart_expected: bool, artifacts: Path
) -> PageReport:
    """Open one page and list what is wrong with it."""
    start = time.perf_counter()
    server.failures.clear()
    browser.open(server.base + path)
    seen = browser.evaluate(INSPECT)
    problems = [f"request failed: {f}" for f in server.failures]
    problems += [
        f"JavaScript exception: {e}"
        for e in browser.exceptions()
        if not any(known in e for known in KNOWN_EXCEPTIONS)
    ]
    if not seen["title"]:
        problems.append("page has no title")
    for image in seen["images"]:
        if not image["complete"] or image["width"] <= 0:
            problems.append(f"image not loaded: {image['src']}")
    for pattern in FAILURE_TEXT:
        match = pattern.search(seen["text"])
        if match:
            context = seen["text"][max(0, match.start() - 60) : match.end() + 60]
            problems.append(f"failure text {match.group(0)!r}: ...{context}...")
    for output in seen["outputs"]:
        if OUTPUT_FAILURE.search(output["text"]):
            problems.append(f"cell output shows an error or warning: {output['text'][:200]!r}")
    problems += [f"error/stderr block in a cell output: {e[:200]!r}" for e in seen["errors"]]
    shot = None
    if chart_expected:
        chart = browser.evaluate(FIRST_CHART)
        if chart is None:
            problems.append("no chart on a chapter page")
        else:
            if chart["width"] < 50 or chart["height"] < 50:
                problems.append(f"first chart too small: {chart['width']}x{chart['height']}")
            if not chart["visible"]:
                problems.append("first chart is hidden")
            if not chart["on_top"]:
                problems.append("first chart is covered by another element")
            png = browser.screenshot(
                {k: chart[k] for k in ("x", "y", "width", "height")}
                if chart["width"] and chart["height"]
                else {"x": 0, "y": 0, "width": WIDTHS[0], "height": 900}
            )
            shot = artifacts / (Path(path).stem + ".png")
            shot.write_bytes(png)
            if blank_fraction(png) > 0.995:
                problems.append(f"screenshot of the first chart is blank: {shot}")
    chinese, cjk = cjk_problems(browser)
    problems += cjk
    try:
        for width in WIDTHS:
            problems += layout_problems(browser, width)
    finally:
        browser.resize(WIDTHS[0])
    seconds = time.perf_counter() - start
    return PageReport(path, problems, len(seen["images"]), shot, seconds, chinese)


def check_site(
    site: Path, pages: list[str], chapters: set[str], artifacts: Path
) -> list[PageReport]:
    """Serve ``site`` and check each page of ``pages`` (site paths); a page whose path is
    in ``chapters`` must show a chart."""
    artifacts.mkdir(parents=True, exist_ok=True)
    reports = []
    with Server(site) as server:
        browser = Browser()
        try:
            for path in pages:
                if not (site / path).is_file():
                    reports.append(PageReport(path, ["page not built"], 0, None, 0.0))
                    continue
                reports.append(check_page(browser, server, path, path in chapters, artifacts))
        finally:
            browser.close()
    return reports


@pytest.fixture(scope="module")
def site_reports(
    built_book: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[PageReport], float, Path]]:
    from planbook.engine.registry import CHAPTERS

    site = built_book / "_build" / "html"
    # not inside built_book: every test of the run shares it, and some check it is unchanged
    artifacts = Path(
        os.environ.get("PLANBOOK_TEST_ARTIFACTS") or tmp_path_factory.mktemp("test-artifacts")
    )
    chapters = {f"notebooks/{c.stem}.html" for c in CHAPTERS}
    start = time.perf_counter()
    reports = check_site(site, toc_pages(built_book), chapters, artifacts)
    yield reports, time.perf_counter() - start, artifacts


@pytest.mark.slow
def test_every_toc_page_loads_cleanly_in_chromium(site_reports) -> None:
    reports, seconds, artifacts = site_reports
    print(f"\nbrowser: {len(reports)} pages in {seconds:.1f} s; screenshots in {artifacts}")
    for r in reports:
        print(f"  {r.path}: {r.images} images, {r.seconds:.1f} s, {len(r.problems)} problems")
    problems = [f"{r.path}: {p}" for r in reports for p in r.problems]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_every_chapter_has_a_screenshot_of_its_first_chart(site_reports) -> None:
    from planbook.engine.registry import CHAPTERS

    reports, _, artifacts = site_reports
    shots = {r.path: r.screenshot for r in reports if r.screenshot}
    for chapter in CHAPTERS:
        shot = shots.get(f"notebooks/{chapter.stem}.html")
        assert shot is not None and shot.is_file(), f"no screenshot for {chapter.slug}"
        assert shot.stat().st_size > 2000, shot


@pytest.mark.slow
def test_the_glossary_draws_its_chinese_terms(site_reports) -> None:
    reports, _, _ = site_reports
    glossary = [r for r in reports if r.path.endswith("_glossary.html")]
    assert glossary and all(r.chinese for r in glossary), "no Chinese text found on the glossary"
    if not cjk_font_installed():
        pytest.skip("no CJK font (install Debian's fonts-wqy-microhei): glyphs not checked")


def test_toc_pages_follow_the_toc(tmp_path: Path) -> None:
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: A\n    chapters:\n"
        "      - file: book/chapters/01_x\n  - caption: B\n    chapters:\n"
        "      - file: book/references\n",
        encoding="utf-8",
    )
    assert toc_pages(tmp_path) == ["book/intro.html", "notebooks/01_x.html", "book/references.html"]


def test_checker_reports_what_is_wrong(tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    site = tmp_path / "html"
    site.mkdir()
    chart = Image.new("RGB", (400, 240), "white")
    ImageDraw.Draw(chart).rectangle((40, 40, 360, 200), fill="#1f4e79")
    chart.save(site / "chart.png")
    (site / "ok.html").write_text(
        '<html><head><meta charset="utf-8"><title>ok</title></head><body><article>'
        "<h1>Fine 电子商务</h1>"
        '<div class="cell_output"><img src="chart.png"></div>'
        '<div style="overflow-x:auto"><table style="width:1800px"><thead><tr>'
        '<th style="width:100px">Name</th>'
        '<th style="width:100px">Value</th><th>Note</th></tr></thead></table></div>'
        "</article></body></html>",
        encoding="utf-8",
    )
    (site / "wide.html").write_text(
        "<html><head><title>wide</title></head><body><article>"
        '<table id="T_wide" style="width:1800px"><thead><tr><th style="width:1500px">Name</th>'
        "<th>Value</th></tr></thead></table></article></body></html>",
        encoding="utf-8",
    )
    (site / "bad.html").write_text(
        "<html><head><title>bad</title><script>null.boom()</script></head><body><article>"
        "<p>The value is {glue:text}`missing:.1f`.</p>"
        '<div class="cell_output"><div class="output stderr"><pre>Traceback '
        "(most recent call last):\nNameError: name 'x' is not defined</pre></div>"
        '<img src="missing.png"></div></article></body></html>',
        encoding="utf-8",
    )
    reports = check_site(
        site,
        ["ok.html", "bad.html", "gone.html", "wide.html"],
        {"ok.html", "bad.html"},
        tmp_path / "shots",
    )
    ok, bad, gone, wide = reports
    assert ok.problems == [] and ok.images == 1 and ok.chinese
    assert ok.screenshot is not None and blank_fraction(ok.screenshot.read_bytes()) < 0.9
    text = "\n".join(bad.problems)
    for expected in (
        "request failed: 404 /missing.png",
        "JavaScript exception",
        "image not loaded: missing.png",
        "failure text '{glue:text}'",
        "Traceback (most recent call last)",
        "NameError",
        "error/stderr block",
        "first chart too small",  # the broken-image icon
    ):
        assert expected in text, f"{expected!r} not reported:\n{text}"
    assert gone.problems == ["page not built"]
    assert wide.problems == [
        "1400 px: table wider than the viewport: T_wide: 1800 px",
        "1400 px: key column out of sight: T_wide: Value",
        "400 px: table wider than the viewport: T_wide: 1800 px",
    ]
