"""What's new: the monthly digest's wording, in the national repository's style."""
import html

from generator.pages.views.digest import entry, heading, months, opening
from generator.pages.reports import render_digest
from generator.pages.environment import make_environment

from review_fixtures import child, load, review


def test_opening_gives_outcome_age_sex_and_month_in_words(tmp_path):
    site = load(tmp_path, review("marie-2023", child("Marie", age=16, sex="female", outcome="died"),
                                 published="2023-06", incident="2020-01-14"))
    (marie,) = site.reviews
    assert opening(marie) == "Death of a 16-year-old girl in January 2020"  # the month, never the day
    assert heading(marie) == "Marie – Example Partnership"


def test_opening_for_babies_bands_groups_and_harm(tmp_path):
    site = load(tmp_path,
                review("baby-2024", child("Baby T", age="'14 weeks'", sex="female", outcome="seriously harmed")),
                review("twins-2024", child("Q", age=12, outcome="seriously harmed"),
                       child("S", age=12, outcome="seriously harmed"), incident=2015),
                review("band-2024", child("D", age_band="10-15", sex="male"), child("E", age_band="10-15", sex="male"),
                       extra="harm: [harmful-sexual-behaviour]\n"),
                review("mixed-2024", child("F", age=11, sex="male", outcome="other"), child("G", age=8, sex="female")))
    said = {r.id: opening(r) for r in site.reviews}
    assert said == {
        "baby-2024": "Serious harm to a 14-week-old girl",
        "twins-2024": "Serious harm to two 12-year-old children in 2015",
        "band-2024": "Harmful sexual behaviour involving two boys aged 10 to 15",
        "mixed-2024": "Review concerning an 11-year-old boy and an 8-year-old girl",
    }


def test_a_review_without_children_opens_with_its_summary(tmp_path):
    site = load(tmp_path, review("themes-2024"))
    assert opening(site.reviews[0]) == "A short summary"


def test_entries_list_learning_then_recommendations_and_point_to_the_rest(tmp_path):
    learning = "learning:\n" + "".join(f"  - number: {n}\n    text: Lesson {n}.\n" for n in range(1, 8))
    recs = "recommendations:\n  - number: 1\n    text: Do the first thing.\n"
    site = load(tmp_path, review("z-2024", child("Zed", age=5, sex="male", outcome="died"), extra=learning + recs))
    item = entry(site.reviews[0])
    assert item.learning == ("Lesson 1.", "Lesson 2.", "Lesson 3.", "Lesson 4.", "Lesson 5.")
    assert item.more_learning == 2
    assert item.recommendations == ("Do the first thing.",) and item.recommendations_heading == "Recommendations include"


def test_a_page_per_month_newest_first_with_only_published_reviews(tmp_path):
    site = load(tmp_path,
                review("old-2023", child("Amy", age=16, sex="female", outcome="died"), published="2023-06",
                       incident="2020-01"),
                review("new-2024", child("Ben", age=4, sex="male", outcome="died"), published="2024-02-10"),
                review("year-2016", child("Cal", age=2, sex="male", outcome="died"), published="2016"),
                review("draft-2024", child("Secretname", age=2, sex="male", outcome="died"), status="draft"))
    assert [m.source for m in months(site)] == ["whats-new/2024-02.md", "whats-new/2023-06.md", "whats-new/2016.md"]
    pages = {p.path: html.unescape(p.content) for p in render_digest(make_environment(site), site)}
    june = pages["whats-new/2023-06.md"]
    assert "# New in June 2023" in june
    assert "## [Amy](../reviews/old-2023/index.md) – Example Partnership { #old-2023 }" in june
    entry_text = june[june.index("{ #old-2023 }"):]
    assert entry_text.index("Death of a 16-year-old") < entry_text.index("Learning includes")
    assert "**Death of a 16-year-old girl in January 2020.**" in june
    assert "[the learning brief](../reviews/old-2023/learning-brief.md)" in june
    assert "# Published in 2016 (month not recorded)" in pages["whats-new/2016.md"]
    index = pages["whats-new/index.md"]
    assert index.index("New in February 2024") < index.index("New in June 2023") < index.index("Published in 2016")
    assert "[the news feed](../feed.xml)" in index
    assert '<a href="../reviews/old-2023/">Amy</a>' in index  # each name links to its briefing
    assert not any("Secretname" in text or "draft-2024" in text for text in pages.values())
