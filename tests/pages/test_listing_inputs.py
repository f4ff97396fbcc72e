"""A listing page's inputs are read from its template (generator/pages/inputs.py), so serve's
cache keeps it exactly while what it shows is unchanged, with no hand-kept list of dependencies."""
from __future__ import annotations

import jinja2

from generator.pages.inputs import WHOLE, listing_inputs, site_reads

from conftest import make_project, minimal
from generator.site import load_site


def _env(templates: dict[str, str], site=None) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    env.globals.update(site=site, settings=None, pdfs={"a": 1})
    return env


def test_the_example_listings_read_what_their_templates_say(tmp_path):
    site = load_site(make_project(tmp_path, {"child-z-2024.yml": minimal()})).site
    from generator.pages.environment import make_environment

    env = make_environment(site)
    assert site_reads(env, "theme.md.j2") >= {"partnerships"}  # it lists the partnerships beside each theme
    assert "reviews|length" in site_reads(env, "catalogue.md.j2")  # "This site has N reviews"
    assert "reviews" not in site_reads(env, "catalogue.md.j2")  # the count, not every review
    assert WHOLE not in set().union(*(site_reads(env, t) for t in ("tracker.md.j2", "statistics.md.j2",
                                                                    "digest-month.md.j2", "partnership.md.j2")))


def test_reads_are_found_through_imports_counts_and_globals():
    env = _env({"theme.md.j2": '{% import "_m.j2" as m %}{{ m.f() }}{{ pdfs }}{% if not site.events %}-{% endif %}',
                "_m.j2": "{% macro f() %}{% for p in site.partnerships %}{{ p }}{% endfor %}{% endmacro %}"})
    assert site_reads(env, "theme.md.j2") == {"partnerships", "events|length", "pdfs"}


def test_a_template_using_the_site_whole_or_a_method_is_never_kept():
    class Site:
        partnerships = ("a",)

        def reviews_of(self, p):
            return []

    env = _env({"theme.md.j2": "{{ site.reviews_of(1) }}", "tracker.md.j2": "{{ f(site) }}",
                "catalogue.md.j2": "{{ site.partnerships }}"}, Site())
    assert listing_inputs(env, "theme.md.j2", {}) is None
    assert WHOLE in site_reads(env, "tracker.md.j2") and listing_inputs(env, "tracker.md.j2", {}) is None
    assert listing_inputs(env, "catalogue.md.j2", {"x": 1}) == ((("partnerships", ("a",)),), {"x": 1})
    assert listing_inputs(env, "glossary.md.j2", {}) is None  # not a listing: always rendered
