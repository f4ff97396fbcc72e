"""What's new: a digest of the reviews published each month, in the way the national repository's
monthly update words them: "Death of a 16-year-old girl in January 2020".

Only published fields are used, and the incident is given to the month, never the day.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from generator.model.types import HARM_NAMES, Child, PartialDate, Review, Site

OUTCOME_OPENINGS = {"died": "Death of", "seriously harmed": "Serious harm to"}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
PLURALS = {"girl": "girls", "boy": "boys", "child": "children", "baby": "babies",
           "young woman": "young women", "young man": "young men", "young person": "young people"}
BAND_PHRASES = {"under 1": "aged under 1", "18+": "aged 18 or over"}
# The most items of each list an entry shows; the learning brief has the rest.
ENTRY_ITEMS = 5


@dataclass(frozen=True)
class Month:
    """The reviews published in one month; year-only publications gather under their year."""

    year: int
    month: int | None
    reviews: tuple[Review, ...]

    @property
    def name(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}" if self.month else str(self.year)

    @property
    def source(self) -> str:
        return f"whats-new/{self.year}-{self.month:02d}.md" if self.month else f"whats-new/{self.year}.md"

    @property
    def title(self) -> str:
        return f"New in {self.name}" if self.month else f"Published in {self.year} (month not recorded)"


@dataclass(frozen=True)
class Entry:
    review: Review
    heading: str
    opening: str
    learning: tuple[str, ...]
    recommendations: tuple[str, ...]
    more_learning: int
    more_recommendations: int
    recommendations_heading: str  # "Recommendations include", or "Actions include" for a review with none


def months(site: Site) -> tuple[Month, ...]:
    """Months with publications, newest first (site.reviews is already newest first)."""
    keys = list(dict.fromkeys((r.published.year, r.published.month) for r in site.reviews))
    return tuple(Month(y, m, tuple(r for r in site.reviews if (r.published.year, r.published.month) == (y, m)))
                 for y, m in keys)


def entry(review: Review) -> Entry:
    learning = [p.title or p.text for p in review.learning] or [f.title for f in review.findings]
    recommendations = [r.text for r in review.recommendations] or [a.text for a in review.actions]
    return Entry(review, heading(review), opening(review),
                 tuple(learning[:ENTRY_ITEMS]), tuple(recommendations[:ENTRY_ITEMS]),
                 max(0, len(learning) - ENTRY_ITEMS), max(0, len(recommendations) - ENTRY_ITEMS),
                 "Recommendations include" if review.recommendations else "Actions include")


def heading(review: Review) -> str:
    """'Pseudonym – Partnership': the name a reader looks for first (the month is the page's)."""
    return f"{review.name} – {review.partnership}"


def opening(review: Review) -> str:
    """'Death of a 16-year-old girl in January 2020'; a thematic review opens with its summary."""
    if not review.children:
        return review.summary.rstrip(".")
    outcomes = {c.outcome for c in review.children}
    outcome = outcomes.pop() if len(outcomes) == 1 else None
    words = [_outcome_phrase(outcome, review.harm), _children_phrase(review.children)]
    if review.incident:
        words.append(f"in {_month(review.incident)}")
    return " ".join(w for w in words if w)


def _outcome_phrase(outcome: str | None, harm: tuple[str, ...]) -> str:
    if outcome in OUTCOME_OPENINGS:
        return OUTCOME_OPENINGS[outcome]
    return f"{HARM_NAMES[harm[0]]} involving" if harm and harm[0] != "other" else "Review concerning"


def _children_phrase(children: tuple[Child, ...]) -> str:
    """'a 16-year-old girl', 'two 12-year-old children', 'a 14-year-old boy and an 11-year-old boy'."""
    described = [_describe(c) for c in children]
    if len(set(described)) == 1 and len(described) > 1:
        adjective, noun, tail = described[0]
        return " ".join(w for w in (_number(len(described)), adjective, PLURALS[noun], tail) if w)
    phrases = [_with_article(" ".join(w for w in parts if w)) for parts in described]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _describe(child: Child) -> tuple[str, str, str]:
    """(adjective, noun, tail): ('16-year-old', 'girl', ''), or ('', 'boy', 'aged 10 to 15') from a band."""
    age = re.match(r"(\d+) (year|month|week|day)s?$", child.age or "")
    adult = bool(age and age.group(2) == "year" and int(age.group(1)) >= 18) or child.age_band == "18+"
    noun = _noun(child.sex, adult)
    if age:
        return f"{age.group(1)}-{age.group(2)}-old", noun, ""
    if child.age_band == "unborn":
        return "unborn", "baby", ""
    if child.age_band:
        return "", noun, BAND_PHRASES.get(child.age_band, "aged " + child.age_band.replace("-", " to "))
    return "", noun, ""


def _noun(sex: str | None, adult: bool) -> str:
    if adult:
        return {"female": "young woman", "male": "young man"}.get(sex or "", "young person")
    return {"female": "girl", "male": "boy"}.get(sex or "", "child")


def _with_article(phrase: str) -> str:
    return ("an " if re.match(r"(8|11|18|[aeiou])", phrase) else "a ") + phrase


def _number(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _month(date: PartialDate) -> str:
    """The month at most: an exact day could help identify a child."""
    return f"{calendar.month_name[date.month]} {date.year}" if date.month else str(date.year)
