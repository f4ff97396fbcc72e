"""The synthetic corpus: valid, realistic in length, several partnerships, years and themes."""
from collections import Counter

from generator.dev import corpus
from generator.model.types import words
from generator.site import load_site


def test_the_corpus_is_valid_realistic_and_spread_over_partnerships_and_years(tmp_path):
    made = corpus.make(40, tmp_path)
    assert len(made.ids) == len(set(made.ids)) == 40
    result = load_site(tmp_path)
    assert result.problems == []  # not even a warning: every briefing fits its seven minutes
    reviews = result.site.reviews
    assert len(reviews) == 40
    for review in reviews:
        assert len(review.findings) == 5 and len(review.timeline) == 6
        assert 1200 <= sum(words(t) for s in review.briefing_sections() for t in s) <= 1400
        assert 3 <= len(review.themes) <= 5
    assert len({r.partnership for r in reviews}) >= 6
    assert len({r.year for r in reviews}) >= 5
    assert len(Counter(t.id for r in reviews for t in r.themes)) >= 15


def test_review_i_is_the_same_whatever_the_size_of_the_corpus(tmp_path):
    small = corpus.make(3, tmp_path / "small")
    large = corpus.make(6, tmp_path / "large")
    assert large.ids[:3] == small.ids
    for review_id in small.ids:
        name = f"briefings/{review_id}.yml"
        assert (tmp_path / "small" / name).read_bytes() == (tmp_path / "large" / name).read_bytes()


def test_the_corpus_has_a_denylist_that_is_checked_like_a_partnerships(tmp_path):
    made = corpus.make(2, tmp_path)
    assert len(corpus.denied_terms()) == 170
    path = tmp_path / "briefings" / f"{made.ids[0]}.yml"
    path.write_text(path.read_text().replace("summary: ", "summary: Cosmo  DRUMMOND said. ", 1))
    problems = load_site(tmp_path).problems
    assert [(p.file, p.field) for p in problems] == [(f"briefings/{made.ids[0]}.yml", "summary")]
    assert "denylist" in problems[0].message and "drummond" not in str(problems[0]).lower()


def test_a_title_cut_to_length_ends_at_a_whole_word():
    """At 5,000 reviews, titles cut mid-word ("... at school d") read as a form of a denylisted
    school's name ("School D") and the corpus could not be built."""
    title = "The midwife asked about the child's presentation at school during the winter"
    assert corpus.clip(title, 60) == "The midwife asked about the child's presentation at school"
    assert corpus.clip(title, 200) == title
    assert corpus.clip("Safeguarding", 5) == "Safeg"  # one long word: cut, as nothing else is left
