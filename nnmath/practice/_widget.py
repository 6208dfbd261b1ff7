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
labels linked) and the page's script draws. In Jupyter the kernel has no Node: the math
of a check is written as MathML by ``latex2mathml`` (:func:`with_mathml`), and the view
finds each section in the open notebook by its ``(label)=`` line.
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


def with_mathml(spec: Any) -> Any:
    """``spec`` with MathML beside the TeX of every math segment, for the widget.

    The kernel has no Node, so not the book's renderer: ``latex2mathml`` (pure Python,
    installed with the notebooks' requirements) writes MathML, which every current
    browser draws. Without it, the view shows the TeX source.

    >>> with_mathml([["text", "at "], ["math", "x = 0"]])[1][2][:5]
    '<math'
    """
    try:
        from latex2mathml.converter import convert
    except ImportError:  # pragma: no cover - the notebooks' requirements install it
        return spec

    def walk(value: Any) -> Any:
        if (
            isinstance(value, list)
            and len(value) == 2
            and value[0] == "math"
            and isinstance(value[1], str)
        ):
            try:
                return [*value, convert(value[1])]
            except Exception:  # a construct it does not know: the TeX source is shown
                return value
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    return walk(spec)


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
        self._page_spec = spec
        super().__init__(spec=with_mathml(spec))

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
            f'<script type="application/json" class="nnmath-practice-spec">{_json(self._page_spec)}'
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
