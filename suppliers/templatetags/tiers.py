"""Template filters for the intake and the tier."""

from django import template

from suppliers.tiering import rule_words

register = template.Library()


@register.filter
def tier_rule(rule) -> str:
    """A stored tier rule in words of the active language ("score 11 or higher")."""
    return rule_words(str(rule or ""))
