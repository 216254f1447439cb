"""A redline as a .docx with tracked changes (w:ins / w:del), opened as revisions by
Word, WPS and LibreOffice.

The newer file is the base, so its layout and styles are kept: inserted text is
wrapped in ``w:ins``; deleted text (from the older file) is put back where it was
as ``w:del`` runs of ``w:delText``, keeping its run formatting; whole paragraphs
and table rows carry the mark on their paragraph mark (``w:pPr/w:rPr``) or row
(``w:trPr``). Every revision has an id, ``author`` and ``date``::

    data = tracked_docx(old_docx, new_docx, author="市司法局", date=datetime.now(UTC))

Deleted content is text only (an image or field in a deleted paragraph is not
carried back); a modified paragraph that holds fields or drawings is shown as the
old paragraph deleted and the new one inserted.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from itertools import count

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from . import docx_io
from .redline import Op, align, body_items, element_text, refine, segments

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_PPR, _RPR, _TRPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr")
_TEXT_ONLY = {qn(t) for t in ("w:rPr", "w:t", "w:tab", "w:br", "w:cr", "w:noBreakHyphen",
                              "w:softHyphen", "w:lastRenderedPageBreak")}
_PARA_RUN_CONTAINERS = {_R, qn("w:hyperlink"), qn("w:proofErr"), qn("w:bookmarkStart"),
                        qn("w:bookmarkEnd")}
_AFTER_PPR_RPR = ("w:sectPr", "w:pPrChange")


class _Marker:
    """Makes ``w:ins``/``w:del`` elements with fresh ids, one author and one date."""

    def __init__(self, author: str, date: datetime, first_id: int) -> None:
        self.author = author
        moment = date if date.tzinfo else date.replace(tzinfo=UTC)
        self.date = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.ids = count(first_id)

    def mark(self, kind: str) -> etree._Element:
        element = OxmlElement(f"w:{kind}")
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        return element


def _pieces(paragraph: etree._Element) -> list[tuple[etree._Element | None, str]]:
    """(run properties, text) of each text run of a paragraph, links included."""
    return [(run.find(_RPR), run.text) for run in docx_io.paragraph_runs(paragraph)]


def _simple(paragraph: etree._Element) -> bool:
    """Whether the paragraph holds only text runs (so it can be rebuilt from its text)."""
    for child in paragraph:
        if child.tag == _PPR:
            continue
        if child.tag not in _PARA_RUN_CONTAINERS:
            return False
        runs = [child] if child.tag == _R else list(child.iter(_R))
        if any(node.tag not in _TEXT_ONLY for run in runs for node in run):
            return False
    return True


def _run(props: etree._Element | None, text: str, deleted: bool) -> etree._Element:
    run = OxmlElement("w:r")
    if props is not None:
        run.append(copy.deepcopy(props))
    run.text = text
    if deleted:
        for node in run.iter(qn("w:t")):
            node.tag = qn("w:delText")
    return run


def _slice(pieces: list[tuple[etree._Element | None, str]], start: int, end: int
           ) -> list[tuple[etree._Element | None, str]]:
    out, offset = [], 0
    for props, text in pieces:
        low, high = max(start, offset), min(end, offset + len(text))
        if low < high:
            out.append((props, text[low - offset:high - offset]))
        offset += len(text)
    return out


def _mark_paragraph(paragraph: etree._Element, mark: etree._Element) -> None:
    """Put an insertion/deletion mark on the paragraph mark (``w:pPr/w:rPr``)."""
    ppr = paragraph.find(_PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    rpr = ppr.find(_RPR)
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        anchor = next((c for c in ppr if c.tag in {qn(t) for t in _AFTER_PPR_RPR}), None)
        if anchor is None:
            ppr.append(rpr)
        else:
            anchor.addprevious(rpr)
    rpr.insert(0, mark)


def _clear(paragraph: etree._Element) -> None:
    for child in list(paragraph):
        if child.tag != _PPR:
            paragraph.remove(child)


class _Writer:
    """Applies an alignment to the newer document's elements."""

    def __init__(self, marker: _Marker) -> None:
        self.marker = marker

    def inserted_paragraph(self, paragraph: etree._Element) -> None:
        for run in list(paragraph.iter(_R)):
            if run.getparent().tag in (qn("w:ins"), qn("w:del")):
                continue
            wrapper = self.marker.mark("ins")
            run.addprevious(wrapper)
            wrapper.append(run)
        _mark_paragraph(paragraph, self.marker.mark("ins"))

    def deleted_paragraph(self, old: etree._Element) -> etree._Element:
        paragraph = OxmlElement("w:p")
        ppr = old.find(_PPR)
        if ppr is not None:
            ppr = copy.deepcopy(ppr)
            for child in ppr.findall(qn("w:sectPr")) + ppr.findall(_RPR):
                ppr.remove(child)
            paragraph.append(ppr)
        pieces = _pieces(old)
        if any(text for _, text in pieces):
            wrapper = self.marker.mark("del")
            wrapper.extend(_run(props, text, True) for props, text in pieces if text)
            paragraph.append(wrapper)
        _mark_paragraph(paragraph, self.marker.mark("del"))
        return paragraph

    def modified_paragraph(self, old: etree._Element, new: etree._Element) -> bool:
        """Rebuild ``new`` as old → new with inline marks; False when it cannot be."""
        if not (_simple(old) and _simple(new)):
            return False
        old_pieces, new_pieces = _pieces(old), _pieces(new)
        diff = segments(element_text(old), element_text(new))
        _clear(new)
        old_at = new_at = 0
        for seg in diff:
            if seg.op == "delete":
                wrapper = self.marker.mark("del")
                wrapper.extend(_run(p, t, True) for p, t in
                               _slice(old_pieces, old_at, old_at + len(seg.text)))
                new.append(wrapper)
                old_at += len(seg.text)
                continue
            runs = [_run(p, t, False) for p, t in
                    _slice(new_pieces, new_at, new_at + len(seg.text))]
            if seg.op == "insert":
                wrapper = self.marker.mark("ins")
                wrapper.extend(runs)
                new.append(wrapper)
            else:
                new.extend(runs)
                old_at += len(seg.text)
            new_at += len(seg.text)
        return True

    def row(self, row: etree._Element, kind: str) -> None:
        props = row.find(_TRPR)
        if props is None:
            props = OxmlElement("w:trPr")
            anchor = row.find(qn("w:tblPrEx"))
            if anchor is None:
                row.insert(0, props)
            else:
                anchor.addnext(props)
        change = props.find(qn("w:trPrChange"))
        if change is None:
            props.append(self.marker.mark(kind))
        else:
            change.addprevious(self.marker.mark(kind))

    def deleted_row(self, old: etree._Element) -> etree._Element:
        row = copy.deepcopy(old)
        for paragraph in list(row.iter(_P)):
            paragraph.addprevious(self.deleted_paragraph(paragraph))
            paragraph.getparent().remove(paragraph)
        self.row(row, "del")
        return row

    def inserted_row(self, row: etree._Element) -> None:
        for paragraph in row.iter(_P):
            self.inserted_paragraph(paragraph)
        self.row(row, "ins")

    def apply(self, ops: list[Op], container: etree._Element) -> None:
        """Apply ``ops`` (paragraphs/tables of one container, or rows of one table)."""
        cursor: etree._Element | None = None
        for op in ops:
            if op.op == "delete":
                copy_ = self._deleted(op.old)
                if cursor is None:
                    self._insert_first(container, copy_)
                else:
                    cursor.addnext(copy_)
                cursor = copy_
                continue
            cursor = op.new
            if op.op == "insert":
                self._inserted(op.new)
            elif op.op == "modify":
                self._modified(op)

    def _insert_first(self, container: etree._Element, element: etree._Element) -> None:
        props = {qn("w:tcPr"), qn("w:tblPr"), qn("w:tblGrid")}
        skip = [child for child in container if child.tag in props]
        if skip:
            skip[-1].addnext(element)
        else:
            container.insert(0, element)

    def _deleted(self, old: etree._Element) -> etree._Element:
        if old.tag == _P:
            return self.deleted_paragraph(old)
        if old.tag == _TR:
            return self.deleted_row(old)
        table = copy.deepcopy(old)
        for row in table.findall(_TR):
            row.addprevious(self.deleted_row(row))
            table.remove(row)
        return table

    def _inserted(self, new: etree._Element) -> None:
        if new.tag == _P:
            self.inserted_paragraph(new)
        elif new.tag == _TR:
            self.inserted_row(new)
        else:
            for row in new.findall(_TR):
                self.inserted_row(row)

    def _modified(self, op: Op) -> None:
        assert op.old is not None and op.new is not None
        if op.new.tag == _P:
            if not self.modified_paragraph(op.old, op.new):
                op.new.addprevious(self.deleted_paragraph(op.old))
                self.inserted_paragraph(op.new)
        elif op.new.tag == _TBL:
            self.apply(op.children, op.new)
        elif op.new.tag == _TR and op.children:
            for cell in op.children:
                if cell.op == "modify":
                    self.apply(cell.children, cell.new)
        elif op.new.tag == _TR:
            op.new.addprevious(self.deleted_row(op.old))
            self.inserted_row(op.new)


def _first_free_id(root: etree._Element) -> int:
    """One more than the largest ``w:id`` already used (bookmarks, comments, revisions)."""
    ids = [int(value) for value in root.xpath("//@w:id") if str(value).isdigit()]
    return max(ids, default=0) + 1


def tracked_docx(old: bytes, new: bytes, *, author: str, date: datetime) -> bytes:
    """``new`` with every change from ``old`` as a tracked revision by ``author`` at ``date``.

    Accepting all revisions in Word/WPS/LibreOffice gives ``new``'s text; rejecting
    them all gives ``old``'s. The output is reproducible for the same inputs.
    """
    document = docx_io.open_docx(new)
    body = document.element.body
    new_items = [child for child in body if child.tag in (_P, _TBL)]
    ops = align(body_items(old), new_items, refine)
    _Writer(_Marker(author, date, _first_free_id(document.element))).apply(ops, body)
    return docx_io.save_docx(document)
