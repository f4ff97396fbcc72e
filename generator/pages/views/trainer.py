"""The trainer's plan for running a briefing in a meeting: the minutes shared between the sections."""
from __future__ import annotations

from dataclasses import dataclass

from generator.model.types import Settings

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
