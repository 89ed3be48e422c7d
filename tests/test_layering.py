"""DESIGN §3: imports only go downward (core → suppliers → questionnaires → contracts → top)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"portal.core": 1, "suppliers": 2, "questionnaires": 3, "contracts": 4, "portal.top": 5}


def _layer(module: str) -> int | None:
    for prefix, level in sorted(LAYERS.items(), key=lambda kv: -len(kv[0])):
        if module == prefix or module.startswith(prefix + "."):
            return level
    return None


def test_no_upward_imports():
    problems = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".venv", "tests", "benchmarks") or "migrations" in rel.parts:
            continue
        module = ".".join(rel.with_suffix("").parts)
        own = _layer(module)
        if own is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                level = _layer(target)
                if level is not None and level > own:
                    problems.append(f"{rel}: imports {target}")
    assert problems == []
