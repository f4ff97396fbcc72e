"""On a site whose tracker is one page (the example site: five partnerships, 99 items), a
partnership's page opens the tracker filtered to that partnership's recommendations and actions."""
from __future__ import annotations

import pytest

from generator.pages.views.tracker import site_items
from generator.site import load_site

from .harness import REPO, open_visit

pytestmark = pytest.mark.browser

LEICESTER = "leicester-safeguarding-children-partnership"


def test_a_partnerships_link_opens_the_tracker_filtered_to_it(browser, base_url):
    site = load_site(REPO).site
    own = [i for i in site_items(site) if i.review.partnership_page.slug == LEICESTER]
    with open_visit(browser, base_url, f"partnerships/{LEICESTER}/") as visit:
        page = visit.page
        link = page.get_by_role("link", name=f"The {len(own)} recommendations and actions from these reviews")
        link.click()
        page.wait_for_url(f"**/tracker/?partnership={LEICESTER}")
        assert page.input_value("#sb-tracker-partnership") == LEICESTER
        shown = page.locator("#sb-tracker tbody tr:not([hidden])")
        assert shown.count() == len(own) < len(site_items(site))
        assert {shown.nth(i).get_attribute("data-partnership") for i in range(shown.count())} == {LEICESTER}
        assert page.inner_text("#sb-tracker-count") == \
            f"Showing {len(own)} of {len(site_items(site))} recommendations and actions."
        page.select_option("#sb-tracker-partnership", "")
        assert shown.count() == len(site_items(site))
