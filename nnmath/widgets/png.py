"""PNG encoding for the explorers: fast for live updates, small for pictures kept in a page."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

__all__ = ["STATIC_COLORS", "encode_png"]

#: Colours kept when a static frame is reduced to a palette PNG (smaller pages).
STATIC_COLORS = 128


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _fast_png(rgb: np.ndarray) -> bytes:
    """RGB pixels as a PNG, quickly: every row filtered with "Up", zlib level 1.

    Figures are mostly flat colour, so the difference to the row above is mostly
    zero and compresses well at the fastest zlib level; PIL's adaptive filter
    choice costs about twice the time for a similar size.
    """
    height, width, _ = rgb.shape
    rows = rgb.reshape(height, width * 3)
    raw = np.empty((height, width * 3 + 1), dtype=np.uint8)
    raw[:, 0] = 2  # filter type "Up"
    raw[0, 0] = 0  # first row: no row above, no filter
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # uint8 arithmetic wraps, as PNG wants
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw.tobytes(), 1))
        + _png_chunk(b"IEND", b"")
    )


def encode_png(rgba: np.ndarray, *, palette: bool = False) -> bytes:
    """Encode an RGBA pixel buffer as PNG bytes (the alpha channel is dropped).

    Parameters
    ----------
    rgba : ndarray of shape (height, width, 4), dtype uint8
        Pixels, for example ``np.asarray(canvas.buffer_rgba())``.
    palette : bool
        If True, reduce to an optimised palette image of at most
        :data:`STATIC_COLORS` colours, compressed hard (for frames stored in a
        page); if False, encode the RGB pixels fast (for live updates).

    Returns
    -------
    bytes
        A PNG file.

    Examples
    --------
    >>> import io
    >>> import numpy as np
    >>> from PIL import Image
    >>> pixels = np.zeros((2, 3, 4), dtype=np.uint8)
    >>> pixels[..., 0] = [[0, 10, 250], [255, 5, 0]]
    >>> png = encode_png(pixels)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> np.asarray(Image.open(io.BytesIO(png)))[..., 0].tolist()
    [[0, 10, 250], [255, 5, 0]]
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(
            f"rgba must be a uint8 array of shape (height, width, 4), got {rgba.dtype} {rgba.shape}"
        )
    if not palette:
        return _fast_png(rgba[..., :3])
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), mode="RGB")
    image = image.quantize(
        colors=STATIC_COLORS, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
