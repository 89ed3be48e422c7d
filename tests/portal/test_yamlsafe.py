"""The safe YAML loader: words stay words, no aliases, no duplicates, size limit, round trip."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.core import yamlsafe


def test_yes_no_on_off_true_false_stay_strings():
    data = yamlsafe.load("a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: [yes, no]\ng: 3\n")
    assert data == {
        "a": "yes",
        "b": "No",
        "c": "on",
        "d": "OFF",
        "e": "true",
        "f": ["yes", "no"],
        "g": 3,
    }


def test_to_bool():
    assert yamlsafe.to_bool("Yes") is True and yamlsafe.to_bool("off") is False
    with pytest.raises(ValueError, match="not true or false"):
        yamlsafe.to_bool("perhaps", "required")


def test_anchors_and_aliases_are_refused():
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    with pytest.raises(yamlsafe.YamlError, match="not allowed"):
        yamlsafe.load(bomb)


def test_duplicate_keys_are_refused_with_line():
    with pytest.raises(yamlsafe.YamlError, match=r"line 2.*duplicate key 'a'"):
        yamlsafe.load("a: 1\na: 2\n")


def test_size_limit_and_encoding():
    with pytest.raises(yamlsafe.YamlError, match="larger"):
        yamlsafe.load(b"a: " + b"x" * 100, max_bytes=50)
    with pytest.raises(yamlsafe.YamlError, match="UTF-8"):
        yamlsafe.load(b"a: \xff\xfe")


def test_no_python_objects():
    with pytest.raises(yamlsafe.YamlError):
        yamlsafe.load("!!python/object/apply:os.system ['echo hi']")


def test_dump_quotes_words_for_yaml_11_parsers():
    text = yamlsafe.dump({"v": "yes", "w": ["no", "on"], "x": "gewoon"})
    assert yaml.safe_load(text) == {"v": "yes", "w": ["no", "on"], "x": "gewoon"}


words = st.sampled_from(
    ["yes", "no", "on", "off", "true", "false", "Ja", "nee", "null", "~", "12", "a: b", "- x"]
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=8),
        st.one_of(words, st.text(max_size=20), st.integers()),
        max_size=6,
    )
)
def test_dump_then_load_round_trips(data):
    assert yamlsafe.load(yamlsafe.dump(data)) == data
