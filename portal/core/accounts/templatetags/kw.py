"""Small template helpers for accessible Bootstrap forms."""

import re

from django import template
from django.forms import CheckboxInput, Select, SelectMultiple
from django.template.base import Node, NodeList, TextNode

from portal.core.i18n import stored_text as pick

register = template.Library()


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, CheckboxInput)


class _Widgeted:
    """A bound field plus extra widget attributes, rendered on str()."""

    def __init__(self, bound_field, attrs):
        self.bound_field = bound_field
        self.attrs = attrs

    def __str__(self):
        return self.bound_field.as_widget(attrs=self.attrs)


def _attrs_of(value):
    if isinstance(value, _Widgeted):
        return value.bound_field, dict(value.attrs)
    return value, {}


@register.filter
def add_class(value, css: str):
    bound_field, attrs = _attrs_of(value)
    widget = bound_field.field.widget
    if isinstance(widget, Select | SelectMultiple) and css == "form-control":
        css = "form-select"
    attrs["class"] = (attrs.get("class", "") + " " + css).strip()
    if bound_field.errors:
        attrs["class"] += " is-invalid"
    return _Widgeted(bound_field, attrs)


@register.filter
def describe(value, bound_field):
    """Tie help text and errors to the input (aria-describedby, aria-invalid)."""
    bound_field, attrs = _attrs_of(value)
    ids = []
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return _Widgeted(bound_field, attrs)


@register.filter
def stored_text(texts) -> str:
    """A stored {"nl": …, "en": …} text (a reason, a choice label) in the active language."""

    return pick(texts) if isinstance(texts, dict) else str(texts or "")


_BREAK = re.compile(r"\n[ \t]*")


def _join_lines(nodelist) -> None:
    """Drop each line break and the indentation after it from the template's own text, at any
    depth ({% if %} branches, loops); what variables and translations render is left as it is."""
    for node in nodelist:
        if isinstance(node, TextNode):
            node.s = _BREAK.sub("", node.s)
        children = [v for v in vars(node).values() if isinstance(v, NodeList)]
        children += [nl for _, nl in getattr(node, "conditions_nodelists", ())]
        for child in children:
            _join_lines(child)


class _OnelineNode(Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context)


@register.tag
def oneline(parser, token):
    """{% oneline %}…{% endoneline %}: write one dense line of output over several source lines.

    Line breaks (and the indentation after them) in the template text between the tags are removed
    when the template is compiled, so a long tag or a chain of conditions can be laid out one piece
    per line while the HTML stays byte for byte what the single line gave. Keep a space that must
    stay before the line break; never put a break inside a blocktranslate."""
    nodelist = parser.parse(("endoneline",))
    parser.delete_first_token()
    _join_lines(nodelist)
    return _OnelineNode(nodelist)
