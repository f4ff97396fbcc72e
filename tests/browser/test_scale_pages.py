"""The pages only a large site has: the home page listing the newest reviews, a year's reviews,
and the recommendations tracker split by partnership and year. Built from 24 synthetic reviews
with home_page_reviews and tracker_page_items at 10, so that every kind appears; each gets the
checks every page type of the example site gets (tests/browser/test_every_page_type.py,
test_phone.py, test_valid_html.py)."""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import run_cli
from generator.dev import corpus
from generator.pages.listings import year_pages
from generator.site import load_site
from generator.pages.environment import page_url
from generator.pages.views.tracker import tracker_pages
from review_fixtures import set_settings

from .axe import run_axe
from .harness import open_visit, serve
from .pages import SCALE_PAGE_TYPES, PageType, page_id
from .test_every_page_type import WIDTHS, assert_tab_reaches_every_control
from .test_phone import TEXT_SIZES
from .test_valid_html import GET_JAVA, allowed_errors

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class LargeSite:
    site_dir: Path
    base_url: str
    pages: dict[str, PageType]


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("large-site")
    corpus.make(24, root)
    set_settings(root, {"home_page_reviews": 10, "tracker_page_items": 10})
    corpus.make_buildable(root)
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # strict MkDocs build: every link to and from the new pages resolves
    site = load_site(root).site
    tracker = tracker_pages(site)
    by_year = [p for p in tracker.parts if p.parts]  # partnerships with too many items for one page
    whole = [p for p in tracker.parts if not p.parts]
    assert by_year and whole, "the corpus should give both kinds of partnership tracker page"
    paths = {
        "home page of a large site": "",
        "reviews of one year": page_url(year_pages(site)[0].source),
        "tracker: the partnerships": "tracker/",
        "tracker: a partnership's years": page_url(by_year[0].source),
        "tracker: one year of a partnership": page_url(by_year[0].parts[0].source),
        "tracker: a partnership on one page": page_url(whole[0].source),
        "a partnership with its own tracker": page_url(by_year[0].partnership.source),
    }
    assert set(paths) == set(SCALE_PAGE_TYPES)
    with serve(root / "site") as base_url:
        yield LargeSite(root / "site", base_url, {name: PageType(name, path) for name, path in paths.items()})


@pytest.fixture(params=SCALE_PAGE_TYPES, ids=lambda name: page_id(PageType(name, "")))
def page_type(request, large):
    return large.pages[request.param]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_a_or_aa_violation(browser, large, page_type, axe_source, width):
    with open_visit(browser, large.base_url, page_type.path, viewport=WIDTHS[width]) as visit:
        assert [str(v) for v in run_axe(visit.page, axe_source)] == []


def test_skip_link_headings_language_and_no_other_host(browser, large, page_type):
    with open_visit(browser, large.base_url, page_type.path, viewport=WIDTHS["desktop"]) as visit:
        page = visit.page
        assert page.locator("html").get_attribute("lang") == "en"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
        levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(h => h.checkVisibility())"
                               ".map(h => Number(h.tagName[1]))")
        assert page.evaluate("document.querySelectorAll('.md-content h1').length") == 1
        assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == []
        page.wait_for_load_state("networkidle")
        assert visit.foreign_requests() == []


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_every_control_and_shows_where_focus_is(browser, large, page_type, width):
    with open_visit(browser, large.base_url, page_type.path, viewport=WIDTHS[width]) as visit:
        assert_tab_reaches_every_control(visit.page, phone=width == "phone")


def test_at_phone_width_nothing_scrolls_sideways_and_text_is_at_least_16px(browser, large, page_type):
    with open_visit(browser, large.base_url, page_type.path, viewport=WIDTHS["phone"]) as visit:
        page = visit.page
        widths = page.evaluate("({page: document.documentElement.scrollWidth, screen: window.innerWidth})")
        assert widths["page"] <= widths["screen"]
        sizes = page.evaluate(TEXT_SIZES)
        assert len(sizes) > 3
        assert [f"{size}px {text}" for size, text in sizes if size < 16] == []


def test_the_tracker_filters_work_on_a_partnerships_page(browser, large):
    page_type = large.pages["tracker: a partnership on one page"]
    with open_visit(browser, large.base_url, page_type.path, viewport=WIDTHS["desktop"]) as visit:
        page = visit.page
        rows = page.locator("#sb-tracker tbody tr[data-status]")
        total = rows.count()
        assert total > 0 and page.inner_text("#sb-tracker-count") == f"Showing all {total} recommendations and actions."
        status = page.locator("#sb-tracker-status option").nth(1).get_attribute("value")
        page.select_option("#sb-tracker-status", status)
        shown = page.locator("#sb-tracker tbody tr[data-status]:not([hidden])")
        assert 0 < shown.count() <= total
        assert {shown.nth(i).get_attribute("data-status") for i in range(shown.count())} == {status}


def test_the_checker_finds_no_error_in_these_pages(large, vnu_jar):
    java = shutil.which("java")
    if java is None:
        pytest.fail(GET_JAVA)
    files = [str(large.site_dir / p.html_file) for p in large.pages.values()]
    run = subprocess.run([java, "-jar", str(vnu_jar), "--format", "json", "--errors-only", *files],
                         capture_output=True, text=True, timeout=300)
    allowed = {a.message for a in allowed_errors()}
    messages = json.loads(run.stderr)["messages"]
    assert [f"{m['url']}: {m['message']}" for m in messages
            if m["type"] in ("error", "non-document-error") and m["message"] not in allowed] == []
    assert len({m["url"] for m in messages}) == len(files)  # the allowed error marks each page as read
