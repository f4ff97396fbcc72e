"""Privacy: the hashed denylist and the identifying-detail detectors."""
from generator.pipeline import load_site
from generator.privacy import Denylist, detect, nhs_number_is_valid, normalise

from conftest import make_project, minimal, run_cli


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


def test_denylist_matches_whole_words_and_phrases_only():
    denylist = Denylist(salt=b"s")
    denylist.add_clear("Oak Lane", "test")
    denylist.add_clear("Ann", "test")
    assert [o for o, _ in denylist.find("They lived on OAK  lane.")] == [14]
    assert denylist.find("An oak tree in the lane; Annie and Joanne") == []
    assert [o for o, _ in denylist.find("Ann's school")] == [0]


def test_denylist_phrases_sharing_a_first_word_are_each_found_through_the_hashed_file(tmp_path):
    from generator.privacy import add_to_denylist, load_denylist

    for term in ("Oak Lane", "Oak Primary School", "Ann"):
        assert add_to_denylist(tmp_path, term)
    stored = (tmp_path / "_denylist.yml").read_text()
    assert "starts:" in stored and "oak" not in stored.lower()
    denylist, problems = load_denylist(tmp_path, environ={})
    assert problems == [] and len(denylist.starts) == 2  # "oak" once, "ann" once
    text = "Ann went to oak primary school on Oak Lane; an oak tree stood in the lane."
    assert [o for o, _ in denylist.find(text)] == [0, 12, 34]


def test_a_denylist_file_from_before_starts_were_kept_still_finds_every_phrase(tmp_path):
    from generator.privacy import add_to_denylist, load_denylist

    add_to_denylist(tmp_path, "Oak Primary School")
    path = tmp_path / "_denylist.yml"
    path.write_text("\n".join(line for line in path.read_text().splitlines()
                              if not line.startswith(("starts:", "- ")) or line.startswith("- ") and
                              len(line) > 20))  # drop the starts, keep the 64-digit hashes
    assert "starts" not in path.read_text()
    denylist, problems = load_denylist(tmp_path, environ={})
    assert problems == [] and denylist.starts is None
    assert [o for o, _ in denylist.find("He went to Oak Primary School.")] == [11]
    add_to_denylist(tmp_path, "Ann")  # a term added later cannot make the old file gated
    assert "starts" not in path.read_text()


def test_denylist_from_outside_the_repository(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": with_text("They met at Hillside Academy.")})
    private = tmp_path.parent / "private-terms.txt"
    private.write_text("# names\nHillside Academy\n")
    by_file = run_cli(tmp_path, "check", env={"BRIEFINGS_DENYLIST_FILE": str(private)})
    assert by_file.returncode == 1
    assert "(the list in BRIEFINGS_DENYLIST_FILE)" in by_file.stderr and "Hillside" not in by_file.stderr
    by_variable = run_cli(tmp_path, "check", env={"BRIEFINGS_DENYLIST": "someone else;hillside academy"})
    assert by_variable.returncode == 1 and "(the list in BRIEFINGS_DENYLIST)" in by_variable.stderr


def test_normalise_folds_case_accents_and_spacing():
    assert normalise("  Zoë\tO'Brien-SMITH ") == ["zoe", "o", "brien", "smith"]


def test_nhs_numbers_pass_the_modulus_11_check():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert [name for _, name in detect("ref 943 476 5919", set())] == ["nhs-number"]
    assert detect("ref 943 476 5918", set()) == []


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
    assert any(p.startswith("briefings/_events.yml:5: events[0].notes: looks like a phone number") for p in problems), problems
