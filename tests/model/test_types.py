"""The typed model (generator/model/types.py): dates as reviews write them, names as readers say
them, what is held back and why, and what a site lists."""
import datetime as dt
from dataclasses import replace

import pytest

from generator.model.types import (Child, Event, Finding, PartialDate, Review, Settings, Site, Theme, agency_key,
                                   slug, words)

NEGLECT = Theme("neglect", "Neglect", "When needs are not met.")
HOUSING = Theme("housing", "Housing", "Where a family lives.")


def a_review(**changes) -> Review:
    review = Review(id="child-z-2024", source="briefings/child-z-2024.yml", status="published",
                    title="Review: Child Z", type="lcspr", partnership="Example Partnership",
                    summary="A summary.", published=PartialDate(2024, 1), background="Background.",
                    what_happened="What happened.", why_it_matters="Why it matters.", themes=(NEGLECT,),
                    findings=(), practice_points=("Share what you know.",), questions=())
    return replace(review, **changes)


@pytest.mark.parametrize("text, date, first, last, shown", [
    ("2020", PartialDate(2020), dt.date(2020, 1, 1), dt.date(2020, 12, 31), "2020"),
    ("2024-02", PartialDate(2024, 2), dt.date(2024, 2, 1), dt.date(2024, 2, 29), "February 2024"),
    ("2023-02", PartialDate(2023, 2), dt.date(2023, 2, 1), dt.date(2023, 2, 28), "February 2023"),
    ("2021-11-05", PartialDate(2021, 11, 5), dt.date(2021, 11, 5), dt.date(2021, 11, 5), "5 November 2021"),
])
def test_a_partial_date_covers_its_year_month_or_day(text, date, first, last, shown):
    parsed = PartialDate.parse(text)
    assert parsed == date and parsed.iso() == text and str(parsed) == shown
    assert (parsed.first_day, parsed.last_day) == (first, last)


@pytest.mark.parametrize("text, reason", [
    ("2020-13", "there is no month 13; months run from 01 to 12"),
    ("2023-02-29", "February 2023 has no day 29"),
    ("April 2020", "write a year (2020), a month (2020-04) or a full date (2020-04-15)"),
    ("2020-4", "write a year (2020), a month (2020-04) or a full date (2020-04-15)"),
])
def test_a_date_that_is_not_one_says_why_in_plain_words(text, reason):
    with pytest.raises(ValueError) as raised:
        PartialDate.parse(text)
    assert str(raised.value) == reason


@pytest.mark.parametrize("text, count", [
    ("", 0), ("Child Z's mother", 3), ("Child Z’s mother", 3), ("well-known, (twice)!", 2),
    ("Zoë went to the GP — twice", 6), ("line\nbreaks\tand  spaces", 4), ("1,400 words", 3),
])
def test_words_are_runs_of_letters_digits_apostrophes_and_hyphens(text, count):
    assert words(text) == count
    assert words(text + " é") == count + 1  # the non-ASCII way counts the same


def test_slug_and_agency_key_ignore_what_a_reader_would_not_notice():
    assert slug("  St Mary’s & Example Partnership ") == "st-mary-s-example-partnership"
    assert agency_key("Children’s  Social CARE") == agency_key("children's social care") == "children's social care"


@pytest.mark.parametrize("names, said", [
    ((), "Review: Child Z"), (("Child Z",), "Child Z"), (("Child Q", "Child S"), "Child Q and Child S"),
    (("A", "B", "C"), "A, B and C"),
])
def test_a_review_is_named_as_a_reader_would_say_it(names, said):
    assert a_review(children=tuple(Child(n) for n in names)).name == said


@pytest.mark.parametrize("status, published, reason", [
    ("published", PartialDate(2024, 1), None),
    ("published", PartialDate(2024, 2), "embargoed until 2024-02-01"),
    ("draft", PartialDate(2020), "draft"),
    ("withdrawn", PartialDate(2020), "withdrawn"),
])
def test_what_holds_a_review_back_on_a_given_day(status, published, reason):
    assert a_review(status=status, published=published).held_back_reason(dt.date(2024, 1, 31)) == reason


def test_the_word_budget_is_the_reading_speed_times_the_minutes():
    settings = Settings("Site", "Example Partnership", "a@example.org")
    assert settings.word_budget == 200 * 7
    assert replace(settings, words_per_minute=150, briefing_minutes=10).word_budget == 1500


def test_a_site_finds_reviews_by_a_theme_on_a_finding_and_lists_each_partnership_once():
    finding = Finding(1, "Housing", "Nobody asked where they lived.", themes=(HOUSING,))
    older = a_review(id="older", published=PartialDate(2020), partnership="example partnership")
    newer = a_review(id="newer", published=PartialDate(2023, 5), findings=(finding,))
    elsewhere = a_review(id="elsewhere", published=PartialDate(2022), partnership="North Partnership")
    site = Site(Settings("Site", "Example Partnership", "a@example.org"), (newer, older), (NEGLECT, HOUSING), (),
                harvested=(elsewhere,))
    assert site.reviews_with_theme(HOUSING) == (newer,)
    assert [p.slug for p in site.partnerships] == ["example-partnership"]  # one address for both spellings
    assert [r.id for r in site.with_harvested().reviews] == ["newer", "elsewhere", "older"]
    assert [p.name for p in site.with_harvested().partnerships] == ["Example Partnership", "North Partnership"]


def test_an_events_anchor_comes_from_its_date_and_title():
    event = Event(PartialDate(2025, 3, 14), "Neglect: what we learnt (Part 2)", "workshop", "All staff")
    assert event.anchor == "event-2025-03-14-neglect-what-we-learnt-part-2"
    assert event.ends == event.date and replace(event, until=PartialDate(2025, 4)).ends == PartialDate(2025, 4)
