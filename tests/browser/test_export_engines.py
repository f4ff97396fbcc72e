"""The browser checks on a handful of page types of the export built by ProperDocs (not the
hook): axe at both widths, requests, skip link, headings, keyboard and focus, abbreviations, and
search. The same test functions as tests/browser/test_every_page_type.py and test_search.py,
imported so that pytest runs them here with this module's site and page types."""
from __future__ import annotations

import urllib.request

import pytest

from .harness import serve
from .pages import PAGE_TYPES, page_id
from .test_every_page_type import (expansions, test_abbreviations_are_expanded_on_focus_and_on_hover,  # noqa: F401
                                   test_axe_finds_no_wcag_a_or_aa_violation,
                                   test_headings_start_at_one_h1_and_never_skip_a_level,
                                   test_tab_reaches_every_control_and_shows_where_focus_is,
                                   test_the_first_tab_reaches_a_skip_link_to_the_content,
                                   test_the_page_asks_for_nothing_from_another_host, visit)
from .test_search import (home, test_disguised_compliance_finds_the_leeds_review_first_then_the_theme_page,  # noqa: F401
                          test_patricia_finds_her_briefing_first,
                          test_the_keyboard_reaches_and_opens_a_result)

pytestmark = pytest.mark.browser

HANDFUL = {"catalogue (home)", "seven-minute briefing", "learning brief", "theme page", "search results",
           "recommendations tracker", "statistics", "about", "page not found"}


@pytest.fixture(scope="module")
def base_url(properdocs_site):
    with serve(properdocs_site) as url:
        yield url


@pytest.fixture(params=[p for p in PAGE_TYPES if p.name in HANDFUL], ids=page_id)
def page_type(request):
    return request.param


def test_the_handful_are_all_page_types_of_the_site():
    assert len([p for p in PAGE_TYPES if p.name in HANDFUL]) == len(HANDFUL)


def test_the_pages_served_come_from_properdocs(base_url):
    with urllib.request.urlopen(base_url + "reviews/patricia-2020/") as response:
        assert "mkdocs-ProperDocs 1.6.7" in response.read().decode()
