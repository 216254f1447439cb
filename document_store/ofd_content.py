"""Reading the content of an OFD page: resources and the objects of its layers.

``Resources`` holds what ``PublicRes``/``DocumentRes``/``PageRes`` files declare:
fonts (ID → family name), images (ID → package path, relative to the resource
file's ``BaseLoc``), drawing parameters (line width and colours) and composite
graphic units. ``ContentReader`` walks ``Layer``/``PageBlock`` trees and turns
``TextObject``, ``ImageObject``, ``PathObject`` and ``CompositeObject`` into the
positioned runs of ``ofd_model``.

An object's ``Boundary`` places its own coordinate space on the page and its
``CTM`` maps points into that space; a ``TextCode`` gives the first glyph's
``X``/``Y`` (else the pen position after the previous code) and ``DeltaX``/
``DeltaY`` the steps between glyphs (missing steps advance by the font size,
half of it for ASCII).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree

from .errors import CorruptOfd
from .ofd_model import (
    BLACK,
    IDENTITY,
    Color,
    Glyph,
    ImageRun,
    Matrix,
    Objects,
    PathRun,
    TextRun,
    apply,
    multiply,
    scale_of,
)
from .ofd_package import OfdPackage, child, child_text, children, deltas, local, numbers

MAX_DEPTH = 32


@dataclass
class DrawParam:
    """Line width and colours shared by several objects."""

    line_width: float | None = None
    stroke: Color | None = None
    fill: Color | None = None


@dataclass
class Resources:
    """Fonts, images, drawing parameters and composite units by ID."""

    package: OfdPackage
    fonts: dict[str, str] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)
    params: dict[str, DrawParam] = field(default_factory=dict)
    units: dict[str, etree._Element] = field(default_factory=dict)

    def load(self, path: str) -> None:
        """Add the resources declared in the resource file ``path`` (if it exists)."""
        if not self.package.has(path):
            return
        root = self.package.xml(path)
        base = posixpath.join(posixpath.dirname(path), root.get("BaseLoc", "") or "")
        for element in root.iter():
            name, ident = local(element), element.get("ID")
            if not ident:
                continue
            if name == "Font":
                self.fonts[ident] = element.get("FamilyName") or element.get("FontName") or ""
            elif name == "MultiMedia":
                media_file = child_text(element, "MediaFile")
                if media_file:
                    self.media[ident] = self.package.resolve(base + "/x", media_file)
            elif name == "DrawParam":
                self.params[ident] = _draw_param(element)
            elif name == "CompositeGraphicUnit":
                self.units[ident] = element

    def with_file(self, path: str) -> Resources:
        """A copy with the resources of one more file (a page's ``PageRes``)."""
        copy = Resources(self.package, dict(self.fonts), dict(self.media), dict(self.params),
                         dict(self.units))
        copy.load(path)
        return copy


class ContentReader:
    """Turns page content into ``Objects`` (see the module docstring)."""

    def __init__(self, resources: Resources, offset: tuple[float, float] = (0.0, 0.0)) -> None:
        self.resources = resources
        self.base: Matrix = (1.0, 0.0, 0.0, 1.0, offset[0], offset[1])

    def read(self, content: etree._Element | None) -> Objects:
        """All objects of a page's ``Content`` element."""
        objects = Objects()
        if content is not None:
            for layer in children(content, "Layer"):
                self._block(layer, self.base, objects, 0)
        return objects

    def read_block(self, block: etree._Element) -> Objects:
        """All objects of one block (an annotation's ``Appearance``)."""
        objects = Objects()
        self._block(block, self.base, objects, 0)
        return objects

    def _block(self, block: etree._Element, outer: Matrix, into: Objects, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise CorruptOfd("page blocks nested too deeply")
        for element in block:
            name = local(element)
            if name == "PageBlock":
                self._block(element, outer, into, depth + 1)
            elif name in ("TextObject", "ImageObject", "PathObject", "CompositeObject"):
                if element.get("Visible") == "false":
                    continue
                self.resources.package.spend(1)
                matrix = self._placement(element, outer)
                if name == "TextObject":
                    into.texts.extend(self._texts(element, matrix))
                elif name == "ImageObject":
                    into.images.append(self._image(element, matrix))
                elif name == "PathObject":
                    into.paths.append(self._path(element, matrix))
                else:
                    unit = self.resources.units.get(element.get("ResourceID", ""))
                    content = child(unit, "Content") if unit is not None else None
                    if content is not None:
                        self._block(content, matrix, into, depth + 1)

    def _placement(self, element: etree._Element, outer: Matrix) -> Matrix:
        box = numbers(element.get("Boundary"))
        x, y = (box[0], box[1]) if len(box) >= 2 else (0.0, 0.0)
        ctm_values = numbers(element.get("CTM"))
        ctm: Matrix = tuple(ctm_values) if len(ctm_values) == 6 else IDENTITY  # type: ignore[assignment]
        return multiply(multiply(ctm, (1.0, 0.0, 0.0, 1.0, x, y)), outer)

    def _texts(self, element: etree._Element, matrix: Matrix) -> list[TextRun]:
        size = (numbers(element.get("Size")) or [3.5])[0]
        page_size = size * scale_of(matrix)
        font = self.resources.fonts.get(element.get("Font", ""), "")
        param = self.resources.params.get(element.get("DrawParam", ""), DrawParam())
        color = _color_of(element, "FillColor") or param.fill or BLACK
        runs: list[TextRun] = []
        pen_x, pen_y = 0.0, 0.0
        for code in children(element, "TextCode"):
            text = code.text or ""
            self.resources.package.spend(len(text))
            pen_x = _float(code.get("X"), pen_x)
            pen_y = _float(code.get("Y"), pen_y)
            steps_x = deltas(code.get("DeltaX"), len(text))
            steps_y = deltas(code.get("DeltaY"), len(text))
            glyphs = []
            for index, char in enumerate(text):
                px, py = apply(matrix, pen_x, pen_y)
                glyphs.append(Glyph(char, px, py, page_size))
                default = size if ord(char) > 0x7F else size / 2
                pen_x += steps_x[index] if index < len(steps_x) else default
                pen_y += steps_y[index] if index < len(steps_y) else 0.0
            runs.append(TextRun(text, tuple(glyphs), font, color))
        return runs

    def _image(self, element: etree._Element, matrix: Matrix) -> ImageRun:
        corners = [apply(matrix, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        return ImageRun(box, self.resources.media.get(element.get("ResourceID", "")))

    def _path(self, element: etree._Element, matrix: Matrix) -> PathRun:
        param = self.resources.params.get(element.get("DrawParam", ""), DrawParam())
        stroke = element.get("Stroke", "true") != "false"
        fill = element.get("Fill") == "true"
        width = _float(element.get("LineWidth"), param.line_width or 0.353)
        commands = child_text(element, "AbbreviatedData") or ""
        self.resources.package.spend(len(commands) // 8)
        return PathRun(
            commands=commands,
            matrix=matrix,
            stroke=stroke,
            fill=fill,
            line_width=width * scale_of(matrix),
            stroke_color=_color_of(element, "StrokeColor") or param.stroke or BLACK,
            fill_color=_color_of(element, "FillColor") or param.fill or BLACK,
        )


def _draw_param(element: etree._Element) -> DrawParam:
    width = element.get("LineWidth")
    return DrawParam(
        line_width=_float(width, 0.353) if width else None,
        stroke=_color_of(element, "StrokeColor"),
        fill=_color_of(element, "FillColor"),
    )


def _color_of(element: etree._Element, name: str) -> Color | None:
    found = child(element, name)
    return parse_color(found.get("Value")) if found is not None else None


def parse_color(value: str | None) -> Color | None:
    """An RGB colour from ``"r g b"`` (decimal, or ``#hex`` per component); else ``None``."""
    if not value:
        return None
    parts = value.split()
    try:
        components = [int(p[1:], 16) if p.startswith("#") else int(float(p)) for p in parts]
    except ValueError:
        return None
    if len(components) == 1:
        components *= 3
    if len(components) < 3:
        return None
    r, g, b = (max(0, min(255, c)) for c in components[:3])
    return r, g, b


def _float(value: str | None, default: float) -> float:
    if value is None or not value.strip():
        return default
    try:
        return float(value)
    except ValueError:
        raise CorruptOfd(f"not a number: {value[:40]!r}") from None



