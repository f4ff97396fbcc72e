"""Checked documents become the typed model (generator/model/build.py): every value typed, every
default the model's own, and an agency named as the vocabulary names it."""
from generator.load.documents import load_text
from generator.model import build
from generator.model.types import Agency, Child, PartialDate, Question, Settings, Theme

from conftest import minimal

THEMES = {t.id: t for t in (Theme("neglect", "Neglect", "..."), Theme("information-sharing", "Information sharing", "..."))}
AGENCIES = build.agency_index((Agency("csc", "Children's Social Care", ("CSC", "social services")),))


def review_from(text: str, agencies=None):
    doc, problems = load_text("briefings/child-z-2024.yml", text)
    assert problems == []
    return build.review_from(doc, THEMES, agencies)


def test_a_review_file_becomes_typed_values():
    review = review_from(minimal())
    assert (review.id, review.source, review.status) == ("child-z-2024", "briefings/child-z-2024.yml", "published")
    assert review.published == PartialDate(2024, 1)
    assert review.themes == (THEMES["neglect"],)
    assert review.findings[0].themes == (THEMES["information-sharing"],)
    assert review.children == (Child("Child Z", "9 years", "5-9"),)
    assert review.questions == (Question(1, "What would you do?"),)  # a plain question is numbered in order
    assert review.review_by is None and review.briefing_only is False


def test_findings_are_in_the_order_of_their_numbers_and_ages_fall_in_the_national_bands():
    text = minimal().replace("    age: 9\n", "    age: 8 months\n  - pseudonym: Child Y\n    age: 16\n")
    text = text.replace("  - number: 1\n    title: First finding", "  - number: 2\n    title: Second finding\n"
                        "    summary: Later.\n  - number: 1\n    title: First finding")
    review = review_from(text)
    assert [f.number for f in review.findings] == [1, 2]
    assert [(c.age, c.age_band) for c in review.children] == [("8 months", "under 1"), ("16 years", "16-17")]
    assert review.name == "Child Z and Child Y"


def test_an_agency_is_named_as_the_vocabulary_names_it_and_keeps_its_own_words_without_one():
    text = minimal() + "recommendations:\n  - number: 1\n    text: Train staff.\n    to: social  Services\n"
    [known] = review_from(text, AGENCIES).recommendations
    assert (known.to, known.to_id) == ("Children's Social Care", "csc")
    [unknown] = review_from(text).recommendations
    assert (unknown.to, unknown.to_id) == ("social  Services", None)


def test_settings_left_out_of_the_site_file_take_the_models_defaults():
    given = {"site_name": "Learning from reviews", "partnership": "Example Partnership",
             "contact_email": "reviews@example.org"}
    assert build.settings_from(given) == Settings(**given)
    changed = build.settings_from({**given, "briefing_minutes": 10, "accessibility": {"response_days": 5}})
    assert (changed.briefing_minutes, changed.accessibility_response_days, changed.word_budget) == (10, 5, 2000)


def test_the_glossary_is_in_the_order_a_reader_looks_terms_up():
    terms = build.glossary_from({"terms": [{"term": "Looked after child", "definition": "...", "abbreviation": "LAC"},
                                           {"term": "disguised compliance", "definition": "..."},
                                           {"term": "Child and Adolescent Mental Health Services",
                                            "definition": "...", "abbreviation": "CAMHS"}]})
    assert [t.label for t in terms] == ["CAMHS", "disguised compliance", "LAC"]
