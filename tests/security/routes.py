"""The route table as test data: every URL rule with sample values for its parameters.

``route_table()`` builds an app (no database needed) and returns its rules, so
anything generated from it picks up new routes by itself. ``path_variants(rule)``
gives every combination of sample values: each ``any(...)`` converter expands to
all its values, and other parameters take symbols from ``SAMPLES`` that
``resolve`` turns into ids of the seeded world (``world.py``) at run time, so
test ids can be built at collection time, before anything is seeded.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from werkzeug.routing import AnyConverter, Rule

from tests.security.world import World

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Target:
    """The object a path points at, as far as the policy cares."""

    label: str
    agency: str | None = None  # "A" / "B": the owning agency
    classified: bool = False
    advisor_linked: bool = False  # the advisor user submitted it / is its advisor
    owner: str | None = None  # role name owning it (API tokens)


NOTHING = Target("-")
DOC_A = Target("doc_a", agency="A", advisor_linked=True)
DOC_B = Target("doc_b_classified", agency="B", classified=True, advisor_linked=True)
ENG_A = Target("eng_a", agency="A", advisor_linked=True)
SUPP_A = Target("supp_a", agency="A", advisor_linked=True)
RECORD_A = Target("record_a", agency="A")
ADMIN_TOKEN = Target("admin_token", owner="admin")
MATTER_A = Target("matter_a", agency="A", advisor_linked=True)
MATTER_B = Target("matter_b_classified", agency="B", classified=True, advisor_linked=True)

# Where an ``obj_id`` points, by the register named in the same URL. All sacrificial:
# the matrix deactivates them as the admin.
REGISTER_OBJECTS = {"agencies": "agency_c", "firms": "spare_firm", "advisors": "spare_advisor",
                    "users": "victim"}

RESOLVE: dict[str, Callable[[World], object]] = {
    "doc_a": lambda w: w.doc_a,
    "doc_b": lambda w: w.doc_b,
    "eng_a": lambda w: w.eng_a,
    "supp_a": lambda w: w.supp_a,
    "record_a": lambda w: w.record_a,
    "period": lambda w: "2019Q1",  # not the record's quarter: opening/publishing it is harmless
    "template": lambda w: w.template_id,
    "spare_token": lambda w: w.spare_token_id,
    "pool_entry": lambda w: w.pool_entry,
    "victim": lambda w: w.users["victim"],
    "agency_c": lambda w: w.agencies["C"],
    "spare_firm": lambda w: w.spare_firm,
    "spare_advisor": lambda w: w.spare_advisor,
    "static_file": lambda w: "app/app.js",
    "first_page": lambda w: 1,
    "custom_field": lambda w: w.custom_field,
    "matter_a": lambda w: w.matter_a,
    "matter_b": lambda w: w.matter_b,
    "notification": lambda w: w.notification,
    "feed_token": lambda w: w.feed_token,
    "calendar_day": lambda w: "2031-01-02",
}


def _api_register(values: dict[str, str]) -> str:
    return values["_rule"].split("/")[3]  # /api/v1/<register>/<obj_id>/...


# parameter name -> [(symbol, target)]; may depend on the ``any`` values of the same URL.
# A new route with a parameter not named here fails ``test_every_route_has_sample_values``.
SAMPLES: dict[str, Callable[[dict[str, str]], list[tuple[str, Target]]]] = {
    "doc_id": lambda v: [("doc_a", DOC_A), ("doc_b", DOC_B)],
    "engagement_id": lambda v: [("eng_a", ENG_A)],
    "supplement_id": lambda v: [("supp_a", SUPP_A)],
    "record_id": lambda v: [("record_a", RECORD_A)],
    "period": lambda v: [("period", NOTHING)],
    "template_id": lambda v: [("template", NOTHING)],
    "token_id": lambda v: [("spare_token", ADMIN_TOKEN)],
    "entry_id": lambda v: [("pool_entry", NOTHING)],
    "user_id": lambda v: [("victim", NOTHING)],
    "agency_id": lambda v: [("agency_c", NOTHING)],
    "firm_id": lambda v: [("spare_firm", NOTHING)],
    "advisor_id": lambda v: [("spare_advisor", NOTHING)],
    "obj_id": lambda v: [(REGISTER_OBJECTS[v.get("register") or _api_register(v)], NOTHING)],
    "filename": lambda v: [("static_file", NOTHING)],
    "page": lambda v: [("first_page", NOTHING)],
    "field_id": lambda v: [("custom_field", NOTHING)],
    "matter_id": lambda v: [("matter_a", MATTER_A), ("matter_b", MATTER_B)],
    "notification_id": lambda v: [("notification", NOTHING)],
    "token": lambda v: [("feed_token", NOTHING)],
    "day": lambda v: [("calendar_day", NOTHING)],
}

PathArgs = tuple[tuple[str, str], ...]  # (parameter, symbol or literal value)


def any_values(rule: Rule) -> dict[str, list[str]]:
    """The ``any(...)`` parameters of a rule and their values."""
    return {name: sorted(conv.items) for name, conv in rule._converters.items()
            if isinstance(conv, AnyConverter)}


def missing_samples(rule: Rule) -> list[str]:
    """Parameters of ``rule`` that ``SAMPLES`` has no value for."""
    anys = any_values(rule)
    return [n for n in rule._converters if n not in anys and n not in SAMPLES]


def path_variants(rule: Rule) -> list[tuple[PathArgs, Target]]:
    """Every combination of sample values of the rule's parameters (empty if one is unknown)."""
    if missing_samples(rule):
        return []
    anys = any_values(rule)
    names = [n for n in rule._converters if n not in anys]
    variants = []
    for combo in itertools.product(*[[(n, v) for v in anys[n]] for n in anys]):
        literal = {**dict(combo), "_rule": rule.rule}
        options = [[(name, symbol, target) for symbol, target in SAMPLES[name](literal)]
                   for name in names]
        for chosen in itertools.product(*options):
            targets = [t for _, _, t in chosen if t is not NOTHING]
            args = tuple(sorted([*combo, *[(n, s) for n, s, _ in chosen]]))
            variants.append((args, targets[0] if targets else NOTHING))
    return variants


def build_path(rule: str, args: PathArgs, world: World) -> str:
    """The URL of ``rule`` with ``args`` resolved against ``world``."""
    values = {}
    for name, symbol in args:
        value = RESOLVE[symbol](world) if symbol in RESOLVE else symbol
        values[name] = quote(str(value), safe="/")
    return re.sub(r"<(?:[^>:]+:)?(\w+)>", lambda m: values[m.group(1)], rule)


@cache
def route_table() -> tuple[Rule, ...]:
    """Every URL rule of the app, sorted by rule and endpoint."""
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"GOVCOUNSEL_DATA_DIR": tmp, "TESTING": True,
                          "GOVCOUNSEL_WORKER": False})
        rules = list(app.url_map.iter_rules())
    return tuple(sorted(rules, key=lambda r: (r.rule, r.endpoint)))


def methods(rule: Rule) -> list[str]:
    """The rule's methods other than HEAD and OPTIONS, sorted."""
    return sorted(rule.methods - {"HEAD", "OPTIONS"})
