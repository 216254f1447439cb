"""Remove what makes LibreOffice fetch from the network out of a .docx before converting it.

A .docx can make the converting program load a URL in three ways, all removed
here (issue 15, finding 1: an image relationship pointing at
``http://127.0.0.1:5999/`` made the server fetch it and embed the answer):

- relationships with ``TargetMode="External"`` other than hyperlinks (linked
  images, OLE links, attached templates, frames, sub-documents, external
  data), and any whose target is an absolute URL or a UNC path whatever its
  mode: the relationship is dropped; the picture that used it draws empty;
- fields that include or link content: ``INCLUDEPICTURE``, ``INCLUDETEXT``,
  ``LINK``, ``DDE``, ``DDEAUTO``, ``IMPORT``, ``INCLUDE`` and ``HYPERLINK``
  (whose update may fetch): the field code is blanked, the last shown result
  stays as plain text;
- URL attributes of VML pictures (``o:href``, ``src`` on ``v:imagedata``).

Hyperlink relationships (a clickable link, never fetched by a conversion) are
kept. The package is checked against the zip-bomb limits first and rewritten
member by member; nothing else changes. Every member that is XML by name
(``.xml``, ``.rels``) or by content (whatever its encoding, UTF-16 included) is
parsed; one that does not parse is refused (``CorruptDocx``) rather than passed
on unchecked to a converter that might read it more leniently.
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
_XML_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
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
                    content, count = _clean_relationships(info.filename, content)
                    removed += count
                elif _is_xml(info.filename, content):
                    content, count = _clean_part(info.filename, content)
                    removed += count
                target.writestr(info, content)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocx(f"cannot rewrite the package: {exc}"[:300]) from None
    return out.getvalue(), removed


def _is_xml(name: str, content: bytes) -> bool:
    """XML by its name, or by its first bytes (a byte-order mark, or ``<``)."""
    if name.endswith(".xml"):
        return True
    head = content[:4]
    return head.startswith(_XML_BOMS) or content.lstrip()[:1] == b"<"


def _parse(name: str, content: bytes) -> etree._Element:
    try:
        root = etree.fromstring(content, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptDocx(f"{name} is not well-formed XML: {exc}"[:300]) from None
    if root is None:
        raise CorruptDocx(f"{name} is empty")
    return root


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _clean_relationships(name: str, content: bytes) -> tuple[bytes, int]:
    root = _parse(name, content)
    removed = 0
    for rel in list(root.iter(f"{{{_REL_NS}}}Relationship")):
        external = (rel.get("TargetMode", "").strip().lower() == "external"
                    or _is_url(rel.get("Target", "").strip()))
        if external and rel.get("Type") != _HYPERLINK:
            rel.getparent().remove(rel)
            removed += 1
    return (_serialize(root), removed) if removed else (content, 0)


def _clean_part(name: str, content: bytes) -> tuple[bytes, int]:
    root = _parse(name, content)
    removed = _clean_complex_fields(root)
    for element in root.iter(f"{_W}fldSimple"):
        if _FETCHING_FIELDS.match(element.get(f"{_W}instr", "")):
            element.set(f"{_W}instr", "")
            removed += 1
    for element in root.iter():
        for attribute in list(element.attrib):
            if (etree.QName(attribute).localname in _URL_ATTRIBUTES
                    and _is_url(element.get(attribute))):
                del element.attrib[attribute]
                removed += 1
    return (_serialize(root), removed) if removed else (content, 0)


def _clean_complex_fields(root: etree._Element) -> int:
    """Blank the codes of fetching fields written as ``fldChar`` begin … separate … end.

    A field's code may be split over several ``instrText`` runs (``INCL`` +
    ``UDEPICTURE "http://…"``), so the runs of each field are joined before they are
    matched; nested fields are tracked with a stack. Returns how many fields were blanked.
    """
    removed = 0
    open_fields: list[list[etree._Element] | None] = []  # None: already checked
    for element in root.iter(f"{_W}fldChar", f"{_W}instrText", f"{_W}delInstrText"):
        kind = element.get(f"{_W}fldCharType") if element.tag == f"{_W}fldChar" else "code"
        if kind == "code":
            codes = open_fields[-1] if open_fields else None
            if codes is not None:
                codes.append(element)
            else:  # a code outside any field's code part
                removed += _blank_if_fetching([element])
        elif kind == "begin":
            open_fields.append([])
        elif kind in ("separate", "end") and open_fields:
            codes = open_fields.pop()
            removed += _blank_if_fetching(codes or [])
            if kind == "separate":
                open_fields.append(None)
    return removed + sum(_blank_if_fetching(codes or []) for codes in open_fields)


def _blank_if_fetching(codes: list[etree._Element]) -> int:
    if not _FETCHING_FIELDS.match("".join(code.text or "" for code in codes)):
        return 0
    for code in codes:
        code.text = ""
    return 1


def _is_url(value: str | None) -> bool:
    """An absolute URL (``http:``, ``file:``, a drive letter…) or a network path."""
    value = value or ""
    return (re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) is not None
            or value.startswith(("\\\\", "//")))
