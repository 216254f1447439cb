"""The values a contract is rendered from: parties from the registers, terms from the user.

Each manifest field is one of three kinds:

* filled by the system from the registers and never submitted
  (``AUTO_FIELDS``: number, party names, the lawyers and their licence numbers);
* prefilled from the registers and overridable (``REGISTER_FIELDS``: the
  agency's legal representative, address, contact and phone; the firm's);
* submitted by the user (every other field of the manifest, including fields a
  newer template version adds).

The library validates every value against the manifest; on top of that the
webapp refuses HTML in text (``<`` or ``>``), which the library allows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from contract_templates import FieldSpec, Manifest, validate_values

from ..messages import error_text
from ..models import Advisor, Agency, LawFirm

AUTO_FIELDS = ("contract_no", "agency_name", "firm_name", "advisor_name", "lawyers",
               "advisor_kind", "advisor_licence_no", "provider_kind", "provider_name",
               "handler_names")
HTML = re.compile(r"[<>]")


@dataclass
class Parties:
    """Who the contract is between: the agency, the chief advisor, the firm and its lawyers."""

    agency: Agency
    chief: Advisor
    firm: LawFirm | None
    lawyers: list[Advisor] = field(default_factory=list)

    def register_values(self) -> dict[str, Any]:
        """Values the registers provide (``None`` when a register leaves one blank)."""
        firm, chief = self.firm, self.chief
        return {
            "agency_name": self.agency.name,
            **agency_register(self.agency),
            "firm_name": firm.name if firm else chief.name,
            "firm_leader": (firm.leader if firm else chief.name),
            "firm_address": firm.address if firm else None,
            "firm_phone": (firm.phone if firm else chief.phone),
            "advisor_name": chief.name,
            "lawyers": [{"name": a.name, "licence_no": a.licence_no} for a in self.lawyers],
            **self._person_values(),
        }

    def _person_values(self) -> dict[str, Any]:
        """Values of the individual (个人顾问) and special (专项) kinds."""
        firm, chief = self.firm, self.chief
        team = self.lawyers or [chief]
        return {
            "advisor_kind": chief.kind, "advisor_licence_no": chief.licence_no,
            "advisor_employer": chief.firm.name if chief.firm else chief.title,
            "advisor_phone": chief.phone,
            "provider_kind": "firm" if firm else "individual",
            "provider_name": firm.name if firm else chief.name,
            "provider_leader": firm.leader if firm else None,
            "provider_address": firm.address if firm else None,
            "provider_phone": firm.phone if firm else chief.phone,
            "handler_names": "、".join(a.name for a in team),
        }


    def register_owner(self, name: str) -> str:
        """Whose register a register field comes from: the agency, the firm or the advisor."""
        if name.startswith("agency_"):
            return self.agency.name
        return self.firm.name if self.firm else self.chief.name


REGISTER_FIELDS = ("agency_legal_rep", "agency_address", "agency_contact", "agency_phone",
                   "firm_leader", "firm_address", "firm_phone", "advisor_employer",
                   "advisor_phone", "provider_leader", "provider_address", "provider_phone")


def agency_register(agency: Agency) -> dict[str, str | None]:
    """The agency's register values for the contract's 甲方 fields (``None`` when blank)."""
    return {"agency_legal_rep": agency.legal_rep, "agency_address": agency.address,
            "agency_contact": agency.contact, "agency_phone": agency.phone}


def register_gaps(manifest: Manifest, parties: Parties, values: Mapping[str, Any]
                  ) -> dict[str, str]:
    """Required register fields that neither the register nor the user filled in.

    The message names the field and whose register lacks it, so the person knows
    the form is the place to add it.
    """
    gaps = {}
    for name in REGISTER_FIELDS:
        spec = manifest.field(name)
        if spec is not None and spec.required and _blank(values.get(name)):
            gaps[name] = error_text("register_field_missing", label=spec.label,
                                    party=parties.register_owner(name))
    return gaps


def user_fields(manifest: Manifest) -> list[FieldSpec]:
    """The manifest fields a person fills in (register fields included), in order."""
    return [spec for spec in manifest.fields if spec.name not in AUTO_FIELDS]


def plain_text_error(value: str, *, multiline: bool = False, max_length: int | None = None,
                     label: str = "") -> str | None:
    """Why ``value`` is not acceptable plain text (control characters, HTML), or ``None``."""
    for char in value:
        if char in "\n\r\t" and multiline:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return error_text("field_control_chars", label=label) if label else \
                error_text("control_chars")
    if HTML.search(value):
        return error_text("field_html", label=label) if label else error_text("html_not_allowed")
    if max_length is not None and len(value) > max_length:
        return error_text("too_long", max=max_length)
    return None


def _html_errors(manifest: Manifest, values: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for spec in manifest.fields:
        value = values.get(spec.name)
        if spec.type == "text" and isinstance(value, str) and HTML.search(value):
            errors[spec.name] = error_text("field_html", label=spec.label)
        if spec.type == "list" and spec.item_fields and isinstance(value, list):
            for index, item in enumerate(value):
                for sub in spec.item_fields:
                    text = item.get(sub.name) if isinstance(item, Mapping) else None
                    if sub.type == "text" and isinstance(text, str) and HTML.search(text):
                        errors[f"{spec.name}[{index}].{sub.name}"] = error_text(
                            "field_html", label=spec.label + sub.label)
    return errors


def submitted_errors(manifest: Manifest, submitted: Mapping[str, Any]) -> dict[str, str]:
    """Fields a client may not send: the system's own, and names the manifest lacks."""
    errors = {}
    for name in submitted:
        if name in AUTO_FIELDS and manifest.field(name) is not None:
            errors[name] = error_text("field_auto")
        elif manifest.field(name) is None:
            errors[name] = error_text("unknown_field")
    return errors


def merge(manifest: Manifest, parties: Parties, submitted: Mapping[str, Any],
          contract_no: str) -> dict[str, Any]:
    """Raw values for the renderer: register values, overridden by what was submitted."""
    register = parties.register_values()
    values: dict[str, Any] = {"contract_no": contract_no}
    for spec in manifest.fields:
        if spec.name in register and register[spec.name] not in (None, ""):
            values[spec.name] = register[spec.name]
    for name, value in submitted.items():
        if name not in AUTO_FIELDS and not _blank(value):
            values[name] = value
    return {k: v for k, v in values.items() if manifest.field(k) is not None}


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def validate(manifest: Manifest, values: Mapping[str, Any]
             ) -> tuple[dict[str, Any], dict[str, str]]:
    """Library validation plus the HTML rule: ``(clean, errors)``."""
    clean, errors = validate_values(manifest, values)
    for path, message in _html_errors(manifest, values).items():
        errors.setdefault(path, message)
    return clean, errors
