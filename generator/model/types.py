"""The typed model the templates read. Built only from data that passed validation."""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

REVIEW_TYPES = {
    "lcspr": "Local child safeguarding practice review",
    "cspr": "Child safeguarding practice review",
    "scr": "Serious case review",
    "rapid-review": "Rapid review",
    "local-learning-review": "Local learning review",
    "national-review": "National review",
    "thematic-review": "Thematic review",
    "audit": "Multi-agency audit",
}
# Reviews of a group of cases: they have no child of their own.
THEMATIC_TYPES = {"thematic-review", "audit", "national-review"}

HARM_NAMES = {
    "sexual-abuse": "Sexual abuse",
    "child-sexual-exploitation": "Child sexual exploitation",
    "child-criminal-exploitation": "Child criminal exploitation",
    "neglect": "Neglect",
    "non-accidental-injury": "Non-accidental injury",
    "physical-abuse": "Physical abuse",
    "emotional-abuse": "Emotional abuse",
    "domestic-abuse": "Domestic abuse",
    "suicide": "Suicide",
    "self-harm": "Self-harm",
    "harmful-sexual-behaviour": "Harmful sexual behaviour",
    "homicide": "Homicide",
    "sudden-unexpected-death": "Sudden unexpected death",
    "other": "Other",
}

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"


def schema_defaults(kind: str) -> dict:
    """The `default` of each field of a data file's schema (a group's as a dict of its own). The
    schema is the one place a default is written: the editor offers it, and the model takes it."""
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return _defaults(schema)


def _defaults(schema: dict) -> dict:
    found = {}
    for name, spec in schema.get("properties", {}).items():
        if "default" in spec:
            found[name] = spec["default"]
        elif spec.get("type") == "object" and _defaults(spec):
            found[name] = _defaults(spec)
    return found


SITE_DEFAULTS = schema_defaults("site")  # what briefings/_site.yml may leave out
DEFAULT_HEADINGS = tuple(SITE_DEFAULTS["section_headings"])
# Questions many partnerships ask with every briefing; briefings/_site.yml can replace them.
DEFAULT_STANDARD_QUESTIONS = tuple(SITE_DEFAULTS["standard_questions"])

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a month or a full day: reviews often publish only a month."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> "PartialDate":
        """Parse 2020, '2020-04' or '2020-04-15'. Raises ValueError with a plain-English reason."""
        match = _DATE.match(str(value))
        if not match:
            raise ValueError("write a year (2020), a month (2020-04) or a full date (2020-04-15)")
        year, month, day = (int(part) if part else None for part in match.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"there is no month {month}; months run from 01 to 12")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{calendar.month_name[month]} {year} has no day {day}")
        return cls(year, month, day)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p])

    def __str__(self) -> str:
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)


@dataclass(frozen=True)
class Agency:
    """An entry of briefings/_agencies.yml: the one name a reader sees for a body, however a
    report spelt it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way a review may name it: its id, its name and its aliases."""
        return (self.id, self.name, *self.aliases)


def agency_key(text: str) -> str:
    """A spelling as it is matched: case, curly apostrophes and runs of spaces do not matter."""
    return " ".join(text.replace("\u2019", "'").casefold().split())


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str

    @property
    def source(self) -> str:
        """The generated page's Markdown path; its address is themes/<id>/."""
        return f"themes/{self.id}.md"


@dataclass(frozen=True)
class Partnership:
    """A safeguarding partnership: a regional or national site holds the reviews of several."""

    name: str

    @cached_property
    def slug(self) -> str:
        return slug(self.name)

    @property
    def source(self) -> str:
        """The landing page's Markdown path; its address is partnerships/<slug>/."""
        return f"partnerships/{self.slug}.md"


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    abbreviation: str | None = None

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", (self.abbreviation or self.term).lower()).strip("-")

    @property
    def label(self) -> str:
        return self.abbreviation or self.term

    @property
    def initial(self) -> str:
        """The glossary's letter heading it sits under: A to Z, or "Other" for a digit or sign."""
        first = self.label[:1].upper()
        return first if "A" <= first <= "Z" else "Other"


@dataclass(frozen=True)
class Child:
    pseudonym: str
    age: str | None = None
    age_band: str | None = None
    sex: str | None = None
    outcome: str | None = None
    pseudonym_note: str | None = None


@dataclass(frozen=True)
class Action:
    text: str
    owner: str | None = None  # the agency's name in the vocabulary (briefings/_agencies.yml), if the site has one
    status: str | None = None
    due: PartialDate | None = None
    owner_id: str | None = None  # its id there: stable when a name changes


@dataclass(frozen=True)
class Finding:
    number: int
    title: str
    summary: str
    detail: str | None = None
    quote: str | None = None
    themes: tuple[Theme, ...] = ()
    response: str | None = None
    actions: tuple[Action, ...] = ()

    @property
    def anchor(self) -> str:
        return f"finding-{self.number}"


@dataclass(frozen=True)
class Point:
    """A learning point or a good practice point."""

    kind: str  # "learning" or "good-practice"
    number: int
    text: str
    title: str | None = None
    themes: tuple[Theme, ...] = ()

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.number}"


@dataclass(frozen=True)
class Recommendation:
    number: int
    text: str
    to: str | None = None  # the agency's name, as for Action.owner
    status: str | None = None
    due: PartialDate | None = None
    progress: str | None = None
    to_id: str | None = None

    @property
    def anchor(self) -> str:
        return f"recommendation-{self.number}"


@dataclass(frozen=True)
class Question:
    number: int
    text: str

    @property
    def anchor(self) -> str:
        return f"question-{self.number}"


@dataclass(frozen=True)
class TimelineEvent:
    date: PartialDate
    text: str
    approximate: bool = False


@dataclass(frozen=True)
class Voice:
    text: str
    source: str | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Participant:
    role: str
    agency: str


@dataclass(frozen=True)
class Elsewhere:
    """Where a review harvested from another partnership's site lives: its pages are there, not
    here, and this site holds only its record (briefings/_harvested/)."""

    source: str  # the data/reviews.json address it was harvested from
    briefing: str  # the absolute addresses of its pages on that site
    learning_brief: str
    fetched: str  # when, as an ISO date and time in UTC


@dataclass(frozen=True)
class Review:
    id: str
    source: str
    status: str
    title: str
    type: str
    partnership: str
    summary: str
    published: PartialDate
    background: str
    what_happened: str
    why_it_matters: str
    themes: tuple[Theme, ...]
    findings: tuple[Finding, ...]
    practice_points: tuple[str, ...]
    questions: tuple[Question, ...]
    reviewers: tuple[str, ...] = ()
    children: tuple[Child, ...] = ()
    incident: PartialDate | None = None
    completed: PartialDate | None = None
    signed_off: PartialDate | None = None
    harm: tuple[str, ...] = ()
    briefing_only: bool = False
    publication_note: str | None = None
    full_report_url: str | None = None
    voice: tuple[Voice, ...] = ()
    review_process: str | None = None
    participants: tuple[Participant, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    learning: tuple[Point, ...] = ()
    good_practice: tuple[Point, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    actions: tuple[Action, ...] = ()
    agencies: tuple[str, ...] = ()
    further_reading: tuple[Link, ...] = ()
    contact: str | None = None
    content_notes: tuple[str, ...] = ()
    previous_ids: tuple[str, ...] = ()  # old ids: their addresses redirect here
    last_reviewed: PartialDate | None = None
    review_by: PartialDate | None = None  # filled in from the site's review period when not given
    review_by_worked_out: bool = False  # True when review_by is that filled-in date, not the file's
    full_report_until: PartialDate | None = None
    facilitator_notes: str | None = None
    elsewhere: Elsewhere | None = None  # set for a review harvested from another site

    @property
    def type_name(self) -> str:
        return REVIEW_TYPES[self.type]

    @property
    def is_thematic(self) -> bool:
        return self.type in THEMATIC_TYPES

    @property
    def name(self) -> str:
        """The pseudonyms as a reader would say them: 'Child Q and Child S'."""
        names = [c.pseudonym for c in self.children]
        if not names:
            return self.title
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def briefing_source(self) -> str:
        """The seven-minute briefing's Markdown path; its address is reviews/<id>/. A harvested
        review's is the absolute address on its own site, which links leave as it is."""
        return self.elsewhere.briefing if self.elsewhere else f"reviews/{self.id}/index.md"

    @property
    def learning_brief_source(self) -> str:
        return self.elsewhere.learning_brief if self.elsewhere else f"reviews/{self.id}/learning-brief.md"

    @cached_property
    def partnership_page(self) -> Partnership:
        return Partnership(self.partnership)

    @cached_property
    def fields_digest(self) -> str:
        """The SHA-256 of every field as it is (their repr: equal reviews have equal reprs), made
        once: the PDFs', slide packs' and pages' caches all key a review by it, and making it
        took half a second a time at 5,000 reviews."""
        return hashlib.sha256(repr(self).encode()).hexdigest()

    @property
    def age_bands(self) -> tuple[str, ...]:
        return tuple(sorted({c.age_band for c in self.children if c.age_band}))

    @property
    def trainer_source(self) -> str:
        """The trainer's page for running the briefing; its address is reviews/<id>/trainer/."""
        return f"reviews/{self.id}/trainer.md"

    @property
    def harm_names(self) -> tuple[str, ...]:
        return tuple(HARM_NAMES[h] for h in self.harm)

    def held_back_reason(self, today: dt.date) -> str | None:
        if self.status == "draft":
            return "draft"
        if self.status == "withdrawn":
            return "withdrawn"
        if self.published.first_day > today:
            return f"embargoed until {self.published.first_day.isoformat()}"
        return None

    @cached_property
    def section_word_counts(self) -> tuple[int, ...]:
        """Words in each of the seven sections: counted once, for the budget and the reading time."""
        return tuple(sum(words(t) for t in texts) for texts in self.briefing_sections())

    def briefing_sections(self) -> tuple[tuple[str, ...], ...]:
        """The text that feeds each of the seven sections, for the reading-time budget."""
        return (
            (self.background,),
            (self.what_happened,),
            (self.why_it_matters,),
            tuple(f"{f.title}. {f.summary}" for f in self.findings),
            self.practice_points,
            tuple(q.text for q in self.questions),
            tuple(link.title for link in self.further_reading) + ((self.contact,) if self.contact else ()),
        )


@dataclass(frozen=True)
class Settings:
    site_name: str
    partnership: str
    contact_email: str
    base_url: str | None = None
    review_period_months: int = SITE_DEFAULTS["review_period_months"]
    words_per_minute: int = SITE_DEFAULTS["words_per_minute"]
    briefing_minutes: int = SITE_DEFAULTS["briefing_minutes"]
    small_number_threshold: int = SITE_DEFAULTS["small_number_threshold"]
    # more than this, and the home page lists the newest and links a page per year
    home_page_reviews: int = SITE_DEFAULTS["home_page_reviews"]
    # more than this, and the tracker is split by partnership, then by year
    tracker_page_items: int = SITE_DEFAULTS["tracker_page_items"]
    section_headings: tuple[str, ...] = DEFAULT_HEADINGS
    standard_questions: tuple[str, ...] = DEFAULT_STANDARD_QUESTIONS
    accessibility_last_tested: str | None = None
    accessibility_statement_prepared: str | None = None
    accessibility_response_days: int = SITE_DEFAULTS["accessibility"]["response_days"]
    accessibility_fix_by: str | None = None
    contact_addresses: tuple[str, ...] = ()
    max_file_kb: int = SITE_DEFAULTS["max_file_kb"]  # the largest review file accepted

    @property
    def word_budget(self) -> int:
        return self.words_per_minute * self.briefing_minutes

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_kb * 1000


@dataclass(frozen=True)
class HeldBack:
    id: str
    source: str
    reason: str


# ------------------------------------------------------------- learning events (_events.yml)

@dataclass(frozen=True)
class EventUse:
    """One review an event uses, and which of its findings (none listed: the review as a whole)."""

    review: Review
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Event:
    date: PartialDate
    title: str
    format: str
    audience: str
    uses: tuple[EventUse, ...] = ()
    until: PartialDate | None = None
    description: str | None = None
    where: str | None = None
    booking: str | None = None

    @property
    def ends(self) -> PartialDate:
        return self.until or self.date

    @property
    def anchor(self) -> str:
        """From its date and title, which the file keeps unique: a trainer can link to it."""
        return "event-" + re.sub(r"[^a-z0-9]+", "-", f"{self.date.iso()} {self.title}".lower()).strip("-")


def newest_first(event: Event) -> tuple:
    """Later events first, so that without JavaScript upcoming events still come before past ones."""
    return (-event.ends.last_day.toordinal(), -event.date.first_day.toordinal(), event.title)


@dataclass(frozen=True)
class Site:
    """Everything that may be published. Held-back reviews keep only their id and reason."""

    settings: Settings
    reviews: tuple[Review, ...]
    themes: tuple[Theme, ...]
    glossary: tuple[GlossaryTerm, ...]
    held_back: tuple[HeldBack, ...] = field(default=())
    events: tuple[Event, ...] = ()  # only events whose every review is published
    harvested: tuple[Review, ...] = ()  # reviews of other partnerships' sites (briefings/_harvested/)

    def with_harvested(self) -> "Site":
        """The site as its listings show it: its own reviews and the harvested ones, newest first."""
        if not self.harvested:
            return self
        reviews = sorted((*self.reviews, *self.harvested), key=lambda r: (r.published.first_day, r.id), reverse=True)
        return replace(self, reviews=tuple(reviews), harvested=())

    def events_for(self, review: Review) -> tuple[Event, ...]:
        return tuple(e for e in self.events if any(use.review.id == review.id for use in e.uses))

    @cached_property
    def partnerships(self) -> tuple[Partnership, ...]:
        """Every partnership with a published review, by name; one per address."""
        by_slug = {}
        for review in self.reviews:
            by_slug.setdefault(review.partnership_page.slug, review.partnership_page)
        return tuple(sorted(by_slug.values(), key=lambda p: p.name.lower()))

    def reviews_of(self, partnership: Partnership) -> tuple[Review, ...]:
        return tuple(r for r in self.reviews if r.partnership_page.slug == partnership.slug)

    def reviews_with_theme(self, theme: Theme) -> tuple[Review, ...]:
        return tuple(r for r in self.reviews if theme.id in themes_of(r))


def _tagged(review: Review):
    return (*review.findings, *review.learning, *review.good_practice)


def themes_of(review: Review) -> set[str]:
    """The themes of a review and of its findings and points, by id (comparing ids, not whole themes)."""
    return {t.id for x in (review, *_tagged(review)) for t in x.themes}


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens, for an address."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_WORD = re.compile(r"[\w'’-]+")
# In ASCII text the words are the runs of letters, digits and _ ' -: str.split counts them twice as fast
_ASCII_BETWEEN_WORDS = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) in "_'-")})


def words(text: str) -> int:
    """The number of words: runs of letters, digits, apostrophes and hyphens."""
    ascii_text = text.replace("’", "'")  # one word character for another: the count stays the same
    if ascii_text.isascii():
        return len(ascii_text.translate(_ASCII_BETWEEN_WORDS).split())
    return len(_WORD.findall(text))
