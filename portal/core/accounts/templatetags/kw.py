"""Small template helpers for accessible Bootstrap forms."""

from django import template
from django.forms import CheckboxInput, Select, SelectMultiple

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
