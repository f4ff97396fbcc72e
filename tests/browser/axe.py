"""Run axe-core (npm, injected into the page) for the WCAG 2.0, 2.1 and 2.2 A and AA rules."""
from __future__ import annotations

from dataclasses import dataclass

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass(frozen=True)
class Violation:
    rule: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule}: {self.help} at {', '.join(self.targets[:5])}"


def run_axe(page, axe_source: str) -> list[Violation]:
    """The page's violations of the WCAG A and AA rules, as axe reports them."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS)
    return [Violation(v["id"], v["help"], tuple(", ".join(n["target"]) for n in v["nodes"]))
            for v in results["violations"]]


def wcag_rule_count(page, axe_source: str) -> int:
    """How many of axe's rules carry the WCAG A and AA tags: the figure quoted in the report."""
    page.add_script_tag(content=axe_source)
    return page.evaluate("tags => axe.getRules(tags).length", WCAG_TAGS)
