"""Redlines: what changed between two .docx files, paragraph by paragraph and cell by cell.

Typical uses: a generated contract against the standard sample rendered with the
same values (:func:`compare_with_template`), two versions of an uploaded opinion,
two template versions. The body is compared in order: paragraphs, and tables row
by row and cell by cell; changed text is diffed character by character (the
natural unit for Chinese)::

    redline = compare(old_docx, new_docx)
    redline.has_changes, redline.inserted_chars, redline.deleted_chars
    redline.to_dict()                              # JSON-ready, for an API
    to_html(redline)                               # <ins>/<del>, escaped (redline_html)
    tracked_docx(old_docx, new_docx, author="市司法局", date=now)   # w:ins/w:del

Headers, footers, footnotes, text boxes and images are not compared. Both files
are opened with the package's checks (size, zip bomb, encryption); for files that
users uploaded, call these functions in the caller's time-limited child process
(as for any parsing of untrusted bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

from . import docx_io

SIMILAR = 0.5
"""Two paragraphs (or rows) at least this similar are one modified unit, not two."""
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")


@dataclass(frozen=True)
class Segment:
    """A stretch of text that is unchanged, inserted or deleted."""

    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass(frozen=True)
class Change:
    """One paragraph or table cell: unchanged, inserted, deleted or modified (``segments``).

    ``where`` names it in the newer file (in the older one for a deletion):
    ``第3段`` or ``表格1 第2行第3列``.
    """

    op: Literal["equal", "insert", "delete", "modify"]
    where: str
    old: str | None
    new: str | None
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Redline:
    """Every paragraph and cell of both files in reading order, with what changed."""

    changes: tuple[Change, ...]

    @property
    def has_changes(self) -> bool:
        """Whether anything differs."""
        return any(change.op != "equal" for change in self.changes)

    def _count(self, op: str) -> int:
        return sum(len(s.text) for c in self.changes for s in c.segments if s.op == op)

    @property
    def inserted_chars(self) -> int:
        """Characters inserted in all."""
        return self._count("insert")

    @property
    def deleted_chars(self) -> int:
        """Characters deleted in all."""
        return self._count("delete")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"changes": […], "inserted_chars": n, "deleted_chars": n}``."""
        return {"changes": [asdict(change) for change in self.changes],
                "inserted_chars": self.inserted_chars, "deleted_chars": self.deleted_chars}


# --- alignment -----------------------------------------------------------------------

@dataclass
class Op:
    """One aligned unit: a paragraph or a table (``rows``), a row (``cells``) or a cell
    (``paras``), with its element in the old and/or the new file."""

    op: Literal["equal", "insert", "delete", "modify"]
    old: etree._Element | None
    new: etree._Element | None
    children: list[Op] = field(default_factory=list)


def element_text(element: etree._Element) -> str:
    """Visible text of a paragraph, row, cell or table (paragraphs joined by newlines)."""
    if element.tag == _P:
        return Paragraph(element, None).text
    return "\n".join(Paragraph(p, None).text for p in element.iter(_P))


def similarity(old: str, new: str) -> float:
    """0..1: how alike two texts are (difflib's ratio)."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def align(old: Sequence[etree._Element], new: Sequence[etree._Element],
          refine: Callable[[etree._Element, etree._Element], list[Op]] | None = None
          ) -> list[Op]:
    """Align two sequences of elements by their text; similar ones in a replaced stretch
    become ``modify`` (``refine`` aligns their insides, e.g. rows of a table)."""
    old_texts = [element_text(element) for element in old]
    new_texts = [element_text(element) for element in new]
    ops: list[Op] = []
    matcher = SequenceMatcher(None, [(e.tag, t) for e, t in zip(old, old_texts, strict=True)],
                              [(e.tag, t) for e, t in zip(new, new_texts, strict=True)],
                              autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.extend(Op("equal", old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2),
                                                                    strict=True))
        else:
            ops.extend(_pair(old[i1:i2], new[j1:j2], old_texts[i1:i2], new_texts[j1:j2], refine))
    return ops


def _pair(old: Sequence[etree._Element], new: Sequence[etree._Element], old_texts: list[str],
          new_texts: list[str], refine: Callable | None) -> list[Op]:
    ops: list[Op] = []
    j = 0
    for i, element in enumerate(old):
        match = next((k for k in range(j, len(new)) if new[k].tag == element.tag
                      and similarity(old_texts[i], new_texts[k]) >= SIMILAR), None)
        if match is None:
            ops.append(Op("delete", element, None))
            continue
        ops.extend(Op("insert", None, new[k]) for k in range(j, match))
        children = refine(element, new[match]) if refine is not None else []
        ops.append(Op("modify", element, new[match], children))
        j = match + 1
    ops.extend(Op("insert", None, new[k]) for k in range(j, len(new)))
    return ops


def _children(element: etree._Element, tag: str) -> list[etree._Element]:
    return [child for child in element if child.tag == tag]


def refine(old: etree._Element, new: etree._Element) -> list[Op]:
    """Inside a modified table: rows; inside a modified row: cells (by position)."""
    if old.tag == _TBL:
        return align(_children(old, _TR), _children(new, _TR), refine)
    if old.tag == _TR:
        old_cells, new_cells = _children(old, _TC), _children(new, _TC)
        if len(old_cells) != len(new_cells):
            return []
        return [Op("equal" if element_text(a) == element_text(b) else "modify", a, b,
                   align(_children(a, _P), _children(b, _P)))
                for a, b in zip(old_cells, new_cells, strict=True)]
    return []


def body_items(data: bytes) -> list[etree._Element]:
    """The paragraphs and tables of a .docx body, in order."""
    document = docx_io.open_docx(data)
    return [child for child in document.element.body if child.tag in (_P, _TBL)]


def align_documents(old: bytes, new: bytes) -> list[Op]:
    """The aligned body of two .docx files (see :class:`Op`)."""
    return align(body_items(old), body_items(new), refine)


# --- the public diff structure ---------------------------------------------------------

def segments(old: str, new: str) -> tuple[Segment, ...]:
    """Character diff of two texts; unchanged islands of one or two characters between
    changes are folded into the change, so a rewritten phrase reads as one."""
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(Segment("equal", old[i1:i2]))
            continue
        if i2 > i1:
            raw.append(Segment("delete", old[i1:i2]))
        if j2 > j1:
            raw.append(Segment("insert", new[j1:j2]))
    return _merge(_fold(raw))


def _fold(raw: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for index, seg in enumerate(raw):
        inner = 0 < index < len(raw) - 1
        if seg.op == "equal" and inner and len(seg.text) <= 2 and out and out[-1].op != "equal":
            out.extend([Segment("delete", seg.text), Segment("insert", seg.text)])
        else:
            out.append(seg)
    return _group(out)


def _group(items: list[Segment]) -> list[Segment]:
    """Within each stretch between unchanged text, all deletions first, then insertions."""
    out: list[Segment] = []
    stretch: list[Segment] = []
    for seg in [*items, Segment("equal", "")]:
        if seg.op != "equal":
            stretch.append(seg)
            continue
        out.extend(s for s in stretch if s.op == "delete")
        out.extend(s for s in stretch if s.op == "insert")
        stretch = []
        out.append(seg)
    return out


def _merge(items: list[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for seg in items:
        if not seg.text:
            continue
        if out and out[-1].op == seg.op:
            out[-1] = Segment(seg.op, out[-1].text + seg.text)
        else:
            out.append(seg)
    return tuple(out)


def _change(op: Op, where: str) -> Change:
    old = element_text(op.old) if op.old is not None else None
    new = element_text(op.new) if op.new is not None else None
    if op.op == "insert":
        return Change("insert", where, None, new, (Segment("insert", new or ""),))
    if op.op == "delete":
        return Change("delete", where, old, None, (Segment("delete", old or ""),))
    if old == new:
        return Change("equal", where, old, new, (Segment("equal", old or ""),))
    return Change("modify", where, old, new, segments(old or "", new or ""))


def _table_changes(op: Op, table_no: int) -> Iterable[Change]:
    rows = op.children if op.op == "modify" else [
        Op(op.op, row if op.op != "insert" else None, row if op.op != "delete" else None)
        for row in _children(op.old if op.op == "delete" else op.new, _TR)]
    for row_no, row in enumerate(rows, start=1):
        cells = row.children if row.op == "modify" and row.children else None
        if cells is None:
            if row.op == "modify":  # cell counts differ: the old row out, the new row in
                yield from _row_cells(Op("delete", row.old, None), table_no, row_no)
                yield from _row_cells(Op("insert", None, row.new), table_no, row_no)
            else:
                yield from _row_cells(row, table_no, row_no)
            continue
        for col_no, cell in enumerate(cells, start=1):
            yield _change(cell, f"表格{table_no} 第{row_no}行第{col_no}列")


def _row_cells(row: Op, table_no: int, row_no: int) -> Iterable[Change]:
    source = row.old if row.op == "delete" else row.new
    for col_no, cell in enumerate(_children(source, _TC), start=1):
        yield _change(Op(row.op, cell if row.op != "insert" else None,
                         cell if row.op != "delete" else None),
                      f"表格{table_no} 第{row_no}行第{col_no}列")


def redline_of(ops: list[Op]) -> Redline:
    """The public :class:`Redline` of an alignment."""
    changes: list[Change] = []
    old_no = new_no = table_no = 0
    for op in ops:
        element = op.new if op.new is not None else op.old
        if element.tag == _TBL:
            table_no += 1
            changes.extend(_table_changes(op, table_no))
            continue
        old_no += op.op != "insert"
        new_no += op.op != "delete"
        changes.append(_change(op, f"第{old_no if op.op == 'delete' else new_no}段"))
    return Redline(tuple(changes))


def compare(old: bytes, new: bytes) -> Redline:
    """What changed from ``old`` to ``new`` (.docx bytes), paragraph and cell by cell."""
    return redline_of(align_documents(old, new))


def compare_with_template(generated: bytes, template: bytes, manifest: Any,
                          values: Mapping[str, Any], *, clauses: Any = None) -> Redline:
    """What a generated contract changed from the template rendered with the same
    values (and clauses): the agency's edits to the standard text."""
    from .renderer import render

    return compare(render(template, manifest, values, clauses=clauses), generated)
