"""Print web pages to PDF with headless Chromium, over the DevTools protocol on a pipe.

One browser prints every page (``Page.printToPDF``): it starts once (about a second)
instead of once per page. The protocol runs over two pipes (``--remote-debugging-pipe``:
the browser reads commands on its descriptor 3 and writes answers on 4, each a JSON
message ending in a NUL byte), so no port is opened and no websocket library is needed.
The browser resolves no host name, so a page that refers to the network prints at once,
offline, without what it could not fetch.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planbook.engine.build.children import stop, tied_to_me

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""The executables tried, in order, when ``PLANBOOK_CHROMIUM`` is not set."""

FLAGS = (
    "--headless",
    "--no-sandbox",  # CI and containers run as root, where the sandbox refuses to start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline: no request waits on the network
    "--remote-debugging-pipe",
)

PREPARE = """(async () => {
  const style = document.createElement("style");
  style.textContent = __CSS__;
  document.head.appendChild(style);
  await document.fonts.ready;
  const images = Array.from(document.images);
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  const info = await (async () => { __SCRIPT__ })();
  return JSON.stringify(info === undefined ? null : info);
})()"""
"""Run in each page once it has loaded: add the style sheet, wait for the fonts and the
images, run the caller's script (the body of an async function) and return its value."""


class ChromiumError(Exception):
    """The browser failed to start, to load a page or to print it (message: one line)."""


@dataclass(frozen=True)
class PrintedPage:
    """One page printed to PDF, with what the caller's script returned for it."""

    url: str
    pdf: bytes
    info: Any


def find_chromium() -> Path | None:
    """The Chromium executable: ``PLANBOOK_CHROMIUM`` when set (even if it is missing),
    else the first of :data:`CHROMIUM_NAMES` on the ``PATH``; ``None`` when none is."""
    chosen = os.environ.get("PLANBOOK_CHROMIUM")
    if chosen:
        path = Path(chosen)
        return path if path.is_file() and os.access(path, os.X_OK) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def cjk_font_missing() -> bool:
    """Whether fontconfig knows no font with Chinese glyphs (``fc-list :lang=zh``).

    ``False`` where fontconfig is absent (not Linux): the system's fonts are trusted there.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        found = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return found.returncode == 0 and not found.stdout.strip()


def _high(fd: int) -> int:
    """A copy of ``fd`` numbered 10 or more (the original is closed)."""
    import fcntl

    copy = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return copy


class Browser:
    """A headless Chromium driven over the DevTools pipe; use it as a context manager.

    :meth:`print_page` loads a URL in one tab, adds a style sheet and prints it.
    Every wait is bounded by ``timeout`` seconds; the browser and its helpers are killed
    on exit, whatever happened.
    """

    def __init__(self, executable: Path, timeout: float = 60.0) -> None:
        self.executable = executable
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._proc: subprocess.Popen[bytes] | None = None
        self._profile = ""
        self._log: Any = None
        self._session = ""
        self._to_browser: int | None = None
        self._from_browser: int | None = None

    def __enter__(self) -> Browser:
        self._profile = tempfile.mkdtemp(prefix="planbook-pdf-chromium-")
        self._log = open(Path(self._profile) / "stderr.log", "w+b")  # noqa: SIM115
        reads, self._to_browser = os.pipe()
        self._from_browser, writes = os.pipe()
        # the browser wants the pipes as its descriptors 3 and 4: bash moves them there
        # from copies numbered 10 or more, which neither overwrites (dash would take no
        # descriptor above 9 in a redirection)
        reads, writes = _high(reads), _high(writes)
        redirect = f'exec "$@" 3<&{reads} 4>&{writes} {reads}<&- {writes}>&-'
        argv = [str(self.executable), *FLAGS, f"--user-data-dir={self._profile}", "about:blank"]
        try:
            self._proc = subprocess.Popen(
                [shutil.which("bash") or "/bin/bash", "-c", redirect, "bash", *argv],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
                pass_fds=(reads, writes),
                start_new_session=True,
                **tied_to_me(),
            )
        except OSError as exc:
            self.__exit__(None, None, None)
            raise ChromiumError(f"cannot start {self.executable}: {exc.strerror or exc}") from None
        finally:
            os.close(reads)
            os.close(writes)
        try:
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            attached = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
            self._session = attached["sessionId"]
            self.call("Page.enable", session=True)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self._proc, group=True)
        self._proc = None
        for fd in (self._to_browser, self._from_browser):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to_browser = self._from_browser = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._profile:
            for _ in range(5):  # the browser's helpers may still write while they die
                shutil.rmtree(self._profile, ignore_errors=True)
                if not os.path.exists(self._profile):
                    break
                time.sleep(0.1)
            self._profile = ""

    def _stderr_tail(self) -> str:
        """The browser's last error line, for a message (dbus and GPU noise skipped)."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").splitlines()
        useful = [line for line in lines if line.strip() and "dbus" not in line.lower()]
        return useful[-1].strip()[:200] if useful else ""

    def _read_message(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChromiumError(
                    f"no answer from Chromium within {self.timeout:g} s ({waiting_for})"
                )
            ready, _, _ = select.select([self._from_browser], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    tail = self._stderr_tail()
                    raise ChromiumError(
                        f"Chromium exited while {waiting_for}" + (f": {tail}" if tail else "")
                    )
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = False
    ) -> dict[str, Any]:
        """Send one command and return its result; raise :class:`ChromiumError` on an
        error answer, a dead browser or no answer within the timeout."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._to_browser, data) :]
        except OSError as exc:
            tail = self._stderr_tail()  # why it went, when it said so before exiting
            raise ChromiumError(
                f"Chromium is gone ({exc.strerror or exc}) before {method}"
                + (f": {tail}" if tail else "")
            ) from None
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read_message(deadline, f"waiting for {method}")
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    error = answer["error"]
                    raise ChromiumError(f"{method} failed: {error.get('message', error)}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def _wait_event(self, name: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == name and event.get("sessionId") == self._session:
                    return self._events.pop(i)
            self._events.append(self._read_message(deadline, f"waiting for {name}"))

    def emulate(self, media: str, width: int) -> None:
        """Lay pages out for ``media`` ("print") in a viewport ``width`` CSS pixels wide,
        so that a script measures what the print will show."""
        self.call("Emulation.setEmulatedMedia", {"media": media}, session=True)
        metrics = {"width": width, "height": 1200, "deviceScaleFactor": 1, "mobile": False}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session=True)

    def print_page(
        self, url: str, css: str, options: dict[str, Any], script: str = "return null;"
    ) -> PrintedPage:
        """Load ``url``, add the style sheet ``css``, wait for fonts and images, run
        ``script`` (the body of an async function), print with ``options``
        (``Page.printToPDF`` parameters)."""
        self._events.clear()
        navigated = self.call("Page.navigate", {"url": url}, session=True)
        if navigated.get("errorText"):
            raise ChromiumError(f"cannot load {url}: {navigated['errorText']}")
        self._wait_event("Page.loadEventFired")
        evaluated = self.call(
            "Runtime.evaluate",
            {
                "expression": PREPARE.replace("__SCRIPT__", script).replace(
                    "__CSS__", json.dumps(css)
                ),
                "awaitPromise": True,
                "returnByValue": True,
            },
            session=True,
        )
        if "exceptionDetails" in evaluated:
            details = evaluated["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            first = (text or "script error").splitlines()[0][:200]
            raise ChromiumError(f"the print script failed on {url}: {first}")
        info = json.loads(evaluated["result"]["value"])
        printed = self.call("Page.printToPDF", options, session=True)
        return PrintedPage(url=url, pdf=base64.b64decode(printed["data"]), info=info)


__all__ = ["Browser", "ChromiumError", "PrintedPage", "cjk_font_missing", "find_chromium"]
