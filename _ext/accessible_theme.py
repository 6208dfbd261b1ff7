"""Fix, at their source, what an accessibility audit (axe, WCAG 2.2 A and AA) finds in the
theme's pages. This local Sphinx extension, listed in ``_config.yml``:

* keeps one search box, the sidebar's: the theme also puts a search button in the page
  header (``navbar_persistent``), a second control that does the same thing;
* serves ``_ext/templates/search-button-field.html`` in place of the theme's search button,
  so that the button's accessible name is its visible text, "Search Ctrl+K" (WCAG 2.5.3,
  label in name), with the shortcut announced through ``aria-keyshortcuts``;
* writes each bibliography entry as a ``listitem`` of its ``list``: docutils gives entries
  the DPUB role ``doc-biblioentry``, deprecated in DPUB-ARIA 1.1, which also leaves the
  ``list`` around them without the list items it requires;
* drops the ``aria-label="Toggle hidden content"`` that myst-nb puts on the ``<summary>``
  of a cell tagged ``hide-input`` or ``hide-cell``: its visible text ("Show code cell
  source") is a better name, and one the label hid (WCAG 2.5.3, label in name).

Colours (links on tinted boxes) and focus rings are in ``_static/nnmath.css``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

TEMPLATES = Path(__file__).resolve().parent / "templates"


def configure(app: Sphinx, config: Config) -> None:
    options = config.html_theme_options
    if options is None:
        options = config.html_theme_options = {}
    options["navbar_persistent"] = []
    if str(TEMPLATES) not in config.templates_path:
        # Ahead of the theme's own components, which the theme appends when it loads.
        config.templates_path.insert(0, str(TEMPLATES))


def visit_citation(translator: Any, node: nodes.citation) -> None:
    start = len(translator.body)
    type(translator).visit_citation(translator, node)
    for i in range(start, len(translator.body)):
        translator.body[i] = translator.body[i].replace('role="doc-biblioentry"', 'role="listitem"')


def depart_citation(translator: Any, node: nodes.citation) -> None:
    type(translator).depart_citation(translator, node)


#: myst-nb's summary of a hidden cell, with a name that is not its visible text.
HIDDEN_CELL_SUMMARY = '<summary aria-label="Toggle hidden content">'


def name_hidden_cells_by_their_text(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], *args: Any
) -> None:
    body = context.get("body")
    if isinstance(body, str) and HIDDEN_CELL_SUMMARY in body:
        context["body"] = body.replace(HIDDEN_CELL_SUMMARY, "<summary>")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", configure)
    app.connect("html-page-context", name_hidden_cells_by_their_text)
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
