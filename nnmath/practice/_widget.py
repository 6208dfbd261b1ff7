"""Practice as a notebook output: an anywidget in Jupyter, and its page version for the book.

:class:`Practice` is an :class:`anywidget.AnyWidget` drawn by the same view as on the
book's page (``js/practice.js``, bundled into the explorers' widget module
``nnmath/widgets/static/widget.js``), and graded by it, in the browser: the kernel grades
nothing. Its synced traits:

``spec``
    The checks (``Check.spec()``), or a chapter's progress.
``values``, ``state``
    For each :class:`~nnmath.practice.Predict` whose explorer is shown, by check id: the
    explorer's control values (set by the view) and its state, computed here by nnmath as
    the explorer's own widget computes it.

Its ``text/html`` is the page version, a ``<div class="nnmath-practice">`` with the spec as
JSON, which the book's build completes (``_ext/page_practice.py``: math typeset, section
labels linked) and the page's script draws. In Jupyter the kernel has no Node, so the math
of a check is shown as its TeX source, ``$...$``, and a section is named by its label.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import anywidget
import traitlets

__all__ = ["Practice"]

_WIDGETS = Path(__file__).resolve().parents[1] / "widgets" / "static"
STATIC = Path(__file__).resolve().parent / "static"


def _json(payload: Any) -> str:
    # Inside <script>, "</" would end the element early; JSON allows "\u003c" instead.
    return json.dumps(payload, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


class Practice(anywidget.AnyWidget):
    """One or more checks (or a chapter's progress) as a notebook output.

    Made by :func:`nnmath.practice.practice` and :func:`nnmath.practice.progress`.

    Examples
    --------
    >>> from nnmath.practice import practice
    >>> out = practice("relu-leaky-kink")
    >>> out.values = {"relu-leaky-kink": {"alpha": 0.2, "x": 0.0}}
    >>> out.state["relu-leaky-kink"]["df"]
    0.2
    """

    _esm = _WIDGETS / "widget.js"
    _css = (_WIDGETS / "explorers.css").read_text(encoding="utf-8") + (
        STATIC / "practice.css"
    ).read_text(encoding="utf-8")

    spec = traitlets.Dict().tag(sync=True)
    values = traitlets.Dict().tag(sync=True)
    state = traitlets.Dict().tag(sync=True)

    def __init__(self, spec: dict[str, Any]) -> None:
        self._explorers: dict[str, Any] = {}
        super().__init__(spec=spec)

    @traitlets.observe("values")
    def _on_values(self, change: dict[str, Any]) -> None:
        from nnmath.widgets import EXPLORERS

        predicts = {
            item["id"]: item["predict"]
            for item in self.spec.get("items", [])
            if item.get("predict")
        }
        state = dict(self.state)
        for check_id, values in change["new"].items():
            if check_id not in predicts:
                raise ValueError(f"values names no predict of this output: {check_id!r}")
            if check_id not in self._explorers:
                self._explorers[check_id] = EXPLORERS[predicts[check_id]["explorer"]](**values)
            explorer = self._explorers[check_id]
            if dict(explorer.values) != values:
                explorer.values = values
            state[check_id] = explorer.state
        self.state = state

    def page_html(self) -> str:
        """The page version (see the module docstring)."""
        chapter = escape(self.spec["chapter"])
        ids = ", ".join(item["id"] for item in self.spec.get("items", []))
        still = f"Practice: {ids}" if ids else "Your progress in this chapter's practice"
        return (
            f'<div class="nnmath-practice" data-chapter="{chapter}">'
            f'<script type="application/json" class="nnmath-practice-spec">{_json(self.spec)}'
            f'</script><noscript><p class="nnmath-practice-still">{escape(still)}</p>'
            "</noscript></div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The live widget for Jupyter, and the page version for the HTML book."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        return {**data, "text/html": self.page_html()}, metadata

    def __repr__(self) -> str:
        ids = [item["id"] for item in self.spec.get("items", [])]
        return f"<Practice {self.spec['chapter']}: {', '.join(ids) or 'progress'}>"
