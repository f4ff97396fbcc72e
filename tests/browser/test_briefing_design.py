"""The seven-minute briefing as a reader meets it, on every example briefing, on a phone
(375 x 812) and on a desktop (1280 x 900): section 1 on the first screen, the seven-section
overview that jumps to each section, no word broken in a heading or table, no "None" in the
menu, and the copy-link control's visible confirmation. Screenshots go to build/screenshots/."""
from __future__ import annotations

import pytest

from generator.site import load_site

from .harness import REPO, open_visit

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = REPO / "build" / "screenshots"

# Words (split at spaces, hyphens and slashes, where a line may break) whose letters sit on more
# than one line: a word broken in the middle, like "Backgro/und".
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
WORDS_IN = ".md-content :is(td, th, h1, h2, h3, h4, caption, .sb-overview), .md-header__title"

TOP = "(id) => Math.round(document.getElementById(id).getBoundingClientRect().top + window.scrollY)"
EMPTY_NAV_ITEMS = """() => [...document.querySelectorAll('.md-nav__link, .md-nav__title')]
  .map(el => el.textContent.trim()).filter(text => text === '' || text === 'None')"""


def briefing_ids() -> list[str]:
    return [review.id for review in load_site(REPO).site.reviews]


SIZES = {"375": PHONE, "1280": DESKTOP}


@pytest.fixture(params=list(SIZES), ids=lambda w: f"{w}px")
def size(request):
    return request.param


@pytest.mark.parametrize("review_id", briefing_ids())
def test_the_briefing_on_a_phone_and_a_desktop(browser, base_url, review_id, size):
    viewport = SIZES[size]
    with open_visit(browser, base_url, f"reviews/{review_id}/", viewport=viewport) as visit:
        page = visit.page
        overview = page.evaluate("Math.round(document.querySelector('.sb-overview').getBoundingClientRect().top + scrollY)")
        section_1 = page.evaluate(TOP, "section-1")
        assert overview < section_1 < viewport["height"], f"section 1 starts {section_1} px down"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"briefing-{review_id}-{size}.png"))

        assert page.evaluate(BROKEN_WORDS, WORDS_IN) == []
        assert page.evaluate(EMPTY_NAV_ITEMS) == []
        assert page.evaluate("[...document.querySelectorAll('.sb-overview a')].map(a => a.getAttribute('href'))") == \
            [f"#section-{n}" for n in range(1, 8)]
        for n in range(1, 8):  # each overview link brings its section's heading into view
            page.click(f".sb-overview a[href='#section-{n}']")
            page.wait_for_function("(id) => location.hash === '#' + id", arg=f"section-{n}")
            top, header, at_end = page.evaluate("""(id) => [document.getElementById(id).getBoundingClientRect().top,
                document.querySelector('.md-header').getBoundingClientRect().bottom,
                Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight]""", f"section-{n}")
            # just below the fixed header, or on the screen when the page can scroll no further
            assert header <= top < (viewport["height"] - 60 if at_end else viewport["height"] / 3), \
                f"section {n} is at {top} px after its link"


@pytest.mark.parametrize("review_id", briefing_ids())
def test_copy_link_sits_in_the_heading_row_and_shows_that_it_copied(browser, base_url, review_id, size):
    viewport = SIZES[size]
    with open_visit(browser, base_url, f"reviews/{review_id}/", viewport=viewport) as visit:
        page = visit.page
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
        heading = page.locator("#finding-1")
        button = page.locator(".sb-heading-row:has(#finding-1) > .sb-copy-link")
        box, heading_box = button.bounding_box(), heading.bounding_box()
        # in the heading's row: the two overlap from top to bottom, the button not below the heading
        assert box["y"] < heading_box["y"] + heading_box["height"] and box["y"] + box["height"] > heading_box["y"], \
            f"the button ({box}) is not in the heading's row ({heading_box})"
        button.click()
        page.wait_for_function("document.getElementById('sb-copy-status').textContent.includes('copied')")
        assert button.inner_text().strip().startswith("Link copied") and button.is_visible()
        assert page.evaluate("navigator.clipboard.readText()") == f"{base_url}reviews/{review_id}/#finding-1"
        assert page.locator("#sb-copy-status").inner_text() == "Link to finding 1 copied."


@pytest.mark.parametrize("path", ["reviews/patricia-2020/learning-brief/", "reviews/patricia-2020/trainer/",
                                  "about/writing-a-briefing/", "tracker/", ""])
def test_no_word_is_broken_in_tables_and_headings_of_other_pages(browser, base_url, path, size):
    with open_visit(browser, base_url, path, viewport=SIZES[size]) as visit:
        assert visit.page.evaluate(BROKEN_WORDS, WORDS_IN) == []
        assert visit.page.evaluate(EMPTY_NAV_ITEMS) == []


def test_the_site_title_is_whole_at_375_px(browser, base_url):
    with open_visit(browser, base_url, "reviews/patricia-2020/", viewport=PHONE) as visit:
        title = visit.page.locator(".md-header__topic .md-ellipsis").first
        assert title.inner_text().strip() == "Learning from case reviews"
        assert visit.page.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1", title.element_handle())


def test_the_home_page_shows_the_sites_sections_at_1280_px(browser, base_url):
    with open_visit(browser, base_url, "", viewport=DESKTOP) as visit:
        nav = visit.page.locator(".md-sidebar--primary")
        assert nav.is_visible()
        for section in ("Briefings", "Themes", "Events", "Glossary", "About these briefings"):
            assert visit.page.locator(".md-sidebar--primary a.md-nav__link", has_text=section).first.is_visible()
