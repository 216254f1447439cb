"""A small, strict reader of OFD documents (GB/T 33190-2016), for text and previews.

Why our own: of the Python OFD libraries on PyPI, ``easyofd`` (Apache-2.0)
requires PyMuPDF, whose AGPL-3.0 licence does not suit a government deployment
that does not publish its source; ``ofdkit`` (Apache-2.0) and ``ofdreader`` (MIT)
were young single-maintainer releases (0.2 "alpha" and 0.1) without drawing
primitives for previews; ofdrw, the reference implementation, is Java. The part
of the public specification needed here is small: the package entry
``OFD.xml`` → ``DocBody/DocRoot`` → ``Document.xml`` (``CommonData``: page area,
resources, templates; ``Pages``; ``Annotations``) → each page's ``Content``
(``Layer`` → ``PageBlock`` / ``TextObject`` / ``ImageObject`` / ``PathObject`` /
``CompositeObject``).

Every document of a multi-document package is read, pages in the order of each
``Pages`` list. Signatures, attachments, outlines and custom tags are not read.
A missing required part raises ``OfdMissingPart``; broken XML or zip members
``CorruptOfd``; more pages than ``Limits.max_pdf_pages`` ``TooManyPages``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .errors import OfdMissingPart, TooManyPages, ZeroPages
from .limits import Limits
from .ofd_content import ContentReader, Resources
from .ofd_model import Box, Objects, OfdPage
from .ofd_package import OfdPackage, child, child_text, children, numbers

A4: Box = (0.0, 0.0, 210.0, 297.0)


@dataclass
class OfdFile:
    """A read OFD package: its pages (all documents) and the package itself (for images)."""

    package: OfdPackage
    pages: list[OfdPage] = field(default_factory=list)
    documents: int = 0


def read_ofd(data: bytes, limits: Limits) -> OfdFile:
    """Read every document and page of an OFD file (see the module docstring)."""
    package = OfdPackage(data, limits)
    root = package.xml("OFD.xml")
    bodies = list(children(root, "DocBody"))
    if not bodies:
        raise OfdMissingPart("OFD.xml has no DocBody")
    result = OfdFile(package)
    for index, body in enumerate(bodies):
        location = child_text(body, "DocRoot")
        if not location:
            raise OfdMissingPart(f"DocBody {index + 1} has no DocRoot")
        _read_document(result, package.resolve("OFD.xml", location), index, limits)
        result.documents += 1
    if not result.pages:
        raise ZeroPages("the OFD file has no pages")
    return result


def _read_document(result: OfdFile, path: str, index: int, limits: Limits) -> None:
    package = result.package
    document = package.xml(path)
    common = child(document, "CommonData")
    resources = Resources(package)
    templates: dict[str, str] = {}
    default_box = A4
    if common is not None:
        default_box = _box(child(common, "PageArea")) or A4
        for name in ("PublicRes", "DocumentRes"):
            for element in children(common, name):
                if element.text and element.text.strip():
                    resources.load(package.resolve(path, element.text))
        for template in children(common, "TemplatePage"):
            if template.get("ID") and template.get("BaseLoc"):
                location = template.get("BaseLoc", "")
                templates[template.get("ID", "")] = package.resolve(path, location)
    pages_element = child(document, "Pages")
    page_refs = list(children(pages_element, "Page")) if pages_element is not None else []
    if len(result.pages) + len(page_refs) > limits.max_pdf_pages:
        raise TooManyPages(f"more than {limits.max_pdf_pages} pages")
    annotations = _annotation_files(package, document, path)
    for ref in page_refs:
        location = ref.get("BaseLoc")
        if not location:
            raise OfdMissingPart(f"a page of {path} has no BaseLoc")
        page_path = package.resolve(path, location)
        page = _read_page(package, page_path, resources, templates, default_box)
        page.number, page.document = len(result.pages) + 1, index
        for annot_path in annotations.get(ref.get("ID", ""), []):
            _read_annotations(package, annot_path, resources, page.annotations)
        result.pages.append(page)


def _read_page(
    package: OfdPackage,
    path: str,
    resources: Resources,
    templates: dict[str, str],
    default_box: Box,
) -> OfdPage:
    element = package.xml(path)
    local_resources = resources
    for page_res in children(element, "PageRes"):
        if page_res.text and page_res.text.strip():
            local_resources = local_resources.with_file(package.resolve(path, page_res.text))
    box = _box(child(element, "Area")) or default_box
    page = OfdPage(number=0, document=0, width=box[2], height=box[3])
    background, foreground = Objects(), Objects()
    for template in children(element, "Template"):
        template_path = templates.get(template.get("TemplateID", ""))
        if template_path is None:
            raise OfdMissingPart(f"{path} uses a template that Document.xml does not declare")
        target = foreground if template.get("ZOrder") == "Foreground" else background
        target.extend(_content(package, template_path, local_resources))
    body = ContentReader(local_resources).read(child(element, "Content"))
    page.layers = [background, body, foreground]
    return page


def _content(package: OfdPackage, path: str, resources: Resources) -> Objects:
    element = package.xml(path)
    return ContentReader(resources).read(child(element, "Content"))


def _annotation_files(
    package: OfdPackage, document: etree._Element, path: str
) -> dict[str, list[str]]:
    location = child_text(document, "Annotations")
    if not location:
        return {}
    index_path = package.resolve(path, location)
    if not package.has(index_path):
        return {}
    found: dict[str, list[str]] = {}
    for page in children(package.xml(index_path), "Page"):
        file_loc = child_text(page, "FileLoc")
        if file_loc:
            found.setdefault(page.get("PageID", ""), []).append(
                package.resolve(index_path, file_loc))
    return found


def _read_annotations(
    package: OfdPackage, path: str, resources: Resources, target: Objects
) -> None:
    if not package.has(path):
        return
    for annot in children(package.xml(path), "Annot"):
        if annot.get("Visible") == "false":
            continue
        for appearance in children(annot, "Appearance"):
            origin = numbers(appearance.get("Boundary"))[:2] or [0.0, 0.0]
            reader = ContentReader(resources, offset=(origin[0], origin[1]))
            target.extend(reader.read_block(appearance))


def _box(area: etree._Element | None) -> Box | None:
    if area is None:
        return None
    values = numbers(child_text(area, "PhysicalBox"))
    if len(values) != 4 or values[2] <= 0 or values[3] <= 0:
        return None
    return values[0], values[1], values[2], values[3]

