"""The ``planbook pdf`` command (registered on the app by :mod:`planbook.cli`).

It prints the built site of the main book to one PDF, ``_build/pdf/book.pdf``, while
holding the build lock (a build never swaps the site out from under the print). Errors
are one line: exit code 2 when the site is not built or Chromium or a CJK font is
missing, 1 when printing fails, 3 when the lock is held and ``--no-wait`` was given, 4
when the PDF cannot be written; the last good PDF is then left in place.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from planbook.paths import BookPaths, display_path, find_root

_out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _report(message: str) -> None:
    _out.print(message, markup=False, highlight=False, soft_wrap=True)


def pdf_command(
    wait: Annotated[
        bool,
        typer.Option(
            "--wait/--no-wait",
            help="If a build is running: wait for it (default) or stop at once (exit 3).",
        ),
    ] = True,
    lock_timeout: Annotated[
        float,
        typer.Option("--lock-timeout", min=0, help="Seconds to wait for another build at most."),
    ] = 1800,
    timeout: Annotated[
        int,
        typer.Option("--timeout", min=1, help="Seconds Chromium may take for one page."),
    ] = 120,
) -> None:
    """Print the built site of the main book to one PDF: _build/pdf/book.pdf.

    Every page of _toc.yml in its order, with its figures and Chinese text, printed
    offline by headless Chromium (Debian's 'chromium' and a CJK font such as
    'fonts-wqy-microhei'). Run 'planbook build' first; 'make pdf' does both and installs
    the two packages when it can. A failed print leaves the last good PDF in place.
    """
    from planbook.engine.build.lock import BuildLock
    from planbook.engine.build.pdf import build_pdf, check_printer, site_pages

    paths = BookPaths(find_root())
    site_pages(paths, paths.site(None))  # refuse before the lock creates _build/
    check_printer()
    output = paths.build / "pdf" / "book.pdf"
    lock = paths.build / "planbook.lock"
    with BuildLock(lock, wait=wait, timeout=lock_timeout, report=_report):
        result = build_pdf(paths, output, report=_report, timeout=timeout)
    size = result.path.stat().st_size / 1024**2
    _report(
        f"pdf: {display_path(result.path, paths.root)} ({len(result.titles)} pages of the "
        f"book on {result.pages} PDF pages, {result.images} images, {size:.1f} MB, "
        f"{result.seconds:.1f} s)"
    )
