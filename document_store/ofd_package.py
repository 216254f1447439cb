"""The container of an OFD file (GB/T 33190-2016): a zip of XML parts and resources.

``OfdPackage`` checks the zip directory against the zip-bomb limits before
anything is inflated (the same check as .docx), keeps the budget of objects
the file may draw (``spend``, ``Limits.max_ofd_objects``), resolves the locations the
parts use (absolute from the package root, or relative to the part that names
them; ``..`` may not climb out of the package), and parses XML with a hardened
lxml parser: no DTDs, no entity expansion, no network, no huge trees.

Producers differ in small ways seen in real files, which are tolerated: the
namespace URI (``http://www.ofdspec.org/2016`` or without ``/2016``), elements
without a prefix, a byte-order mark, and locations whose case differs from the
zip entry (``DOC_0/Res`` for ``Doc_0/Res``). Elements are therefore matched by
local name, and a location that is not found exactly is looked up ignoring case.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

from .errors import CorruptOfd, OfdMissingPart, OfdTooComplex
from .extract_docx import check_package
from .limits import Limits

_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
    remove_comments=True, remove_pis=True,
)


class OfdPackage:
    """An opened, size-checked OFD zip package."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        check_package(data, limits, corrupt=CorruptOfd)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise CorruptOfd(f"unreadable zip directory: {exc}") from None
        self._names = {info.filename for info in self._zip.infolist() if not info.is_dir()}
        self._folded = {name.casefold(): name for name in self._names}
        self._budget = limits.max_ofd_objects

    def spend(self, objects: int) -> None:
        """Count ``objects`` drawn; ``OfdTooComplex`` past ``Limits.max_ofd_objects``."""
        self._budget -= objects
        if self._budget < 0:
            raise OfdTooComplex("more drawing objects and characters than allowed")

    def resolve(self, base_part: str, location: str) -> str:
        """The package path of ``location`` as written in the part ``base_part``."""
        location = location.strip().replace("\\", "/")
        if not location:
            raise OfdMissingPart(f"an empty location in {base_part}")
        if location.startswith("/"):
            joined = location
        else:
            joined = posixpath.join("/", posixpath.dirname(base_part), location)
        normal = posixpath.normpath(joined)
        if not normal.startswith("/") or normal.startswith("//") or ".." in normal.split("/"):
            raise CorruptOfd(f"location {location!r} in {base_part} leaves the package")
        return normal.lstrip("/")

    def has(self, path: str) -> bool:
        """Whether the package holds ``path`` (case-insensitively)."""
        return path in self._names or path.casefold() in self._folded

    def read(self, path: str) -> bytes:
        """The bytes of a member; ``OfdMissingPart`` if there is none."""
        name = path if path in self._names else self._folded.get(path.casefold())
        if name is None:
            raise OfdMissingPart(f"the package has no {path}")
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise CorruptOfd(f"cannot inflate {path}: {exc}") from None

    def xml(self, path: str) -> etree._Element:
        """A member parsed as XML with the hardened parser."""
        data = self.read(path)
        try:
            root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
        except etree.XMLSyntaxError as exc:
            raise CorruptOfd(f"{path} is not well-formed XML: {exc}"[:300]) from None
        if root is None:
            raise CorruptOfd(f"{path} is empty")
        return root


def local(element: etree._Element) -> str:
    """An element's tag without its namespace."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Child elements called ``name`` (any namespace)."""
    return (child for child in element if local(child) == name)


def child(element: etree._Element, name: str) -> etree._Element | None:
    """The first child element called ``name``, or ``None``."""
    return next(children(element, name), None)


def child_text(element: etree._Element, name: str) -> str | None:
    """The stripped text of the first child called ``name``, or ``None``."""
    found = child(element, name)
    return found.text.strip() if found is not None and found.text else None


def numbers(value: str | None) -> list[float]:
    """Space-separated numbers of an attribute (``Boundary``, ``CTM``, ``PhysicalBox``)."""
    if not value:
        return []
    try:
        return [float(item) for item in value.split()]
    except ValueError:
        raise CorruptOfd(f"not a list of numbers: {value[:60]!r}") from None


def deltas(value: str | None, limit: int) -> list[float]:
    """A ``DeltaX``/``DeltaY`` list, expanding ``g N v`` (N times v); at most ``limit`` items
    are kept (one per character is all a TextCode can use)."""
    if not value:
        return []
    items = value.split()
    result: list[float] = []
    index = 0
    try:
        while index < len(items) and len(result) < limit:
            if items[index] == "g":
                count, step = int(items[index + 1]), float(items[index + 2])
                if count < 0:
                    raise CorruptOfd(f"a repeat count of {count} in a delta list")
                result.extend([step] * min(count, limit - len(result)))
                index += 3
            else:
                result.append(float(items[index]))
                index += 1
    except (ValueError, IndexError):
        raise CorruptOfd(f"a malformed delta list: {value[:60]!r}") from None
    return result
