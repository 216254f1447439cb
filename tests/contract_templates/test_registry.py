"""Template versions: loading the standard one, accepting and storing new ones."""

import hashlib
import json
from pathlib import Path

import pytest

from contract_templates import (
    ManifestError,
    TemplateRejected,
    VersionExistsError,
    accept_upload,
    accept_version,
    latest_version,
    list_versions,
    load_version,
    next_version,
    render,
    standard_template_dir,
    version_number,
)


def test_standard_version_loads_with_its_fingerprint(standard):
    assert standard.version == "v1" and standard.template == "standard"
    assert standard.kind == "standard"
    assert standard.sha256 == hashlib.sha256(standard.docx_bytes).hexdigest()
    assert list_versions(standard_template_dir()) == ["v1", "v2"]
    assert latest_version() == load_version(standard_template_dir() / "v2")


def _v2(standard) -> dict:
    data = json.loads(standard.manifest.to_json())
    data["version"] = "v2"
    return data


def test_accepted_upload_is_stored_and_renders(tmp_path, standard, values, read_docx):
    assert next_version(tmp_path) == "v1"
    stored = accept_version(tmp_path, standard.docx_bytes, _v2(standard))
    assert stored.version == "v2" and stored.sha256 == standard.sha256
    assert list_versions(tmp_path) == ["v2"] and next_version(tmp_path) == "v3"
    assert load_version(tmp_path / "v2") == stored
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v2"]
    rendered = read_docx(render(stored.docx_bytes, stored.manifest, values))
    assert rendered.core_properties.comments == "template=standard; version=v2"


def test_a_stored_version_is_never_replaced(tmp_path, standard):
    accept_version(tmp_path, standard.docx_bytes, _v2(standard))
    with pytest.raises(VersionExistsError) as caught:
        accept_version(tmp_path, standard.docx_bytes, _v2(standard))
    assert caught.value.code == "version_exists"
    assert list_versions(tmp_path) == ["v2"]


def test_upload_with_problems_is_rejected_and_nothing_is_stored(tmp_path, standard, make_docx):
    data = make_docx([["甲方：{{ agency_name }}，{{ bribe_amount }}"]])
    with pytest.raises(TemplateRejected) as caught:
        accept_version(tmp_path, data, _v2(standard))
    codes = {p.code for p in caught.value.problems}
    assert codes == {"placeholder_unknown", "field_unused"}
    assert caught.value.code == "template_rejected"
    assert list(tmp_path.iterdir()) == []


def test_encrypted_upload_is_rejected(tmp_path, standard):
    data = (Path(__file__).parent / "data" / "encrypted.docx").read_bytes()
    with pytest.raises(TemplateRejected) as caught:
        accept_version(tmp_path, data, _v2(standard))
    assert [p.code for p in caught.value.problems] == ["template_encrypted"]


def test_bad_manifest_upload_is_refused(tmp_path, standard):
    with pytest.raises(ManifestError):
        accept_version(tmp_path, standard.docx_bytes, {"template": "standard"})


def test_latest_version_of_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        latest_version(tmp_path)


def test_accept_upload_checks_without_storing(standard, make_docx):
    checked = accept_upload(standard.docx_bytes, standard.manifest.to_dict())
    assert checked == standard
    with pytest.raises(TemplateRejected):
        accept_upload(make_docx([["{{ nothing_known }}"]]), standard.manifest)


def test_version_numbers():
    assert version_number("v1") == 1 and version_number("v12") == 12
    with pytest.raises(ValueError):
        version_number("1.0")
