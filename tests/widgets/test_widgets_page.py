"""The explorer's description for the static page, parsed as a browser would read it."""

from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pytest

from nnmath import network
from nnmath.widgets import EXPLORERS, ReluExplorer, explore, page_html, page_spec
from nnmath.widgets.page import encode_array

KB = 1024


class Tree(HTMLParser):
    """The elements of an HTML fragment as (tag, attributes, text, depth) records."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict[str, Any]] = []
        self.stack: list[dict[str, Any]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "depth": len(self.stack)}
        self.elements.append(element)
        if tag not in ("img", "input", "br"):
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1]["tag"] == tag, f"unbalanced </{tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1]["text"] += data

    def find(self, tag: str) -> list[dict[str, Any]]:
        return [e for e in self.elements if e["tag"] == tag]


@pytest.fixture(params=sorted(EXPLORERS))
def name(request: pytest.FixtureRequest) -> str:
    return request.param


def test_one_root_element_named_after_the_explorer(name: str) -> None:
    tree = Tree(page_html(explore(name)))
    roots = [e for e in tree.elements if e["depth"] == 0]
    assert len(roots) == 1
    root = roots[0]
    assert root["tag"] == "div"
    assert root["attrs"]["data-explorer"] == name
    assert "nnmath-explorer" in root["attrs"]["class"].split()
    assert not tree.stack, "every element is closed"


def test_the_json_holds_every_declaration_with_its_current_value(name: str) -> None:
    ex = explore(name)
    tree = Tree(page_html(ex))
    (script,) = [e for e in tree.find("script") if e["attrs"].get("type") == "application/json"]
    spec = json.loads(script["text"])
    assert spec == json.loads(json.dumps(page_spec(ex)))
    assert spec["name"] == name and spec["title"] == ex.title
    assert [c["name"] for c in spec["controls"]] == [c.name for c in ex.CONTROLS]
    for control, declaration in zip(spec["controls"], ex.CONTROLS, strict=True):
        expected = declaration.spec()
        assert {k: v for k, v in control.items() if k != "value"} == json.loads(
            json.dumps({k: v for k, v in expected.items() if k != "value"})
        )
    # The page starts where the kernel explorer is, not at the declared default.
    values = [c["value"] for c in spec["controls"]]
    assert values == [ex.values[c.name] for c in ex.CONTROLS]


def test_the_page_starts_from_the_explorers_settings() -> None:
    spec = page_spec(explore("relu", alpha=0.0, x=-1.5))
    assert [c["value"] for c in spec["controls"]] == [0.0, -1.5]


def test_a_place_for_the_still_picture(name: str) -> None:
    """The book's build fills <noscript> with a picture (tests/test_page_explorers_ext.py);
    outside the book it says in words what the figure shows."""
    ex = explore(name)
    tree = Tree(page_html(ex))
    (noscript,) = tree.find("noscript")
    (text,) = tree.find("p")
    assert text["depth"] == noscript["depth"] + 1 and text["text"] == ex.title


def test_nothing_leaves_the_page_and_the_html_stays_small(name: str) -> None:
    html = page_html(explore(name))
    assert "http://" not in html and "https://" not in html
    assert len(html.encode()) <= 24 * KB, f"{len(html.encode()) / KB:.0f} KB"


def test_text_that_would_end_the_script_is_escaped() -> None:
    class Tricky(ReluExplorer):
        title = "a </script><b>bold</b> title"

    tree = Tree(page_html(Tricky()))
    (script,) = [e for e in tree.find("script") if e["attrs"].get("type") == "application/json"]
    assert json.loads(script["text"])["title"] == Tricky.title
    assert not tree.find("b"), "the title did not leak out as markup"


def test_arrays_travel_as_exact_little_endian_bytes() -> None:
    rng = np.random.default_rng(0)
    values = rng.standard_normal((3, 4)) * 10.0 ** rng.integers(-300, 300, (3, 4))
    decoded = np.frombuffer(base64.b64decode(encode_array(values)), dtype="<f8")
    np.testing.assert_array_equal(decoded, values.ravel())
    labels = np.array([0, 2, 1, -5, 2**31 - 1])
    decoded = np.frombuffer(base64.b64decode(encode_array(labels, dtype="int32")), dtype="<i4")
    np.testing.assert_array_equal(decoded, labels)
    with pytest.raises(ValueError, match="dtype must be one of"):
        encode_array([1.0], dtype="float16")


def decode(text: str, dtype: str = "<f8") -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def test_the_training_page_gets_nnmaths_data_and_initial_weights() -> None:
    config = page_spec(explore("training"))["config"]
    X, y = network.make_spiral()
    np.testing.assert_array_equal(decode(config["X"]).reshape(X.shape), X)
    np.testing.assert_array_equal(decode(config["y"], "<i4"), y)
    hidden_sizes = [o["value"] for o in page_spec(explore("training"))["controls"][0]["options"]]
    assert sorted(int(h) for h in config["initial"]) == sorted(hidden_sizes)
    for hidden in hidden_sizes:
        net = network.TwoLayerNet.init(2, hidden, 3, seed=0)
        shipped = config["initial"][str(hidden)]
        for key in ("W1", "b1", "W2", "b2"):
            np.testing.assert_array_equal(decode(shipped[key]), getattr(net, key).ravel())
