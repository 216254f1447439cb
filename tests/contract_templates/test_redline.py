"""Redlines: a hand-made pair with known insertions and deletions, safe HTML, and a
tracked-changes .docx that accepts to the new text, rejects to the old one, and keeps
its revisions through LibreOffice."""

import io
import re
import subprocess
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from contract_templates import render
from contract_templates.pdf import soffice_path
from contract_templates.redline import compare, compare_with_template
from contract_templates.redline_docx import tracked_docx
from contract_templates.redline_html import to_html
from contract_templates.registry import latest_shipped
from tests.helpers import skip_or_fail

WHEN = datetime(2022, 4, 1, 8, 30, tzinfo=UTC)


def _docx(paragraphs, rows, *, bold_word=None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        if bold_word and bold_word in text:
            head, tail = text.split(bold_word, 1)
            paragraph.add_run(head)
            paragraph.add_run(bold_word).bold = True
            paragraph.add_run(tail)
        else:
            paragraph.add_run(text)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.paragraphs[0].add_run(text)
    document.add_paragraph("（以下无正文）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


OLD_PARAS = ["第一条 甲方聘请乙方担任常年法律顾问。", "第二条 顾问费为每年伍万元。",
             "第三条 乙方每月到甲方现场办公一次。", "第四条 本条将被整段删除。"]
NEW_PARAS = ["第一条 甲方聘请乙方担任常年法律顾问。", "第二条 顾问费为每年陆万元。",
             "第三条 乙方每月到甲方现场办公一次。", "第五条 新增：乙方<b>不得</b>转委托。"]
OLD_ROWS = [["姓名", "执业证号"], ["赵敏", "14102201110123456"], ["钱军", "14102201510654321"]]
NEW_ROWS = [["姓名", "执业证号"], ["赵敏", "14102201110123456"], ["孙丽", "14102201910000001"],
            ["周强", "14102201910000002"]]


@pytest.fixture(scope="module")
def pair():
    return (_docx(OLD_PARAS, OLD_ROWS, bold_word="伍万元"),
            _docx(NEW_PARAS, NEW_ROWS, bold_word="陆万元"))


def test_known_insertions_and_deletions(pair):
    redline = compare(*pair)
    changed = [(c.op, c.where, [(s.op, s.text) for s in c.segments if s.op != "equal"])
               for c in redline.changes if c.op != "equal"]
    assert changed == [
        ("modify", "第2段", [("delete", "伍"), ("insert", "陆")]),
        ("delete", "第4段", [("delete", "第四条 本条将被整段删除。")]),
        ("insert", "第4段", [("insert", "第五条 新增：乙方<b>不得</b>转委托。")]),
        ("modify", "表格1 第3行第1列", [("delete", "钱军"), ("insert", "孙丽")]),
        ("modify", "表格1 第3行第2列", [("delete", "51065432"), ("insert", "91000000")]),
        ("insert", "表格1 第4行第1列", [("insert", "周强")]),
        ("insert", "表格1 第4行第2列", [("insert", "14102201910000002")]),
    ]
    assert redline.has_changes and not compare(pair[0], pair[0]).has_changes
    assert redline.to_dict()["inserted_chars"] == redline.inserted_chars


def test_html_marks_changes_and_escapes_text(pair):
    html = to_html(compare(*pair), only_changes=True)
    assert "每年<del>伍</del><ins>陆</ins>万元" in html
    assert "乙方&lt;b&gt;不得&lt;/b&gt;转委托" in html and "<b>" not in html
    assert set(re.findall(r"</?([a-z]+)", html)) <= {"div", "p", "span", "ins", "del"}
    assert "两份文件的正文没有差异" in to_html(compare(pair[0], pair[0]))


def _resolve(data: bytes, accept: bool) -> tuple[list[str], list[list[str]]]:
    """Accept or reject every revision (as Word would) and read the text back."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    drop, keep = ("w:del", "w:ins") if accept else ("w:ins", "w:del")
    for row in list(body.iter(qn("w:tr"))):
        props = row.find(qn("w:trPr"))
        if props is not None and props.find(qn(drop)) is not None:
            row.getparent().remove(row)
    for paragraph in list(body.iter(qn("w:p"))):
        props = paragraph.find(f"{qn('w:pPr')}/{qn('w:rPr')}")
        in_cell = paragraph.getparent().tag == qn("w:tc")
        if props is not None and props.find(qn(drop)) is not None \
                and (not in_cell or len(paragraph.getparent().findall(qn("w:p"))) > 1):
            paragraph.getparent().remove(paragraph)
            continue
        for node in list(paragraph.iter(qn(drop))):
            node.getparent().remove(node)
        for node in list(paragraph.iter(qn(keep))):
            if node.getparent().tag == qn("w:rPr"):
                continue
            for child in list(node):
                node.addprevious(child)
            node.getparent().remove(node)
    xml = document.element.xml.replace("w:delText", "w:t")
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/document.xml"] = xml.encode("utf-8")
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    document = docx.Document(rebuilt)
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[c.text.strip() for c in row.cells] for row in document.tables[0].rows]
    return paragraphs, cells


def test_tracked_docx_accepts_to_new_and_rejects_to_old(pair):
    data = tracked_docx(*pair, author="市司法局", date=WHEN)
    assert _resolve(data, accept=True) == ([*NEW_PARAS, "（以下无正文）"], NEW_ROWS)
    assert _resolve(data, accept=False) == ([*OLD_PARAS, "（以下无正文）"], OLD_ROWS)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    marks = re.findall(r'<w:(ins|del) w:id="(\d+)" w:author="([^"]+)" w:date="([^"]+)"', xml)
    assert marks and {m[2:] for m in marks} == {("市司法局", "2022-04-01T08:30:00Z")}
    assert len({m[1] for m in marks}) == len(marks)
    assert tracked_docx(*pair, author="市司法局", date=WHEN) == data


def test_deleted_text_keeps_its_formatting(pair):
    data = tracked_docx(*pair, author="甲", date=WHEN)
    document = docx.Document(io.BytesIO(data))
    deleted = [node for node in document.element.body.iter(qn("w:del"))
               if node.getparent().tag == qn("w:p")]
    bold = [d for d in deleted if d.find(f".//{qn('w:b')}") is not None]
    assert ["".join(t.text for t in d.iter(qn("w:delText"))) for d in bold] == ["伍"]


def test_generated_contract_against_the_template(values):
    version = latest_shipped("standard")
    generated = render(version.docx_bytes, version.manifest, values)
    assert not compare_with_template(generated, version.docx_bytes, version.manifest,
                                     values).has_changes
    document = docx.Document(io.BytesIO(generated))
    for paragraph in document.paragraphs:
        if "谋取不正当利益" in paragraph.text:
            paragraph.runs[0].text = paragraph.runs[0].text.replace("不正当利益", "任何利益")
    edited = io.BytesIO()
    document.save(edited)
    redline = compare_with_template(edited.getvalue(), version.docx_bytes, version.manifest,
                                    values)
    changed = [[(s.op, s.text) for s in c.segments if s.op != "equal"]
               for c in redline.changes if c.op != "equal"]
    assert changed == [[("delete", "不正当"), ("insert", "任何")]]


def _soffice_convert(data: bytes, target: str) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) is not installed: tracked changes NOT round-tripped")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "redline.docx"
        source.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation={(Path(work) / 'p').as_uri()}",
                        "--headless", "--norestore", "--convert-to", target, "--outdir",
                        str(Path(work) / "out"), str(source)], check=True, timeout=180,
                       capture_output=True)
        return next((Path(work) / "out").iterdir()).read_bytes()


def test_tracked_changes_survive_libreoffice(pair):
    data = tracked_docx(*pair, author="市司法局", date=WHEN)
    flat = _soffice_convert(data, "fodt").decode("utf-8")
    regions = re.findall(r"<text:changed-region.*?</text:changed-region>", flat, re.S)
    kinds = [("insertion" if "<text:insertion" in r else "deletion") for r in regions]
    assert kinds.count("insertion") >= 4 and kinds.count("deletion") >= 4
    assert all("<dc:creator>市司法局</dc:creator>" in r for r in regions)
    assert "2022-04-01T08:30:00" in regions[0]
    again = _soffice_convert(data, "docx")
    xml = zipfile.ZipFile(io.BytesIO(again)).read("word/document.xml").decode("utf-8")
    assert "<w:ins " in xml and "<w:del " in xml and "伍</w:delText>" in xml
    assert _resolve(again, accept=True)[1] == NEW_ROWS
    assert _resolve(again, accept=False)[1] == OLD_ROWS
