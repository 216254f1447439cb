"""Safe LibreOffice conversion, and .doc/.wps as accepted kinds.

Reproduction of issue 15, finding 1: a .docx whose image relationship is
``TargetMode="External"`` pointing at a local HTTP server made LibreOffice fetch
it during conversion. The test first shows that a plain LibreOffice run (fresh
profile, network, file as uploaded) still fetches it, then that ``convert`` and
each of its three protections on its own (stripping, the private network
namespace, the hardened profile) leave the server without a request.
"""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from PIL import Image

from document_store import (
    ALL_KINDS,
    CorruptDocx,
    Extractor,
    LegacyDoc,
    Limits,
    OfficeUnavailable,
    Options,
    extract,
    find_soffice,
    validate,
)
from document_store.office import _Runner, convert, network_isolation
from document_store.office_sanitize import sanitize_docx

from .conftest import skip_or_fail


@pytest.fixture(scope="module")
def soffice() -> str:
    found = find_soffice()
    if found is None:
        skip_or_fail("LibreOffice (soffice) is not installed")
    return found


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A tiny HTTP server on 127.0.0.1 that records every request path."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(_png())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def external_image_docx(port: int) -> bytes:
    """A python-docx file whose picture is linked to ``http://127.0.0.1:<port>/secret``,
    plus an INCLUDEPICTURE field to the same server."""
    document = docx.Document()
    document.add_paragraph("法律意见书：外部图片链接测试")
    document.add_picture(io.BytesIO(_png()), width=Cm(2))
    field = document.add_paragraph()._p
    field.append(docx.oxml.parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:fldSimple w:instr=\'INCLUDEPICTURE "http://127.0.0.1:{port}/field" \\d\'>'
        "<w:r><w:t>图</w:t></w:r></w:fldSimple></w:r>"))
    plain = io.BytesIO()
    document.save(plain)
    source, linked = zipfile.ZipFile(io.BytesIO(plain.getvalue())), io.BytesIO()
    with zipfile.ZipFile(linked, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                content = re.sub(rb'Target="media/image1\.png"',
                                 f'Target="http://127.0.0.1:{port}/secret" '
                                 f'TargetMode="External"'.encode(), content)
            elif info.filename == "word/document.xml":
                content = content.replace(b"r:embed=", b"r:link=")
            target.writestr(info, content)
    return linked.getvalue()


def plain_soffice(data: bytes, soffice: str, prefix: tuple[str, ...] = ()) -> None:
    """Convert with LibreOffice as a careless caller would: fresh default profile, network."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "upload.docx"
        source.write_bytes(data)
        subprocess.run([*prefix, soffice, f"-env:UserInstallation={Path(work, 'p').as_uri()}",
                        "--headless", "--convert-to", "pdf", "--outdir", work, str(source)],
                       capture_output=True, timeout=120, check=True)


def test_external_references_are_stripped(listener):
    port, _ = listener
    cleaned, removed = sanitize_docx(external_image_docx(port), Limits())
    assert removed >= 2
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        everything = b"".join(package.read(name) for name in package.namelist())
    assert f"127.0.0.1:{port}".encode() not in everything
    assert "外部图片链接测试" in "\n".join(p.text for p in docx.Document(io.BytesIO(cleaned))
                                      .paragraphs)


def _rewrite(data: bytes, change: dict[str, bytes]) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, change.get(info.filename, source.read(info)))
    return out.getvalue()


def test_disguised_references_are_stripped_too(listener):
    """A field code split over runs, a part in UTF-16, an absolute URL in an 'internal'
    relationship: each is found; a part that does not parse is refused, not passed on."""
    port, _ = listener
    url = f"http://127.0.0.1:{port}"
    data = external_image_docx(port)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    split_field = (f'<w:p {w}><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                   '<w:r><w:instrText xml:space="preserve"> INCL</w:instrText></w:r>'
                   f'<w:r><w:instrText>UDEPICTURE "{url}/split" \\d</w:instrText></w:r>'
                   '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>图</w:t></w:r>'
                   '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>').replace(f" {w}", "")
    body = body.replace("</w:body>", split_field + "</w:body>").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"')
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdX" Target="'
                        f'{url}/internal" Type="http://schemas.openxmlformats.org/officeDocument/'
                        '2006/relationships/image"/></Relationships>')
    disguised = _rewrite(data, {"word/document.xml": body.encode("utf-16"),
                                "word/_rels/document.xml.rels": rels.encode()})
    cleaned, removed = sanitize_docx(disguised, Limits())
    assert removed >= 4
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:
        everything = "".join(etree_text(package.read(name)) for name in package.namelist()
                             if name.endswith((".xml", ".rels")))
    assert "127.0.0.1" not in everything
    with pytest.raises(CorruptDocx):
        sanitize_docx(_rewrite(data, {"word/_rels/document.xml.rels": rels.encode()[:-20]}),
                      Limits())


def etree_text(xml: bytes) -> str:
    """A part's XML as text, whatever its declared encoding."""
    from lxml import etree

    return etree.tostring(etree.fromstring(xml), encoding="unicode")


def test_conversion_makes_no_request(soffice, listener):
    port, seen = listener
    data = external_image_docx(port)
    plain_soffice(data, soffice)
    assert seen, "the reproduction no longer makes a plain LibreOffice fetch: review the test"
    seen.clear()
    pdf = convert(data, "docx", "pdf", soffice=soffice, limits=Limits())
    assert pdf.startswith(b"%PDF-")
    assert seen == []


def test_each_protection_alone_stops_the_request(soffice, listener):
    port, seen = listener
    data = external_image_docx(port)
    plain_soffice(sanitize_docx(data, Limits())[0], soffice)  # stripping alone
    assert seen == []
    _Runner(soffice, 120, isolate_network=False).convert(data, "docx", "pdf")  # profile alone
    assert seen == []
    if not network_isolation():
        skip_or_fail("unshare -n is not available: LibreOffice cannot be cut off the network")
    plain_soffice(data, soffice, network_isolation())  # the network namespace alone
    assert seen == []


def test_doc_needs_libreoffice_and_says_what_to_install(office):
    with pytest.raises(LegacyDoc):
        validate(office.legacy_doc)
    with pytest.raises(OfficeUnavailable) as raised:
        validate(office.legacy_doc, options=Options(kinds=ALL_KINDS))
    assert raised.value.status == 415 and "LibreOffice" in raised.value.message


def test_doc_is_accepted_converted_and_rendered(office, made, soffice, laws):
    """``office.legacy_doc`` is what ``soffice --convert-to doc`` writes (Word 97-2003),
    the OLE2 format WPS Office also writes for .wps; the original is never changed."""
    options = Options(kinds=ALL_KINDS, soffice=soffice)
    original = office.legacy_doc.read_bytes()
    info = validate(office.legacy_doc, options=options)
    assert (info.kind, info.media_type) == ("doc", "application/msword")
    extraction = extract(office.legacy_doc, options=options)
    assert extraction.kind == "doc" and laws[1].paragraphs[0][:20] in extraction.text
    with Extractor(Limits(), options) as extractor:
        page = extractor.render(office.legacy_doc, 1, 400)
        as_docx = extractor.convert(office.legacy_doc, "docx")
    assert page.png.startswith(b"\x89PNG") and page.width == 400 and page.pages >= 1
    assert docx.Document(io.BytesIO(as_docx)).paragraphs
    assert office.legacy_doc.read_bytes() == original
