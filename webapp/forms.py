"""Page forms: what the inputs are and what they show. Pydantic validates; Flask-WTF only
guards CSRF.

The one way to validate input in this app is a pydantic model through
``webapp.validation.parse`` — for a page's form, a query string and an API body alike —
which answers a ``ValidationFailed`` naming each bad field with its Chinese message.
A page form adds only how to *show* the input:

- :class:`Input` describes one input (name, label, kind, choices, required mark);
- :class:`Form` holds the inputs, the values they show (the submitted ones, else the
  object's or the defaults) and the messages put back on them
  (:meth:`Form.show_errors`, from ``ValidationFailed.fields``; messages of names
  that are not inputs go above the form);
- templates render it with ``form_fields(form)`` from ``macros.html`` and post the
  token from ``csrf_token()``; ``CSRFProtect`` (``webapp.extensions``) refuses every
  POST without it, before any view runs.

To add a form: a pydantic model for its rules (or a service that parses with one), a
tuple of :class:`Input` s, and in the view ``Form(INPUTS, obj=...)``; on POST hand
``form.data`` to the service and, on ``ValidationFailed``, ``form.show_errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import request

Choices = Mapping[str, str] | Callable[[], Iterable[tuple[Any, str]]]


@dataclass(frozen=True)
class Input:
    """One input of a form. ``kind``: text, textarea, select, multiselect, date, number,
    password, checkbox or file; ``choices`` (selects): a mapping, or a function giving
    (value, label) pairs when the form is shown."""

    name: str
    label: str
    kind: str = "text"
    choices: Choices | None = None
    required: bool = False
    attrs: Mapping[str, str] = field(default_factory=dict)

    def options(self) -> list[tuple[str, str]]:
        """The select's (value, label) pairs."""
        pairs = self.choices() if callable(self.choices) else (self.choices or {}).items()
        return [(str(value), text) for value, text in pairs]


class Form:
    """The inputs of a page form with the values they show and their messages."""

    def __init__(self, inputs: Iterable[Input], obj: Any = None,
                 defaults: Mapping[str, Any] | None = None) -> None:
        self.inputs = tuple(inputs)
        self.errors: dict[str, str] = {}
        self.form_errors: list[str] = []
        self.submitted = request.method == "POST"
        self.values: dict[str, Any] = {}
        for item in self.inputs:
            value = getattr(obj, item.name, None) if obj is not None else None
            if value is None and defaults:
                value = defaults.get(item.name)
            self.values[item.name] = _shown(value)
        if self.submitted:
            self.values.update(self._posted())

    def _posted(self) -> dict[str, Any]:
        posted: dict[str, Any] = {}
        for item in self.inputs:
            if item.kind == "checkbox":
                posted[item.name] = item.name in request.form
            elif item.kind == "multiselect":
                posted[item.name] = request.form.getlist(item.name)
            elif item.kind == "file":
                posted[item.name] = request.files.get(item.name)
            else:
                posted[item.name] = request.form.get(item.name, "")
        return posted

    @property
    def data(self) -> dict[str, Any]:
        """The values as the service receives them."""
        return dict(self.values)

    def show_errors(self, fields: Mapping[str, str]) -> None:
        """Put messages on their inputs; the others go above the form."""
        names = {item.name for item in self.inputs}
        for name, message in fields.items():
            if name in names:
                self.errors[name] = message
            else:
                self.form_errors.append(message)

    def shown(self, item: Input) -> str:
        """What an input shows (never a password back)."""
        if item.kind in ("password", "file"):
            return ""
        value = self.values.get(item.name)
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return "" if value is None else str(value)

    def selected(self, item: Input, value: str) -> bool:
        """True when ``value`` is chosen in a (multi)select."""
        chosen = self.values.get(item.name)
        if isinstance(chosen, list | tuple):
            return value in [str(v) for v in chosen]
        return self.shown(item) == value

    def __iter__(self):
        return iter(self.inputs)

    def __getitem__(self, name: str) -> Input:
        return next(item for item in self.inputs if item.name == name)


def _shown(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value
