"""Read a CSAF 2.0 advisory: limits first (size, nesting depth), then JSON, then the published
CSAF 2.0 schema (stored in `schema/`, never fetched), then the product tree.

Every problem is reported as a list of short, readable lines so that the upload page and the
API can say what is wrong (a 400, never a 500)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
_REFERENCED = {
    "https://www.first.org/cvss/cvss-v2.0.json": "cvss-v2.0.json",
    "https://www.first.org/cvss/cvss-v3.0.json": "cvss-v3.0.json",
    "https://www.first.org/cvss/cvss-v3.1.json": "cvss-v3.1.json",
}
MAX_ERRORS = 20
MAX_PRODUCTS = 2000
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# Fields with a complex regular expression in the schema: long values are refused first, so
# that no hostile value can make the expression run for long.
_PATTERN_FIELDS = {"cpe": 1000, "purl": 2000}


def max_bytes() -> int:
    return int(getattr(settings, "CSAF_MAX_BYTES", 2 * 1024 * 1024))


def max_depth() -> int:
    return int(getattr(settings, "CSAF_MAX_DEPTH", 64))


class CsafInvalid(ValueError):
    """The document is not an acceptable CSAF 2.0 advisory; `errors` says why, line by line."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class AdvisoryProduct:
    vendor: str
    name: str
    version: str = ""
    product_id: str = ""

    def as_dict(self) -> dict:
        return {
            "vendor": self.vendor,
            "name": self.name,
            "version": self.version,
            "product_id": self.product_id,
        }


@dataclass(frozen=True)
class ParsedAdvisory:
    document: dict
    title: str
    tracking_id: str
    publisher: str
    release_date: str
    products: list[AdvisoryProduct]


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / "csaf_json_schema.json").read_text("utf-8"))
    resources = [
        (url, Resource.from_contents(json.loads((SCHEMA_DIR / name).read_text("utf-8")), DRAFT7))
        for url, name in _REFERENCED.items()
    ]
    registry = Registry().with_resources(resources)
    return Draft202012Validator(schema, registry=registry)


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counted without parsing (strings skipped)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _decode(raw: bytes | str) -> dict:
    if isinstance(raw, bytes):
        if len(raw) > max_bytes():
            raise CsafInvalid([_("The document is larger than %(n)s bytes.") % {"n": max_bytes()}])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CsafInvalid([_("The document is not UTF-8 text.")]) from exc
    else:
        text = raw
        if len(text.encode("utf-8", "surrogatepass")) > max_bytes():
            raise CsafInvalid([_("The document is larger than %(n)s bytes.") % {"n": max_bytes()}])
    if nesting_depth(text) > max_depth():
        raise CsafInvalid(
            [_("The document is nested deeper than %(n)s levels.") % {"n": max_depth()}]
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CsafInvalid([_("The document is not valid JSON: %(e)s") % {"e": exc}]) from exc
    if not isinstance(data, dict):
        raise CsafInvalid([_("A CSAF advisory is a JSON object, not a list or a value.")])
    document = data.get("document")
    if not isinstance(document, dict) or document.get("csaf_version") != "2.0":
        raise CsafInvalid(
            [_('This is not a CSAF 2.0 advisory: document.csaf_version must be "2.0".')]
        )
    return data


def _path(parts) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return text.lstrip(".") or "(document)"


def _long_pattern_values(node, path=(), found=None) -> list[str]:
    """Values of pattern-checked fields that are too long to check (iterative walk)."""
    found = [] if found is None else found
    stack = [(node, path)]
    while stack and len(found) < MAX_ERRORS:
        item, where = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                limit = _PATTERN_FIELDS.get(key)
                if limit and isinstance(value, str) and len(value) > limit:
                    found.append(
                        _("%(path)s: longer than %(n)s characters.")
                        % {"path": _path((*where, key)), "n": limit}
                    )
                stack.append((value, (*where, key)))
        elif isinstance(item, list):
            stack.extend((v, (*where, i)) for i, v in enumerate(item))
    return found


def validate(data: dict) -> None:
    """The published CSAF 2.0 schema; raises CsafInvalid with up to MAX_ERRORS lines."""
    too_long = _long_pattern_values(data)
    if too_long:
        raise CsafInvalid(too_long)
    errors = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        message = error.message
        if error.validator == "pattern":
            message = _("%(value)s is not in the required format") % {
                "value": repr(error.instance)[:60]
            }
        message = message if len(message) <= 200 else message[:197] + "..."
        errors.append(f"{_path(error.absolute_path)}: {message}")
        if len(errors) >= MAX_ERRORS:
            errors.append(_("(more problems not listed)"))
            break
    if errors:
        raise CsafInvalid(errors)


def product_tree(data: dict) -> list[AdvisoryProduct]:
    """Every product the tree names, with the vendor and product name of the branches above
    it and its version; walked without recursion, each (vendor, name, version) once."""
    tree = data.get("product_tree") or {}
    found: dict[tuple, AdvisoryProduct] = {}

    def add(vendor: str, name: str, version: str, product_id: str) -> None:
        key = (vendor.strip(), name.strip(), version.strip())
        if key[1] and key not in found and len(found) < MAX_PRODUCTS:
            found[key] = AdvisoryProduct(*(k[:200] for k in key), product_id[:200])

    stack = [(branch, {}) for branch in reversed(tree.get("branches") or [])]
    while stack:
        branch, above = stack.pop()
        if not isinstance(branch, dict):
            continue
        context = dict(above)
        category, name = branch.get("category"), str(branch.get("name") or "")
        if category == "vendor":
            context["vendor"] = name
        elif category in ("product_family", "product_name"):
            context["name"] = name
        elif category in ("product_version", "product_version_range", "patch_level"):
            context["version"] = name
        product = branch.get("product")
        if isinstance(product, dict):
            add(
                context.get("vendor", ""),
                context.get("name") or str(product.get("name") or ""),
                context.get("version", ""),
                str(product.get("product_id") or ""),
            )
        children = branch.get("branches") or []
        stack.extend((child, context) for child in reversed(children))
    loose = list(tree.get("full_product_names") or [])
    loose += [r.get("full_product_name") for r in tree.get("relationships") or []]
    for product in loose:
        if isinstance(product, dict):
            add("", str(product.get("name") or ""), "", str(product.get("product_id") or ""))
    return list(found.values())


def parse(raw: bytes | str) -> ParsedAdvisory:
    """Limits, JSON, schema and product tree: a ParsedAdvisory or CsafInvalid."""
    data = _decode(raw)
    validate(data)
    document = data["document"]
    tracking = document["tracking"]
    return ParsedAdvisory(
        document=data,
        title=str(document["title"])[:500],
        tracking_id=str(tracking["id"])[:200],
        publisher=str(document["publisher"].get("name", ""))[:200],
        release_date=str(tracking.get("current_release_date", ""))[:40],
        products=product_tree(data),
    )
