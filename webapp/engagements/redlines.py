"""Redlines (修订对照) the webapp offers, built on ``contract_templates.redline``.

* a generated contract against the sample: its template version rendered with the same
  values and clauses (``against="own"``, what was changed in the file after it was
  generated) or the kind's active version (``against="active"``, e.g. v1 → v2), or the
  contract as the supplementary agreements in force today changed it (``against="terms"``:
  fee, end of term, lawyers);
* two versions of an uploaded .docx document;
* two template versions (admin).

Files people uploaded are compared in a spawned child process with a wall-clock limit
(:func:`compare_isolated`), as every parse of untrusted bytes; generated contracts and
stored templates, which the system wrote itself, are compared in process.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from datetime import date, datetime

from contract_templates import (
    ContractTemplateError,
    Redline,
    compare,
    compare_with_template,
    to_html,
    tracked_docx,
)

from ..errors import DomainError
from ..extensions import db
from ..models import ContractTemplate, Engagement
from . import clause_library, contract_store
from .terms import terms_on

TIMEOUT_S = 30


@dataclass(frozen=True)
class RedlineView:
    """What a redline page shows: the two sides' names, the HTML and the counts."""

    old_name: str
    new_name: str
    html: str
    inserted: int
    deleted: int
    changed: bool


def view(redline: Redline, old_name: str, new_name: str) -> RedlineView:
    """The page model of ``redline`` (only the changed paragraphs and cells)."""
    return RedlineView(old_name, new_name, to_html(redline, only_changes=True),
                       redline.inserted_chars, redline.deleted_chars, redline.has_changes)


def amended_values(eng: Engagement, on: date) -> dict:
    """The contract's values with the fee, end of term and lawyers in force on ``on``."""
    terms = terms_on(eng, on)
    values = dict(eng.params)
    changed = {"annual_fee": f"{terms.annual_fee:.2f}", "end_date": terms.end_date.isoformat(),
               "lawyers": [{"name": m["name"], "licence_no": m.get("licence_no")}
                           for m in terms.lawyers]}
    values.update({k: v for k, v in changed.items() if k in values})
    return values


def sample_docx(eng: Engagement, against: str = "own") -> tuple[bytes, ContractTemplate]:
    """The sample rendered with the engagement's values: its own template version, the
    active version of its kind (``against="active"``), or its own version with the terms
    in force today (``against="terms"``)."""
    row = contract_store.active_template(eng.kind) if against == "active" else eng.template
    template = contract_store.load(row)
    values = amended_values(eng, date.today()) if against == "terms" else dict(eng.params)
    from contract_templates import render

    try:
        data = render(template.docx, template.manifest, values,
                      created=eng.created_at, clauses=clause_library.resolve(eng.clauses))
    except ContractTemplateError as exc:
        raise DomainError(exc.code, exc.message, status=422) from exc
    return data, row


def contract_vs_sample(eng: Engagement, generated: bytes, against: str = "own"
                       ) -> tuple[Redline, ContractTemplate]:
    """What the contract file changed from the sample rendered with the same values."""
    if against == "own":
        template = contract_store.load(eng.template)
        redline = compare_with_template(generated, template.docx, template.manifest,
                                        dict(eng.params),
                                        clauses=clause_library.resolve(eng.clauses))
        return redline, eng.template
    sample, row = sample_docx(eng, against)
    if against == "terms":
        return compare_isolated(generated, sample), row
    return compare_isolated(sample, generated), row


def templates(old: ContractTemplate, new: ContractTemplate) -> Redline:
    """What changed between two stored template versions (their .docx files)."""
    return compare(contract_store.load(old).docx, contract_store.load(new).docx)


def previous_version(row: ContractTemplate) -> ContractTemplate | None:
    """The version of the same kind just before ``row``."""
    older = [r for r in contract_store.versions(row.kind) if r.version < row.version]
    return older[0] if older else None


def _child(conn, op: str, old: bytes, new: bytes, author: str, when: datetime | None) -> None:
    try:
        if op == "compare":
            conn.send(("ok", compare(old, new)))
        else:
            conn.send(("ok", tracked_docx(old, new, author=author, date=when)))
    except ContractTemplateError as exc:
        conn.send(("error", exc.code, exc.message))
    except Exception as exc:  # noqa: BLE001  (anything a hostile file provokes)
        conn.send(("error", "redline_failed", str(exc)[:200]))


def _isolated(op: str, old: bytes, new: bytes, author: str = "", when=None):
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, op, old, new, author, when), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(TIMEOUT_S):
            raise DomainError("redline_timeout", status=422)
        reply = parent.recv()
    except EOFError as exc:
        raise DomainError("redline_failed", status=422) from exc
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        if not proc.is_alive():
            proc.close()
    if reply[0] == "error":
        raise DomainError(reply[1], reply[2], status=422)
    return reply[1]


def compare_isolated(old: bytes, new: bytes) -> Redline:
    """:func:`contract_templates.compare` in a time-limited child process."""
    return _isolated("compare", old, new)


def tracked_isolated(old: bytes, new: bytes, author: str, when: datetime) -> bytes:
    """:func:`contract_templates.tracked_docx` in a time-limited child process."""
    return _isolated("tracked", old, new, author, when)


def template_row(template_id: int) -> ContractTemplate | None:
    """A stored template version by id."""
    return db.session.get(ContractTemplate, template_id)
