"""Start-up time: imports the build and the warm kernels skip because nothing uses them."""

from __future__ import annotations

import sys


def skip_slow_imports() -> None:
    """Make importing nbformat/papermill (and myst-nb's ``glue``) 1.5 s faster.

    ``jsonschema`` imports the optional ``rfc3987_syntax`` at import time, which compiles
    some 40 lark grammars (about 1.5 s) only to check the "iri" string format, which
    no notebook schema uses. Marking it absent skips that.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


__all__ = ["skip_slow_imports"]
