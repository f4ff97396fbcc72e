"""The officers' documentation describes the real settings and the real commands."""
import json
import re

from conftest import REPO, run_cli

GUIDE = (REPO / "docs" / "about" / "publishing-guide.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")
SITE_YML = (REPO / "briefings" / "_site.yml").read_text(encoding="utf-8").splitlines()


def site_fields() -> list[tuple[str, str]]:
    """(indent, name) for every setting in the schema, nested ones too."""
    schema = json.loads((REPO / "generator" / "schema" / "site.schema.json").read_text(encoding="utf-8"))
    fields = []
    for name, spec in schema["properties"].items():
        fields.append(("", name))
        fields += [("  ", sub) for sub in spec.get("properties", {})]
    return fields


def test_every_setting_has_a_note_beside_it_in_site_yml():
    for indent, name in site_fields():
        lines = [i for i, text in enumerate(SITE_YML) if text.startswith(f"{indent}{name}:")]
        if not lines:
            continue  # an optional setting left out of the file; the guide still describes it
        line = lines[0]
        near = (SITE_YML[line - 1], SITE_YML[line + 1] if line + 1 < len(SITE_YML) else "")
        assert any(text.lstrip().startswith("#") for text in near), f"{name} has no note beside it in _site.yml"


def test_every_setting_is_in_the_guide():
    table = GUIDE[GUIDE.index("## Site settings"):]
    for _, name in site_fields():
        assert f"`{name}`" in table, name


def test_the_guide_is_in_the_about_section():
    assert "      - Publishing guide: about/publishing-guide.md" in (REPO / "mkdocs.yml").read_text().splitlines()


def test_the_commands_in_the_guide_and_readme_are_real():
    text = GUIDE + README
    subcommands = set(re.search(r"\{([a-z,]+)\}", run_cli(REPO, "--help").stdout).group(1).split(","))
    assert {"check", "build", "new"} <= set(re.findall(r"python -m generator (\w+)", text)) <= subcommands
    targets = set(re.findall(r"^([a-z]+):", (REPO / "Makefile").read_text(), re.M))
    assert {"check", "site", "serve"} <= set(re.findall(r"(?:^|`)make (\w+)", text, re.M)) <= targets  # code, not prose
    publish = (REPO / "publishing" / "publish.py").read_text()
    for command in set(re.findall(r"publish\.py (\w+)", text)):
        assert f'"{command}"' in publish, command
    assert "publishing/install.sh --repo" in GUIDE + README and (REPO / "publishing" / "install.sh").exists()


def test_every_server_setting_set_by_hand_is_in_the_readme():
    """The hooks' git config settings that install.sh does not set are the administrator's to set."""
    read = set(re.findall(r'_git_config\("briefings\.(\w+)"\)', (REPO / "publishing" / "publish.py").read_text()))
    by_install = set(re.findall(r"config briefings\.(\w+)", (REPO / "publishing" / "install.sh").read_text()))
    by_hand = read - by_install
    assert {"buildSeconds", "buildMemoryMB", "waitSeconds"} <= by_hand, by_hand
    for name in sorted(by_hand):
        assert f"briefings.{name}`" in README, name
