"""Every import inside a function resolves: a module moved into a package keeps its lazy
``from .x import y`` lines (found when webapp/policy.py became a package and only the
browser journeys — which import the matters and need-to-know rules lazily — failed)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("webapp", "indexer", "document_store", "contract_templates")


def _imports():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            here = parts[:-1]  # the package of a module and of an __init__ alike
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level:
                    base = here[:len(here) - (node.level - 1)]
                    target = ".".join((*base, *([node.module] if node.module else [])))
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", target, node.names


@pytest.mark.parametrize("package", PACKAGES)
def test_every_relative_import_resolves(package):
    broken = []
    for where, target, names in _imports():
        if not where.startswith(package + "/"):
            continue
        try:
            module = importlib.import_module(target)
        except ImportError as exc:
            broken.append(f"{where}: {target} ({exc})")
            continue
        for alias in names:
            if alias.name != "*" and not hasattr(module, alias.name):
                try:
                    importlib.import_module(f"{target}.{alias.name}")
                except ImportError:
                    broken.append(f"{where}: {target}.{alias.name}")
    assert not broken, broken
