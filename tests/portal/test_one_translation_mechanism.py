"""STYLE.md "Language and text": one mechanism, gettext everywhere. A text that must exist in
both languages is rendered once per language with `translation.override`; nothing writes a
(Dutch, English) pair by hand, and no template branches on the language.

The patterns below are how the old pairs were written: a helper `_t(lang, nl, en)`, a
conditional `"…" if lang == "en" else "…"`, dict literals {"nl": "…", "en": "…"} of texts or
of word tables, and per-language tables named `…_NL`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("portal", "suppliers", "questionnaires", "contracts")
LANGUAGE_CODES = {"nl", "en"}
# Questionnaire content is stored bilingually by design (FORMATS.md: labels with nl and en).
# The default answer labels are such content, and the demo seeds sample content: not texts the
# code writes.
CONTENT_DEFAULTS = {"DEFAULT_LABELS", "DEFAULT_CHOICES", "QUESTION_DEFAULTS", "DEFAULT_SECTION"}
CONTENT = ("portal/top/demo/",)


def _content_dicts(tree) -> set[int]:
    """The dict nodes inside the content defaults (module-level constants)."""
    inside = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in CONTENT_DEFAULTS for t in targets):
                inside |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Dict)}
    return inside


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in rel:
                yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _text(node) -> bool:
    """A literal text: a non-empty string (other than a language code) or an f-string."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.strip() not in LANGUAGE_CODES | {""}
    if isinstance(node, ast.BinOp):
        return _text(node.left) or _text(node.right)
    return False


def _word_table(node) -> bool:
    """A dict of words, such as {"and": " en ", "not": "niet"}."""
    if not isinstance(node, ast.Dict) or not node.values:
        return False
    strings = all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in node.values)
    return strings and any(map(_text, node.values))


def _about_language(test) -> bool:
    if isinstance(test, ast.Name) and test.id in {"nl", "en", "english", "dutch"}:
        return True
    source = ast.unparse(test)
    return bool(re.search(r"lang|LANGUAGE", source)) and bool(
        re.search(r"['\"](nl|en)['\"]", source)
    )


def inline_pairs() -> list[str]:
    found = []
    for rel, tree in _modules():
        content = _content_dicts(tree)
        for node in ast.walk(tree):
            where = f"{rel}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.FunctionDef | ast.Lambda):
                names = {a.arg for a in node.args.args + node.args.kwonlyargs}
                if LANGUAGE_CODES <= names:
                    found.append(f"{where}: a helper taking (nl, en) texts")
            elif isinstance(node, ast.IfExp):
                if _about_language(node.test) and _text(node.body) and _text(node.orelse):
                    found.append(f"{where}: a text chosen by language")
            elif isinstance(node, ast.Assign | ast.For):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    names = {e.id for e in getattr(target, "elts", []) if isinstance(e, ast.Name)}
                    if LANGUAGE_CODES <= names:
                        found.append(f"{where}: unpacks a (nl, en) pair")
            elif isinstance(node, ast.ClassDef):
                fields = {
                    n.target.id
                    for n in node.body
                    if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
                }
                if LANGUAGE_CODES <= fields:
                    found.append(f"{where}: a class holding (nl, en) texts")
            elif isinstance(node, ast.Name) and re.fullmatch(r"[A-Z_]+_(NL|EN)", node.id):
                found.append(f"{where}: a per-language table {node.id}")
            elif (
                isinstance(node, ast.Dict)
                and not rel.startswith(CONTENT)
                and id(node) not in content
            ):
                pairs = {
                    k.value: v
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value in LANGUAGE_CODES
                }
                if len(pairs) == 2 and all(
                    _text(v) or _word_table(v) or isinstance(v, ast.Dict) for v in pairs.values()
                ):
                    found.append(f"{where}: a written-out {{nl, en}} pair")
    return found


def test_no_inline_language_pairs_in_code():
    assert inline_pairs() == []


def test_the_pattern_finds_the_old_kinds(tmp_path, monkeypatch):
    """The check is not vacuous: each old way of writing a pair is found."""
    old = tmp_path / "contracts" / "old.py"
    old.parent.mkdir()
    old.write_text(
        "def _t(lang, nl, en):\n    return en if lang == 'en' else nl\n"
        "TIER_NL = {'low': 'laag'}\n"
        "x = 'Geen' if lang == 'nl' else 'None'\n"
        "ALWAYS = {'nl': 'Geldt altijd.', 'en': 'Always applies.'}\n"
        "W = {'nl': {'and': ' en ', 'not': 'niet'}, 'en': {'and': ' and ', 'not': 'not'}}\n"
        "ok = {'nl': a.nl, 'en': a.en}\n"
        "for key, nl, en in SECTIONS:\n    pass\n"
        "class Reason:\n    nl: str\n    en: str\n"
        "title = ('Exit strategy' if en else 'Exitstrategie')\n"
        "lang = 'en' if code.startswith('en') else 'nl'\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    for package in PACKAGES[:-1]:
        (tmp_path / package).mkdir()
    kinds = [line.split(": ", 1)[1] for line in inline_pairs()]
    assert sorted(kinds) == sorted(
        [
            "a class holding (nl, en) texts",
            "a helper taking (nl, en) texts",
            "a per-language table TIER_NL",
            "a text chosen by language",
            "a text chosen by language",
            "unpacks a (nl, en) pair",
            "a written-out {nl, en} pair",
            "a written-out {nl, en} pair",
        ]
    )


TEMPLATE_BRANCH = re.compile(
    r"{%-?\s*(?:el)?if\b[^%]*?\b(?:lang|LANG|LANGUAGE_CODE|language|get_current_language)\b"
    r"[^%]*?['\"](?:nl|en)(?:-\w+)?['\"]"
    r"|{%-?\s*(?:el)?if\b[^%]*?['\"](?:nl|en)(?:-\w+)?['\"][^%]*?\b(?:lang|LANG|LANGUAGE_CODE)\b"
)


def test_no_template_branches_on_the_language():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_BRANCH.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []
    assert TEMPLATE_BRANCH.search('{% if lang == "en" %}{{ r.en }}{% else %}{{ r.nl }}{% endif %}')
    assert TEMPLATE_BRANCH.search('{% if LANGUAGE_CODE == "en" %}x{% endif %}')
    assert not TEMPLATE_BRANCH.search("{% if code == LANG %} selected{% endif %}")
