"""Every page of the example site and of its hostile copy (tests/hostile_output.py), opened in
Chromium: no dialog opens, no request leaves for another host, on load, on hover, in search
results and when a reader presses the page's buttons."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import run_cli
from hostile_output import HOST, make_hostile_project

from .harness import serve
from .search import search

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    root, _ = make_hostile_project(tmp_path_factory.mktemp("hostile-browser"))
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(root / "site") as url:
        yield url, root / "site"


def _watched_page(browser, base_url: str):
    """A page in a fresh context that records every dialog and every request to another host."""
    context = browser.new_context()
    dialogs, foreign = [], []
    ours = urlsplit(base_url).netloc
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == ours
                  else (foreign.append(route.request.url), route.abort("blockedbyclient")))
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return page, dialogs, foreign


def _pages(site) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _read_like_a_reader(page) -> None:
    """What a reader's pointer and keyboard would set off, on every element at once: mouseover,
    focus and, for the page's own buttons (copy link), a press. Events from script run the same
    handlers a reader's would, without waiting for each element to be on screen."""
    page.evaluate("""() => {
        for (const el of document.querySelectorAll('body *')) {
            el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
            el.dispatchEvent(new FocusEvent('focus'));
        }
        for (const button of document.querySelectorAll('article button')) button.click();
    }""")
    page.wait_for_timeout(50)


def test_no_marker_runs_on_any_page(browser, hostile_url):
    base_url, site = hostile_url
    pages = _pages(site)
    assert len(pages) > 50
    page, dialogs, foreign = _watched_page(browser, base_url)
    opened = []
    for path in pages:
        page.goto(base_url + path, wait_until="load")
        _read_like_a_reader(page)
        opened.append(path)
        assert dialogs == [], f"{path}: a dialog opened: {dialogs}"
    assert foreign == [], f"requests to other hosts: {foreign[:5]}"
    assert len(opened) == len(pages)
    page.context.close()


@pytest.mark.parametrize("query", ["alert", "script", "onerror", "HYPERLINK", "javascript"])
def test_no_marker_runs_in_search_results(browser, hostile_url, query):
    base_url, _ = hostile_url
    page, dialogs, foreign = _watched_page(browser, base_url)
    page.goto(base_url, wait_until="load")
    results = search(page, query)
    assert results, f"the hostile text is indexed, so '{query}' finds pages"
    page.mouse.move(300, 300)
    for item in page.locator("#sb-search-results a").all()[:10]:
        item.hover()
    assert dialogs == [] and foreign == [], (dialogs, foreign)
    loaded = page.locator("#sb-search-results [src]").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    assert not any(HOST in address for address in loaded), loaded
    page.context.close()


def test_the_example_site_opens_no_dialog_and_calls_no_other_host(browser, base_url, example_site):
    page, dialogs, foreign = _watched_page(browser, base_url)
    for path in _pages(example_site):
        page.goto(base_url + path, wait_until="load")
        _read_like_a_reader(page)
    assert dialogs == [] and foreign == [], (dialogs, foreign[:5])
    page.context.close()
