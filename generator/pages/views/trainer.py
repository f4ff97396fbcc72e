"""The trainer's plan for running a briefing in a meeting: the minutes shared between the sections."""
from __future__ import annotations

from dataclasses import dataclass

from generator.model.types import Review, Settings

SECTIONS = 7


@dataclass(frozen=True)
class PlanStep:
    """One section of the briefing in the meeting: its heading and when it starts and ends."""

    number: int
    heading: str
    start: str  # minutes and seconds from the start of the briefing, e.g. "1:00"
    end: str

    @property
    def anchor(self) -> str:
        return f"section-{self.number}"


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def meeting_plan(settings: Settings) -> tuple[PlanStep, ...]:
    """The briefing's minutes shared equally between the seven sections: about a minute each."""
    total = settings.briefing_minutes * 60
    bounds = [round(total * i / SECTIONS) for i in range(SECTIONS + 1)]
    return tuple(PlanStep(i + 1, heading, _clock(bounds[i]), _clock(bounds[i + 1]))
                 for i, heading in enumerate(settings.section_headings))


def plan_prompts(review: Review) -> tuple[str, ...]:
    """What the trainer does in each of the seven sections: the trainer's page shows them beside
    the plan, and the slide pack's speaker notes repeat them (so the notes say nothing new)."""
    n = len(review.findings)
    names = ""
    if review.children:
        names = ", using only the pseudonym" + ("s" if len(review.children) > 1 else "")
    return (
        f"Say what the review is about{names}. Say that it may be upsetting and that people can step out.",
        "Read or summarise what happened.",
        "Say why it matters to your team's work.",
        f"Go through the {n} finding{'s' if n != 1 else ''}; spend longest on those closest to your team's work.",
        "Read the practice points. Ask which of them the team already does, and which not yet.",
        "Discuss one or two of the questions below.",
        "Point people to the learning brief and the QR code, and agree who fills in the action plan.",
    )
