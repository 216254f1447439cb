"""Helpers shared by test modules (import as ``from tests.helpers import ...``)."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from flask.testing import FlaskClient

PASSWORD = "correct-horse-42"
REQUIRE_ALL = bool(os.environ.get("GOVCOUNSEL_REQUIRE_ALL"))


def skip_or_fail(reason: str) -> None:
    """Skip loudly; in CI (GOVCOUNSEL_REQUIRE_ALL set) a missing prerequisite fails instead."""
    if REQUIRE_ALL:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


def has_program(name: str) -> bool:
    """True when an external program is on PATH."""
    return shutil.which(name) is not None


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """Fetch a page and read its CSRF token."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if not match:
        match = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"',
                          html)
    assert match, f"no csrf token on {url}"
    return match.group(1)


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text without scripts (markup and attributes dropped)."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    for script in tree.xpath("//script"):
        script.drop_tree()
    return tree.text_content()
