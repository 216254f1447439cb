"""Remove what makes LibreOffice fetch from the network out of a .docx before converting it.

A .docx can make the converting program load a URL in three ways, all removed
here (issue 15, finding 1: an image relationship pointing at
``http://127.0.0.1:5999/`` made the server fetch it and embed the answer):

- relationships with ``TargetMode="External"`` other than hyperlinks (linked
  images, OLE links, attached templates, frames, sub-documents, external
  data): the relationship is dropped; the picture that used it draws empty;
- fields that include or link content: ``INCLUDEPICTURE``, ``INCLUDETEXT``,
  ``LINK``, ``DDE``, ``DDEAUTO``, ``IMPORT``, ``INCLUDE`` and ``HYPERLINK``
  (whose update may fetch): the field code is blanked, the last shown result
  stays as plain text;
- URL attributes of VML pictures (``o:href``, ``src`` on ``v:imagedata``).

Hyperlink relationships (a clickable link, never fetched by a conversion) are
kept. The package is checked against the zip-bomb limits first and rewritten
member by member; nothing else changes.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from .errors import CorruptDocx
from .extract_docx import check_package
from .limits import Limits

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FETCHING_FIELDS = re.compile(
    r"^\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDEAUTO|DDE|IMPORT|HYPERLINK)\b", re.I)
_URL_ATTRIBUTES = frozenset({"href", "src"})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)


def sanitize_docx(data: bytes, limits: Limits) -> tuple[bytes, int]:
    """The package without network references, and how many were removed."""
    check_package(data, limits)
    removed = 0
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename.endswith(".rels"):
                    content, count = _clean_relationships(content)
                    removed += count
                elif info.filename.endswith(".xml"):
                    content, count = _clean_part(content)
                    removed += count
                target.writestr(info, content)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocx(f"cannot rewrite the package: {exc}"[:300]) from None
    return out.getvalue(), removed


def _parse(content: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError:
        return None


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _clean_relationships(content: bytes) -> tuple[bytes, int]:
    root = _parse(content)
    if root is None:
        return content, 0
    removed = 0
    for rel in list(root.iter(f"{{{_REL_NS}}}Relationship")):
        if rel.get("TargetMode", "").lower() == "external" and rel.get("Type") != _HYPERLINK:
            rel.getparent().remove(rel)
            removed += 1
    return (_serialize(root), removed) if removed else (content, 0)


def _clean_part(content: bytes) -> tuple[bytes, int]:
    if b"instr" not in content and b"href" not in content and b"src" not in content:
        return content, 0
    root = _parse(content)
    if root is None:
        return content, 0
    removed = 0
    for element in root.iter(f"{_W}instrText"):
        if element.text and _FETCHING_FIELDS.match(element.text):
            element.text = ""
            removed += 1
    for element in root.iter(f"{_W}fldSimple"):
        if _FETCHING_FIELDS.match(element.get(f"{_W}instr", "")):
            element.set(f"{_W}instr", "")
            removed += 1
    for element in root.iter():
        for name in list(element.attrib):
            if etree.QName(name).localname in _URL_ATTRIBUTES and _is_url(element.get(name)):
                del element.attrib[name]
                removed += 1
    return (_serialize(root), removed) if removed else (content, 0)


def _is_url(value: str | None) -> bool:
    return bool(value) and (re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value or "") is not None
                            or (value or "").startswith("\\\\"))
