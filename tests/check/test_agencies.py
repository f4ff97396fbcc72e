"""The agency vocabulary (briefings/_agencies.yml): messages with their lines, aliases read as the
agency, and the tracker listing each agency once."""
import shutil

from generator.pages.views.tracker import agencies, site_items
from generator.site import load_site

from conftest import REPO, make_project, minimal

VOCABULARY = """\
agencies:
  - id: police
    name: Police
    aliases: [Police (Constabulary), Greater Manchester Police]
  - id: childrens-social-care
    name: Children's social care
"""

ITEMS = """\
recommendations:
  - number: 1
    to: {first}
    text: Do one thing.
  - number: 2
    to: {second}
    text: Do another.
actions:
  - action: Check it worked.
    owner: {third}
"""


def project_with(tmp_path, first="police", second="police", third="childrens-social-care", vocabulary=VOCABULARY):
    make_project(tmp_path, {"child-z-2024.yml": minimal() + ITEMS.format(first=first, second=second, third=third)})
    if vocabulary is not None:
        (tmp_path / "briefings" / "_agencies.yml").write_text(vocabulary, encoding="utf-8")
    return load_site(tmp_path)


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_an_unknown_agency_is_named_with_its_line_and_the_nearest_suggested(tmp_path):
    result = project_with(tmp_path, first="Polise", third="Ministry of Magic")
    assert messages(result) == [
        "briefings/child-z-2024.yml:27: recommendations[1].to: 'Polise' is not in the agency vocabulary "
        "(briefings/_agencies.yml): did you mean 'police' (Police)?",
        "briefings/child-z-2024.yml:34: actions[1].owner: 'Ministry of Magic' is not in the agency vocabulary "
        "(briefings/_agencies.yml); write the id of one of its 2 agencies (childrens-social-care, police), "
        "or add this one to briefings/_agencies.yml (as a new agency, or as an alias of one) first",
    ]


def test_an_action_on_a_finding_is_checked_too(tmp_path):
    text = minimal().replace("    themes: [information-sharing]\n", "    themes: [information-sharing]\n"
                             "    actions:\n      - action: Share it.\n        owner: Poilce\n")
    make_project(tmp_path, {"child-z-2024.yml": text})
    (tmp_path / "briefings" / "_agencies.yml").write_text(VOCABULARY, encoding="utf-8")
    assert messages(load_site(tmp_path)) == [
        "briefings/child-z-2024.yml:23: findings[1].actions[1].owner: 'Poilce' is not in the agency vocabulary "
        "(briefings/_agencies.yml): did you mean 'police' (Police)?"]


def test_aliases_and_names_in_any_case_are_read_as_the_agency_and_listed_once(tmp_path):
    result = project_with(tmp_path, first="police  (CONSTABULARY)", second="Greater Manchester Police",
                          third="Children\u2019s Social Care")
    assert messages(result) == []
    items = site_items(result.site)
    assert [(i.agency, i.agency_key) for i in items] == [
        ("Police", "police"), ("Police", "police"), ("Children's social care", "childrens-social-care")]
    assert agencies(items) == ("Children's social care", "Police")


def test_a_mistake_in_the_vocabulary_file_is_named_with_its_line(tmp_path):
    broken = VOCABULARY + "  - id: Bad Id\n    nme: Oops\n"
    assert messages(project_with(tmp_path, vocabulary=broken)) == [
        "briefings/_agencies.yml:7: agencies[3].id: found 'Bad Id'; use lower-case letters, digits and single hyphens only",
        "briefings/_agencies.yml:7: agencies[3].name: is missing; add 'name:' with text",
        "briefings/_agencies.yml:8: agencies[3].nme: unknown field 'nme': did you mean 'name'? "
        "A misspelt field would be lost, so correct or remove it",
    ]


def test_a_spelling_two_agencies_share_and_an_id_used_twice_are_refused(tmp_path):
    twice = VOCABULARY + ("  - id: police\n    name: Constabulary\n"
                          "  - id: gmp\n    name: GMP\n    aliases: [greater manchester police]\n")
    assert messages(project_with(tmp_path, vocabulary=twice)) == [
        "briefings/_agencies.yml:7: agencies[3].id: 'police' is already the id of the agency on line 2; "
        "give each agency its own id",
        "briefings/_agencies.yml:11: agencies[4].aliases[1]: 'greater manchester police' already names the agency "
        "'police' on line 4; a spelling can stand for one agency only, so remove it from one of them",
    ]


def test_without_a_vocabulary_each_review_keeps_its_own_words(tmp_path):
    result = project_with(tmp_path, first="Police (Constabulary)", vocabulary=None)
    assert messages(result) == []
    assert [i.agency for i in site_items(result.site)][:1] == ["Police (Constabulary)"]


def test_the_example_site_lists_each_agency_once(tmp_path):
    shutil.copytree(REPO / "briefings", tmp_path / "briefings")
    result = load_site(tmp_path)
    named = agencies(site_items(result.site))
    assert len(named) == len(set(named)) <= 14  # 34 spellings before the vocabulary
    assert "Police" in named and "Police (Constabulary)" not in named
