"""Safe YAML for user files: no code, no aliases, and yes/no stay the words people wrote.

A YAML 1.1 parser reads `value: yes` as the boolean True. Questionnaire and clause files
compare answers with words, so this loader keeps every plain yes/no/on/off/true/false as the
string it is; the importers turn them into booleans only where a boolean is expected
(`to_bool`). Anchors and aliases are refused (no billion-laughs), duplicate keys are errors.
"""

from __future__ import annotations

from typing import Any

import yaml

BOOL_WORDS_TRUE = {"yes", "true", "on", "y"}
BOOL_WORDS_FALSE = {"no", "false", "off", "n"}
QUOTE_ON_DUMP = {"yes", "no", "on", "off", "true", "false", "y", "n", "null", "~"}


class YamlError(ValueError):
    """The text is not YAML we accept; the message says where and why."""


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit booleans, without aliases, with duplicate-key checks."""


# Remove the implicit bool resolver: plain yes/no/true/false… stay strings.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, Any] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                "a key must be a plain value, not a list or a mapping",
                key_node.start_mark,
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"duplicate key {key!r}",
                key_node.start_mark,
            )
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _compose_node(self, parent, index):
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        raise yaml.composer.ComposerError(
            None, None, "anchors and aliases (*name) are not allowed", event.start_mark
        )
    event = self.peek_event()
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise yaml.composer.ComposerError(
            None, None, f"anchors (&{anchor}) are not allowed", event.start_mark
        )
    return yaml.composer.Composer.compose_node(self, parent, index)


_Loader.compose_node = _compose_node  # type: ignore[assignment]


def load(text: str | bytes, *, max_bytes: int = 2_000_000) -> Any:
    """Parse user YAML safely; raises YamlError with line and column on any problem."""
    if isinstance(text, bytes):
        if len(text) > max_bytes:
            raise YamlError(f"the file is larger than {max_bytes // 1_000_000} MB")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise YamlError("the file is not UTF-8 text") from exc
    elif len(text.encode("utf-8")) > max_bytes:
        raise YamlError(f"the file is larger than {max_bytes // 1_000_000} MB")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a restricted SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise YamlError(f"{where}{exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from exc
    except RecursionError as exc:
        raise YamlError("the file is nested too deeply") from exc


def to_bool(value: Any, path: str = "") -> bool:
    """True/False, or the words yes/no/on/off/true/false in any case."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in BOOL_WORDS_TRUE:
            return True
        if word in BOOL_WORDS_FALSE:
            return False
    raise ValueError(f"{path}: {value!r} is not true or false")


class _Dumper(yaml.SafeDumper):
    pass


_SPECIAL_BREAKS = ("\x85", "\u2028", "\u2029", "\r")


def _represent_str(dumper: _Dumper, data: str):
    if data.lower() in QUOTE_ON_DUMP or any(b in data for b in _SPECIAL_BREAKS):
        # Double quotes escape the words and the line breaks YAML would otherwise normalise.
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _represent_str)
_Dumper.ignore_aliases = lambda self, data: True  # type: ignore[assignment]


def dump(data: Any) -> str:
    """YAML that reads back the same through `load` and through any YAML 1.1 parser."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
