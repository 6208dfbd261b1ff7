"""Practice on the book's pages: checks and challenges completed at build time, graded in the page.

A chapter's ``practice("relu-near-kink")`` cell (tag ``remove-input``) outputs a
``<div class="nnmath-practice" data-chapter="01_relu">`` holding the checks' JSON
(``nnmath.practice``). On every page that shows one, this extension, before the page is
written:

* typesets the math of every text (``$...$`` in a question, an option, a feedback) with the
  book's own math renderer (``build_time_math.render``, the one every formula of the page
  goes through), so a check's math looks and reads like the rest of the page;
* turns every section label (``see=``) into a link with the section's title, and fails the
  build on a label that no page declares;
* checks that the checks of a chapter are shown in that chapter, and that a challenge
  follows the explorer it listens to (an ``explore(name)`` cell above it, at the
  explorer's defaults) and is not met there;
* writes, inside ``<noscript>``, each check with its answer in a collapsed box, for readers
  without JavaScript;
* writes a chapter's tally as the page's script first draws it, out of sight, to keep its
  room until the script draws the live one (``progress_still``);
* serves the practice stylesheet, and the explorers' scripts on a page that has practice
  but no explorer of its own (practice is drawn by the same bundle).
"""

from __future__ import annotations

import html
import json
import math
import posixpath
import re
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

sys.path.insert(0, str(Path(__file__).resolve().parent))
import explorer_bundles
import page_explorers

logger = logging.getLogger(__name__)

#: A practice root in a page's body: its chapter, its JSON, its <noscript>.
ROOT = re.compile(
    r'<div class="nnmath-practice" data-chapter="(?P<chapter>[A-Za-z0-9_]+)">'
    r'<script type="application/json" class="nnmath-practice-spec">(?P<spec>.*?)</script>'
    r"<noscript>.*?</noscript></div>",
    re.S,
)
STYLESHEET = explorer_bundles.ROOT / "nnmath" / "practice" / "static" / "practice.css"
SERVED_CSS = "practice/practice.css"


def practice_in(body: str) -> list[str]:
    """The chapters of the practice roots of a page's body, in order.

    >>> practice_in('<div class="nnmath-practice" data-chapter="01_relu">'
    ...             '<script type="application/json" class="nnmath-practice-spec">{}</script>'
    ...             '<noscript></noscript></div>')
    ['01_relu']
    """
    return [m.group("chapter") for m in ROOT.finditer(body)]


def serve_stylesheet(app: Sphinx) -> None:
    """Copy the practice stylesheet where the page's scripts are served from (``_static``)."""
    target = page_explorers.PAGE / SERVED_CSS
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLESHEET, target)


# -- the spec, completed --------------------------------------------------------------------------
def _segments(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(s, list) and len(s) in (2, 3) and isinstance(s[0], str) for s in value)
    )


class Completer:
    """Typesets the math and resolves the labels of one page's practice specs."""

    def __init__(self, app: Sphinx, pagename: str) -> None:
        import build_time_math

        self.app = app
        self.pagename = pagename
        self.render = build_time_math.render
        # What the math renderer reads of a translator: the builder (its app, the page).
        self.translator = SimpleNamespace(
            builder=SimpleNamespace(app=app, current_docname=pagename, config=app.config)
        )
        self.errors: list[str] = []

    def math(self, latex: str, where: str) -> str:
        node = nodes.math(latex, latex)
        node.source, node.line = self.app.env.doc2path(self.pagename), None
        out = self.render(self.translator, node, latex, False)
        if "katex-error" in out or "math-error" in out:
            self.errors.append(f"{where}: the math {latex!r} could not be typeset")
        return out

    def link(self, see: dict[str, Any], where: str) -> dict[str, Any]:
        label = see["label"]
        std = self.app.env.get_domain("std")
        entry = std.labels.get(label)  # type: ignore[attr-defined]
        if entry is None:
            self.errors.append(
                f"{where}: the section label {label!r} is declared on no page "
                "(write (label)= on the line above a heading)"
            )
            return see
        docname, anchor, title = entry
        if docname == self.pagename:
            href = f"#{anchor}"
        else:
            href = f"{self.app.builder.get_relative_uri(self.pagename, docname)}#{anchor}"
        return {"label": label, "href": href, "title": title}

    def complete(self, value: Any, where: str) -> Any:
        if _segments(value):
            return [
                [kind, content, self.math(content, where)] if kind == "math" else [kind, content]
                for kind, content, *_ in value
            ]
        if isinstance(value, dict):
            if set(value) == {"label"}:
                return self.link(value, where)
            if "controls" in value and "view" in value:  # an explorer's spec: as it is
                return self.explorer_spec(value)
            return {key: self.complete(item, where) for key, item in value.items()}
        if isinstance(value, list):
            return [self.complete(item, where) for item in value]
        return value

    def explorer_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        if spec["view"] == "training":
            spec = {**spec, "config": {**spec["config"]}}
            spec["config"]["references"] = page_explorers.training_references()
        return spec


# -- what a reader without JavaScript reads -------------------------------------------------------
def as_asked(value: float, tolerance: float) -> str:
    """A number as the question asks for it: to the decimals its tolerance grades (a
    tolerance of 0.005 is two decimals), with a true minus sign. A value computed in
    floating point keeps none of its rounding noise.

    >>> as_asked(-3.469446951953614e-18, 0.005), as_asked(3.6931471805599454, 0.005)
    ('0', '3.69')
    >>> as_asked(-0.125, 0.0005), as_asked(0.2, 1e-06), as_asked(0.17930870685796874, 0.005)
    ('\u22120.125', '0.2', '0.18')
    """
    decimals = max(0, math.ceil(-math.log10(2 * tolerance))) if tolerance > 0 else 12
    return f"{round(value, decimals) + 0.0:g}".replace("-", "\u2212")


def _text(segments: list[list[str]] | None) -> str:
    out = []
    for kind, content, *rendered in segments or []:
        if kind == "text":
            out.append(html.escape(content))
        elif kind == "code":
            out.append(f"<code>{html.escape(content)}</code>")
        else:
            # MathML alone: a browser draws it natively, with no stylesheet or script.
            found = re.search(r"<math\b.*?</math>", rendered[0], re.S)
            mathml = found.group(0) if found else rendered[0]
            # Its TeX annotation is for copying, not reading: text to a reader without CSS.
            mathml = re.sub(r"<annotation\b.*?</annotation>", "", mathml, flags=re.S)
            out.append(f'<span class="math notranslate nohighlight">{mathml}</span>')
    return "".join(out)


def _see(see: dict[str, Any] | None) -> str:
    if not see or "href" not in see:
        return ""
    return f' See <a href="{html.escape(see["href"])}">{html.escape(see["title"])}</a>.'


def still(spec: dict[str, Any]) -> str:
    """The practice of ``spec`` as static HTML: each question, and in a box to open its
    answer and every feedback the page would give (so that the page's math font, cut to
    the characters of the formulas the pages hold, covers every formula of practice)."""
    if "progress" in spec:
        return (
            '<p class="nnmath-practice-still">The checks of this chapter are graded by the '
            "page's script; with JavaScript off, each shows its answer in a box to open.</p>"
        )
    parts = []
    for item in spec["items"]:
        kicker = "Challenge" if item["kind"] == "challenge" else "Check your understanding"
        body = [f"<p><strong>{kicker}.</strong> {_text(item.get('question') or item['goal'])}</p>"]
        mistakes = []
        if item["kind"] == "choice":
            options = "".join(f"<li>{_text(o['text'])}</li>" for o in item["options"])
            body.append(f"<ul>{options}</ul>")
            right = "; ".join(_text(o["text"]) for o in item["options"] if o["correct"])
            answer = f"{right}."
            for o in item["options"]:
                if o["why"] and (not o["correct"] or item["multiple"]):
                    mistakes.append((_text(o["text"]), o["why"], o["see"] or item["see"]))
        elif item["kind"] == "number":
            tolerance = item["tolerance"]
            answer = f"{as_asked(item['answer'], tolerance)}."
            for w in item["wrong"]:
                mistakes.append((as_asked(w["value"], tolerance), w["why"], w["see"]))
            mistakes.append(("Another number", item["hint"], item["see"]))
        else:
            answer = "Use the explorer above."
        answer += f" {_text(item.get('why'))}{_see(item.get('see'))}"
        if item.get("predict"):
            answer += f" In the explorer: {_text(item['predict']['look'])}"
        said = "".join(
            f"<li><em>{what}</em>: {_text(why)}{_see(see)}</li>" for what, why, see in mistakes
        )
        feedback = f"<p>What each answer means:</p><ul>{said}</ul>" if said else ""
        body.append(
            f"<details><summary>Answer</summary><p>{answer.strip()}</p>{feedback}</details>"
        )
        parts.append(f'<div class="nnmath-practice-still">{"".join(body)}</div>')
    return "".join(parts)


#: What the page's script says of the answers' keeping when the browser keeps them
#: (``mountProgress`` in ``js/practice.js``).
PROGRESS_NOTE = (
    "Your answers are kept in this browser only, for this chapter; nothing leaves the page."
)


def progress_still(spec: dict[str, Any]) -> str:
    """The tally of a chapter's practice as the page's script first draws it (no answer
    yet), written into the page, out of sight, so that its room is there before the
    script replaces it with the live one, in one task, after the load event: the text
    under the Exercises heading does not move when it appears. Hidden from readers
    without JavaScript, for whom it would count nothing (the theme's ``pst-js-only``).

    >>> print(progress_still({"progress": {"checks": [0, 1], "challenges": [2]}}))
    <section class="nnmath-progress nnmath-progress-still pst-js-only" aria-hidden="true">\
<p class="nnmath-progress-line">Your practice in this chapter: 0 of 2 checks answered, 0 right; \
0 of 1 challenge met.</p><p class="nnmath-progress-note">Your answers are kept in this browser \
only, for this chapter; nothing leaves the page.</p><p class="nnmath-actions"><button \
type="button" class="nnmath-button" disabled>Clear my answers</button></p></section>
    """
    checks, challenges = len(spec["progress"]["checks"]), len(spec["progress"]["challenges"])
    line = f"Your practice in this chapter: 0 of {checks} checks answered, 0 right"
    if challenges:
        line += f"; 0 of {challenges} challenge{'' if challenges == 1 else 's'} met"
    return (
        '<section class="nnmath-progress nnmath-progress-still pst-js-only" aria-hidden="true">'
        f'<p class="nnmath-progress-line">{line}.</p>'
        f'<p class="nnmath-progress-note">{PROGRESS_NOTE}</p>'
        '<p class="nnmath-actions"><button type="button" class="nnmath-button" disabled>'
        "Clear my answers</button></p></section>"
    )


# -- challenges and their explorers ---------------------------------------------------------------
def check_challenges(
    body: str, match: re.Match[str], spec: dict[str, Any], where: str
) -> list[str]:
    """A challenge follows an explorer of its name, at that explorer's defaults."""
    from nnmath.widgets import EXPLORERS

    errors = []
    above = [m for m in page_explorers.ROOT.finditer(body[: match.start()])]
    for item in spec.get("items", []):
        if item["kind"] != "challenge":
            continue
        named = [m for m in above if m.group("name") == item["explorer"]]
        if not named:
            errors.append(
                f"{where}: challenge {item['id']!r} follows no explorer {item['explorer']!r}: "
                f"put it after the chapter's explore({item['explorer']!r}) cell"
            )
            continue
        shown = json.loads(named[-1].group("spec"))
        values = {c["name"]: c["value"] for c in shown["controls"]}
        defaults = dict(EXPLORERS[item["explorer"]]().values)
        if values != defaults:
            errors.append(
                f"{where}: challenge {item['id']!r} listens to an explorer that starts at "
                f"{values}, not at its defaults {defaults}: its fewest moves count from there"
            )
    return errors


# -- the page -------------------------------------------------------------------------------------
def add_practice(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], *args: Any
) -> None:
    body = context.get("body", "")
    found = list(ROOT.finditer(body))
    if not found:
        return
    from nnmath.practice import CHECKS, validate

    completer = Completer(app, pagename)
    chapter = posixpath.basename(pagename)
    pieces, last, errors = [], 0, []
    for match in found:
        spec = json.loads(match.group("spec"))
        where = f"{pagename}: practice of {match.group('chapter')}"
        if spec["chapter"] != chapter:
            errors.append(f"{where} is shown in {chapter!r}: show a chapter's checks in it")
        ids = [item["id"] for item in spec.get("items", [])]
        try:
            validate([i for i in ids if i in CHECKS])
        except ValueError as error:
            errors.append(f"{where}: {error}")
        errors += check_challenges(body, match, spec, where)
        spec = completer.complete(spec, where)
        payload = json.dumps(spec, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
        pieces += [
            body[last : match.start()],
            f'<div class="nnmath-practice" data-chapter="{html.escape(spec["chapter"])}">'
            f'<script type="application/json" class="nnmath-practice-spec">{payload}</script>'
            f"<noscript>{still(spec)}</noscript>"
            f"{progress_still(spec) if 'progress' in spec else ''}</div>",
        ]
        last = match.end()
    pieces.append(body[last:])
    errors += completer.errors
    if errors:
        raise ExtensionError("practice: " + "\n  ".join(errors))
    context["body"] = "".join(pieces)
    app.add_css_file(SERVED_CSS)
    if not page_explorers.explorers_in(context["body"]):
        # No explorer of its own: load the bundle that draws practice (and explorers).
        here = posixpath.dirname(app.builder.get_target_uri(pagename)) or "."
        urls = [
            f"{posixpath.relpath(f'_static/{script}', here)}"
            f"?v={page_explorers._digest(page_explorers.PAGE / script)}"
            for script in page_explorers.SCRIPTS
        ]
        app.add_css_file("explorers/explorers.css")
        app.add_js_file(None, body=page_explorers.LOADER % json.dumps(urls))


def keep_off_other_pages(app: Sphinx, config: Any) -> None:
    """Jupyter Book adds every .css file of ``_static`` to every page: not this one."""
    config.html_css_files = [
        e
        for e in config.html_css_files
        if not str(e[0] if isinstance(e, (tuple, list)) else e).startswith("practice/")
    ]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("page_explorers")
    app.connect("config-inited", keep_off_other_pages, priority=400)
    app.connect("builder-inited", serve_stylesheet, priority=600)  # after the bundles
    # Before the explorers' handler (500) and the math stylesheets: the page's math grows.
    app.connect("html-page-context", add_practice, priority=450)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
