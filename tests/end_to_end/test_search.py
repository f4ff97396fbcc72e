"""The site search (Pagefind) as a reader uses it: one labelled box in the header, results as
you type, announced, usable by keyboard, with filters."""
import re

import pytest

from generator.dev import search_probe

from conftest import REPO, run_cli

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("search") / "site"
    assert run_cli(REPO, "build", "--site-dir", str(out)).returncode == 0
    return out


@pytest.fixture(scope="module")
def page(site, browser):
    with search_probe.serve(site) as base:
        page = browser.new_page()
        page.goto(base + "reviews/patricia-2020/")
        yield page
        page.close()


def test_one_labelled_search_box_in_the_header_and_nothing_of_materials_search(site):
    html = (site / "glossary" / "index.html").read_text()
    header = html[html.index("<header"):html.index("</header>")]
    assert header.count('type="search"') == 1
    assert '<label class="sb-visually-hidden" for="sb-search-input">Search the briefings</label>' in header
    assert "md-search" not in html and "search_index.json" not in html
    # without JavaScript there is no static search, so the box starts hidden
    assert re.search(r'<div class="sb-search" id="sb-search"[^>]* hidden>', header)


def test_typing_shows_results_and_announces_how_many(page):
    page.fill("#sb-search-input", "disguised compliance")
    page.wait_for_selector("#sb-search-results li a")
    status = page.locator("#sb-search-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    count = int(re.match(r"(\d+) results? for “disguised compliance”\.", status.inner_text()).group(1))
    assert page.locator("#sb-search-results > li").count() == min(count, 10)  # ten at a time
    links = [a.get_attribute("href") for a in page.locator("#sb-search-results .sb-search__title").all()]
    assert "/themes/disguised-compliance/" in links
    assert page.is_visible("#sb-search-panel")


def test_the_keyboard_reaches_the_results_and_escape_closes_them(page):
    page.fill("#sb-search-input", "Patricia")
    page.wait_for_function("document.getElementById('sb-search-status').textContent.includes('Patricia')")
    page.focus("#sb-search-input")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('sb-search__title')")
    page.keyboard.press("Escape")
    assert page.is_hidden("#sb-search-panel")
    assert page.evaluate("document.activeElement.id") == "sb-search-input"


def test_a_filter_narrows_the_results(page):
    page.fill("#sb-search-input", "neglect")
    page.wait_for_function("document.getElementById('sb-search-status').textContent.includes('neglect')")
    before = int(page.inner_text("#sb-search-status").split()[0])
    page.click("#sb-search-filters summary")
    page.wait_for_selector("#sb-search-filter-year option:nth-child(2)", state="attached")
    assert page.locator("#sb-search-filter-partnership option").count() >= 2
    page.select_option("#sb-search-filter-year", index=1)
    page.wait_for_function(f"!document.getElementById('sb-search-status').textContent.startsWith('{before} ')")
    after = page.inner_text("#sb-search-status")
    assert after.startswith("No results") or int(after.split()[0]) < before
