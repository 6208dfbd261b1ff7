"""Run ``_static/nnmath.js`` in a blank page of headless Chromium and call it from Python.

Unlike the tests of the built book, these need only Chromium and Playwright: the script is
loaded into ``about:blank`` with ``page.add_script_tag(path=...)``. Without them the tests
are skipped with one line, and in CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from book_site import CHROMIUM, IN_CI, ROOT

# Built from js/nnmath.js by `make js` (esbuild; the constants generated from nnmath).
NNMATH_JS = ROOT / "_build" / "js" / "page" / "nnmath.js"

# Calls window.nnmath.<path>(...args) and hands back a plain value, or the error it threw.
# Typed arrays become arrays, so that every number crosses over to Python unchanged.
_CALL = """([path, args]) => {
  const plain = (v) => ArrayBuffer.isView(v) ? Array.from(v)
    : Array.isArray(v) ? v.map(plain)
    : v && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
      : v;
  let owner = window.nnmath;
  const names = path.split(".");
  for (const name of names.slice(0, -1)) owner = owner[name];
  try {
    return { ok: plain(owner[names[names.length - 1]](...args)) };
  } catch (e) {
    return { error: e.name, message: e.message };
  }
}"""


def missing_browser() -> str | None:
    """Why nnmath.js cannot be run here, or None if it can."""
    if not Path(CHROMIUM).is_file():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    return None


def require_browser() -> None:
    """At the top of a test module: skip it, with one line, or fail it in CI."""
    reason = missing_browser()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


class JsError(Exception):
    """An exception thrown by nnmath.js: its class name (``TypeError``...) and message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class JsMath:
    """``window.nnmath`` of one page, called like a Python module."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def __call__(self, path: str, *args: Any) -> Any:
        """``nnmath.<path>(*args)`` in the page; a thrown error is raised as :class:`JsError`."""
        out = self.page.evaluate(_CALL, [path, list(args)])
        if "error" in out:
            raise JsError(out["error"], out["message"])
        return out["ok"]

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)


def b64(a: np.ndarray, dtype: str = "<f8") -> str:
    """Base64 of an array's little-endian bytes, as the page receives data from Python."""
    return base64.b64encode(np.ascontiguousarray(a, dtype=dtype).tobytes()).decode("ascii")
