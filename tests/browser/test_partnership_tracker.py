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
        shown = page.locator("#sb-tracker tbody tr[data-status]:not([hidden])")
        assert shown.count() == len(own) < len(site_items(site))
        assert {shown.nth(i).get_attribute("data-partnership") for i in range(shown.count())} == {LEICESTER}
        assert page.inner_text("#sb-tracker-count") == \
            f"Showing {len(own)} of {len(site_items(site))} recommendations and actions."
        page.select_option("#sb-tracker-partnership", "")
        assert shown.count() == len(site_items(site))


def test_filters_are_kept_in_the_address_and_opening_it_restores_them(browser, base_url):
    items = site_items(load_site(REPO).site)
    police = [i for i in items if i.agency == "Police"]
    with open_visit(browser, base_url, "tracker/") as visit:
        page = visit.page
        page.select_option("#sb-tracker-agency", "police")  # the agency's id: it outlives a change of name
        page.check("#sb-tracker-overdue")
        page.uncheck("#sb-tracker-overdue")
        page.select_option("#sb-tracker-status", "not-stated")
        address = page.url
        assert address.endswith("/tracker/?agency=police&status=not-stated")
        wanted = [i for i in police if not i.status]
        assert page.inner_text("#sb-tracker-count") == f"Showing {len(wanted)} of {len(items)} recommendations and actions."
    with open_visit(browser, base_url, address.split("/", 3)[3]) as shared:  # a colleague opens the link
        page = shared.page
        assert page.input_value("#sb-tracker-agency") == "police"
        assert page.input_value("#sb-tracker-status") == "not-stated"
        assert not page.is_checked("#sb-tracker-overdue")
        shown = page.locator("#sb-tracker tbody tr[data-status]:not([hidden])")
        assert shown.count() == len(wanted) > 0
        assert {shown.nth(i).get_attribute("data-agency") for i in range(shown.count())} == {"police"}
        headings = page.locator("#sb-tracker tbody:not([hidden]) th[scope=rowgroup]")
        assert headings.count() == len({i.review.id for i in wanted})  # reviews with nothing shown are hidden
        page.select_option("#sb-tracker-agency", "")
        assert page.url.endswith("/tracker/?status=not-stated")
    with open_visit(browser, base_url, "tracker/?agency=No+such+body&overdue=yes") as odd:
        assert odd.page.input_value("#sb-tracker-agency") == ""  # a value the page does not offer is dropped
        assert odd.page.is_checked("#sb-tracker-overdue")


def test_no_status_reads_once_per_review_not_in_every_row(browser, base_url):
    items = site_items(load_site(REPO).site)
    unstated = sum(not i.status for i in items)
    assert unstated > 40  # the example site: most items give no status
    with open_visit(browser, base_url, "tracker/") as visit:
        table = visit.page.inner_text("#sb-tracker")
        assert table.count("Not stated") == 0
        groups = visit.page.locator("#sb-tracker th[scope=rowgroup]")
        assert groups.count() == len({i.review.id for i in items})
        said = [groups.nth(i).inner_text().count("no status given") for i in range(groups.count())]
        assert set(said) <= {0, 1} and sum(said) == len({i.review.id for i in items if not i.status})


def test_a_due_year_is_not_overdue_before_it_ends_and_phone_cards_say_it_once(browser, base_url):
    """Leeds gives two open actions a due year (2023) and no status; neither is overdue on the last
    day of 2023, and both are on the first day of 2024."""
    year_due = '#sb-tracker tr[data-due="2023-12-31"][data-open="yes"]'
    for moment, expected in (("2023-12-31T12:00:00", "no"), ("2024-01-01T09:00:00", "yes")):
        with open_visit(browser, base_url, "tracker/", viewport={"width": 375, "height": 800}) as visit:
            page = visit.page
            page.clock.install(time=moment)
            page.reload()
            rows = page.locator(year_due)
            assert rows.count() == 2
            assert {rows.nth(i).get_attribute("data-overdue") for i in range(2)} == {expected}
            undated = page.locator('#sb-tracker tr[data-due=""][data-open="yes"]')
            assert undated.count() > 0 and {undated.nth(i).get_attribute("data-overdue")
                                            for i in range(undated.count())} == {"no"}
            # a phone card writes each cell's label before it (CSS: attr(data-label) ": ")
            cell = rows.first.locator(".sb-overdue-cell")
            label = cell.get_attribute("data-label")
            assert f"{label}: {cell.inner_text()}" == ("Overdue: Yes" if expected == "yes" else "Overdue: No")
            before = page.evaluate("c => getComputedStyle(c, '::before').content",
                                   rows.first.locator(".sb-tracker-item").element_handle())
            assert before == "none"  # the item's own cell starts with its label, "Action on finding 1"
