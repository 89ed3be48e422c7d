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


# -- a lower layer does not reach up through the data either --------------------------------
#
# An import is not the only way up: a lower app can read a higher app's rows through a reverse
# relation (`relationship.contracts`, `.checklist`, `.exit_note`) or test its statuses written
# out ("missing", "negotiating"). Both tie the lower app to the higher one's model just as an
# import would. Related names and status values are taken from the higher apps' models.

# Reverse relations are checked in every lower layer; status values where a status is tested
# (`status__in=…`, `x.status == …`) in the apps below contracts, whose words they would be.
REVERSE_CHECKED = ("portal.core", "suppliers", "questionnaires")
STATUS_CHECKED = ("suppliers", "questionnaires")


def _upward_data():
    """Reverse accessor names and status values of every layer's models, with the layer."""
    from django.apps import apps

    # name → {(declaring layer, origin)}, for the reverse relations onto each layer's models
    accessors: dict[int, dict[str, set[tuple[int, str]]]] = {}
    statuses: dict[str, set[tuple[int, str]]] = {}  # value → {(layer, model)}
    for model in apps.get_models():
        level = _layer(model._meta.app_config.name)
        if level is None:
            continue
        for field in model._meta.get_fields():
            if field.auto_created:
                continue
            if field.name == "status" and getattr(field, "choices", None):
                for value, _label in field.flatchoices:
                    statuses.setdefault(str(value), set()).add((level, model._meta.label))
            if not field.is_relation or field.remote_field is None:
                continue
            target = field.related_model
            if target is None or isinstance(target, str):
                continue
            accessor = field.remote_field.get_accessor_name()
            if not accessor or accessor.endswith("+"):  # related_name "+": no accessor
                continue
            origin = f"{model._meta.label}.{field.name}"
            target_level = _layer(target._meta.app_config.name)
            if target_level is not None:
                accessors.setdefault(target_level, {}).setdefault(accessor, set()).add(
                    (level, origin)
                )
    return accessors, statuses


def _onto(accessors, level: int) -> dict[str, set[tuple[int, str]]]:
    """The reverse relations on the models a layer can hold: its own and the lower ones'."""
    merged: dict[str, set[tuple[int, str]]] = {}
    for target_level, names in accessors.items():
        if target_level <= level:
            for name, places in names.items():
                merged.setdefault(name, set()).update(places)
    return merged


def _only_higher(found: dict[str, set[tuple[int, str]]], level: int) -> dict[str, str]:
    """Names that only higher layers declare (a name a lower layer also has is its own)."""
    return {
        name: ", ".join(sorted(o for _lv, o in places))
        for name, places in found.items()
        if all(lv > level for lv, _o in places)
    }


def _lower_sources(apps_: tuple[str, ...]):
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".venv", "tests", "benchmarks") or "migrations" in rel.parts:
            continue
        module = ".".join(rel.with_suffix("").parts)
        if any(module == app or module.startswith(app + ".") for app in apps_):
            yield rel, _layer(module), ast.parse(path.read_text(encoding="utf-8"))


def _status_literals(tree):
    """(line, value) of strings a status is tested against or filtered on."""

    def strings(node):
        return [
            (n.lineno, n.value)
            for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]

    def names_status(node) -> bool:
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        return "status" in name

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg and (kw.arg == "status" or "status__" in kw.arg or "__status" in kw.arg):
                    yield from strings(kw.value)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(names_status(side) for side in sides):
                for side in sides:
                    yield from strings(side)


def _upward_reads():
    accessors, statuses = _upward_data()
    found: dict[Path, list[str]] = {}
    for rel, level, tree in _lower_sources(REVERSE_CHECKED):
        higher = _only_higher(_onto(accessors, level), level)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in higher:
                found.setdefault(rel, []).append(
                    f"{rel}:{node.lineno}: reads .{node.attr} (reverse of {higher[node.attr]})"
                )
    for rel, level, tree in _lower_sources(STATUS_CHECKED):
        foreign = _only_higher(statuses, level)
        for line, value in _status_literals(tree):
            if value in foreign:
                found.setdefault(rel, []).append(
                    f"{rel}:{line}: writes out {value!r} (a status of {foreign[value]})"
                )
    return found


def test_lower_apps_do_not_read_higher_apps_through_reverse_relations_or_statuses():
    """The relationship page and its risk page, which show every layer, live in the top layer
    (portal/top/dossier) and read each app through its selectors; no exceptions remain."""
    problems = [p for ps in _upward_reads().values() for p in ps]
    assert problems == [], "\n".join(problems)


def test_the_upward_data_check_sees_what_it_should():
    """The check has teeth: it knows the higher layers' names and statuses, not the own ones."""
    accessors, statuses = _upward_data()
    suppliers = _only_higher(_onto(accessors, LAYERS["suppliers"]), LAYERS["suppliers"])
    assert {"contracts", "checklist", "exit_note", "assessments", "findings"} <= set(suppliers)
    assert "products" not in suppliers  # suppliers' own reverse relation
    questionnaires = _only_higher(_onto(accessors, LAYERS["questionnaires"]), 3)
    assert {"checklist", "exit_note"} <= set(questionnaires)
    assert "assessments" not in questionnaires
    assert {"missing", "negotiating"} <= set(_only_higher(statuses, LAYERS["questionnaires"]))
    assert "active" not in _only_higher(statuses, LAYERS["suppliers"])  # its own status
    literals = {
        v
        for _line, v in _status_literals(
            ast.parse(
                "a.filter(status__in=['missing'], clause__status='x'); b.status == 'negotiating'; "
                "d = {'missing': 1}"
            )
        )
    }
    assert literals == {"missing", "x", "negotiating"}
