"""On every page type: axe, a skip link, visible focus, lang, headings in order, every control
reachable by keyboard, abbreviations expanded on focus and hover, no request to another host."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator.site import load_site

from .axe import run_axe
from .harness import REPO, open_page_type
from .pages import PAGE_TYPES, page_id

pytestmark = pytest.mark.browser

KEYBOARD_JS = (Path(__file__).parent / "keyboard.js").read_text(encoding="utf-8")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture(scope="module")
def expansions() -> dict[str, str]:
    return {t.abbreviation: t.term for t in load_site(REPO).site.glossary if t.abbreviation}


@pytest.fixture(params=PAGE_TYPES, ids=page_id)
def page_type(request):
    return request.param


@pytest.fixture
def visit(browser, base_url, page_type):
    with open_page_type(browser, base_url, page_type, viewport=WIDTHS["desktop"]) as visit:
        yield visit


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_a_or_aa_violation(browser, base_url, page_type, axe_source, width):
    with open_page_type(browser, base_url, page_type, viewport=WIDTHS[width]) as visit:
        assert [str(v) for v in run_axe(visit.page, axe_source)] == []


def test_the_page_asks_for_nothing_from_another_host(visit):
    visit.page.wait_for_load_state("networkidle")
    assert visit.requests, "the recorder saw no request at all"
    assert visit.foreign_requests() == []


def test_the_page_does_not_download_the_sitemap(visit):
    """It grows with the site (2 MB at 5,000 reviews): it is for search engines, not readers."""
    visit.page.wait_for_load_state("networkidle")
    assert [url for url in visit.requests if "sitemap" in url] == []


def test_the_language_is_set_to_english(visit):
    assert visit.page.locator("html").get_attribute("lang") == "en"


def test_the_first_tab_reaches_a_skip_link_to_the_content(visit, page_type):
    page = visit.page
    if page_type.search:  # the skip link is the first stop of the page under the search
        page.reload()
    page.keyboard.press("Tab")
    focused = page.evaluate("({text: document.activeElement.textContent.trim(), "
                            "href: document.activeElement.getAttribute('href')})")
    assert focused["text"] == "Skip to content"
    target = focused["href"].lstrip("#")
    assert page.locator(f"[id='{target}']").count() == 1
    assert page.evaluate("id => document.getElementById(id).closest('.md-content') !== null", target)


def test_headings_start_at_one_h1_and_never_skip_a_level(visit):
    levels = visit.page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(h => h.checkVisibility())"
        ".map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])")
    main = visit.page.evaluate("document.querySelectorAll('.md-content h1').length")
    assert main == 1, "the content should have exactly one h1"
    jumps = [(before, after) for before, after in zip(levels, levels[1:]) if after[0] > before[0] + 1]
    assert jumps == []


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_every_control_and_shows_where_focus_is(browser, base_url, page_type, width):
    with open_page_type(browser, base_url, page_type, viewport=WIDTHS[width]) as visit:
        assert_tab_reaches_every_control(visit.page, phone=width == "phone")


def assert_tab_reaches_every_control(page, phone: bool) -> None:
    """Tab from the top: every control is reached, and focus is visible on each."""
    page.add_script_tag(content=KEYBOARD_JS)
    if phone:
        open_the_menu(page)
    page.evaluate("sbKeyboard.tag()")
    controls = page.evaluate("sbKeyboard.controls().map(el => [el.dataset.sbControl, sbKeyboard.describe(el)])")
    # Tab also stops on links that are not controls a mouse user sees (each heading's hidden
    # permalink, the contents list in the menu): a page with many headings needs that many more presses
    hidden = page.evaluate("document.querySelectorAll('a[href]:not([data-sb-control])').length")
    reached, unseen = tab_through(page, limit=len(controls) + hidden + 40)
    assert [name for key, name in controls if key not in reached] == []
    assert unseen == []


def open_the_menu(page) -> None:
    """On a phone the navigation is behind the menu button: open it from the keyboard."""
    page.locator(".md-header label[for='__drawer']").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('__drawer').checked")
    page.wait_for_timeout(300)  # the drawer slides in


def tab_through(page, limit: int) -> tuple[set[str], list[str]]:
    """Press Tab until focus comes round again; the controls reached, and any whose focus was unseen."""
    reached: set[str] = set()
    unseen: list[str] = []
    outside = 0  # presses that left focus on the page itself (after the last control, or search closing)
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("sbKeyboard.focused()")
        outside = outside + 1 if focused is None else 0
        if outside > 1:
            break
        if focused is None:
            continue
        if focused["id"] is not None and focused["id"] in reached:
            break
        if focused["id"] is not None:
            reached.add(focused["id"])
        if not focused["visible"]:
            unseen.append(focused["name"])
    return reached, unseen


def test_abbreviations_are_expanded_on_focus_and_on_hover(visit, expansions):
    page = visit.page
    # Handles, not locators: Material swaps title for aria-describedby, which would re-aim a locator.
    for abbr in page.query_selector_all(".md-content abbr[aria-describedby], .md-content abbr[title]")[:3]:
        expected = expansions[abbr.inner_text().strip()]
        abbr.focus()
        assert tooltip_shows(page, abbr, expected), f"focus on {abbr.inner_text()} shows no {expected!r}"
        page.evaluate("document.activeElement.blur()")
        abbr.hover()
        assert tooltip_shows(page, abbr, expected), f"hovering over {abbr.inner_text()} shows no {expected!r}"
        page.mouse.move(0, 0)


def test_abbreviations_are_there_to_expand():
    """The check above needs abbreviations: the briefing, learning brief and glossary have some."""
    named = {p.name for p in PAGE_TYPES}
    assert {"seven-minute briefing", "learning brief", "glossary"} <= named


def tooltip_shows(page, abbr, expected: str) -> bool:
    """Whether the tooltip the abbreviation points to comes into view with the expansion."""
    try:
        page.wait_for_function(
            """([el, expected]) => { const id = el.getAttribute('aria-describedby');
                                     const tip = id && document.getElementById(id);
                                     return tip && tip.checkVisibility() && tip.innerText.trim() === expected; }""",
            arg=[abbr, expected], timeout=3000)
        return True
    except PlaywrightTimeout:
        return False
