"""What an OFD page holds once read: positioned glyphs, images and paths, and its text.

Coordinates are millimetres on the page, origin at the top left, y downwards
(the OFD convention). A glyph's ``y`` is its baseline.

Reading order (``page_text``): glyphs are grouped into lines by baseline (a
glyph joins a line when its baseline is within half a font size of it), lines
run top to bottom, glyphs in a line left to right; a gap wider than a font size
between two glyphs of a line becomes one space (table columns, form fields).
This holds whether a producer writes one ``TextCode`` per line, per word or per
character, and puts template text (form labels) beside body text (the values).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Color = tuple[int, int, int]
Box = tuple[float, float, float, float]
"""x, y, width, height in millimetres."""
Matrix = tuple[float, float, float, float, float, float]
"""a, b, c, d, e, f: (x, y) -> (a·x + c·y + e, b·x + d·y + f)."""

BLACK: Color = (0, 0, 0)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Glyph:
    """One character at its baseline position; ``size`` is the font size in mm."""

    char: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class TextRun:
    """The glyphs of one ``TextCode``, with the font and colour to draw them."""

    text: str
    glyphs: tuple[Glyph, ...]
    font: str = ""
    color: Color = BLACK


@dataclass(frozen=True)
class ImageRun:
    """An ``ImageObject``: the package path of its image drawn into ``box``."""

    box: Box
    resource: str | None


@dataclass(frozen=True)
class PathRun:
    """A ``PathObject``: ``AbbreviatedData`` in object space, mapped to the page by ``matrix``."""

    commands: str
    matrix: Matrix
    stroke: bool
    fill: bool
    line_width: float
    stroke_color: Color
    fill_color: Color


@dataclass
class Objects:
    """Drawable objects of a layer, in drawing order per kind."""

    texts: list[TextRun] = field(default_factory=list)
    images: list[ImageRun] = field(default_factory=list)
    paths: list[PathRun] = field(default_factory=list)

    def extend(self, other: Objects) -> None:
        """Append another layer's objects."""
        self.texts.extend(other.texts)
        self.images.extend(other.images)
        self.paths.extend(other.paths)


@dataclass
class OfdPage:
    """One page: its size, the layers to draw and the text to index.

    ``number`` counts from 1 over the whole package (documents one after the
    other); ``document`` is the 0-based index of the document it belongs to.
    ``layers`` are drawn in order: background templates, the page content,
    foreground templates. Annotations (watermarks, stamps, notes) are in
    ``annotations``, apart from the body text.
    """

    number: int
    document: int
    width: float
    height: float
    layers: list[Objects] = field(default_factory=list)
    annotations: Objects = field(default_factory=Objects)

    @property
    def runs(self) -> list[TextRun]:
        """The body's text runs (templates included, annotations not)."""
        return [run for layer in self.layers for run in layer.texts]

    @property
    def text(self) -> str:
        """The body text in reading order (see the module docstring)."""
        return page_text(self.runs)

    @property
    def annotation_text(self) -> str:
        """The text of the page's annotations, in reading order."""
        return page_text(self.annotations.texts)

    @property
    def needs_ocr(self) -> bool:
        """No body text, but images or drawings (a scan, or text drawn as outlines)."""
        drawn = any(layer.images or layer.paths for layer in self.layers)
        return drawn and not any(g.char.strip() for run in self.runs for g in run.glyphs)


def page_text(runs: list[TextRun]) -> str:
    """Text of ``runs`` in reading order."""
    glyphs = sorted((g for run in runs for g in run.glyphs), key=lambda g: (g.y, g.x))
    lines: list[list[Glyph]] = []
    baseline = 0.0
    for glyph in glyphs:
        tolerance = max(glyph.size, 0.5) * 0.5
        if lines and abs(glyph.y - baseline) <= tolerance:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
            baseline = glyph.y
    return "\n".join(_line_text(line) for line in lines)


def _line_text(line: list[Glyph]) -> str:
    line.sort(key=lambda g: g.x)
    parts: list[str] = []
    previous: Glyph | None = None
    for glyph in line:
        if previous is not None and glyph.x - previous.x > 2 * max(previous.size, 0.5):
            parts.append(" ")
        parts.append(glyph.char)
        previous = glyph
    return "".join(parts)


def multiply(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    """``matrix`` applied to the point (x, y)."""
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def scale_of(matrix: Matrix) -> float:
    """The mean linear scale of ``matrix`` (for font sizes and line widths)."""
    a, b, c, d, _, _ = matrix
    return abs(a * d - b * c) ** 0.5
