"""Word .docx: document order, tables, text boxes, headers, and the zip-bomb guard."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from document_store import (
    CorruptDocx,
    Limits,
    UnsupportedType,
    ZipBomb,
    extract,
    validate,
)

from .builders import (
    AFTER_TABLE,
    BEFORE_TABLE,
    FOOTER_TEXT,
    HEADER_TEXT,
    MERGED_ACROSS,
    MERGED_DOWN,
    NESTED_TEXTS,
    TEXTBOX_TEXT,
    zip_bomb,
)


def assert_rich_document(text: str, laws) -> None:
    law = laws[0]
    for once in (HEADER_TEXT, FOOTER_TEXT, TEXTBOX_TEXT, MERGED_ACROSS, MERGED_DOWN, *NESTED_TEXTS):
        assert text.count(once) == 1, once
    order = [
        HEADER_TEXT,
        law.title,
        law.paragraphs[0],
        TEXTBOX_TEXT,
        BEFORE_TABLE,
        MERGED_ACROSS,
        "单元格02",
        "单元格10",
        MERGED_DOWN,
        "单元格20",
        NESTED_TEXTS[0],
        NESTED_TEXTS[1],
        AFTER_TABLE,
        law.paragraphs[3],
        FOOTER_TEXT,
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_python_docx_file_in_document_order_with_everything_once(made: Path, laws):
    extraction = extract(made / "rich.docx", isolate=False)

    assert extraction.kind == "docx"
    assert extraction.pages is None and extraction.encoding is None
    assert not extraction.needs_ocr and not extraction.truncated
    assert_rich_document(extraction.text, laws)


def test_table_rows_are_lines_with_tab_separated_cells(made: Path):
    lines = extract(made / "rich.docx", isolate=False).text.splitlines()
    assert f"{MERGED_ACROSS}\t单元格02" in lines
    assert f"单元格10\t单元格11\t{MERGED_DOWN}" in lines


def test_libreoffice_round_trip_keeps_order_and_text_box_once(office, laws):
    with zipfile.ZipFile(office.rich_docx) as package:
        xml = package.read("word/document.xml").decode()
    assert TEXTBOX_TEXT in xml

    extraction = extract(office.rich_docx, isolate=False)

    assert_rich_document(extraction.text, laws)


def test_every_paragraph_of_a_long_document_comes_back(made: Path, laws):
    extraction = extract(made / "narrow.docx", isolate=False)
    expected = "\n".join(laws[0].paragraphs)
    assert extraction.text.startswith(expected)


def test_validate_opens_the_docx(made: Path):
    info = validate(made / "rich.docx")
    assert (info.kind, info.pages, info.encoding) == ("docx", None, None)
    assert info.size == (made / "rich.docx").stat().st_size
    assert info.media_type.endswith("wordprocessingml.document")


def test_zip_bomb_is_refused_from_the_directory_alone(bomb: Path):
    for check in (validate, lambda path: extract(path, isolate=False)):
        with pytest.raises(ZipBomb) as raised:
            check(bomb)
        assert raised.value.code == "zip_bomb" and raised.value.status == 422
        assert "expands to" in raised.value.detail


def test_compression_ratio_limit(tmp_path: Path):
    small_bomb = zip_bomb(tmp_path / "ratio.docx", 8 * 1024 * 1024)
    with pytest.raises(ZipBomb, match="compression ratio"):
        validate(small_bomb)


def test_member_count_limit(made: Path):
    with zipfile.ZipFile(made / "rich.docx") as package:
        members = len(package.infolist())
    with pytest.raises(ZipBomb, match="members"):
        validate(made / "rich.docx", Limits(max_docx_members=members - 1))
    validate(made / "rich.docx", Limits(max_docx_members=members))


def test_zip_with_docx_names_but_broken_xml_is_corrupt(tmp_path: Path):
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types")
        package.writestr("word/document.xml", "<w:document")
    with pytest.raises(CorruptDocx):
        validate(path)


def test_truncated_docx_is_corrupt(made: Path):
    data = (made / "rich.docx").read_bytes()
    with pytest.raises(CorruptDocx) as raised:
        validate(data[: len(data) // 2])
    assert raised.value.code == "corrupt_docx"


def test_member_lying_about_its_size_is_corrupt_not_inflated(tmp_path: Path, made: Path):
    data = bytearray((made / "small.docx").read_bytes())
    with zipfile.ZipFile(made / "small.docx") as package:
        info = package.getinfo("word/document.xml")
    # shrink the declared size in the central directory entry of word/document.xml
    name = b"word/document.xml"
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    size_offset = central + 24
    assert int.from_bytes(data[size_offset : size_offset + 4], "little") == info.file_size
    data[size_offset : size_offset + 4] = (10).to_bytes(4, "little")
    with pytest.raises(CorruptDocx):
        extract(bytes(data), isolate=False)


def test_macro_enabled_word_file_is_unsupported(tmp_path: Path, made: Path):
    docm = tmp_path / "contract.docx"
    with (
        zipfile.ZipFile(made / "small.docx") as source,
        zipfile.ZipFile(docm, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml":
                data = data.replace(
                    b"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(member, data)
    with pytest.raises(UnsupportedType, match="macro-enabled"):
        validate(docm)
