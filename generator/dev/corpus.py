"""A synthetic corpus of case reviews for benchmarks and regional tests.

Every review is valid, fictional and deterministic (review i is the same whatever N is), with
realistic lengths: five findings, six timeline events and 1,200 to 1,400 words of briefing text.
"""
from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.model.types import words

REPO = Path(__file__).resolve().parents[2]
DATA_FILES = ("_site.yml", "_themes.yml", "_glossary.yml")
SCHEMA_LINE = "# yaml-language-server: $schema=../generator/schema/review.schema.json\n"

PARTNERSHIPS = tuple(f"{area} Safeguarding Children Partnership" for area in (
    "Northfield", "Eastmoor", "Westbridge", "Southdale", "Highcombe", "Lowmarsh",
    "Riverside", "Kingsford", "Ashworth", "Brookhaven", "Coldharbour", "Fernley"))
PSEUDONYMS = ("Amara", "Ben", "Callum", "Daisy", "Ellie", "Finn", "Grace", "Harvey", "Isla", "Jayden",
              "Kai", "Leah", "Mason", "Nia", "Oscar", "Poppy", "Reuben", "Sienna", "Theo", "Willow",
              "Child A", "Child B", "Child C", "Child D", "Child E", "Child G", "Child H", "Child K")
# Mostly reviews of one child's case; some thematic reviews, which have no child.
TYPES = ("lcspr",) * 6 + ("rapid-review", "scr", "local-learning-review", "thematic-review")
YEARS = range(2016, 2026)
AGENCIES = ("Children's social care", "Health visiting", "The GP practice", "Police", "The school",
            "CAMHS", "Adult mental health services", "Housing", "Probation", "The hospital trust",
            "Early help", "Youth justice service")
ROLES = ("Social worker", "Team manager", "Health visitor", "School nurse", "Designated safeguarding lead",
         "Police officer", "Named GP", "Family support worker")

SUBJECTS = ("the social worker", "the health visitor", "the school", "the GP", "the police",
            "the family support worker", "the mental health team", "the housing officer",
            "the child's mother", "the child's father", "the strategy meeting", "the core group",
            "the early help team", "the midwife", "the youth worker", "the designated safeguarding lead")
VERBS = ("noticed", "recorded", "did not share", "asked about", "escalated", "missed", "discussed",
         "assessed", "reviewed", "challenged", "accepted", "followed up", "explained", "questioned")
OBJECTS = ("the injuries", "the missed appointments", "the unexplained absences", "the referral",
           "the father's history", "the mother's account", "the child's presentation at school",
           "the concerns of the wider family", "the neglect of the home", "the risk from a new partner",
           "the impact of domestic abuse", "the child's own words", "the pattern of incidents",
           "the chronology", "the safety plan", "the plan for the baby", "the use of alcohol")
TAILS = ("over several months", "without a shared plan", "at the strategy meeting", "in supervision",
         "during the home visit", "before the case was closed", "when the family moved area",
         "after the school raised a concern", "across agencies", "with the child alone",
         "in the weeks before the incident", "as the risk grew", "within the agreed timescale")
REFLECTIONS = ("Professional curiosity means asking what lies behind what we see.",
               "Hearing the voice of the child needs time alone with the child.",
               "Escalation is a shared duty, not a sign of conflict.",
               "A chronology across agencies shows patterns no single agency can see.",
               "Disguised compliance can look like progress.",
               "Fathers and new partners must be part of every assessment.",
               "Thresholds describe need; they should not stop a conversation.",
               "Supervision is where assumptions are tested.")


@dataclass(frozen=True)
class Corpus:
    root: Path
    ids: tuple[str, ...]


class Writer:
    """Fictional case text from a fixed vocabulary, seeded per review so that output is stable."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        pick = self.rng.choice
        text = f"{pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)} {pick(TAILS)}"
        return text[0].upper() + text[1:] + "."

    def sentences(self, n: int) -> str:
        parts = [self.sentence() if self.rng.random() > 0.15 else self.rng.choice(REFLECTIONS) for _ in range(n)]
        return " ".join(parts)

    def paragraphs(self, n_words: int) -> str:
        """About n_words of text in paragraphs of four to six sentences."""
        paragraphs, total = [], 0
        while total < n_words:
            text = self.sentences(self.rng.randint(4, 6))
            paragraphs.append(text)
            total += words(text)
        return "\n\n".join(paragraphs)

    def fill(self, budget: int) -> str:
        """Sentences up to budget words, never over."""
        out, total = [], 0
        while True:
            text = self.sentence()
            if total + words(text) > budget:
                return " ".join(out) or text
            out.append(text)
            total += words(text)


def clip(text: str, most: int) -> str:
    """At most `most` characters, cut at a word's end: a cut word ("... at school d") can read
    as a form of a denylisted name ("School D" of "Drummond Primary School") and stop the build."""
    if len(text) <= most:
        return text
    cut = text[:most + 1]
    return cut.rsplit(" ", 1)[0] if " " in cut else text[:most]


def review(i: int, theme_ids: list[str]) -> dict:
    """Review number i of the synthetic corpus, as the data of one YAML file."""
    rng = random.Random(i)
    w = Writer(rng)
    kind = rng.choice(TYPES)
    year = rng.choice(YEARS)
    themes = rng.sample(theme_ids, rng.randint(3, 5))
    name = rng.choice(PSEUDONYMS)
    review_id = f"{name.lower().replace(' ', '-')}-{year}-{i:05d}"
    findings = [{
        "number": n,
        "title": clip(w.sentences(1).rstrip("."), 80),
        "summary": w.sentences(2),
        "detail": w.paragraphs(110),
        "themes": sorted({rng.choice(themes), rng.choice(theme_ids)}),
        "response": w.sentences(3),
        "actions": [{"action": w.sentences(1), "owner": rng.choice(AGENCIES),
                     "status": rng.choice(["not started", "in progress", "complete", "ongoing"]),
                     "due": f"{year + 1}-{rng.randint(1, 12):02d}"}],
    } for n in range(1, 6)]
    data = {
        "id": review_id,
        "status": "published",
        "title": f"Review: {name}" if kind != "thematic-review" else f"Thematic review {i}: {clip(w.sentence(), 60)}",
        "type": kind,
        "partnership": PARTNERSHIPS[rng.randrange(len(PARTNERSHIPS))],
        "reviewers": ["An independent reviewer"],
        "dates": {"incident": year - 2, "completed": year - 1, "published": f"{year}-{rng.randint(1, 12):02d}"},
        "harm": sorted(rng.sample(["neglect", "physical-abuse", "domestic-abuse", "emotional-abuse",
                                   "non-accidental-injury", "sexual-abuse"], 2)),
        "summary": w.sentences(1),
        "themes": themes,
        "background": "", "what_happened": "", "why_it_matters": "",
        "voice": [{"from": "Pen picture", "text": w.sentences(3)}],
        "review_process": w.sentences(4),
        "participants": [{"role": rng.choice(ROLES), "agency": a} for a in rng.sample(AGENCIES, 5)],
        "timeline": [{"date": f"{year - 3 + m // 4}-{(m % 4) * 3 + 1:02d}", "event": w.sentences(2)} for m in range(6)],
        "findings": findings,
        "learning": [{"number": n, "title": clip(w.sentence(), 60).rstrip("."), "text": w.sentences(2),
                      "themes": [rng.choice(themes)]} for n in range(1, 4)],
        "good_practice": [{"number": n, "text": w.sentences(2)} for n in range(1, 3)],
        "recommendations": [{"number": n, "to": rng.choice(AGENCIES), "text": w.sentences(2),
                             "status": rng.choice(["not started", "in progress", "complete"])} for n in range(1, 5)],
        "practice_points": [w.sentences(2) for _ in range(5)],
        "questions": [w.sentence().rstrip(".") + "?" for _ in range(4)],
        "agencies": rng.sample(AGENCIES, 5),
        "further_reading": [{"title": "Working Together to Safeguard Children"}],
        "contact": "The partnership's learning team",
    }
    if kind != "thematic-review":
        data["children"] = [{"pseudonym": name, "age": rng.randint(0, 17), "sex": rng.choice(["female", "male"]),
                             "outcome": rng.choice(["died", "seriously harmed"])}]
    _fill_briefing(data, w, rng.randint(1220, 1380))
    return data


def _fill_briefing(data: dict, w: Writer, target: int) -> None:
    """Share what is left of the briefing's target words between its three prose sections."""
    fixed = sum(words(f"{f['title']}. {f['summary']}") for f in data["findings"])
    fixed += sum(words(t) for t in (*data["practice_points"], *data["questions"], data["contact"]))
    fixed += sum(words(x["title"]) for x in data["further_reading"])
    left = target - fixed
    data["background"] = w.fill(left * 3 // 10)
    data["what_happened"] = w.fill(left * 4 // 10)
    data["why_it_matters"] = w.fill(target - fixed - words(data["background"]) - words(data["what_happened"]))


def make(n: int, root: Path) -> Corpus:
    """Write n reviews and the repo's data files to root/briefings, replacing any reviews there."""
    briefings = root / "briefings"
    if briefings.exists():
        shutil.rmtree(briefings)
    briefings.mkdir(parents=True)
    for name in DATA_FILES:
        shutil.copy(REPO / "briefings" / name, briefings / name)
    themes = yaml.safe_load((briefings / "_themes.yml").read_text(encoding="utf-8"))["themes"]
    theme_ids = [t["id"] for t in themes]
    _write_denylist(briefings)
    ids = []
    for i in range(n):
        data = review(i, theme_ids)
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (briefings / f"{data['id']}.yml").write_text(SCHEMA_LINE + text, encoding="utf-8")
        ids.append(data["id"])
    return Corpus(root, tuple(ids))



def add_review(root: Path, i: int) -> str:
    """Write the i-th synthetic review (as make(n) with n > i would) into root/briefings; return its id."""
    themes = yaml.safe_load((root / "briefings" / "_themes.yml").read_text(encoding="utf-8"))["themes"]
    data = review(i, [t["id"] for t in themes])
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    (root / "briefings" / f"{data['id']}.yml").write_text(SCHEMA_LINE + text, encoding="utf-8")
    return data["id"]

# A partnership's denylist: real names, schools and streets that must never appear (none do here).
DENIED_FIRST = ("Aleksander", "Bronwen", "Cosmo", "Delphine", "Eamon", "Florin", "Gwendolyn", "Horatio",
                "Imelda", "Jethro")
DENIED_LAST = ("Abernethy", "Blackwood", "Carmichael", "Drummond", "Ellingham", "Fairweather", "Gilchrist",
               "Hollingsworth", "Inchbald", "Jardine", "Kettlewell", "Lockhart", "Merriweather", "Nettleship",
               "Oddington")


def denied_terms() -> list[str]:
    """150 names, 10 schools and 10 streets: about what a busy partnership's list might hold."""
    names = [f"{first} {last}" for first in DENIED_FIRST for last in DENIED_LAST]
    return names + [f"{last} Primary School" for last in DENIED_LAST[:10]] + [f"{last} Road" for last in DENIED_LAST[5:]]


def _write_denylist(briefings: Path) -> None:
    from generator.check.privacy import DENYLIST_FILE, Denylist

    denylist = Denylist(salt=b"synthetic corpus")
    for term in denied_terms():
        denylist.add_clear(term, "")
    (briefings / DENYLIST_FILE).write_text(yaml.safe_dump(denylist.file_data()), encoding="utf-8")


def make_buildable(root: Path) -> Path:
    """Link the repo's config, theme, hand-written pages and generator beside a corpus, so that
    `mkdocs build` in root builds it with this very code."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("generator", "theme", "docs"):
        link = root / folder
        if not link.exists():
            link.symlink_to(REPO / folder, target_is_directory=True)
    return root


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Long text as folded blocks, as an officer would write it."""


def _str(dumper, value: str):
    style = "|" if "\n" in value else (">" if len(value) > 90 else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
