"""The trainer's page of each briefing: a plan for running it in the meeting's minutes, the
questions to ask, facilitator notes, a QR code and an action-plan template for the team."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .briefing_pdf import page_address
from .model import Settings, Site
from .pdf_making import PdfFile
from .qr import qr_code
from .rendering import Page, _render, make_environment

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


def render_trainer_pages(site: Site, pdfs: Mapping[str, PdfFile]) -> list[Page]:
    """One trainer's page per published review, beside its briefing."""
    env = make_environment(site)
    plan = meeting_plan(site.settings)
    pages = []
    for review in site.reviews:
        address = page_address(site.settings, review.briefing_source)
        pages.append(_render(env, "trainer.md.j2", review.trainer_source, review=review, plan=plan,
                             address=address, qr=qr_code(address) if address else None,
                             pdf=pdfs.get(review.id)))
    return pages
