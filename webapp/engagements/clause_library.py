"""The clause library (条款库): named clause texts with versions, kept by the bureau.

A template offers some clauses as optional (its manifest's ``clauses``); the
person generating a contract ticks which to include, and the engagement records
each chosen clause's name and version, so regenerating uses the same texts. A
new text for a name is a new version; old versions stay. ``init`` seeds the
clauses the shipped templates offer (:func:`ensure_seeded`).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from contract_templates import Clause, Manifest, check_clause

from ..audit import services as audit
from ..errors import ValidationFailed
from ..extensions import db
from ..messages import error_text
from ..models import ContractClause, User
from .params import plain_text_error

NAME = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
SEED = (
    ("integrity", "廉洁从业条款",
     "乙方及其承办人员不得向{{ agency_name }}工作人员赠送礼品礼金、提供宴请或者输送任何其他利益，"
     "不得利用承办本合同事务之便谋取不正当利益；违反本款的，甲方有权解除本合同。"),
    ("work_product", "工作成果归属条款",
     "乙方在本合同履行期间为甲方形成的法律意见书、审查意见、合同文本等工作成果归甲方所有，"
     "乙方未经甲方书面同意不得对外披露或者用于其他用途。"),
)


def _row_clause(row: ContractClause) -> Clause:
    return Clause(name=row.name, version=row.version, title=row.title, text=row.text)


def latest() -> dict[str, Clause]:
    """The newest version of every clause, by name."""
    newest = select(ContractClause.name, func.max(ContractClause.version).label("v")) \
        .group_by(ContractClause.name).subquery()
    rows = db.session.execute(select(ContractClause).join(
        newest, (ContractClause.name == newest.c.name)
        & (ContractClause.version == newest.c.v)).order_by(ContractClause.name)).scalars()
    return {row.name: _row_clause(row) for row in rows}


def history() -> list[ContractClause]:
    """Every stored clause version, by name, newest first."""
    return list(db.session.execute(select(ContractClause).order_by(
        ContractClause.name, ContractClause.version.desc())).scalars())


def chosen(manifest: Manifest, names: list[str]) -> list[dict]:
    """The newest version of each offered clause in ``names`` (others ignored)."""
    library = latest()
    return [{"name": n, "version": library[n].version} for n in dict.fromkeys(names)
            if manifest.clause_slot(n) is not None and n in library]


def resolve(refs: list[dict] | None) -> dict[str, Clause]:
    """The clause texts an engagement recorded (name and version), for rendering."""
    found = {}
    for ref in refs or []:
        row = db.session.execute(select(ContractClause).filter_by(
            name=ref["name"], version=ref["version"])).scalar_one_or_none()
        if row is not None:
            found[row.name] = _row_clause(row)
    return found


def save(user: User | None, name: str, title: str, text: str,
         actor_name: str | None = None) -> ContractClause:
    """Store a new version of clause ``name`` after checking it (flush only)."""
    name, title, text = (name or "").strip(), (title or "").strip(), (text or "").strip()
    errors = {}
    if not NAME.match(name):
        errors["name"] = error_text("clause_name_invalid")
    if not title:
        errors["title"] = error_text("clause_title_required")
    elif problem := plain_text_error(title, max_length=64):
        errors["title"] = problem
    if not text:
        errors["text"] = error_text("clause_text_required")
    elif problem := plain_text_error(text, multiline=True, max_length=5000):
        errors["text"] = problem
    if errors:
        raise ValidationFailed(errors)
    version = (db.session.execute(select(func.max(ContractClause.version)).where(
        ContractClause.name == name)).scalar_one() or 0) + 1
    problems = check_clause(Clause(name=name, version=version, title=title, text=text))
    if problems:
        raise ValidationFailed({"text": "；".join(p.message for p in problems)})
    row = ContractClause(name=name, version=version, title=title, text=text,
                         created_by_id=user.id if user else None)
    db.session.add(row)
    db.session.flush()
    audit.record("contract_clause_saved", object_type="contract_clause", object_id=row.id,
                 actor=user, actor_name=actor_name,
                 detail={"name": name, "version": version, "title": title})
    return row


def ensure_seeded() -> list[str]:
    """Store the clauses the shipped templates offer when the library has none of them."""
    have = set(latest())
    notes = []
    for name, title, text in SEED:
        if name not in have:
            save(None, name, title, text, actor_name="system")
            notes.append(f"已导入条款库条款“{title}”。")
    return notes
