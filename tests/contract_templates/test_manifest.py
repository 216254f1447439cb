"""The field manifest: the standard template's fields, and manifests that are refused."""

import copy
import json

import pytest

from contract_templates import ManifestError, parse_manifest

WEBAPP_FIELDS = {
    "contract_no": "text", "agency_name": "text", "agency_legal_rep": "text",
    "agency_address": "text", "agency_contact": "text", "agency_phone": "text",
    "firm_name": "text", "firm_leader": "text", "firm_address": "text", "firm_phone": "text",
    "advisor_name": "text", "lawyers": "list", "services": "list", "start_date": "date",
    "end_date": "date", "annual_fee": "money", "special_fee_terms": "text",
    "response_hours": "integer", "dispute_resolution": "choice", "copies": "integer",
    "signed_place": "text",
}


def test_standard_manifest_declares_the_fields_the_webapp_uses(standard):
    manifest = standard.manifest
    assert {f.name: f.type for f in manifest.fields} == WEBAPP_FIELDS
    assert manifest.template == "standard" and manifest.version == "v1"
    assert manifest.title == "党政机关法律顾问聘任合同（通用样本）"
    assert all(f.label for f in manifest.fields)


def test_standard_manifest_list_and_choice_shapes(standard):
    manifest = standard.manifest
    lawyers = manifest.field("lawyers")
    assert [f.name for f in lawyers.item_fields] == ["name", "licence_no"]
    services = manifest.field("services")
    assert [c.value for c in services.items.choices] == [
        "major_decision", "normative_document", "contract_review", "litigation", "petition",
        "training"]
    assert [c.value for c in manifest.field("dispute_resolution").choices] == [
        "court", "arbitration"]
    assert not manifest.field("signed_place").required
    assert manifest.field("signed_place").default == "甲方所在地"
    assert [(r.kind, r.field, r.other) for r in manifest.rules] == [
        ("after", "end_date", "start_date")]


def test_manifest_json_round_trips(standard):
    again = parse_manifest(standard.manifest.to_json())
    assert again == standard.manifest


def _broken(mini: dict, change) -> dict:
    data = copy.deepcopy(mini)
    change(data)
    return data


@pytest.mark.parametrize("change", [
    lambda m: m["fields"].append(copy.deepcopy(m["fields"][0])),
    lambda m: m["fields"].append({"name": "x", "label": "X", "type": "choice"}),
    lambda m: m["fields"].append({"name": "x", "label": "X", "type": "list"}),
    lambda m: m["fields"].append({"name": "x", "label": "X", "type": "text", "pattern": "("}),
    lambda m: m["fields"].append({"name": "x", "label": "X", "type": "blob"}),
    lambda m: m["fields"].append({"name": "Bad-Name", "label": "X", "type": "text"}),
    lambda m: m["fields"].append({"name": "x", "label": "X", "type": "date", "minimum": "soon"}),
    lambda m: m["fields"].append({"name": "x", "label": "X", "type": "text", "default": "d"}),
    lambda m: m["fields"][4]["item_fields"].append({"name": "index", "label": "序号",
                                                    "type": "text"}),
    lambda m: m["rules"].append({"kind": "after", "field": "agency_name",
                                 "other": "start_date"}),
    lambda m: m.update(version="1.0"),
    lambda m: m.update(surprise=True),
], ids=["duplicate", "choice-without-choices", "list-without-items", "bad-regex",
        "unknown-type", "bad-name", "bad-bound", "default-on-required", "reserved-item-key",
        "rule-on-text", "bad-version", "unknown-key"])
def test_bad_manifests_are_refused_with_manifest_error(change, mini_manifest):
    data = mini_manifest.model_dump(mode="json", exclude_defaults=True)
    with pytest.raises(ManifestError) as caught:
        parse_manifest(_broken(data, change))
    assert caught.value.code == "manifest_invalid"


def test_manifest_that_is_not_json_is_refused():
    with pytest.raises(ManifestError):
        parse_manifest("{not json")
    with pytest.raises(ManifestError):
        parse_manifest(json.dumps([1, 2]))
