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
