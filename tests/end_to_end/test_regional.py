"""A region on one site: several partnerships' reviews, filtered by partnership, each with its page.
Built from the synthetic corpus."""
import contextlib
import os
import re
import subprocess
import sys

import pytest

from generator.dev import corpus
from generator.dev import search_probe
from generator.model.types import slug
from generator.site import load_site

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    root = tmp_path_factory.mktemp("region")
    corpus.make(30, root)
    corpus.make_buildable(root)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return root / "site", load_site(root).site


def primary_nav(html):
    return html[html.index('<nav class="md-nav md-nav--primary"'):html.index("</nav>", html.index("md-nav--primary"))]


def test_each_partnership_has_a_landing_page_listing_only_its_reviews(region):
    site_dir, site = region
    assert len(site.partnerships) >= 6
    index = (site_dir / "partnerships" / "index.html").read_text()
    for partnership in site.partnerships:
        assert f'href="{partnership.slug}/"' in index
        page = (site_dir / "partnerships" / partnership.slug / "index.html").read_text()
        listed = set(re.findall(r'href="\.\./\.\./reviews/([^/]+)/"', page))
        assert listed == {r.id for r in site.reviews_of(partnership)}


def test_every_review_names_its_partnership_with_a_link_to_its_page(region):
    site_dir, site = region
    for review in site.reviews:
        page = (site_dir / "reviews" / review.id / "index.html").read_text()
        assert f'<a href="../../partnerships/{slug(review.partnership)}/">{review.partnership}</a>' in page


def test_the_catalogue_and_theme_pages_can_be_filtered_by_partnership(region):
    site_dir, site = region
    catalogue = (site_dir / "index.html").read_text()
    options = re.findall(r'<option value="([^"]+)">', catalogue[catalogue.index('id="sb-filter-partnership"'):])
    assert options[:len(site.partnerships)] == [p.slug for p in site.partnerships]
    assert catalogue.count("data-partnership=") == len(site.reviews)
    theme = (site_dir / "themes" / "neglect" / "index.html").read_text()
    assert 'id="sb-filter-partnership"' in theme
    assert theme.count("data-partnership=") >= len(site.reviews_with_theme(next(t for t in site.themes if t.id == "neglect")))


def test_reviews_and_partnership_pages_stay_out_of_the_sidebar(region):
    site_dir, site = region
    nav = primary_nav((site_dir / "reviews" / site.reviews[0].id / "index.html").read_text())
    assert "reviews/" not in nav
    assert not any(f"partnerships/{p.slug}/" in nav for p in site.partnerships)
    assert "partnerships/" in nav  # the list of partnerships is a section of the site


def test_filtering_in_the_browser_shows_one_partnerships_entries(region, browser):
    site_dir, site = region
    chosen = site.partnerships[0]
    with search_probe.serve(site_dir) as base, _page(browser) as page:
        page.goto(base + f"?partnership={chosen.slug}")  # a link from the landing page presets it
        assert page.input_value("#sb-filter-partnership") == chosen.slug
        shown = page.locator("#sb-catalogue > li:not([hidden])")
        assert shown.count() == len(site.reviews_of(chosen))
        assert page.inner_text("#sb-filter-count") == f"Showing {shown.count()} of {len(site.reviews)} reviews."

        page.goto(base + "themes/neglect/")
        page.select_option("#sb-filter-partnership", chosen.slug)
        visible = page.locator(".sb-filterable li[data-partnership]:not([hidden])")
        assert {visible.nth(i).get_attribute("data-partnership") for i in range(visible.count())} <= {chosen.slug}
        assert re.fullmatch(r"Showing \d+ of \d+ reviews, \d+ of \d+ findings and \d+ of \d+ learning points\.",
                            page.inner_text("#sb-filter-count"))

        found = search_probe.query(page, None, {"partnership": chosen.name})
        ids = {r.id for r in site.reviews_of(chosen)}
        assert found["count"] == len(ids)  # one result a review: its briefing (the learning brief is a link in it)
        assert {p["url"].split("/")[2] for p in found["pages"]} == ids


@contextlib.contextmanager
def _page(browser):
    page = browser.new_page()
    try:
        yield page
    finally:
        page.close()
