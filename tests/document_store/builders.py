"""Builders of real test files: .docx via python-docx, PDFs via LibreOffice and Pillow.

Nothing here is mocked: every file is written by the program that writes such
files in the wild. The one exception is ``ole2_file``, a minimal but valid OLE2
compound file with the stream names of an encrypted .docx, because no tool in
the environment writes password-protected OOXML (LibreOffice 7.4 headless
ignores the password when exporting .docx; msoffcrypto is not installed).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import Cm

CORPUS = Path(os.environ.get("GOVCOUNSEL_CORPUS", "/work/shared/corpus")) / "laws.tar.xz"
LAW_IDS = ("00001", "00002", "00003")

TEXTBOX_TEXT = "文本框中的审查意见"
HEADER_TEXT = "开封市司法局法律顾问文书"
FOOTER_TEXT = "内部资料注意保存"
MERGED_ACROSS = "横向合并单元格内容"
MERGED_DOWN = "纵向合并单元格内容"
NESTED_TEXTS = ("嵌套表格甲", "嵌套表格乙")
BEFORE_TABLE = "表格之前的段落。"
AFTER_TABLE = "表格之后的段落。"
LATIN_PARAGRAPH = (
    "The legal adviser reviewed the procurement contract and recommended that the "
    "agency clarify the acceptance criteria before signing the agreement."
)

_NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}


@dataclass(frozen=True)
class Law:
    """A law of the corpus: its title and body paragraphs."""

    law_id: str
    title: str
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def unpack_laws(target: Path) -> list[Law]:
    """Unpack a few laws of the corpus into ``target`` and parse them."""
    wanted = {f"laws/{law_id}.md" for law_id in LAW_IDS}
    with tarfile.open(CORPUS, "r:xz") as archive:
        members = []
        for member in archive:
            if member.name in wanted:
                members.append(member)
                if len(members) == len(wanted):
                    break
        archive.extractall(target, members=members, filter="data")
    return [parse_law(target / "laws" / f"{law_id}.md") for law_id in LAW_IDS]


def parse_law(path: Path) -> Law:
    """Title and paragraphs of a corpus Markdown file (front matter and headings dropped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    title = lines[0].lstrip("# ").strip()
    body = lines[lines.index("<!-- INFO END -->") + 1 :]
    paragraphs = [line.strip() for line in body if line.strip() and not line.startswith("#")]
    return Law(path.stem, title, paragraphs)


def squash(text: str) -> str:
    """``text`` without any whitespace (to compare text across layouts)."""
    return re.sub(r"\s+", "", text)


def narrow_docx(path: Path, paragraphs: list[str]) -> Path:
    """A .docx with a 6 cm text column, so every Chinese paragraph wraps many times."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(10), Cm(16)
    section.left_margin = section.right_margin = Cm(2)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(path)
    return path


def rich_docx(path: Path, law: Law) -> Path:
    """A .docx with header, footer, a text box, merged and nested tables, two sections."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER_TEXT
    section.footer.paragraphs[0].text = FOOTER_TEXT
    document.add_heading(law.title, level=1)
    anchor = document.add_paragraph(law.paragraphs[0])
    anchor._p.append(parse_xml(_textbox_run_xml(TEXTBOX_TEXT)))
    document.add_paragraph(BEFORE_TABLE)
    table = document.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for row, cells in enumerate(table.rows):
        for column, cell in enumerate(cells.cells):
            cell.text = f"单元格{row}{column}"
    across = table.cell(0, 0).merge(table.cell(0, 1))
    across.text = MERGED_ACROSS
    down = table.cell(1, 2).merge(table.cell(2, 2))
    down.text = MERGED_DOWN
    nested = table.cell(2, 0).add_table(rows=1, cols=2)
    for cell, text in zip(nested.rows[0].cells, NESTED_TEXTS, strict=True):
        cell.text = text
    document.add_paragraph(AFTER_TABLE)
    document.add_section()
    for paragraph in law.paragraphs[1:4]:
        document.add_paragraph(paragraph)
    document.save(path)
    return path


def _textbox_run_xml(text: str) -> str:
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _NAMESPACES.items())
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return f"""<w:r {declarations}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0"
 relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>3000000</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="2400000" cy="500000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
<wp:wrapSquare wrapText="bothSides"/><wp:docPr id="100" name="Text Box 1"/>
<wp:cNvGraphicFramePr/><a:graphic>
<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>
<a:ext cx="2400000" cy="500000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
</wps:spPr><wps:txbx>{box}</wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square"
 anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>
<v:shape id="TextBox1" o:spid="_x0000_s1026" type="#_x0000_t202"
 style="position:absolute;margin-left:236pt;width:189pt;height:39pt">
<v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def zip_bomb(path: Path, inflated_bytes: int) -> Path:
    """A zip with the two .docx marker members plus one huge member of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        bomb.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        bomb.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
        chunk = bytes(1024 * 1024)
        with bomb.open("word/media/image1.bin", "w") as member:
            for _ in range(inflated_bytes // len(chunk)):
                member.write(chunk)
    return path


def ole2_file(stream_names: list[str]) -> bytes:
    """A minimal valid OLE2 compound file (512-byte sectors) holding empty streams."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))
    entries = [("Root Entry", 5, 1 if stream_names else no_stream, no_stream)]
    for index, name in enumerate(stream_names):
        right = index + 2 if index + 1 < len(stream_names) else no_stream
        entries.append((name, 2, no_stream, right))
    directory = bytearray(512)
    for index, (name, kind, child, right) in enumerate(entries[:4]):
        raw = (name + "\0").encode("utf-16-le")
        offset = index * 128
        directory[offset : offset + len(raw)] = raw
        struct.pack_into("<HBB", directory, offset + 0x40, len(raw), kind, 1)
        struct.pack_into("<III", directory, offset + 0x44, no_stream, right, child)
        struct.pack_into("<II", directory, offset + 0x74, end, 0)
    for index in range(len(entries), 4):
        struct.pack_into("<III", directory, index * 128 + 0x44, no_stream, no_stream, no_stream)
    return bytes(header) + fat + bytes(directory)


class Office:
    """Runs LibreOffice headless with a private profile (safe beside other soffice runs)."""

    def __init__(self, workdir: Path) -> None:
        self.binary = shutil.which("soffice") or shutil.which("libreoffice")
        self.profile = (workdir / "lo-profile").as_uri()

    @property
    def available(self) -> bool:
        return self.binary is not None

    def convert(self, sources: list[Path], target: str, outdir: Path) -> list[Path]:
        """Convert ``sources`` with ``--convert-to target``; return the produced files."""
        assert self.binary is not None
        outdir.mkdir(parents=True, exist_ok=True)
        command = [
            self.binary,
            f"-env:UserInstallation={self.profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=300)
        extension = target.split(":", 1)[0]
        produced = [outdir / f"{source.stem}.{extension}" for source in sources]
        missing = [path.name for path in produced if not path.exists()]
        assert not missing, f"LibreOffice did not produce {missing}"
        return produced


ENCRYPTED_PDF_FILTER = (
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
    '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
)
