"""At regional and national scale: the tracker split by partnership and year, each partnership's
statistics, and a home page that lists only the newest reviews with a page for each year. Built
from the synthetic corpus; a small site keeps one tracker page and one full list."""
from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import replace

import pytest

from generator.dev import corpus
from generator.pages import listings
from generator.pages.views import statistics
from generator.pages.views import tracker
from generator.site import load_site
from generator.pages.reports import render_statistics, render_tracker
from generator.pages.environment import make_environment, page_url

from disclosure import csv_files, recoverable
from review_fixtures import set_settings

ROW = re.compile(r"<tr data-agency=")
# An item's link to its place in a learning brief: the review's id and the anchor
ITEM_LINK = re.compile(r'<a href="([^"]*reviews/[^/"]+/learning-brief/#[\w-]+)">(?:Recommendation|Action)')


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """150 synthetic reviews from 12 partnerships over 10 years, 9 items each (1,350 items)."""
    root = tmp_path_factory.mktemp("listings")
    corpus.make(150, root)
    result = load_site(root)
    assert result.ok, result.problems
    return result.site


def sized(site, n: int | None = None, **settings):
    """The first n reviews of site (all if None), with these settings."""
    reviews = site.reviews if n is None else site.reviews[:n]
    return replace(site, reviews=reviews, settings=replace(site.settings, **settings))


def tracker_texts(site) -> dict[str, str]:
    return {p.path: p.content for p in render_tracker(make_environment(site), site)}


def partnership_pages(site) -> dict[str, str]:
    return {p.path: p.content for p in listings.render_partnerships(make_environment(site), site)}


def item_links(path: str, text: str) -> list[tuple[str, str]]:
    """(review id, anchor) of every item listed on a page, from the links in its rows."""
    here = page_url(path)
    found = []
    for link in ITEM_LINK.findall(text):
        target, _, anchor = posixpath.normpath(posixpath.join(here, link)).partition("#")
        found.append((target.split("/")[1], anchor))
    return found


def expected_links(site) -> Counter:
    return Counter((i.review.id, i.target.partition("#")[2]) for i in tracker.site_items(site))


# The tracker

def test_a_small_site_keeps_one_tracker_page_with_every_item_and_every_filter(region):
    site = sized(region, 20)  # 180 items: under the default 200
    assert len(tracker.site_items(site)) <= site.settings.tracker_page_items == 200
    pages = tracker_texts(site)
    assert list(pages) == ["tracker.md"]
    text = pages["tracker.md"]
    assert len(ROW.findall(text)) == len(tracker.site_items(site))
    assert Counter(item_links("tracker.md", text)) == expected_links(site)
    for control in ("sb-tracker-partnership", "sb-tracker-agency", "sb-tracker-status", "sb-tracker-overdue"):
        assert f'id="{control}"' in text
    rows = re.findall(r'<tr data-agency="[^"]*" data-status="[^"]*" data-due="[^"]*" data-open="(?:yes|no)" '
                      r'data-partnership="([^"]+)">', text)
    assert Counter(rows) == Counter(i.review.partnership_page.slug for i in tracker.site_items(site))


def half_split(site) -> int:
    """A tracker_page_items at which half the partnerships fit on one page, and half are split by year."""
    sizes = sorted(Counter(i.review.partnership for i in tracker.site_items(site)).values())
    return sizes[len(sizes) // 2]


@pytest.mark.parametrize("limit", [40, "half"])
def test_a_large_tracker_is_split_and_lists_each_item_exactly_once(region, limit):
    site = sized(region, tracker_page_items=half_split(region) if limit == "half" else limit)
    pages = tracker_texts(site)
    assert len(pages) > len(site.partnerships)
    found = Counter(link for path, text in pages.items() for link in item_links(path, text))
    assert found == expected_links(site)
    assert set(found.values()) == {1}
    overview = pages["tracker.md"]
    assert ROW.search(overview) is None and 'id="sb-tracker-filters"' not in overview
    for part in tracker.tracker_pages(site).parts:
        assert f"- [{part.partnership.name}]({part.source}): {len(part.items)} recommendations and actions from " \
            in overview
    assert len(tracker.tracker_pages(site).parts) == len(site.partnerships)


def test_no_tracker_page_grows_with_the_number_of_reviews(region):
    limit = 40

    def largest(n):
        pages = tracker_texts(sized(region, n, tracker_page_items=limit))
        for text in pages.values():  # no page holds more than limit items (a review has 9)
            assert len(ROW.findall(text)) <= limit
        return max(len(text) for text in pages.values())

    small, large = largest(50), largest(150)
    assert large <= small * 1.2, (small, large)  # three times the items, about the same largest page
    assert large < 60_000


def test_each_page_of_items_keeps_the_filters_and_says_where_it_belongs(region):
    site = sized(region, tracker_page_items=half_split(region))
    root = tracker.tracker_pages(site)
    leaves = [p for p in root.pages() if not p.parts]
    assert {len(p.within) for p in leaves} == {1, 2}  # a partnership's page, or a year under one
    texts = tracker_texts(site)
    for page in leaves:
        text = texts[page.source]
        assert 'id="sb-tracker-agency"' in text and 'id="sb-tracker-overdue"' in text
        assert 'id="sb-tracker-partnership"' not in text  # one partnership's items only
        assert {i.review.partnership for i in page.items} == {page.partnership.name}
        assert f"# {page.title}\n" in text and page.title.startswith("Recommendations tracker: ")
        assert 'Part of the <a href="' in text


def test_a_year_with_too_many_items_is_split_into_parts_without_splitting_a_review(region):
    # one partnership: the tracker lists years, and a year with two or more reviews has parts
    site = sized(region, tracker_page_items=10)
    site = replace(site, reviews=site.reviews_of(site.partnerships[0]))
    root = tracker.tracker_pages(site)
    assert all(p.source.startswith("tracker/") and p.partnership is None for p in root.parts)
    parts = [p for p in root.parts if ", part " in p.name]
    assert parts, "expected a year with more than one review"
    for page in root.parts:
        assert len(page.items) <= 10 or len({i.review.id for i in page.items}) == 1
    owners = Counter(i.review.id for p in root.parts for i in p.items)
    pages_of = {rid: {p.source for p in root.parts if any(i.review.id == rid for i in p.items)} for rid in owners}
    assert all(len(sources) == 1 for sources in pages_of.values())
    assert re.fullmatch(r"tracker/\d{4}-part-1\.md", parts[0].source)
    assert re.fullmatch(r"\d{4}, part 1 of \d", parts[0].name)


def test_tracker_page_items_is_read_from_site_yml(tmp_path):
    corpus.make(6, tmp_path)
    set_settings(tmp_path, {"tracker_page_items": 10})
    site = load_site(tmp_path).site
    assert site.settings.tracker_page_items == 10
    assert len(tracker_texts(site)) > 1


# Partnership pages link their own tracker and statistics

def test_each_partnership_page_links_its_own_tracker_page_and_statistics(region):
    split = sized(region, tracker_page_items=40)
    pages = partnership_pages(split)
    for partnership in split.partnerships:
        text = pages[partnership.source]
        own = sum(1 for i in tracker.site_items(split) if i.review.partnership == partnership.name)
        assert f'<a href="../../tracker/{partnership.slug}/">The {own} recommendations and actions' in text
        assert f"[Statistics of these reviews](../statistics/{partnership.slug}.md)" in text


def test_on_one_tracker_page_a_partnership_links_it_filtered_to_itself(region):
    site = sized(region, 20)
    page = partnership_pages(site)[site.partnerships[0].source]
    assert f'<a href="../../tracker/?partnership={site.partnerships[0].slug}">' in page


# Statistics by partnership

def test_each_partnership_has_statistics_counting_only_its_reviews_with_small_numbers_suppressed(region):
    site = sized(region, 60)
    parts = statistics.site_statistics(site)[1]
    assert [p.partnership for p in parts] == list(site.partnerships)
    whole = {c.id: c for c in statistics.breakdowns(site)}
    for chart_id in ("reviews-by-year", "reviews-by-type"):  # reviews are never suppressed: they add up
        totals = Counter()
        for part in parts:
            chart = next(c for c in part.charts if c.id == chart_id)
            totals.update({c.label: c.value for c in chart.counts})
        assert {c.label: c.value for c in whole[chart_id].counts if c.value} == {k: v for k, v in totals.items() if v}
    threshold = site.settings.small_number_threshold
    children_shown = []
    for part in parts:
        for chart in part.charts:
            assert chart.csv_path == f"statistics/{part.partnership.slug}/{chart.id}.csv"
            if chart.unit == "Children":
                for count in chart.counts:
                    small = 1 <= count.value <= threshold  # hidden, as "fewer than" or "withheld"
                    assert count.hidden if small else count.shown != f"fewer than {threshold + 1}"
                    children_shown.append(count.shown)
    assert "fewer than 3" in children_shown  # the corpus has small counts, so the check means something


def test_statistics_pages_and_csv_files_for_each_partnership(region):
    site = sized(region, 60)
    pages = {p.path: p.content for p in render_statistics(make_environment(site), site)}
    first = site.partnerships[0]
    text = pages[f"statistics/{first.slug}.md"]
    own = len(site.reviews_of(first))
    assert text.startswith(f'---\ntitle: "Statistics: {first.name}"\n')
    assert f"Charts of the {own} reviews published by [{first.name}](../partnerships/{first.slug}.md)" in text
    assert f"[Download these figures (CSV)]({first.slug}/children-by-sex.csv)" in text
    assert pages[f"statistics/{first.slug}/reviews-by-type.csv"].startswith("Type of review,Reviews\n")
    assert f"- [{first.name}]({first.slug}.md)" in pages["statistics/index.md"]


def test_a_site_of_one_partnership_has_one_statistics_page(region):
    site = sized(region)
    site = replace(site, reviews=site.reviews_of(site.partnerships[0]))
    pages = {p.path for p in render_statistics(make_environment(site), site)}
    assert {p for p in pages if p.endswith(".md")} == {"statistics/index.md"}


# The home page and the years

def test_a_small_site_lists_every_review_on_the_home_page(region):
    site = sized(region, 40)
    pages = {p.path: p.content for p in listings.render_catalogue(make_environment(site), site)}
    assert list(pages) == ["index.md"]
    assert pages["index.md"].count('<li class="sb-card"') == 40
    assert 'id="sb-filter-year"' in pages["index.md"] and "catalogue/" not in pages["index.md"]


def test_a_large_site_lists_the_newest_on_the_home_page_and_every_review_on_its_years_page(region):
    site = sized(region, home_page_reviews=25)
    pages = {p.path: p.content for p in listings.render_catalogue(make_environment(site), site)}
    home = pages.pop("index.md")
    listed = re.findall(r'<h2 class="sb-card__title" id="([^"]+)">', home)
    assert listed == [r.id for r in site.reviews[:25]]
    years = sorted({r.year for r in site.reviews}, reverse=True)
    assert list(pages) == [f"catalogue/{year}.md" for year in years]
    for year in years:
        assert f"[{year}](catalogue/{year}.md)" in home
    assert "search box" in home and 'id="sb-filter-year"' not in home
    on_years = Counter()
    for path, text in pages.items():
        year = int(path[len("catalogue/"):-len(".md")])
        ids = re.findall(r'<h2 class="sb-card__title" id="([^"]+)">', text)
        assert ids == [r.id for r in site.reviews if r.year == year]
        on_years.update(ids)
        for control in ("sb-filter-theme", "sb-filter-type", "sb-filter-partnership"):
            assert f'id="{control}"' in text
    assert on_years == Counter(r.id for r in site.reviews)


def test_partnership_pages_point_to_the_catalogue_only_when_it_lists_every_review(region):
    small, large = sized(region, 20), sized(region, 20, home_page_reviews=10)
    for site, expected in ((small, True), (large, False)):
        page = partnership_pages(site)[site.partnerships[0].source]
        assert ("See them in the catalogue, with filters" in page) is expected


# The benchmark

def test_the_bench_counts_the_tracker_years_and_months_as_listings_and_a_partnerships_statistics_as_ordinary():
    from generator.dev.bench import is_listing

    for page in ("index.html", "catalogue/2024/index.html", "themes/neglect/index.html",
                 "partnerships/x/index.html", "tracker/index.html", "tracker/x/index.html", "tracker/x/2024/index.html",
                 "whats-new/index.html", "whats-new/2024-03/index.html"):
        assert is_listing(page), page
    for page in ("reviews/x/index.html", "reviews/x/learning-brief/index.html", "statistics/index.html",
                 "statistics/x/index.html", "glossary/index.html"):
        assert not is_listing(page), page


def _subtraction_gives_back(whole, parts) -> list[str]:
    """Every hidden count that simple subtraction recovers: a row with one hidden count (its total
    is known from another chart), or a category hidden for one partnership only while shown for
    the whole site (the site's count is the partnerships' sum)."""
    found = []
    for counts in (whole, *parts):
        hidden = [c for c in counts if c.hidden]
        if len(hidden) == 1 and any(c.value for c in counts if not c.hidden):
            found.append(f"row: {hidden[0].label}")
    for column, site_count in enumerate(whole):
        hidden = [p[column] for p in parts if p[column].hidden]
        if not site_count.hidden and len(hidden) == 1:
            found.append(f"column: {site_count.label}")
    return found


def test_no_small_count_of_children_can_be_worked_out_by_subtraction(region):
    for n in (30, 60, 150):
        site = sized(region, n)
        whole, parts = statistics.site_statistics(site)
        for k, chart in enumerate(whole):
            if chart.unit != "Children":
                continue
            part_counts = [part.charts[k].counts for part in parts]
            # and the values are the true ones: what is shown is never false
            for counts in (chart.counts, *part_counts):
                assert all(c.shown in (str(c.value), "withheld", "fewer than 3") for c in counts)
        # nor by any sum across the files, worked out exactly (tests/disclosure.py)
        assert recoverable(csv_files(render_statistics(make_environment(site), site))) == [], n
    withheld = [c for part in parts for chart in part.charts for c in chart.counts if c.withheld]
    assert withheld  # the corpus needed secondary suppression, so the check means something


def test_one_hidden_count_brings_a_second_and_the_rule_holds_across_partnerships():
    from generator.pages.views.statistics import Count, protect

    total = [Count("All", 14)]  # another chart of the same children gives their total
    row = [Count("A", 9), Count("B", 1, 3), Count("C", 4), Count("D", 0)]
    (only,), _ = protect([[row], [total]], [0])
    assert [c.shown for c in only] == ["9", "fewer than 3", "withheld", "0"]  # the smaller, so 9 stays
    two = [Count("A", 1, 3), Count("B", 2, 3), Count("C", 7)]
    assert protect([[list(two)], [[Count("All", 10)]]], [0])[0] == [two]  # 1 and 2 could be 2 and 1
    whole = [Count("Girls", 14), Count("Boys", 13)]
    north = [Count("Girls", 1, 3), Count("Boys", 6)]
    south = [Count("Girls", 13), Count("Boys", 7)]
    (site, n, s), _ = protect([[whole, north, south], [[Count("All", 27)], [Count("All", 7)], [Count("All", 20)]]],
                              [0, 0, 0])
    assert _subtraction_gives_back(site, [n, s]) == []
    files = {f"{folder}/children-by-sex.csv": "Sex,Children\n" + "".join(f"{c.label},{c.shown}\n" for c in counts)
             for folder, counts in (("statistics", site), ("statistics/n", n), ("statistics/s", s))}
    files.update({f"{folder}/children-by-age.csv": f"Age,Children\nAll,{all_}\n"
                  for folder, all_ in (("statistics", 27), ("statistics/n", 7), ("statistics/s", 20))})
    assert recoverable(files) == []  # nor by anything else a reader can do with these figures
    assert sum(c.hidden for c in (*site, *n, *s)) >= 4
