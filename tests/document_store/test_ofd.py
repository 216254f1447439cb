"""OFD (GB/T 33190): every corpus sample read or refused with a reason, text against TextCode,
annotations apart, image-only pages flagged, hostile packages refused, pages rendered."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from document_store import (
    ALL_KINDS,
    CorruptOfd,
    Extractor,
    Limits,
    OfdMissingPart,
    OfdTooComplex,
    Options,
    UnsupportedType,
    ZipBomb,
    extract,
    validate,
)
from document_store.ofd_reader import read_ofd

from .builders import CORPUS, squash
from .conftest import skip_or_fail

SAMPLES = CORPUS.parent / "ofd"
OPTIONS = Options(kinds=ALL_KINDS)
IN_READING_ORDER = ("crypto_src_test_resources_hello.ofd", "converter_src_test_resources_n.ofd",
                    "layout_src_test_resources_AddWatermarkAnnot.ofd",
                    "reader_src_test_resources_helloworld.ofd")
IMAGE_OR_DRAWING_ONLY = ("converter_src_test_resources_containsJPEG.ofd",
                         "converter_src_test_resources_V4RideRight.ofd")


def samples() -> list[Path]:
    if not SAMPLES.is_dir():
        skip_or_fail(f"the OFD samples {SAMPLES} are missing")
    return sorted(SAMPLES.glob("*.ofd"))


def text_codes(package: zipfile.ZipFile) -> list[list[str]]:
    """Oracle: per page, the TextCode contents of its content and templates, in file order."""
    names = {name.casefold(): name for name in package.namelist()}

    def tree(path: str) -> etree._Element:
        return etree.fromstring(package.read(names[path.lstrip("/").casefold()]))

    def codes(path: str) -> list[str]:
        return [e.text or "" for e in tree(path).iter() if etree.QName(e).localname == "TextCode"]

    pages = []
    root = next(e for e in tree("OFD.xml").iter() if etree.QName(e).localname == "DocRoot").text
    document = tree(root)
    base = root.rsplit("/", 1)[0]
    templates = {e.get("ID"): f"{base}/{e.get('BaseLoc')}" for e in document.iter()
                 if etree.QName(e).localname == "TemplatePage"}
    for page in (e for e in document.iter() if etree.QName(e).localname == "Page"):
        path = f"{base}/{page.get('BaseLoc')}"
        found = codes(path)
        for use in (e for e in tree(path).iter() if etree.QName(e).localname == "Template"):
            found += codes(templates[use.get("TemplateID")])
        pages.append(found)
    return pages


def test_every_sample_is_read_and_its_text_is_the_textcode_text():
    for path in samples():
        data = path.read_bytes()
        assert validate(data, options=OPTIONS).kind == "ofd", path.name
        ofd = read_ofd(data, Limits())
        expected = text_codes(zipfile.ZipFile(path))
        assert len(ofd.pages) == len(expected), path.name
        for page, codes in zip(ofd.pages, expected, strict=True):
            assert Counter(squash(page.text)) == Counter(squash("".join(codes))), \
                f"{path.name} page {page.number}"
            if path.name in IN_READING_ORDER:
                assert squash(page.text) == squash("".join(codes)), path.name


def test_extraction_joins_pages_and_keeps_annotations_apart():
    data = (SAMPLES / "layout_src_test_resources_1-1.ofd").read_bytes() if samples() else b""
    result = extract(data, options=OPTIONS)
    assert result.kind == "ofd" and result.pages == 3
    assert result.annotations == "这是第一次水印"
    assert "水印" not in result.text and "生成文档位置" in result.text
    assert [p.source for p in result.page_texts] == ["text-layer", "text-layer", "none"]


def test_image_only_pages_are_flagged_for_ocr():
    samples()
    for name in IMAGE_OR_DRAWING_ONLY:
        result = extract(SAMPLES / name, options=OPTIONS)
        assert result.needs_ocr and result.text == "", name
        assert all(page.source == "none" for page in result.page_texts)


def _rezip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in members.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _members(name: str) -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLES / name) as package:
        return {info.filename: package.read(info) for info in package.infolist()
                if not info.is_dir()}


def test_hostile_and_damaged_packages_are_refused_with_their_reason():
    samples()
    hello = _members("reader_src_test_resources_helloworld.ofd")
    bomb = dict(hello, **{"Doc_0/Res/big.bin": bytes(300 * 1024 * 1024)})
    cases = {
        "zip bomb": (_rezip(bomb), ZipBomb),
        "truncated": ((SAMPLES / "crypto_src_test_resources_hello.ofd").read_bytes()[:3000],
                      CorruptOfd),
        "no Document.xml": (_rezip({k: v for k, v in hello.items()
                                    if k != "Doc_0/Document.xml"}), OfdMissingPart),
        "no page content": (_rezip({k: v for k, v in hello.items()
                                    if not k.startswith("Doc_0/Pages")}), OfdMissingPart),
        "broken XML": (_rezip(dict(hello, **{"Doc_0/Document.xml": b"<ofd:Document"})),
                       CorruptOfd),
        "path out of the package": (_rezip(dict(hello, **{"OFD.xml": hello["OFD.xml"].replace(
            b"Doc_0/Document.xml", b"../../etc/passwd")})), OfdMissingPart),
    }
    for label, (data, error) in cases.items():
        with pytest.raises(error) as raised:
            validate(data, options=OPTIONS)
        assert raised.value.message, label
    with pytest.raises(UnsupportedType):
        validate(_rezip(hello))  # OFD not accepted by the default options


def test_nested_composite_units_that_expand_to_millions_of_characters_are_refused():
    """A 2 kB file: unit 1 draws 1,000 characters, each further unit draws the one
    below it ten times, and the page draws unit 5: 10 million characters."""
    samples()
    hello = _members("reader_src_test_resources_helloworld.ofd")
    ns = b'xmlns:ofd="http://www.ofdspec.org/2016"'
    text = (b'<ofd:TextObject ID="9" Boundary="0 0 100 10" Font="3" Size="3">'
            b'<ofd:TextCode X="0" Y="3">' + "字".encode() * 1000
            + b"</ofd:TextCode></ofd:TextObject>")
    units = [b'<ofd:CompositeGraphicUnit ID="1" Width="10" Height="10"><ofd:Content>'
             + text + b"</ofd:Content></ofd:CompositeGraphicUnit>"]
    for level in range(2, 6):
        uses = b"".join(b'<ofd:CompositeObject ID="8" Boundary="0 0 10 10" ResourceID="%d"/>'
                        % (level - 1) for _ in range(10))
        units.append(b'<ofd:CompositeGraphicUnit ID="%d" Width="10" Height="10"><ofd:Content>'
                     % level + uses + b"</ofd:Content></ofd:CompositeGraphicUnit>")
    resources = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:Res ' + ns + b' BaseLoc="Res">'
                 b'<ofd:Fonts><ofd:Font FontName="SimSun" FamilyName="SimSun" ID="3"/></ofd:Fonts>'
                 b"<ofd:CompositeGraphicUnits>" + b"".join(units)
                 + b"</ofd:CompositeGraphicUnits></ofd:Res>")
    page = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:Page ' + ns + b'><ofd:Content>'
            b'<ofd:Layer ID="2"><ofd:CompositeObject ID="7" Boundary="0 0 10 10" ResourceID="5"/>'
            b"</ofd:Layer></ofd:Content></ofd:Page>")
    data = _rezip(dict(hello, **{"Doc_0/PublicRes.xml": resources,
                                 "Doc_0/Pages/Page_0/Content.xml": page}))
    assert len(data) < 4096
    with pytest.raises(OfdTooComplex) as raised:
        extract(data, options=OPTIONS)
    assert "过多" in raised.value.message


def test_entities_are_never_expanded():
    samples()
    hello = _members("reader_src_test_resources_helloworld.ofd")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %s "%s">' % (b"b" * (i + 1), (b"&" + b"b" * i + b";") * 10
                                                  if i else b"&a;" * 10) for i in range(8))
              + b']><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>'
              + b'<ofd:TextObject Boundary="0 0 100 10" Size="3"><ofd:TextCode X="0" Y="3">'
              + b"&bbbbbbbb;</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")
    data = _rezip(dict(hello, **{"Doc_0/Pages/Page_0/Content.xml": laughs}))
    try:
        result = extract(data, options=OPTIONS)
    except CorruptOfd:
        return
    assert len(result.text) < 1000


def test_every_page_of_the_text_samples_renders():
    text_samples = [p for p in samples() if p.name not in IMAGE_OR_DRAWING_ONLY]
    with Extractor(Limits(), OPTIONS) as extractor:
        for path in text_samples:
            pages = len(read_ofd(path.read_bytes(), Limits()).pages)
            for number in range(1, pages + 1):
                page = extractor.render(path, number, 600)
                image = Image.open(io.BytesIO(page.png))
                assert (image.width, page.pages) == (600, pages)
                ink = image.convert("L").histogram()[:128]
                ink = sum(ink)
                if read_ofd(path.read_bytes(), Limits()).pages[number - 1].text.strip():
                    assert ink > 0, f"{path.name} page {number} is blank"
