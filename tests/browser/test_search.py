"""Search, as a reader uses it: typing finds the right pages, the result count is announced to
screen readers, the keyboard reaches the results, and nothing needs the network."""
from __future__ import annotations

import pytest

from .harness import open_visit
from .search import announcement, search

pytestmark = pytest.mark.browser


@pytest.fixture
def home(browser, base_url):
    with open_visit(browser, base_url, "", viewport={"width": 1280, "height": 900}) as visit:
        yield visit


def test_disguised_compliance_finds_the_leeds_review_first_then_the_theme_page(home):
    # a review outranks a listing page for the same words; the learning brief is not a result of
    # its own but a link within the briefing's (issue 16)
    paths = [r.path for r in search(home.page, "disguised compliance")]
    assert paths[0] == "reviews/leeds-cross-cutting-themes-2023/"
    assert "themes/disguised-compliance/" in paths
    assert "reviews/leeds-cross-cutting-themes-2023/learning-brief/" not in paths


def test_patricia_finds_her_briefing_first(home):
    results = search(home.page, "Patricia")
    assert results[0].path == "reviews/patricia-2020/"
    assert results[0].title == "Patricia: seven-minute briefing"


def test_search_works_with_no_network_but_the_site_itself(home):
    # Pagefind fetches index chunks from the site as a query needs them, so the site's own server
    # stays reachable; every other host is cut off, as on a machine with no internet at all.
    ours = home.base_url
    home.page.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(ours)
                            else route.abort())
    assert search(home.page, "Patricia")[0].path == "reviews/patricia-2020/"
    assert home.foreign_requests() == []


def test_the_number_of_results_is_announced_to_screen_readers(home):
    results = search(home.page, "disguised compliance")
    status = home.page.locator("#sb-search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    said = announcement(home.page)
    count = int(said.split()[0])
    assert said == f"{count} results for \u201cdisguised compliance\u201d."
    assert count >= len(results) > 0  # results are shown ten at a time; the count is of them all


def test_no_results_are_announced_too(home):
    assert search(home.page, "zzxqj") == []
    assert announcement(home.page) == "No results for \u201czzxqj\u201d."


def test_the_keyboard_reaches_and_opens_a_result(home):
    page = home.page
    search(page, "Patricia")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.classList.contains('sb-search__title')")
    assert focused, "the down arrow should move focus into the results"
    page.keyboard.press("Enter")
    page.wait_for_url("**/reviews/patricia-2020/**")
