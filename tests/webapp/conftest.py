"""Fixtures of the webapp tests beyond tests/conftest.py."""

from __future__ import annotations

import pytest

from tests.webapp.engagements_support import World, seed_world


@pytest.fixture
def world(app, make_user, token_for) -> World:
    """The engagement tests' world (``engagements_support.seed_world``); modules with a
    world of their own define their own ``world`` fixture."""
    return seed_world(make_user, token_for)
