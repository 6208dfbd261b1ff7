"""Keep a short piece of inline code on one line. This local Sphinx extension, listed in
``_config.yml``, marks each inline literal of at most ``SHORT`` characters that holds a
space (``i - 1``, ``make book``, ``(N, K)``) with the class ``nnmath-unbroken``, which
``_static/nnmath.css`` draws with ``white-space: nowrap``.

Sphinx writes inline code as one ``<span class="pre">`` per word with plain spaces between
them, so a line may break inside it: on a phone ``i -`` ended one line and ``1`` began the
next. A short literal fits on any line, so it moves whole to the next one instead. A long
one keeps its breaks, or it would run past the column of a 390 px screen.

>>> from docutils import nodes
>>> [_unbroken(nodes.literal(text=t)) for t in ("i - 1", "relu", "np.maximum(x, 0) * w + b")]
[True, False, False]
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

#: The longest literal kept whole, in characters: ``np.maximum(x, 0)``, about 140 px of
#: code type, a third of a phone's column.
SHORT = 16
CLASS = "nnmath-unbroken"


def _unbroken(node: nodes.literal) -> bool:
    text = node.astext()
    return " " in text and "\n" not in text and len(text) <= SHORT


class KeepShortCodeWhole(SphinxPostTransform):
    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.literal):
            if _unbroken(node) and CLASS not in node["classes"]:
                node["classes"].append(CLASS)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(KeepShortCodeWhole)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
