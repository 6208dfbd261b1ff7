"""Dropdowns (solutions, "Going further" boxes) as the browser's own ``<details>``.

A box with the class ``dropdown`` (an admonition written with ``:class: dropdown``, or a
``{solution-start}`` of sphinx-exercise with ``:class: dropdown``) is written as a closed
``<details>`` whose ``<summary>`` is the box's title. sphinx-togglebutton, which Jupyter
Book uses for these boxes, writes them open and closes them with a script once the page
has been parsed. So until then, a reader saw every solution open (the answer before the
question's reader had tried it), the page then shrank by the height of all of them, and
the browser laid out their contents (a sixth to a quarter of a chapter's elements) for
the first screen, only to hide them. A closed ``<details>`` is closed from the first
frame, with or without JavaScript; its contents are laid out when the reader opens it.
It opens with a click, a tap, Enter or Space, says whether it is open to a screen reader,
and opens by itself when find-in-page or a link lands inside it.

sphinx-exercise also gives the body of every exercise and every solution the same id;
:func:`drop_shared_ids` takes it off, so that each id of a page names one element.

The title of a solution links to its exercise; in a ``<summary>`` a click on that link
would follow it instead of opening the solution, so the link becomes plain text (the
exercise is just above its solution). The book's stylesheet (``_static/nnmath.css``)
draws the boxes as before, with a chevron that turns when the box opens.
``_config.yml`` gives sphinx-togglebutton a selector that matches none of these boxes.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

#: The class that makes a box a dropdown.
DROPDOWN = "dropdown"
#: The box's opening tag, its title, and its closing tag, in the HTML its visitor wrote.
OPENING = re.compile(r"^(\s*)<div\b")
TITLE = re.compile(r'<p class="admonition-title">(.*?)</p>', re.S)
CLOSING = re.compile(r"</div>(\s*)$")
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S)
#: The chevron at the end of the title, which the stylesheet turns when the box opens.
CHEVRON = (
    '<svg class="nnmath-chevron" aria-hidden="true" focusable="false" viewBox="0 0 24 24" '
    'width="20" height="20"><polyline points="9 6 15 12 9 18" fill="none" '
    'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>'
    "</svg>"
)


def as_details(html: str) -> str:
    r"""The HTML of a dropdown box, written as a closed ``<details>``.

    >>> print(as_details(  # doctest: +ELLIPSIS
    ...     '<div class="dropdown admonition">\n<p class="admonition-title">More</p>\n'
    ...     "<p>Text.</p>\n</div>\n"
    ... ))
    <details class="dropdown admonition">
    <summary class="admonition-title">More<svg class="nnmath-chevron" ...></svg></summary>
    <p>Text.</p>
    </details>
    <BLANKLINE>
    >>> print(as_details(  # doctest: +ELLIPSIS
    ...     '<div class="solution dropdown admonition" id="s">\n<p class="admonition-title">'
    ...     'Solution to<a href="#ex"> Exercise 1</a></p>\n</div>'
    ... ))
    <details class="solution dropdown admonition" id="s">
    <summary class="admonition-title">Solution to<span> Exercise 1</span><svg ...></svg></summary>
    </details>
    """
    if not OPENING.search(html) or not CLOSING.search(html) or not TITLE.search(html):
        raise ValueError(f"not a box with a title: {html[:80]!r}")
    html = OPENING.sub(r"\1<details", html, count=1)
    html = CLOSING.sub(r"</details>\1", html, count=1)

    def summary(title: re.Match[str]) -> str:
        text = LINK.sub(r"<span>\1</span>", title.group(1))
        return f'<summary class="admonition-title">{text}{CHEVRON}</summary>'

    return TITLE.sub(summary, html, count=1)


def wrap(visit: Any, depart: Any) -> tuple[Any, Any]:
    """Visitors that write a dropdown box as ``<details>`` and any other as before."""

    def visit_box(translator: Any, node: nodes.Element) -> None:
        # Where the box starts in the page being written (boxes can nest: a stack).
        translator.__dict__.setdefault("dropdown_starts", []).append(len(translator.body))
        visit(translator, node)

    def depart_box(translator: Any, node: nodes.Element) -> None:
        depart(translator, node)
        start = translator.dropdown_starts.pop()
        if DROPDOWN in node.get("classes", []):
            translator.body[start:] = [as_details("".join(translator.body[start:]))]

    return visit_box, depart_box


def admonition_visitors() -> tuple[Any, Any]:
    """The HTML translator's own visitors of a generic admonition, wrapped."""
    from sphinx.writers.html5 import HTML5Translator

    return wrap(HTML5Translator.visit_admonition, HTML5Translator.depart_admonition)


#: The id sphinx-exercise gives the body of every exercise and every solution: the same
#: in each, so a chapter repeated it up to eight times (an id names one element).
SHARED_IDS = ("exercise-content", "solution-content")


def drop_shared_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Take :data:`SHARED_IDS` off the sections that carry them (nothing links to them)."""
    for section in doctree.findall(nodes.section):
        if any(name in SHARED_IDS for name in section["ids"]):
            section["ids"] = [name for name in section["ids"] if name not in SHARED_IDS]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-resolved", drop_shared_ids)
    visit, depart = admonition_visitors()
    app.add_node(nodes.admonition, override=True, html=(visit, depart))
    app.setup_extension("sphinx_exercise")
    from sphinx_exercise import nodes as exercise

    visit, depart = wrap(exercise.visit_solution_node, exercise.depart_solution_node)
    app.add_node(exercise.solution_node, override=True, html=(visit, depart))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
