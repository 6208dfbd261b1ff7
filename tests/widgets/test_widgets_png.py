"""PNG encoding: the fast path for live updates and the small one for pictures kept in a page."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from nnmath.widgets import encode_png, explore


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_the_fast_png_is_lossless() -> None:
    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, (17, 23, 4), dtype=np.uint8)
    np.testing.assert_array_equal(decoded(encode_png(rgba)), rgba[..., :3])


def test_the_palette_png_of_a_figure_keeps_its_look_and_is_smaller() -> None:
    rgba = explore("relu").render_rgba()
    small, fast = encode_png(rgba, palette=True), encode_png(rgba)
    assert len(small) < len(fast) / 2
    difference = np.abs(decoded(small).astype(int) - rgba[..., :3].astype(int))
    assert np.mean(difference) < 2.0, "a figure of flat colours survives 128 colours"


@pytest.mark.parametrize(
    "bad", [np.zeros((4, 4, 3), np.uint8), np.zeros((4, 4, 4)), np.zeros((4, 4), np.uint8)]
)
def test_anything_but_rgba_bytes_is_refused(bad: np.ndarray) -> None:
    with pytest.raises(ValueError, match="rgba must be a uint8 array of shape"):
        encode_png(bad)
