"""At 375 CSS pixels wide (a small phone): no sideways scrolling, body text at least 16px, and
the menu and the search open from the keyboard."""
from __future__ import annotations

import pytest

from .harness import REPO, open_page_type, open_visit
from .pages import PAGE_TYPES, page_id
from .search import BOX

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
SCREENSHOT = REPO / "build" / "screenshots" / "briefing-375.png"

# Every element in the content with text of its own, and its computed size.
TEXT_SIZES = """() => [...document.querySelectorAll('.md-content *')]
  .filter(el => el.checkVisibility() && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .filter(el => !el.closest('.headerlink, .sb-visually-hidden, [role=tooltip]'))
  .map(el => [parseFloat(getComputedStyle(el).fontSize), el.tagName.toLowerCase() + ': ' + el.textContent.trim().slice(0, 40)])"""


@pytest.fixture(params=PAGE_TYPES, ids=page_id)
def phone_visit(request, browser, base_url):
    with open_page_type(browser, base_url, request.param, viewport=PHONE) as visit:
        yield visit


def test_nothing_scrolls_sideways(phone_visit):
    widths = phone_visit.page.evaluate("({page: document.documentElement.scrollWidth, screen: window.innerWidth})")
    assert widths["page"] <= widths["screen"]


def test_body_text_is_at_least_16_css_pixels(phone_visit):
    sizes = phone_visit.page.evaluate(TEXT_SIZES)
    assert len(sizes) > 3, "found no text in the content"
    assert [f"{size}px {text}" for size, text in sizes if size < 16] == []


def test_a_screenshot_of_the_briefing_at_phone_width(browser, base_url):
    """Saved to build/screenshots/ for a person to look at; the test checks it is a full page."""
    with open_visit(browser, base_url, "reviews/patricia-2020/", viewport=PHONE) as visit:
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SCREENSHOT), full_page=False)
        assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert visit.page.locator("h1").first.is_visible()


def test_the_menu_opens_and_closes_from_the_keyboard(browser, base_url):
    with open_visit(browser, base_url, "reviews/patricia-2020/", viewport=PHONE) as visit:
        page = visit.page
        button = page.locator(".md-header label[for='__drawer']")
        assert button.get_attribute("role") == "button" and button.get_attribute("aria-label") == "Menu"
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('__drawer').checked")
        assert button.get_attribute("aria-expanded") == "true"
        about = page.locator(".md-nav--primary label.md-nav__link", has_text="About")
        about.focus()
        page.keyboard.press(" ")
        page.wait_for_function("document.getElementById(document.querySelector(\"label.md-nav__link[tabindex='0']\").htmlFor).checked")
        assert page.locator(".md-nav--primary a", has_text="Accessibility statement").is_visible()
        page.keyboard.press("Escape")
        page.wait_for_function("!document.getElementById('__drawer').checked")
        assert page.evaluate("document.activeElement.getAttribute('for')") == "__drawer"


def test_the_search_is_reached_and_used_from_the_keyboard(browser, base_url):
    with open_visit(browser, base_url, "", viewport=PHONE) as visit:
        page = visit.page
        box = page.locator(BOX)
        assert box.is_visible()
        for _ in range(30):  # Tab from the top of the page until the search box has focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "sb-search-input":
                break
        else:
            raise AssertionError("Tab never reached the search box")
        page.keyboard.type("Patricia")
        page.wait_for_selector("#sb-search-results li a")
        assert page.locator("#sb-search-panel").is_visible()
