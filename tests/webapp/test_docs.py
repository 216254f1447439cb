"""The README documents every setting and every CLI command (datasette's test_docs idea)."""

from __future__ import annotations

from pathlib import Path

from webapp.cli import COMMANDS
from webapp.settings import SETTINGS, settings_table

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in README]
    assert missing == []


def test_the_settings_table_is_exactly_what_settings_renders():
    start, end = "<!-- settings-table:start -->\n", "\n<!-- settings-table:end -->"
    table = README[README.index(start) + len(start):README.index(end)]
    assert table == settings_table()


def test_every_command_is_documented():
    missing = [c.name for c in COMMANDS if f"govcounsel {c.name}" not in README]
    assert missing == []


def test_readme_starts_with_the_two_commands():
    head = README[:1500]
    assert "./scripts/serve" in head and "./scripts/test" in head
