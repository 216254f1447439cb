"""Flask-WTF forms of the registers: CSRF, labels and choices.

The forms only carry input; every rule lives in the services, which raise
``ValidationFailed`` with Chinese messages that the views put back on the
fields. (Select fields do not check their choices here, so the messages of an
unknown firm or agency come from the same place as those of an import.)
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, Field, PasswordField, SelectField, StringField, TextAreaField

from ..extensions import db
from ..messages import LABELS, ORG_FIELDS, notice
from ..models import Advisor, Agency, LawFirm

A, F, D, P, U = (ORG_FIELDS[k] for k in ("agencies", "firms", "advisors", "pool", "users"))
DATE = {"type": "date"}


class Mandatory:
    """Marks a field as required when rendered; the services enforce it."""

    field_flags = {"required": True}

    def __call__(self, form: FlaskForm, field: Field) -> None:
        return None


REQUIRED = [Mandatory()]


def _select(text: str, group: str | None = None, required: bool = True) -> SelectField:
    choices = dict(LABELS[group]) if group else {}
    return SelectField(text, choices=choices, validate_choice=False,
                       validators=REQUIRED if required else [])


class AgencyForm(FlaskForm):
    """An agency (单位)."""

    code = StringField(A["code"], REQUIRED)
    name = StringField(A["name"], REQUIRED)
    category = _select(A["category"], "agency_category")
    is_classified_unit = BooleanField(A["is_classified_unit"])
    legal_rep = StringField(A["legal_rep"])
    address = StringField(A["address"])
    contact = StringField(A["contact"])
    phone = StringField(A["phone"])


class FirmForm(FlaskForm):
    """A law firm (律师事务所)."""

    name = StringField(F["name"], REQUIRED)
    licence_no = StringField(F["licence_no"], REQUIRED)
    leader = StringField(F["leader"])
    address = StringField(F["address"])
    phone = StringField(F["phone"])


class AdvisorForm(FlaskForm):
    """An advisor (法律顾问); lawyers need a firm and a 17-digit certificate number."""

    name = StringField(D["name"], REQUIRED)
    kind = _select(D["kind"], "advisor_kind")
    firm_id = _select(D["firm_id"], required=False)
    licence_no = StringField(D["licence_no"])
    title = StringField(D["title"])
    specialties = StringField(D["specialties"])
    phone = StringField(D["phone"])
    email = StringField(D["email"])


class PoolAdmitForm(FlaskForm):
    """Admit a member into the talent pool (入库)."""

    category = SelectField(P["category"], choices=dict(LABELS["pool_category"]),
                           validate_choice=False, validators=REQUIRED,
                           render_kw={"data-pool-category": "1"})
    advisor_id = _select(P["advisor_id"], required=False)
    firm_id = _select(P["firm_id"], required=False)
    specialties = StringField(P["specialties"])
    admitted_on = StringField(P["admitted_on"], REQUIRED, render_kw=DATE)
    notes = TextAreaField(P["notes"])


class PoolEditForm(FlaskForm):
    """Edit a pool entry's specialties, admission date and notes."""

    specialties = StringField(P["specialties"])
    admitted_on = StringField(P["admitted_on"], REQUIRED, render_kw=DATE)
    notes = TextAreaField(P["notes"])


class PoolStatusForm(FlaskForm):
    """Renew, suspend or remove: the date and the reason."""

    on_date = StringField(P["on_date"], REQUIRED, render_kw=DATE)
    reason = TextAreaField(P["reason"])


class PoolReviewForm(FlaskForm):
    """The yearly review (年度考核)."""

    year = StringField(P["year"], REQUIRED, render_kw={"type": "number"})
    result = _select(P["result"], "review_result")


class UserCreateForm(FlaskForm):
    """A new account: role, binding and initial password."""

    username = StringField(U["username"], REQUIRED)
    display_name = StringField(U["display_name"])
    role = _select(U["role"], "role")
    agency = _select(U["agency"], required=False)
    advisor = _select(U["advisor"], required=False)
    password = PasswordField(U["password"], REQUIRED)
    password_confirm = PasswordField(U["password_confirm"], REQUIRED)


class UserEditForm(FlaskForm):
    """Display name, role and binding of an account."""

    display_name = StringField(U["display_name"])
    role = _select(U["role"], "role")
    agency = _select(U["agency"], required=False)
    advisor = _select(U["advisor"], required=False)


class PasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(U["password"], REQUIRED)
    password_confirm = PasswordField(U["password_confirm"], REQUIRED)


class ImportForm(FlaskForm):
    """The .xlsx or .csv file to import."""

    file = FileField(ORG_FIELDS["import"]["file"], REQUIRED, render_kw={"accept": ".xlsx,.csv"})


def _options(rows: Any) -> dict[str, str]:
    """Choices ``{value: label}`` led by an empty "none" option."""
    return {"": notice("none_option"), **{str(key): text for key, text in rows}}


def _all(model: type, key: Any, order: Any) -> list[tuple[Any, str]]:
    """Every record as (key, name), inactive ones marked (the services decide)."""
    rows = db.session.execute(select(key, model.name, model.active).order_by(order)).all()
    return [(k, name if active else name + notice("inactive_suffix")) for k, name, active in rows]


def fill_choices(form: FlaskForm) -> None:
    """Load the firm, advisor and agency choices a form offers."""
    if isinstance(form, AdvisorForm):
        form.firm_id.choices = _options(_all(LawFirm, LawFirm.id, LawFirm.name))
    if isinstance(form, PoolAdmitForm):
        form.firm_id.choices = _options(db.session.execute(
            select(LawFirm.id, LawFirm.name).where(LawFirm.active.is_(True))
            .order_by(LawFirm.name)).all())
        form.advisor_id.choices = _options(
            (a.id, f"{a.name}（{LABELS['advisor_kind'][a.kind]}）") for a in
            db.session.execute(select(Advisor).where(Advisor.active.is_(True),
                                                     Advisor.kind.in_(("scholar", "lawyer")))
                               .order_by(Advisor.name)).scalars())
    if isinstance(form, UserCreateForm | UserEditForm):
        form.agency.choices = _options(_all(Agency, Agency.code, Agency.code))
        form.advisor.choices = _options(_all(Advisor, Advisor.id, Advisor.name))
