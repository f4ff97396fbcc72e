"""YAML slips an officer makes, each with the exact message `check` gives (tests/yaml_mistakes/)."""

import pytest
import yaml

from conftest import TESTS, make_project, run_cli
from generator.check.review import check_text
from generator.load.documents import load_text

MISTAKES = TESTS / "yaml_mistakes"
EXPECTED = {line.split(":", 1)[0].removeprefix("briefings/"): line
            for line in (MISTAKES / "expected.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")}


def test_every_mistake_has_its_expected_message():
    assert sorted(EXPECTED) == sorted(p.name for p in MISTAKES.glob("*.yml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_mistake_gets_its_message(name):
    doc, problems = load_text(f"briefings/{name}", (MISTAKES / name).read_text(encoding="utf-8"))
    assert doc is None and [str(p) for p in problems] == [EXPECTED[name]]


# (the slip, the line the advice says to write): the advice must name that line, and the file
# with it must read as meant.
MENDS = {
    "over-indented.yml": ("      sex: female", "    sex: female"),
    "no-space-after-colon.yml": ("sex:female", "sex: female"),
    "item-starts-with-quotation.yml": ('- "Nobody asked" - she said', "- '\"Nobody asked\" - she said'"),
    "value-starts-with-quotation.yml": ('summary: "Nobody asked" was what she said.',
                                        "summary: '\"Nobody asked\" was what she said.'"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_following_the_advice_mends_the_file(name):
    slip, right = MENDS[name]
    text = (MISTAKES / name).read_text(encoding="utf-8")
    assert slip in text
    if name != "over-indented.yml":  # that advice gives the distance to move the line instead
        assert right.strip() in EXPECTED[name]
    data = yaml.safe_load(text.replace(slip, right))
    assert data["id"] == "child-z-2024" and data["status"] == "published"


def test_check_prints_the_message_for_a_review_file(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": (MISTAKES / "no-space-after-colon.yml").read_text()})
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == EXPECTED["no-space-after-colon.yml"].replace(
        "no-space-after-colon.yml", "child-z-2024.yml")


def test_an_unknown_theme_with_nothing_close_lists_the_nearest_themes(tmp_path):
    """It said "add it there first, or choose an existing theme" and listed none."""
    from conftest import minimal

    make_project(tmp_path, {"child-z-2024.yml": minimal().replace("themes: [neglect]", "themes: [zzzz]")})
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    line = next(n for n, text in enumerate(minimal().splitlines(), 1) if text.startswith("themes:"))
    assert result.stderr.splitlines()[0] == (
        f"briefings/child-z-2024.yml:{line}: themes[1]: 'zzzz' is not in the theme vocabulary (briefings/_themes.yml); "
        "choose an existing theme (the nearest are voice-of-the-child, trauma-informed-practice, "
        "transition-to-adulthood, substance-misuse, sexual-abuse; all 31 are listed in briefings/_themes.yml), "
        "or add it there first")


def tip_examples() -> list[tuple[str, str]]:
    """The before and after examples of the Publishing guide's tips for YAML, in pairs."""
    from conftest import REPO
    import re as regex

    guide = (REPO / "docs" / "about" / "publishing-guide.md").read_text(encoding="utf-8")
    tips = guide[guide.index("### Tips for YAML"):guide.index("## Preview before you publish")]
    blocks = regex.findall(r"```(?:yaml|text)\n(# (before|after)[^\n]*\n.*?)```", tips, regex.S)
    befores = [b.replace("→", "\t") for b, kind in blocks if kind == "before"]
    afters = [b for b, kind in blocks if kind == "after"]
    assert len(befores) == len(afters) == 5
    return list(zip(befores, afters))


@pytest.mark.parametrize("before, after", tip_examples())
def test_each_yaml_tip_shows_a_real_mistake_and_its_mend(before, after):
    """Each 'before' gets the message its tip quotes; each 'after' reads cleanly as meant."""
    import re as regex

    from conftest import REPO

    guide = (REPO / "docs" / "about" / "publishing-guide.md").read_text(encoding="utf-8")
    doc, problems = load_text("briefings/tip.yml", before)
    problems += check_text(doc, "review") if doc else []  # a '#' is found by the text check
    assert problems, before
    tip = guide[:guide.index(before.replace("\t", "→"))].rsplit("**", 1)[-1]  # the tip's words above it
    quoted = regex.findall(r"\(`([^`]+)`\)", tip)
    assert quoted and quoted[0] in str(problems[0]), (quoted, problems)
    doc, problems = load_text("briefings/tip.yml", after)
    assert problems == [] and doc is not None and check_text(doc, "review") == []
