"""{% oneline %} lays one line of output over several source lines, byte for byte."""

from django.template import Context, Template

ONE = (
    '{% load kw %}<a class="nav-link{% if on %} active{% endif %}" href="/x"'
    '{% if on %} aria-current="page"{% endif %}>{{ label }}</a>'
)
LAID_OUT = """{% load kw %}{% oneline %}
<a class="nav-link
  {% if on %} active{% endif %}" href="/x"
  {% if on %} aria-current="page"{% endif %}>
  {{ label }}</a>
{% endoneline %}"""


def test_oneline_renders_what_the_single_line_renders():
    for on in (True, False):
        context = {"on": on, "label": "Home"}
        assert Template(LAID_OUT).render(Context(context)) == Template(ONE).render(Context(context))
    assert Template(LAID_OUT).render(Context({"on": True, "label": "Home"})) == (
        '<a class="nav-link active" href="/x" aria-current="page">Home</a>'
    )


def test_oneline_keeps_line_breaks_that_variables_render():
    rendered = Template("{% load kw %}{% oneline %}\n  <p>{{ v }}</p>\n{% endoneline %}").render(
        Context({"v": "a\n  b"})
    )
    assert rendered == "<p>a\n  b</p>"


def test_the_menu_item_of_a_page_comes_from_its_url_name():
    from types import SimpleNamespace

    from portal.core.accounts.context_processors import nav_section

    def section(url_name):
        return nav_section(SimpleNamespace(resolver_match=SimpleNamespace(url_name=url_name)))

    assert section("home") == "home"
    assert section("pipeline") == section("portfolio_list") == "portfolio"
    assert section("supplier_list") == section("relationship_risk") == "suppliers"
    assert section("trust_profile_detail") == "profiles"
    assert section("assessment_detail") == "assessments"
    assert section("supplier_detail") == section(None) == ""
    assert nav_section(SimpleNamespace(resolver_match=None)) == ""
