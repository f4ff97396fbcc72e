"""Privacy: the hashed denylist and the identifying-detail detectors."""
import pytest

from generator.site import load_site
from generator.check.privacy import Denylist, detect, nhs_number_is_valid, normalise

from conftest import make_project, minimal, run_cli
from privacy_cases import ALLOWED, DENIED, DETECTED, NAME, NOT_DENIED, SCHOOL


def with_text(text: str, field_line: str = "what_happened: Things went wrong.") -> str:
    return minimal().replace(field_line, f"what_happened: {text}")


def test_deny_stores_only_a_hash_and_check_names_file_line_and_field_not_the_term(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": with_text("She spoke to Zoë   SMITH-Jones at the club.")})
    added = run_cli(tmp_path, "deny", "zoe smith jones")
    assert added.returncode == 0, added.stderr
    stored = (tmp_path / "briefings" / "_denylist.yml").read_text()
    assert "zoe" not in stored.lower() and "smith" not in stored.lower()
    assert run_cli(tmp_path, "deny", "Zoe Smith Jones").stdout.startswith("That term is already on the denylist")

    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "briefings/child-z-2024.yml:14: what_happened: contains a term on the denylist (a hashed entry in "
        "briefings/_denylist.yml); remove it, or use the published pseudonym instead")
    assert "smith" not in result.stderr.lower() and "zo" not in result.stderr.lower()


def _hashed_denylist(folder, *terms):
    from generator.check.privacy import add_to_denylist, load_denylist

    for term in terms:
        assert add_to_denylist(folder, term)
    denylist, problems = load_denylist(folder, environ={})
    assert problems == []
    return denylist


def test_denylist_matches_whole_words_and_phrases_only():
    denylist = Denylist(salt=b"s")
    denylist.add_clear("Oak Lane", "test")
    denylist.add_clear("Ann", "test")
    assert denylist.find("They lived on OAK  lane.") == [(0, "test")]
    assert denylist.find("An oak tree in the lane; Annie and Joanne") == []
    assert denylist.find("First line.\nAnn's school") == [(1, "test")]  # (newlines before it, source)


@pytest.mark.parametrize("label, text", DENIED, ids=[label for label, _ in DENIED])
def test_every_spelling_a_reader_would_read_as_the_name_is_found(label, text, tmp_path):
    denylist = _hashed_denylist(tmp_path, NAME, SCHOOL)
    assert denylist.find(text), f"{label}: {text!r}"


@pytest.mark.parametrize("label, text", NOT_DENIED, ids=[label for label, _ in NOT_DENIED])
def test_other_names_and_longer_words_are_not_the_name(label, text, tmp_path):
    denylist = _hashed_denylist(tmp_path, NAME, SCHOOL)
    assert denylist.find(text) == [], f"{label}: {text!r}"


def test_the_file_holds_only_hashes_and_each_term_is_one_entry_of_several_forms(tmp_path):
    _hashed_denylist(tmp_path, "Oak Lane", "Oak Primary School", "Ann")
    stored = (tmp_path / "_denylist.yml").read_text()
    assert "format: 2" in stored and "oak" not in stored.lower() and "ann" not in stored.lower()
    from generator.check.privacy import add_to_denylist

    assert not add_to_denylist(tmp_path, "OAK   lane")  # the same term, however written


def test_a_term_of_any_length_from_outside_the_repository_is_matched(tmp_path):
    from generator.check.privacy import load_denylist

    long_name = "The Very Long Named Church of England Primary School and Nursery of Saint Mary"
    denylist, problems = load_denylist(tmp_path, environ={"BRIEFINGS_DENYLIST": long_name})
    assert problems == [] and len(long_name.split()) > 6
    assert denylist.find(f"She went to {long_name.upper()} in 2019.") == [(0, "the list in BRIEFINGS_DENYLIST")]


def _version_1_file(folder, terms, starts=True):
    """A denylist as the version before joined forms wrote it: hashes of words with spaces."""
    import hashlib
    import hmac

    salt = b"old salt"
    digest = lambda text: hmac.new(salt, text.encode(), hashlib.sha256).hexdigest()  # noqa: E731
    lines = [f"salt: {salt.hex()}", "hashes:"] + [f"- {digest(' '.join(normalise(t)))}" for t in terms]
    if starts:
        lines += ["starts:"] + [f"- '{digest(normalise(t)[0])[:4]}'" for t in terms]
    (folder / "_denylist.yml").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("starts", [True, False], ids=["with starts", "without starts"])
def test_a_version_1_denylist_still_finds_its_terms_and_warns_until_they_are_added_again(tmp_path, starts):
    from generator.check.privacy import add_to_denylist, load_denylist

    _version_1_file(tmp_path, ["Oak Primary School", "Ann"], starts)
    denylist, problems = load_denylist(tmp_path, environ={})
    assert [p.severity.value for p in problems] == ["warning"]
    assert "2 term(s) were added by an older version" in problems[0].message
    assert [n for n, _ in denylist.find("He went to Oak Primary School\nwith Ann.")] == [0, 1]
    assert denylist.find("He went to Oak Pri\u00admary School.")  # the text is read in the normal form
    assert denylist.find("He went to oakprimaryschool.") == []  # an old entry: only its words in order
    assert add_to_denylist(tmp_path, "Oak Primary School")  # added again: upgraded, the old hash dropped
    denylist, problems = load_denylist(tmp_path, environ={})
    assert "1 term(s) were added by an older version" in problems[0].message
    assert denylist.find("He went to oakprimaryschool.") and denylist.find("Ann was there.")
    assert add_to_denylist(tmp_path, "Ann")
    assert load_denylist(tmp_path, environ={})[1] == []
    assert "\nhashes:" not in (tmp_path / "_denylist.yml").read_text()


def test_the_denylist_file_of_the_synthetic_corpus_is_version_2(tmp_path):
    from generator.dev import corpus
    from generator.check.privacy import load_denylist

    corpus.make(0, tmp_path)  # the data files and the denylist, no review
    denylist, problems = load_denylist(tmp_path / "briefings", environ={})
    assert problems == [] and denylist.find("Cosmo Drummond's school") and denylist.find("Dr C. Drummond")


def test_denylist_from_outside_the_repository(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": with_text("They met at Hillside Academy.")})
    private = tmp_path.parent / "private-terms.txt"
    private.write_text("# names\nHillside Academy\n")
    by_file = run_cli(tmp_path, "check", env={"BRIEFINGS_DENYLIST_FILE": str(private)})
    assert by_file.returncode == 1
    assert "(the list in BRIEFINGS_DENYLIST_FILE)" in by_file.stderr and "Hillside" not in by_file.stderr
    by_variable = run_cli(tmp_path, "check", env={"BRIEFINGS_DENYLIST": "someone else;hillside academy"})
    assert by_variable.returncode == 1 and "(the list in BRIEFINGS_DENYLIST)" in by_variable.stderr


def test_normalise_folds_case_accents_spacing_format_characters_and_look_alikes():
    assert normalise("  Zoë\tO'Brien-SMITH ") == ["zoe", "o", "brien", "smith"]
    assert normalise("Zo\u00ade \u0421\u043emb\u0435 \uff2a\uff4f") == ["zoe", "combe", "jo"]
    # what a reader reads first (the link's text joined to the word it splits), then the address
    assert normalise("[Jor](https://x.org/a)dan &amp; JordanSmithson2019") == [
        "jordan", "jordan", "smithson", "2019", "https", "x", "org", "a"]


def test_nhs_numbers_pass_the_modulus_11_check():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert [name for _, name in detect("ref 943 476 5919", set())] == ["nhs-number"]
    assert detect("ref 943 476 5918", set()) == []


@pytest.mark.parametrize("name, text", DETECTED, ids=[f"{n}: {t}" for n, t in DETECTED])
def test_each_detector_catches_its_forms(name, text):
    assert {found for _, found in detect(text, set())} == {name}


@pytest.mark.parametrize("text", ALLOWED)
def test_ordinary_text_raises_no_alarm(text):
    assert detect(text, {"team@example.gov.uk"}) == []


def test_an_address_written_out_is_the_contact_address_when_it_is_one():
    assert detect("Write to team at example dot gov dot uk.", {"team@example.gov.uk"}) == []
    assert detect("Write to team at example dot gov dot uk.", set()) != []


def test_detectors_read_long_runs_of_almost_addresses():
    """The email search once went back over the text from every word ('a.' * 41,000 took 9.8 s in
    check); each search now starts from a few characters and is bounded (the time is in the report,
    not asserted here)."""
    assert detect("a." * 41_000 + " 1", set()) == []
    assert {name for _, name in detect("a@" * 20_000 + "b.com", set())} == {"email"}


def test_detectors_find_each_kind_and_ignore_ordinary_text():
    found = lambda text: sorted({name for _, name in detect(text, {"team@example.gov.uk"})})  # noqa: E731
    assert found("born on 03/04/2012") == ["date-of-birth"]
    assert found("her DOB was recorded") == ["date-of-birth"]
    assert found("Her date of birth was known") == ["date-of-birth"]
    assert found("lived at SW1A 1AA") == ["postcode"]
    assert found("call 07700 900123 or +44 20 7946 0000") == ["phone-number"]
    assert found("email a.person@example.com") == ["email"]
    assert found("NI number QQ123456C or AB 12 34 56 C") == ["ni-number"]
    assert found("Write to team@example.gov.uk. In 2019 and 2020, LA1 to LA6, 14 weeks, CSE and CAMHS.") == []
    assert found("She was born in 2009 and seen on 12 March 2015.") == []


def test_a_detector_can_be_allowed_for_one_field_with_a_reason(tmp_path):
    text = minimal() + "contact: Switchboard 0116 454 1004\n"
    make_project(tmp_path, {"child-z-2024.yml": text})
    assert [p.field for p in load_site(tmp_path).problems] == ["contact"]
    allowed = text + ("privacy_allow:\n  - check: phone-number\n    field: contact\n"
                      "    reason: The council's published switchboard.\n")
    (tmp_path / "briefings" / "child-z-2024.yml").write_text(allowed)
    assert load_site(tmp_path).problems == []
    elsewhere = allowed.replace("Things went wrong.", "Ring 0116 454 1004.")
    (tmp_path / "briefings" / "child-z-2024.yml").write_text(elsewhere)
    assert [p.field for p in load_site(tmp_path).problems] == ["what_happened"]


def test_configured_contact_addresses_are_allowed(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal() + "contact: LSCP@leicester.gov.uk\n"})
    assert load_site(tmp_path).problems == []


def test_the_line_inside_a_literal_block_is_exact(tmp_path):
    text = minimal().replace("what_happened: Things went wrong.",
                             "what_happened: |\n  First line.\n  Second line.\n  Ring 07700 900123.")
    make_project(tmp_path, {"child-z-2024.yml": text})
    [problem] = load_site(tmp_path).problems
    assert problem.line == 17


def test_events_file_is_checked_for_identifying_detail_too(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    (tmp_path / "briefings" / "_events.yml").write_text(
        "events:\n  - date: 2024-03-01\n    title: Learning circle\n    format: learning circle\n"
        "    notes: Ask Ms Smith on 07700 900123 for a place.\n    reviews:\n      - review: child-z-2024\n")
    problems = [str(p) for p in load_site(tmp_path).problems]
    assert any(p.startswith("briefings/_events.yml:5: events[1].notes: looks like a phone number") for p in problems), problems


def test_every_data_file_and_docs_page_is_checked_with_its_line(tmp_path, monkeypatch):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    briefings = tmp_path / "briefings"
    site = briefings / "_site.yml"
    site.write_text(site.read_text().replace("site_name: Learning from case reviews",
                                             "site_name: Learning from Jordan Smithson"))
    glossary = briefings / "_glossary.yml"
    glossary.write_text(glossary.read_text().replace("NHS services for children's mental health.",
                                                     "NHS services; ring 0116 454 1234."))
    themes = briefings / "_themes.yml"
    themes.write_text(themes.read_text().replace("name: Neglect", "name: Neglect of J. Smithson", 1))
    (tmp_path / "docs" / "about").mkdir(parents=True)
    (tmp_path / "docs" / "about" / "index.md").write_text("# About\n\nThanks to Smithson, Jordan.\n")
    monkeypatch.setenv("BRIEFINGS_DENYLIST", "Jordan Smithson")
    problems = [str(p) for p in load_site(tmp_path).problems]
    site_line = 1 + site.read_text().splitlines().index("site_name: Learning from Jordan Smithson")
    theme_line = 1 + next(i for i, line in enumerate(themes.read_text().splitlines()) if "J. Smithson" in line)
    expected = [f"briefings/_site.yml:{site_line}: site_name: contains a term on the denylist",
                "briefings/_glossary.yml:4: terms[1].definition: looks like a phone number",
                f"briefings/_themes.yml:{theme_line}: themes[",
                "docs/about/index.md:3: contains a term on the denylist"]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert not any("smithson" in p.lower() for p in problems)


def test_deny_takes_a_term_of_any_length(tmp_path):
    school = "St Mary and St John Church of England Voluntary Aided Primary School"
    make_project(tmp_path, {"child-z-2024.yml": with_text(f"She went to {school}.")})
    assert run_cli(tmp_path, "deny", school).returncode == 0
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1 and "what_happened: contains a term on the denylist" in result.stderr
