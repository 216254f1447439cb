"""The committed standard template: reproducible, complete, and laid out per GB/T 9704-2012."""

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from contract_templates import check_template, load_version, standard_template_dir
from contract_templates.build_standard import VERSIONS, build


def _mm(length) -> float:
    return round(length.mm, 1)


def _fonts(rpr):
    fonts = rpr.find(qn("w:rFonts"))
    return {slot: fonts.get(qn(f"w:{slot}")) for slot in ("eastAsia", "ascii", "hAnsi")}


def _paragraph(document, style):
    return next(p for p in document.paragraphs if p.style.name == style)


@pytest.mark.parametrize("version", VERSIONS)
def test_committed_template_is_what_the_builder_makes(version):
    committed = load_version(standard_template_dir() / version).docx_bytes
    assert build(version) == committed, "run: python -m contract_templates.build_standard"


def test_template_and_manifest_agree(standard):
    assert check_template(standard.docx_bytes, standard.manifest) == []


def test_page_is_a4_with_gbt9704_margins(standard, read_docx):
    section = read_docx(standard.docx_bytes).sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert (_mm(section.top_margin), _mm(section.bottom_margin)) == (37, 35)
    assert (_mm(section.left_margin), _mm(section.right_margin)) == (28, 26)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"


@pytest.mark.parametrize(("style", "font", "size"), [
    ("GC Title", "方正小标宋简体", 22),
    ("GC Body", "仿宋_GB2312", 16),
    ("GC Heading 1", "黑体", 16),
    ("GC Heading 2", "楷体_GB2312", 16),
    ("GC Plain", "仿宋_GB2312", 16),
])
def test_styles_and_their_runs_carry_east_asian_fonts_and_sizes(standard, read_docx, style,
                                                                  font, size):
    document = read_docx(standard.docx_bytes)
    style_obj = document.styles[style]
    assert style_obj.font.size == Pt(size)
    assert _fonts(style_obj.element.rPr) == {"eastAsia": font, "ascii": font, "hAnsi": font}
    paragraph = _paragraph(document, style)
    for run in paragraph.runs:
        assert run.font.size == Pt(size)
        assert _fonts(run._r.rPr)["eastAsia"] == font


def test_title_is_centred_and_body_indented_two_characters_at_22_lines(standard, read_docx):
    document = read_docx(standard.docx_bytes)
    title = document.styles["GC Title"].paragraph_format
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _paragraph(document, "GC Title").text == "党政机关法律顾问聘任合同"
    for name in ("GC Body", "GC Heading 1", "GC Heading 2"):
        fmt = document.styles[name].paragraph_format
        assert fmt.first_line_indent == Pt(32)
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert fmt.line_spacing == Pt(28.95)
    assert 22 * Pt(28.95) <= Mm(297 - 37 - 35)


def test_headings_carry_outline_levels(standard, read_docx):
    document = read_docx(standard.docx_bytes)
    for name, level in (("GC Heading 1", "0"), ("GC Heading 2", "1")):
        outline = document.styles[name].element.pPr.find(qn("w:outlineLvl"))
        assert outline.get(qn("w:val")) == level
    headings = [p.text for p in document.paragraphs if p.style.name == "GC Heading 1"]
    assert headings == [
        "一、法律顾问人员", "二、服务范围", "三、服务期限", "四、顾问费用及支付方式",
        "五、工作方式与响应时限", "六、甲方的权利和义务", "七、乙方的权利和义务",
        "八、保密与利益冲突回避", "九、合同的变更与解除", "十、违约责任", "十一、争议解决",
        "十二、其他约定"]


def test_document_defaults_are_chinese(standard, read_docx):
    styles = read_docx(standard.docx_bytes).styles.element
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert _fonts(rpr)["eastAsia"] == "仿宋_GB2312"
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsiaTheme")) is None
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize(("footer", "align", "indent"), [
    ("footer", WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
    ("even_page_footer", WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
])
def test_page_number_footer_is_page_field_between_em_dashes(standard, read_docx, footer, align,
                                                             indent):
    document = read_docx(standard.docx_bytes)
    assert document.settings.odd_and_even_pages_header_footer
    paragraph = getattr(document.sections[0], footer).paragraphs[0]
    assert paragraph.text == "— 1 —"
    assert paragraph.alignment == align
    assert getattr(paragraph.paragraph_format, indent) == Pt(14)
    instructions = [node.text.strip() for node in paragraph._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    kinds = [node.get(qn("w:fldCharType")) for node in paragraph._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    for run in paragraph.runs:
        assert run.font.size == Pt(14)
        assert _fonts(run._r.rPr)["eastAsia"] == "宋体"


def test_core_properties_are_fixed(standard, read_docx):
    props = read_docx(standard.docx_bytes).core_properties
    assert props.title == "党政机关法律顾问聘任合同（通用样本）"
    assert props.created.year == 2022 and props.author == "市司法局"
