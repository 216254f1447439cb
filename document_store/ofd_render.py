"""Drawing an OFD page as an image, from its page description, well enough to read.

Paths (lines, rectangles, Bézier curves approximated by segments; filled or
stroked), images (decoded with the same pixel limits as uploads; an image that
cannot be decoded leaves a grey box) and text (each glyph at its position, with
a CJK font chosen by family: 黑体-like families sans, the rest serif) are drawn
layer by layer: background templates, content, foreground templates,
annotations. Glyph rotation, clipping, patterns, shadings and embedded fonts are
not reproduced; the result is a preview, not a faithful print.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

from . import fonts
from .errors import DocumentStoreError, ImageTooLarge, PageNotFound
from .limits import Limits
from .ofd_model import ImageRun, Matrix, Objects, PathRun, TextRun, apply
from .ofd_reader import OfdFile

_CURVE_STEPS = 12


def render_ofd_page(ofd: OfdFile, number: int, width: int, limits: Limits) -> Image.Image:
    """Page ``number`` (from 1) drawn ``width`` pixels wide."""
    if not 1 <= number <= len(ofd.pages):
        raise PageNotFound(f"page {number} of {len(ofd.pages)}")
    page = ofd.pages[number - 1]
    scale = width / page.width
    height = max(1, round(page.height * scale))
    if width * height > limits.max_render_pixels:
        raise ImageTooLarge(f"{width}x{height} pixels; at most {limits.max_render_pixels}")
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    for layer in [*page.layers, page.annotations]:
        _draw_layer(ofd, layer, canvas, draw, scale, limits)
    return canvas


def _draw_layer(
    ofd: OfdFile,
    layer: Objects,
    canvas: Image.Image,
    draw: ImageDraw.ImageDraw,
    scale: float,
    limits: Limits,
) -> None:
    for path in layer.paths:
        _draw_path(draw, path, scale)
    for image in layer.images:
        _draw_image(ofd, canvas, draw, image, scale, limits)
    for run in layer.texts:
        _draw_text(draw, run, scale)


def _draw_text(draw: ImageDraw.ImageDraw, run: TextRun, scale: float) -> None:
    style = fonts.style_for(run.font)
    for glyph in run.glyphs:
        if not glyph.char.strip():
            continue
        font = fonts.font(round(glyph.size * scale), style)
        draw.text((glyph.x * scale, glyph.y * scale), glyph.char, fill=run.color, font=font,
                  anchor="ls")


def _draw_image(
    ofd: OfdFile,
    canvas: Image.Image,
    draw: ImageDraw.ImageDraw,
    run: ImageRun,
    scale: float,
    limits: Limits,
) -> None:
    x, y, w, h = (round(value * scale) for value in run.box)
    if w <= 0 or h <= 0:
        return
    w, h = min(w, canvas.width * 2), min(h, canvas.height * 2)
    try:
        if run.resource is None:
            raise ValueError("no image resource")
        picture = _decode(ofd.package.read(run.resource), limits)
        canvas.paste(picture.resize((w, h)), (x, y))
    except (DocumentStoreError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        draw.rectangle((x, y, x + w, y + h), outline=(160, 160, 160), fill=(235, 235, 235))


def _decode(data: bytes, limits: Limits) -> Image.Image:
    with Image.open(io.BytesIO(data)) as picture:
        if picture.width * picture.height > limits.max_image_pixels:
            raise ImageTooLarge(f"{picture.width}x{picture.height}")
        picture.draft("RGB", (4000, 4000))
        return picture.convert("RGB")


def _draw_path(draw: ImageDraw.ImageDraw, path: PathRun, scale: float) -> None:
    for points, closed in _subpaths(path.commands, path.matrix):
        pixels = [(px * scale, py * scale) for px, py in points]
        if len(pixels) < 2:
            continue
        if path.fill and len(pixels) >= 3:
            draw.polygon(pixels, fill=path.fill_color)
        if path.stroke:
            if closed:
                pixels.append(pixels[0])
            draw.line(pixels, fill=path.stroke_color,
                      width=max(1, round(path.line_width * scale)))


def _subpaths(commands: str, matrix: Matrix) -> list[tuple[list[tuple[float, float]], bool]]:
    """Point lists (page millimetres) of each subpath and whether it is closed."""
    builder = _PathBuilder(commands.split())
    try:
        while builder.index < len(builder.tokens) and builder.step():
            pass
    except ValueError:
        pass
    builder.finish(closed=False)
    return [([apply(matrix, x, y) for x, y in points], closed)
            for points, closed in builder.result]


class _PathBuilder:
    """Turns ``AbbreviatedData`` tokens into point lists, one command per ``step``."""

    _ARGS = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.index = 0
        self.pen = (0.0, 0.0)
        self.current: list[tuple[float, float]] = []
        self.result: list[tuple[list[tuple[float, float]], bool]] = []

    def step(self) -> bool:
        op = self.tokens[self.index]
        if op not in self._ARGS:
            return False
        count = self._ARGS[op]
        values = [float(v) for v in self.tokens[self.index + 1 : self.index + 1 + count]]
        if len(values) != count:
            raise ValueError("truncated path data")
        self.index += 1 + count
        if op in ("M", "S"):
            self.finish(closed=False)
            self.current = [(values[0], values[1])]
        elif op == "C":
            start = self.current[0] if self.current else self.pen
            self.finish(closed=True)
            self.current = [start]
        elif op in ("Q", "B"):
            controls = [self.pen, *zip(values[0::2], values[1::2], strict=True)]
            self.current.extend(_bezier(controls))
        else:  # L, and A drawn as a straight segment to its end point
            self.current.append((values[-2], values[-1]))
        if self.current:
            self.pen = self.current[-1]
        return True

    def finish(self, *, closed: bool) -> None:
        if len(self.current) > 1:
            self.result.append((self.current, closed))
        self.current = []


def _bezier(controls: list[tuple[float, float]]) -> list[tuple[float, float]]:
    degree = len(controls) - 1
    points = []
    for step in range(1, _CURVE_STEPS + 1):
        t = step / _CURVE_STEPS
        x = y = 0.0
        for i, (cx, cy) in enumerate(controls):
            weight = math.comb(degree, i) * (1 - t) ** (degree - i) * t**i
            x += weight * cx
            y += weight * cy
        points.append((x, y))
    return points

