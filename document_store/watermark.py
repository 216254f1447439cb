"""A visible watermark for previews of classified documents: the viewer and the time.

``stamp`` draws ``text`` (e.g. ``"张三 2026-12-05 14:03"``) repeatedly along
diagonals over the whole page, semi-transparent, so that any photo or crop of
a preview still shows who looked at it and when. It works on our own rendered
page images (trusted input), so it may run anywhere; ``Extractor.render(...,
watermark=...)`` applies it in the child process before the PNG leaves it.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from . import fonts

ANGLE = 30
INK = (200, 30, 30, 72)


def stamp(page: Image.Image, text: str) -> Image.Image:
    """A copy of ``page`` with ``text`` repeated diagonally across it."""
    base = page.convert("RGBA")
    size = max(12, base.width // 28)
    font = fonts.font(size, "sans")
    left, top, right, bottom = font.getbbox(text)
    tile = Image.new("RGBA", (right - left + size * 4, (bottom - top) + size * 4), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((size * 2 - left, size * 2 - top), text, font=font, fill=INK)
    tile = tile.rotate(ANGLE, expand=True)
    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    for row, y in enumerate(range(-tile.height, base.height + tile.height, tile.height // 2)):
        shift = (row % 2) * tile.width // 2
        for x in range(-tile.width + shift, base.width + tile.width, tile.width):
            layer.alpha_composite(tile, (max(x, 0), max(y, 0)), (max(-x, 0), max(-y, 0)))
    return Image.alpha_composite(base, layer).convert("RGB")
