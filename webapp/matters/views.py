"""法律事务 pages: the list (filters, overdue, export), the request form, the detail page
with its steps, and the holiday table of 系统设置 (``views_calendar``).

URL rules and request parsing only; the rules live in ``services`` and ``lifecycle``
(roles and order of steps in ``webapp.policy``). Each request is one unit of work.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import policy, transaction
from ..errors import DomainError, Forbidden
from ..exports import export_response
from ..extensions import db
from ..listing import list_args, paginate
from ..messages import LABELS, label, notice
from ..models import Advisor, Agency, AuditEvent
from ..validation import parse
from . import lifecycle, queries, services
from .schemas import AdoptionInput, AnswerInput, MatterCreate, MatterListQuery, ReasonInput

bp = Blueprint("matters", __name__, url_prefix="/matters")

EXPORT_HEADERS = ("事务编号", "单位", "事务类型", "事项名称", "上会类型", "重点领域", "状态",
                  "提请日期", "办理期限", "是否逾期", "出具意见日期", "意见建议条数", "采纳",
                  "部分采纳", "未采纳")
CREATE_FIELDS = ("agency_id", "kind", "title", "description", "meeting_type", "matter_area",
                 "requested_on", "due_on", "override_reason")


def _export_row(m, today: date) -> list:
    counts = {a: sum(1 for r in m.recommendations if r.adoption == a)
              for a in ("adopted", "partly_adopted", "not_adopted")}
    return [m.matter_no, m.agency.name, label("matter_kind", m.kind), m.title,
            label("meeting_type", m.meeting_type), label("matter_area", m.matter_area),
            label("matter_status", m.status), m.requested_on, m.due_on,
            m.is_overdue(today) or m.answered_late, m.answered_on, len(m.recommendations),
            counts["adopted"], counts["partly_adopted"], counts["not_adopted"]]


@bp.route("/")
@login_required
def index():
    """Matters the user may view, filtered and paged; ``?format=xlsx|csv`` exports them."""
    policy.require(current_user, "matter.list")
    q = list_args(MatterListQuery)
    today = date.today()
    stmt = queries.list_statement(current_user, q, today)
    fmt = request.args.get("format")
    if fmt in ("xlsx", "csv"):
        rows = (_export_row(m, today) for m in db.session.execute(stmt).scalars())
        return export_response(fmt, "法律事务清单", EXPORT_HEADERS, rows)
    agencies = db.session.execute(select(Agency).where(policy.agency_scope(current_user))
                                  .order_by(Agency.code)).scalars().all()
    return render_template("matters/index.html", page=paginate(stmt, q.page, q.per_page), q=q,
                           counts=queries.status_counts(current_user), agencies=agencies,
                           overdue=queries.overdue_count(current_user, today), today=today)


def _create_data() -> MatterCreate:
    raw = {k: request.form.get(k) for k in CREATE_FIELDS}
    raw = {k: v for k, v in raw.items() if v not in (None, "")}
    raw["classified"] = "classified" in request.form
    raw["advisor_ids"] = [v for v in request.form.getlist("advisor_ids") if v.strip()]
    return parse(MatterCreate, raw)


def _uploads(name: str = "files") -> list[tuple]:
    return [(f.stream, f.filename) for f in request.files.getlist(name) if f and f.filename]


def _form_choices() -> dict:
    agencies = db.session.execute(select(Agency).where(
        policy.acting_agency_scope(current_user), Agency.active.is_(True))
        .order_by(Agency.code)).scalars().all()
    advisors = db.session.execute(select(Advisor).where(Advisor.active.is_(True))
                                  .order_by(Advisor.name)).scalars().all()
    return {"agencies": agencies, "advisors": advisors}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """The request form: kind, title, attributes, advisors, due date, materials."""
    policy.require(current_user, "matter.create")
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            matter = services.create(current_user, _create_data(), _uploads())
        except Forbidden:
            raise
        except DomainError as exc:
            transaction.fail()
            errors = exc.fields or {"_": exc.message}
        else:
            flash(notice("matter_created", no=matter.matter_no, due=matter.due_on.isoformat()),
                  "success")
            return redirect(url_for(".detail", matter_id=matter.id), 303)
    values = request.form if request.method == "POST" else {
        "agency_id": str(current_user.agency_id or ""), "requested_on": date.today().isoformat()}
    return render_template("matters/new.html", values=values, errors=errors,
                           chosen=request.form.getlist("advisor_ids"), **_form_choices(),
                           is_admin=current_user.role == "admin",
                           due_days=_due_days()), 422 if errors else 200


def _due_days() -> int:
    from flask import current_app

    return current_app.config["GOVCOUNSEL_MATTER_DUE_WORKING_DAYS"]


@bp.route("/<int:matter_id>")
@login_required
def detail(matter_id: int):
    """The matter, its materials and opinion, recommendations, steps and history."""
    matter = services.get_visible(current_user, matter_id)
    events = db.session.execute(select(AuditEvent).where(
        AuditEvent.object_type == "legal_matter", AuditEvent.object_id == str(matter.id))
        .order_by(AuditEvent.seq)).scalars().all()
    advisors = [a.advisor for a in matter.assignments]
    return render_template("matters/detail.html", matter=matter, events=events,
                           advisors=advisors, actions=policy.matter_actions(current_user, matter),
                           today=date.today(), adoptions=LABELS["adoption"])


def _adoption_data() -> AdoptionInput:
    texts = request.form.getlist("rec_text")
    adoptions = request.form.getlist("rec_adoption")
    reasons = request.form.getlist("rec_reason")
    rows = [{"text": t, "adoption": a or "pending", "reason": r}
            for t, a, r in zip(texts, adoptions, reasons, strict=False)
            if t.strip() or (r or "").strip()]
    return parse(AdoptionInput, {"recommendations": rows})


def _answer(matter) -> None:
    texts = [t for t in request.form.get("recommendations", "").splitlines() if t.strip()]
    data = parse(AnswerInput, {"answered_on": request.form.get("answered_on"),
                               "recommendations": texts})
    upload = request.files.get("file")
    lifecycle.answer(current_user, matter, upload.stream if upload else None,
                     upload.filename if upload else None, data)


def _reason() -> ReasonInput:
    return parse(ReasonInput, {"reason": request.form.get("reason", "")})


STEPS = {
    "accept": lambda m: lifecycle.accept(current_user, m),
    "return": lambda m: lifecycle.return_for_material(current_user, m, _reason()),
    "resubmit": lambda m: lifecycle.resubmit(current_user, m, _uploads()),
    "answer": _answer,
    "adopt": lambda m: lifecycle.adopt(current_user, m, _adoption_data()),
    "close": lambda m: lifecycle.close(current_user, m),
    "withdraw": lambda m: lifecycle.withdraw(current_user, m, _reason()),
}


def _step_view(action: str):
    def view(matter_id: int):
        matter = services.get_visible(current_user, matter_id)
        if not policy.can(current_user, policy.MATTER_TRANSITIONS[action][2], matter):
            lifecycle.guard(current_user, matter, action)  # the role's refusal: a 403 page
        try:
            STEPS[action](matter)
        except Forbidden:
            raise
        except DomainError as exc:
            transaction.fail()
            flash("；".join(exc.fields.values()) if exc.fields else exc.message, "danger")
        else:
            flash(notice(f"matter_{action}", no=matter.matter_no,
                         due=matter.due_on.isoformat()), "success")
        return redirect(url_for(".detail", matter_id=matter_id), 303)

    view.__name__ = f"step_{action}"
    view.__doc__ = f"Step “{label('matter_action', action)}” of the matter's life cycle."
    return login_required(view)


for _action in STEPS:
    bp.add_url_rule(f"/<int:matter_id>/{_action}", endpoint=_action,
                    view_func=_step_view(_action), methods=["POST"])



@bp.route("/<int:matter_id>/documents/<int:doc_id>")
@login_required
def document_file(matter_id: int, doc_id: int):
    """A material or the opinion of a matter, for everyone who may view the matter (the
    assigned advisors read the materials the agency uploaded); audited as a download."""
    from ..documents import services as documents
    from ..documents.downloads import file_response
    from ..documents.storage import open_version
    from ..errors import NotFound

    matter = services.get_visible(current_user, matter_id)
    link = next((m for m in matter.materials if m.document_id == doc_id), None)
    if link is None or link.document.deleted_at is not None:
        raise NotFound()
    version, stream = open_version(link.document)
    documents.record_access(current_user, link.document, "download", version.version_no)
    return file_response(version, stream)


from . import views_calendar  # noqa: E402,F401  (the holiday table of 系统设置)
