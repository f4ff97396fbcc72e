"""Issue 16: the pages a reader uses to find a briefing and work across reviews, on the example
site: the themes index A to Z, theme pages that count in words, the glossary's A to Z, what's new
linking each review, and statistics that say what they count."""
import html
import re

import pytest

from generator.pages.site import render_site
from generator.pages.views.statistics import breakdowns
from generator.site import load_site

from conftest import REPO


@pytest.fixture(scope="module")
def example():
    site = load_site(REPO).site
    return site, {p.path: html.unescape(p.content) for p in render_site(site) if isinstance(p.content, str)}


def test_the_themes_index_is_sorted_by_the_name_a_reader_sees(example):
    site, pages = example
    names = re.findall(r'<tr><td><a href="[^"]+/">([^<]+)</a>', pages["themes/index.md"])
    assert len(names) == len(site.themes) > 20
    assert names == sorted(names, key=str.lower)
    covid = names.index("Impact of the Covid-19 pandemic")
    assert names[covid - 1] == "Harmful sexual behaviour" and names[covid + 1] == "Information sharing and records"
    assert [t.name for t in site.themes] != names  # the vocabulary's own order is by id, not by name


def test_the_themes_index_counts_agree_with_the_statistics_chart(example):
    site, pages = example
    index = dict(re.findall(r'<tr><td><a href="[^"]+/">([^<]+)</a>.*?</td><td>(\d+)</td>', pages["themes/index.md"]))
    chart = next(c for c in breakdowns(site) if c.id == "reviews-by-theme")
    assert {c.label: c.shown for c in chart.counts} == index
    assert "The themes index counts the whole site's reviews in the same way." in pages["statistics/index.md"]


def test_a_theme_with_nothing_published_is_not_a_link(tmp_path):
    from generator.model.types import Theme
    from dataclasses import replace

    site = load_site(REPO).site
    unused = Theme("unused-theme", "An unused theme", "Nothing is tagged with it.")
    pages = {p.path: p.content for p in render_site(replace(site, themes=site.themes + (unused,)))}
    index = pages["themes/index.md"]
    assert "An unused theme <span class=\"sb-muted\">(nothing published yet)</span>" in index
    assert 'href="unused-theme/"' not in index


def test_a_theme_page_counts_what_it_shows_in_words(example):
    site, pages = example
    page = pages["themes/covid-19.md"]
    reviews = page[page.index("## Reviews with this theme"):page.index("## Findings")].count("\n<li ")
    findings = page[page.index("## Findings"):page.index("## Learning points")].count("\n<li ")
    points = page[page.index("## Learning points"):].count("\n<li ")
    words = {1: "", 0: "s"}
    assert (f"On this page: {reviews} review{words.get(reviews, 's')}, {findings} finding{words.get(findings, 's')} "
            f"and {points} learning point{words.get(points, 's')}.") in page
    assert 'data-count="review|reviews"' in page and 'data-count="finding|findings"' in page
    assert "entries" not in page


def test_learning_points_keep_the_reviews_own_numbers_with_the_review_named(example):
    site, pages = example
    expected = {(r.name, p.number) for r in site.reviews for p in r.learning
                if any(t.id == "information-sharing" for t in p.themes)}
    page = pages["themes/information-sharing.md"]
    shown = {(name, int(n)) for name, n in re.findall(r"<strong><a href=\"[^\"]+\">([^<]+), learning point (\d+)</a>", page)}
    assert shown == expected and len(expected) > 1


def test_the_glossary_has_letter_headings_and_an_a_to_z_jump_list(example):
    site, pages = example
    page = pages["glossary.md"]
    nav = page[page.index("<nav"):page.index("</nav>")]
    assert 'aria-label="Glossary letters"' in nav
    targets = re.findall(r'<a href="#(letter-[a-z]+)">([A-Z])', nav)
    headings = re.findall(r'^<h2 id="(letter-[a-z]+)">([A-Z])</h2>$', page, re.M)
    headings = [(letter, anchor) for anchor, letter in headings]
    assert [(t, letter) for letter, t in headings] == targets and len(targets) > 10
    first_letters = sorted({t.label[0].upper() for t in site.glossary})
    assert [letter for _, letter in targets] == first_letters
    for letter, anchor in headings:  # every term sits under its own letter
        section = page[page.index(f'<h2 id="{anchor}">'):].split("</dl>", 1)[0]
        labels = re.findall(r'<dt id="[^"]+">(?:<abbr>)?([^<:]+)', section)
        assert labels and all(label[0].upper() == letter for label in labels)


def test_whats_new_links_each_review_and_leads_with_pseudonym_and_partnership(example):
    site, pages = example
    index = pages["whats-new/index.md"]
    for review in site.reviews:
        assert f'<a href="../reviews/{review.id}/">{review.name}</a>' in index
    month = pages["whats-new/2023-06.md"]
    marie = next(r for r in site.reviews if r.id == "marie-2023")
    heading = next(line for line in month.splitlines() if line.endswith("{ #marie-2023 }"))
    assert heading == f"## [Marie](../reviews/marie-2023/index.md) – {marie.partnership} {{ #marie-2023 }}"
    after = month[month.index("{ #marie-2023 }"):]
    assert after.index("Death of a 16-year-old girl") < after.index("Learning includes")


def test_each_chart_says_what_it_counts_and_years_without_reviews_are_left_out(example):
    site, pages = example
    page = pages["statistics/index.md"]
    for chart in breakdowns(site):
        section = page[page.index(f"{{ #{chart.id} }}"):].split("\n## ", 1)[0]
        counted = re.search(r'<p class="sb-chart__counts">Each bar counts (\w+)', section)
        assert counted and counted.group(1) == chart.unit.lower(), chart.id
    years = next(c for c in breakdowns(site) if c.id == "reviews-by-year")
    assert all(c.value > 0 for c in years.counts)
    assert [c.label for c in years.counts] == sorted({str(r.year) for r in site.reviews})
