"""GB/T 9704-2012 page and type settings for contract documents, with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines a page
(exact line spacing 28.95 pt); title 2号 方正小标宋简体; body 3号 仿宋_GB2312 with a
two-character first-line indent; level-1 headings 3号 黑体, level-2 3号 楷体_GB2312;
page number "— 1 —" in 4号 宋体, odd pages right, even pages left, one character in.

python-docx's ``font.name`` sets only ``w:ascii``/``w:hAnsi``; Chinese text takes
``w:eastAsia``, so :func:`set_fonts` writes all of them and drops theme fonts,
which would otherwise win.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
SIZE_2 = Pt(22)
SIZE_3 = Pt(16)
SIZE_4 = Pt(14)
LINE_PITCH = Pt(28.95)
"""(297 - 37 - 35) mm / 22 lines, rounded down to whole twips (579)."""
INDENT_2_CHARS = Pt(32)


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style: font, size, alignment, first-line indent, outline level."""

    name: str
    font: str
    size: Pt
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY
    first_line: Pt | None = INDENT_2_CHARS
    outline: int | None = None
    line: Pt = LINE_PITCH


TITLE = StyleSpec("GC Title", XIAOBIAOSONG, SIZE_2, WD_ALIGN_PARAGRAPH.CENTER, None)
SUBTITLE = StyleSpec("GC Subtitle", KAITI, SIZE_3, WD_ALIGN_PARAGRAPH.CENTER, None)
HEADING_1 = StyleSpec("GC Heading 1", HEITI, SIZE_3, outline=0)
HEADING_2 = StyleSpec("GC Heading 2", KAITI, SIZE_3, outline=1)
BODY = StyleSpec("GC Body", FANGSONG, SIZE_3)
PLAIN = StyleSpec("GC Plain", FANGSONG, SIZE_3, WD_ALIGN_PARAGRAPH.LEFT, None)
RIGHT = StyleSpec("GC Right", FANGSONG, SIZE_3, WD_ALIGN_PARAGRAPH.RIGHT, None)
TABLE = StyleSpec("GC Table Text", FANGSONG, SIZE_4, WD_ALIGN_PARAGRAPH.CENTER, None,
                  line=Pt(22))
PAGE_NUMBER = StyleSpec("GC Page Number", SONGTI, SIZE_4, WD_ALIGN_PARAGRAPH.RIGHT, None,
                        line=Pt(14))
STYLES = (TITLE, SUBTITLE, HEADING_1, HEADING_2, BODY, PLAIN, RIGHT, TABLE, PAGE_NUMBER)
FONT_TABLE = {
    FANGSONG: ("仿宋", "modern", "fixed"),
    XIAOBIAOSONG: ("宋体", "script", "fixed"),
    HEITI: ("SimHei", "modern", "fixed"),
    KAITI: ("楷体", "modern", "fixed"),
    SONGTI: ("SimSun", "auto", "variable"),
}
"""Chinese fonts declared in the font table (GB2312 charset) with a fallback name."""
_STYLE_REFS = ("//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val"
               " | //w:numStyleLink/@w:val | //w:styleLink/@w:val")


def set_fonts(rpr: etree._Element, font: str) -> None:
    """Make ``font`` the ASCII, high-ANSI, East Asian and complex-script font of a ``w:rPr``."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)


def setup_page(section: Section) -> None:
    """A4 portrait with the GB/T 9704 margins; footer placed 7 mm below the text block."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(23)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.twips)))


def _defaults(document: Document) -> None:
    """Document defaults: 仿宋 3号, Chinese language, no paragraph spacing."""
    styles = document.styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr, FANGSONG)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH


_AFTER_OVERFLOW_PUNCT = ("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                         "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                         "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                         "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                         "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                         "w:pPrChange")


def _overflow_punct(style_ppr: etree._Element) -> None:
    """Write ``w:overflowPunct w:val="1"`` explicitly (see :func:`setup_styles`)."""
    node = OxmlElement("w:overflowPunct")
    node.set(qn("w:val"), "1")
    style_ppr.insert_element_before(node, *_AFTER_OVERFLOW_PUNCT)


def setup_styles(document: Document, *, simple_punctuation: bool = True) -> None:
    """Add the ``GC …`` paragraph styles of :data:`STYLES` (fonts set as East Asian).

    ``simple_punctuation`` writes ``w:overflowPunct w:val="1"`` in each style: Word's
    own default (a 、 or ， that ends a full line hangs in the margin, as Word and WPS
    draw it), stated explicitly because LibreOffice (7.4) imports the explicit value as
    simple wrapping, while with the implicit default it drops a punctuation mark that
    would hang at the end of a justified line (it printed "出具书面意见电话" without the
    、). v1 of the standard template was built without it and is kept as it was.
    """
    _defaults(document)
    for spec in STYLES:
        style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.quick_style = True
        style.font.size = spec.size
        style.font.bold = False
        set_fonts(style.element.get_or_add_rPr(), spec.font)
        fmt = style.paragraph_format
        fmt.alignment = spec.align
        fmt.first_line_indent = spec.first_line or Pt(0)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = spec.line
        fmt.widow_control = True
        if spec.outline is not None:
            fmt.keep_with_next = True
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(spec.outline))
            style.element.get_or_add_pPr().append(level)
        if simple_punctuation:
            _overflow_punct(style.element.get_or_add_pPr())


def add_text(paragraph: Paragraph, content: str, spec: StyleSpec) -> None:
    """Append ``content`` as one run carrying the style's fonts and size explicitly."""
    run = paragraph.add_run(content)
    run.font.size = spec.size
    set_fonts(run._r.get_or_add_rPr(), spec.font)


def _field_run(paragraph: Paragraph, spec: StyleSpec, kind: str, instruction: str = "") -> None:
    run = paragraph.add_run()
    run.font.size = spec.size
    set_fonts(run._r.get_or_add_rPr(), spec.font)
    if instruction:
        node = OxmlElement("w:instrText")
        node.set(qn("xml:space"), "preserve")
        node.text = instruction
    else:
        node = OxmlElement("w:fldChar")
        node.set(qn("w:fldCharType"), kind)
    run._r.append(node)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.style = PAGE_NUMBER.name
    paragraph.alignment = align
    side = "right_indent" if align == WD_ALIGN_PARAGRAPH.RIGHT else "left_indent"
    setattr(paragraph.paragraph_format, side, SIZE_4)
    add_text(paragraph, "— ", PAGE_NUMBER)
    _field_run(paragraph, PAGE_NUMBER, "begin")
    _field_run(paragraph, PAGE_NUMBER, "", " PAGE ")
    _field_run(paragraph, PAGE_NUMBER, "separate")
    add_text(paragraph, "1", PAGE_NUMBER)
    _field_run(paragraph, PAGE_NUMBER, "end")
    add_text(paragraph, " —", PAGE_NUMBER)


def add_page_numbers(document: Document, section: Section) -> None:
    """“— N —” footers: odd pages right-aligned, even pages left-aligned (GB/T 9704 7.5)."""
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def declare_fonts(document: Document) -> None:
    """List the Chinese fonts in ``word/fontTable.xml`` so Word substitutes them sensibly."""
    part = next(rel.target_part for rel in document.part.rels.values()
                if rel.reltype.endswith("/fontTable"))
    table = etree.fromstring(part.blob)
    for name, (alt, family, pitch) in FONT_TABLE.items():
        font = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", family),
                           ("w:pitch", pitch)):
            etree.SubElement(font, qn(tag), {qn("w:val"): value})
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def prune_styles(document: Document) -> None:
    """Drop styles nothing refers to (python-docx's default template carries hundreds)."""
    styles = document.styles.element
    used: set[str] = set()
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None and element is not styles:
            used.update(element.xpath(_STYLE_REFS))
    by_id = {style.get(qn("w:styleId")): style for style in styles.iterchildren(qn("w:style"))}
    pending = [sid for sid, style in by_id.items()
               if sid in used or style.get(qn("w:default")) == "1"]
    keep: set[str] = set()
    while pending:
        sid = pending.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        pending.extend(by_id[sid].xpath("./w:basedOn/@w:val | ./w:next/@w:val | ./w:link/@w:val"))
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
