"""Each published briefing as a trainer's slide pack: reviews/<id>/<id>-slides.pptx (python-pptx).

The slides follow the meeting: a title slide, the seven sections, a slide per finding, the
questions and the action plan, each section in its number and colour (as on the page and in the
PDF, theme/assets/stylesheets/seven-minutes.css). The speaker notes hold the trainer's plan and
the facilitator notes: only what the trainer's page shows.

Text is measured at the font's own metrics (Pillow) and shrunk within limits, never below 18 pt;
what still does not fit goes on to a continuation slide, so nothing runs off a slide. Each pack is
cached in .cache/slides/ under a hash of its content and of this code, as the PDFs are; only
Site.reviews (the published reviews) get one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import math
import re
import time
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import markdown
from lxml import etree
from PIL import Image, ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Pt

from generator.model.types import Review, Site
from generator.speed.parallel import shared
from generator.output.pdf_making import KEEP_SECONDS, PdfFile, _write_atomically
from generator.pages.environment import TEMPLATES, TextFilters, make_environment, public_address
from generator.pages.sanitising import clean_html
from generator.pages.views.qr import qr_code
from generator.pages.views.trainer import meeting_plan, plan_prompts

LANGUAGE = "en-GB"
# The pack names Arial, which every copy of PowerPoint has; it is measured with Liberation Sans,
# made to have Arial's metrics (LibreOffice shows Arial in it), so a line breaks in the same place.
FONT = "Arial"
FONT_DIR = Path("/usr/share/fonts/truetype/liberation")
FONT_FILES = {(False, False): "LiberationSans-Regular.ttf", (True, False): "LiberationSans-Bold.ttf",
              (False, True): "LiberationSans-Italic.ttf", (True, True): "LiberationSans-BoldItalic.ttf"}

# The slide, in points: 16:9 at 13.33 by 7.5 inches.
WIDTH, HEIGHT, MARGIN = 960, 540, 40
BAND = 14  # the section's colour along the top edge, as the PDF's panels have it
TITLE_TOP, TITLE_SIZES, TITLE_LINES = 32, (36, 32, 28, 24), 2
BODY_SIZES = (32, 28, 26, 24, 22, 20, 18)
MIN_PT = 18  # no text on any slide is smaller
SHRINK_TO = 20  # text is shrunk this far to keep a section on one slide ...
SPLIT_PT = 22  # ... and past that continued over as many slides as it needs, at this size or larger
FOOTER_TOP, FOOTER_PT = 494, 18
BODY_BOTTOM = FOOTER_TOP - 14
LEADING, PARAGRAPH_GAP = 1.2, 0.45  # line height and space between paragraphs, times the text size
SAFETY = 0.96  # of each line's width: kerning and renderers' rounding never push a word over
QR_SIDE = 190
QR_CAPTION = "Scan to open the briefing online"

INK, GREY, WHITE = "0B0C0C", "4D4D4D", "FFFFFF"
# Each section's colour (6.2 to 9.4:1 on white): the same as the web page's and the PDF's panels.
SECTION_COLOURS = ("1D4F73", "00703C", "5C2D91", "B10E1E", "8A4B00", "005A68", "7A2A5B")
SOURCE = Path(__file__).read_bytes()
ENGINE = (f"python-pptx {version('python-pptx')} pillow {version('pillow')} "
          f"{hashlib.sha256(SOURCE).hexdigest()[:16]}")


# ---------------------------------------------------------------- what the slides say

@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph or list item. bullet: '•', a number ('3'), or None."""

    runs: tuple[Run, ...]
    bullet: str | None = None
    level: int = 0
    indented: bool = False  # the rest of a list item carried on: indented, without its bullet


@dataclass(frozen=True)
class SlideText:
    title: str
    colour: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]
    qr: str | None = None  # the address the QR code opens (the title slide)
    qr_alt: str | None = None


@dataclass(frozen=True)
class Deck:
    review_id: str
    path: str
    title: str
    author: str
    subject: str
    keywords: str
    created: dt.date
    footer: str
    slides: tuple[SlideText, ...]


def pack_path(review: Review) -> str:
    return f"reviews/{review.id}/{review.id}-slides.pptx"


class _Blocks(HTMLParser):
    """The paragraphs and list items of the sanitised HTML the PDF is made from, as runs of text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.runs: list[Run] = []
        self.bold = self.italic = 0
        self.link: str | None = None
        self.lists: list[list] = []  # [tag, last number] of each open list
        self.bullet: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li", "ul", "ol"):
            self._flush()
        if tag in ("ul", "ol"):
            self.lists.append([tag, int(dict(attrs).get("start") or 1) - 1])
        elif tag == "li" and self.lists:
            top = self.lists[-1]
            top[1] = int(dict(attrs).get("value") or top[1] + 1)
            self.bullet = "•" if top[0] == "ul" else str(top[1])
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "a":
            self.link = dict(attrs).get("href")
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag in ("p", "li", "ul", "ol"):
            self._flush()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.link = None

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data)
        if text:
            self.runs.append(Run(text, self.bold > 0, self.italic > 0, self.link))

    def _flush(self) -> None:
        runs = _trimmed(self.runs)
        self.runs = []
        if runs:
            level = max(0, len(self.lists) - 1)
            self.blocks.append(Block(runs, self.bullet, level, indented=bool(self.lists) and not self.bullet))
            self.bullet = None


def _trimmed(runs: list[Run]) -> tuple[Run, ...]:
    """Runs without the spaces at either end (or empty, if there is nothing but space)."""
    runs = list(runs)
    while runs and not runs[0].text.strip():
        runs.pop(0)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return tuple(runs)


class Text:
    """An officer's text as the slides show it: through the same Markdown, abbreviation filter and
    sanitiser as the PDF (briefing_pdf's `html` filter and pages.sanitising.clean_html)."""

    def __init__(self, site: Site):
        self.filters = TextFilters(site.glossary)
        self.md = markdown.Markdown()
        self.profile = make_environment(site).get_template("_macros.md.j2").module.child_profile

    def blocks(self, text: str) -> tuple[Block, ...]:
        return _parse(self.md.reset().convert(self.filters.markdown(text)))

    def runs(self, text: str, bold: bool = False) -> tuple[Run, ...]:
        """One line of inline text (a title, a question, a link's name)."""
        runs = tuple(run for block in _parse(f"<p>{self.filters.inline(text)}</p>") for run in block.runs)
        return tuple(replace(r, bold=True) for r in runs) if bold else runs

    def plain(self, text: str) -> str:
        return "".join(run.text for run in self.runs(text))

    def child(self, child) -> str:
        """The child's profile as the briefing's list shows it (the same macro)."""
        return html.unescape(str(self.profile(child)))


def _parse(markup: str) -> tuple[Block, ...]:
    parser = _Blocks()
    parser.feed(clean_html(markup))
    parser.close()
    parser._flush()
    return tuple(parser.blocks)


def _para(*runs: Run) -> Block:
    return Block(tuple(r for r in runs if r.text))


def deck(review: Review, site: Site, text: Text) -> Deck:
    """Every slide of one review's pack, with its notes, before it is measured and laid out."""
    settings, h = site.settings, site.settings.section_headings
    plan, prompts = meeting_plan(settings), plan_prompts(review)
    address = public_address(settings.base_url, review.briefing_source)

    def step(i: int) -> str:  # the trainer's page's plan: the same times, section and prompt
        return f"{plan[i].start} to {plan[i].end} — {plan[i].number}. {plan[i].heading} — {prompts[i]}"

    def section(i: int, blocks, notes=None) -> SlideText:
        return SlideText(f"{i + 1}. {h[i]}", SECTION_COLOURS[i], tuple(blocks), notes or (step(i),))

    children = tuple(Block((Run(text.child(c), bold=True), *((Run(". "), *text.runs(c.pseudonym_note))
                                                              if c.pseudonym_note else ())), "•")
                     for c in review.children)
    findings = tuple(Block((Run(f"Finding {f.number}: "), *text.runs(f.title)), "•") for f in review.findings)
    slides = [
        _title_slide(review, settings, text, address, step),
        section(0, (*text.blocks(review.background), *children)),
        section(1, text.blocks(review.what_happened)),
        section(2, text.blocks(review.why_it_matters)),
        section(3, findings),
        *(SlideText(f"Finding {f.number}: {text.plain(f.title)}", SECTION_COLOURS[3], text.blocks(f.summary),
                    (step(3),)) for f in review.findings),
        section(4, tuple(Block(b.runs, b.bullet or "•", b.level, b.indented) for p in review.practice_points
                         for b in text.blocks(p))),
        section(5, tuple(Block(text.runs(q.text), str(q.number)) for q in review.questions)),
        SlideText("Questions we ask with every briefing", SECTION_COLOURS[5],
                  tuple(Block(text.runs(q), str(i)) for i, q in enumerate(settings.standard_questions, 1)),
                  (step(5),)),
        section(6, _find_out_more(review, text, address)),
        SlideText("Action plan", SECTION_COLOURS[6], (
            _para(Run(f"Our action plan after the briefing about {review.name}")),
            *(Block((Run(column),), "•") for column in (
                "What we will do differently", "Who", "By when", "How we will know it has made a difference")),
        ), (step(6), "Print this page and fill in the plan together at the end of the briefing. Come back to it "
                     "at a later meeting to record what changed.")),
    ]
    return Deck(review.id, pack_path(review), f"{review.name}: seven-minute briefing", review.partnership,
                text.plain(review.summary), ", ".join(t.name for t in review.themes), review.published.first_day,
                f"{review.name}: seven-minute briefing · {review.partnership}", tuple(_unique_titles(slides)))


def _title_slide(review: Review, settings, text: Text, address: str | None, step) -> SlideText:
    blocks = [_para(Run(review.partnership, bold=True)),
              _para(Run(f"{review.type_name} · Published {review.published}"))]
    if review.content_notes:
        notes = [run for i, note in enumerate(review.content_notes)
                 for run in ((Run(", "),) if i else ()) + text.runs(note)]
        blocks.append(_para(Run("Content note:", bold=True), Run(" this briefing includes "), *notes, Run(".")))
    if review.briefing_only:
        blocks.append(_para(Run("Only this briefing is published.", bold=True), Run(" "), *(
            text.runs(review.publication_note) if review.publication_note else (Run("The full report is not published."),))))
    short = f"{settings.base_url}b/{review.id}/" if settings.base_url else None
    check = (Run("check "), Run(short, link=short), Run(" for the current version.")) if short else (
        Run("check the partnership's website for the current version."),)
    blocks.append(_para(Run(f"Review by {review.review_by.last_day.strftime('%B %Y')}:", bold=True), Run(" "), *check))
    notes = (f"A plan for {settings.briefing_minutes} minutes", "About a minute for each section, then agree your actions.",
             *(step(i) for i in range(7)),
             "Read the briefing yourself first, and choose the one or two questions that matter most for your team.")
    if review.facilitator_notes:
        notes += ("Facilitator notes", *("".join(r.text for r in b.runs) for b in text.blocks(review.facilitator_notes)))
    alt = f"QR code that opens the seven-minute briefing about {review.name} at {address}" if address else None
    return SlideText(f"{review.name}: seven-minute briefing", SECTION_COLOURS[0], tuple(blocks), notes, address, alt)


def _find_out_more(review: Review, text: Text, address: str | None) -> tuple[Block, ...]:
    """Section 7 as the PDF gives it: every link written out, since a slide is often printed."""
    blocks = []
    if review.briefing_only:
        blocks.append(Block((Run("Only this briefing is published.", bold=True), Run(" "), *(
            text.runs(review.publication_note) if review.publication_note else (Run("The full report is not published."),))), "•"))
    if address:
        blocks.append(Block((Run("The learning brief: the timeline, each finding with the partnership's response, and "
                                 "the recommendations: "), Run(f"{address}learning-brief/", link=f"{address}learning-brief/")), "•"))
    if review.full_report_url:
        blocks.append(Block((Run("The full report: "), Run(review.full_report_url, link=review.full_report_url)), "•"))
    for item in review.further_reading:
        runs = [*text.runs(item.title)]
        if item.note:
            runs += [Run(": "), *text.runs(item.note)]
        if item.url:
            runs += [Run(": "), Run(item.url, link=item.url)]
        blocks.append(Block(tuple(runs), "•"))
    blocks.append(Block((Run("Themes: " + ", ".join(t.name for t in review.themes)),), "•"))
    if review.contact:
        blocks.append(Block((Run("Contact: "), *text.runs(review.contact)), "•"))
    return tuple(blocks)


def _unique_titles(slides: list[SlideText]) -> list[SlideText]:
    """Two findings may share a title; a screen reader's list of slides must tell them apart."""
    seen: dict[str, int] = {}
    out = []
    for slide in slides:
        seen[slide.title] = seen.get(slide.title, 0) + 1
        out.append(slide if seen[slide.title] == 1 else replace(slide, title=f"{slide.title} ({seen[slide.title]})"))
    return out


# ---------------------------------------------------------------- measuring and laying out

@lru_cache(maxsize=None)
def _face(bold: bool, italic: bool) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / FONT_FILES[bold, italic]
    try:
        # the basic layout: advance widths and kerning, as PowerPoint lays out Latin text; no
        # shaping engine that any text could make fail
        return ImageFont.truetype(str(path), size=1000, layout_engine=ImageFont.Layout.BASIC)
    except OSError:
        raise OSError(f"the font {path} is missing; it measures the slides' text. Run `make site`, which "
                      "installs Debian's fonts-liberation") from None


@lru_cache(maxsize=100_000)
def _em_width(text: str, bold: bool, italic: bool) -> float:
    """Width of the text at 1 pt, in points."""
    return _face(bold, italic).getlength(_NOT_XML.sub("", text)) / 1000


@lru_cache(maxsize=4096)  # a block is measured at several sizes
def _words(runs: tuple[Run, ...]) -> tuple[tuple[tuple[Run, ...], float, float], ...]:
    """The runs cut where a line may break (after a space), each word with its width at 1 pt with
    and without its trailing space. A word may hold several runs ('**bold**,')."""
    words, current = [], []
    for run in runs:
        for piece in re.findall(r"\S+\s*|\s+", run.text):
            current.append(Run(piece, run.bold, run.italic, run.link))
            if piece[-1].isspace():
                words.append(tuple(current))
                current = []
    if current:
        words.append(tuple(current))
    measured = []
    for word in words:
        full = sum(_em_width(p.text, p.bold, p.italic) for p in word)
        last = word[-1]
        trailing = _em_width(last.text, last.bold, last.italic) - _em_width(last.text.rstrip(), last.bold, last.italic)
        measured.append((word, full, full - trailing))
    return tuple(measured)


def _lines(runs: tuple[Run, ...], size: float, width: float) -> list[list[tuple[Run, ...]]]:
    """The words of each line, broken as PowerPoint breaks them; a word too long for a line (an
    address) breaks inside and takes the lines it needs (empty lists after it here)."""
    width *= SAFETY
    lines: list[list] = [[]]
    used = 0.0
    for word, full, bare in _words(runs):
        full, bare = full * size, bare * size
        if lines[-1] and used + bare > width:
            lines.append([])
            used = 0.0
        lines[-1].append(word)
        used += full
        if bare > width:  # broken inside the word
            lines += [[] for _ in range(math.ceil(bare / width) - 1)]
            used = bare % width
    return lines


def _indent(block: Block, size: float) -> float:
    """Where the text of a block starts: list items hang their text after the bullet or number."""
    if block.bullet is None and not block.indented:
        return 0.0
    return (block.level + 1) * round(size * (1.6 if block.bullet and block.bullet.isdigit() else 1.1))


def _line_height(size: float) -> float:
    return round(size * LEADING)


def block_height(block: Block, size: float, width: float) -> float:
    return len(_lines(block.runs, size, width - _indent(block, size))) * _line_height(size)


def body_height(blocks: tuple[Block, ...], size: float, width: float) -> float:
    gaps = max(0, len(blocks) - 1) * round(size * PARAGRAPH_GAP)
    return sum(block_height(b, size, width) for b in blocks) + gaps


def title_fit(title: str, width: float) -> tuple[int, int]:
    """(size, lines) of the title: the largest size that keeps it to two lines, else the smallest."""
    run = (Run(title, bold=True),)
    for size in TITLE_SIZES:
        lines = len(_lines(run, size, width))
        if lines <= TITLE_LINES:
            return size, lines
    return TITLE_SIZES[-1], len(_lines(run, TITLE_SIZES[-1], width))


@dataclass(frozen=True)
class Placed:
    """One slide as laid out: its text, the sizes chosen and the boxes, in points."""

    text: SlideText
    title_pt: int
    title_height: float
    body_pt: int
    body_top: float
    body_width: float
    blocks: tuple[Block, ...]


def _body_width(slide: SlideText) -> float:
    return WIDTH - 2 * MARGIN - ((QR_SIDE + 30) if slide.qr else 0)


def _box(title: str, slide: SlideText) -> tuple[int, float, float]:
    """The title's size and height, and the height left for the body under it."""
    size, lines = title_fit(title, WIDTH - 2 * MARGIN)
    title_height = lines * _line_height(size)
    top = TITLE_TOP + title_height + 18
    return size, title_height, BODY_BOTTOM - top


def lay_out(slide: SlideText) -> list[Placed]:
    """The slide at the largest size that fits, down to SHRINK_TO; else continued over as many
    slides as it needs, all its parts in one size (the largest that fits every part)."""
    width = _body_width(slide)
    title_pt, title_height, room = _box(slide.title, slide)
    for size in (s for s in BODY_SIZES if s >= SHRINK_TO):
        if body_height(slide.blocks, size, width) <= room:
            return [Placed(slide, title_pt, title_height, size, BODY_BOTTOM - room, width, slide.blocks)]
    room = _box(f"{slide.title} (10 of 10)", slide)[2]  # the room under the longest title a part can have
    pages = _split(slide.blocks, SPLIT_PT, width, room)
    size = min(next((s for s in BODY_SIZES if body_height(blocks, s, width) <= room), MIN_PT) for blocks in pages)
    out = []
    for i, blocks in enumerate(pages, 1):
        part = replace(slide, title=f"{slide.title} ({i} of {len(pages)})", blocks=blocks)
        title_pt, title_height, room_here = _box(part.title, part)
        out.append(Placed(part, title_pt, title_height, size, BODY_BOTTOM - room_here, width, blocks))
    return out


def _split(blocks: tuple[Block, ...], size: float, width: float, room: float) -> list[tuple[Block, ...]]:
    """The blocks packed onto slides in order; a block longer than a slide is cut between lines."""
    pages: list[list[Block]] = [[]]
    queue = list(blocks)
    while queue:
        block = queue.pop(0)
        if body_height((*pages[-1], block), size, width) <= room:
            pages[-1].append(block)
            continue
        if pages[-1]:
            left = room - body_height(tuple(pages[-1]), size, width) - round(size * PARAGRAPH_GAP)
        else:
            left = room
        lines = _lines(block.runs, size, width - _indent(block, size))
        fit = int(left // _line_height(size))
        if not pages[-1]:
            fit = max(fit, 1)  # at least a line a slide, so that packing always ends
        if fit >= 2 or not pages[-1]:
            head, tail = _cut(block, lines, fit)
            pages[-1].append(head)
            queue.insert(0, tail)
        else:
            queue.insert(0, block)
        pages.append([])
    return [tuple(p) for p in pages if p]


def _cut(block: Block, lines: list, fit: int) -> tuple[Block, Block]:
    head = tuple(run for line in lines[:fit] for word in line for run in word)
    tail = tuple(run for line in lines[fit:] for word in line for run in word)
    return (replace(block, runs=_trimmed(_merged(head))),
            replace(block, runs=_trimmed(_merged(tail)), bullet=None, indented=True))


def _merged(runs: tuple[Run, ...]) -> list[Run]:
    out: list[Run] = []
    for run in runs:
        if out and replace(out[-1], text="") == replace(run, text=""):
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return out


# ---------------------------------------------------------------- writing the .pptx

_DECORATIVE = ('<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
               '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
               '</a:ext></a:extLst>')


def _frame(shape, left: float, top: float, width: float, height: float):
    shape.left, shape.top, shape.width, shape.height = Pt(left), Pt(top), Pt(width), Pt(height)
    frame = shape.text_frame
    # wrapped, no margins, from the top, never resized by the viewer: the box measured is the box shown
    body_pr = frame._bodyPr
    for name, value in (("wrap", "square"), ("lIns", "0"), ("tIns", "0"), ("rIns", "0"), ("bIns", "0"), ("anchor", "t")):
        body_pr.set(name, value)
    for fit in body_pr.findall(qn("a:normAutofit")) + body_pr.findall(qn("a:spAutoFit")) + body_pr.findall(qn("a:noAutofit")):
        body_pr.remove(fit)
    body_pr.insert(0, etree.Element(qn("a:noAutofit")))
    return frame


def _hundredths(points: float) -> int:
    return round(points * 100)


# Characters XML 1.0 cannot hold: a control character in a review's text is left out of the pack
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return html.escape(_NOT_XML.sub("", text), quote=False)


def _run_xml(run: Run, size: float, colour: str, link_id: str | None) -> str:
    """A run with every property set on it: size, font, colour, language (never left to the template)."""
    link = f'<a:hlinkClick r:id="{link_id}"/>' if link_id else ""
    return (f'<a:r><a:rPr lang="{LANGUAGE}" sz="{_hundredths(size)}" b="{int(run.bold)}" i="{int(run.italic)}" '
            f'dirty="0"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill><a:latin typeface="{FONT}"/>'
            f'<a:cs typeface="{FONT}"/>{link}</a:rPr><a:t>{_xml_text(run.text)}</a:t></a:r>')


def _bullet_xml(block: Block, size: float) -> tuple[str, str]:
    """(attributes, elements) of a paragraph's bullet or number: PowerPoint's own, so that it is
    read out as a list, hanging left of the text."""
    indent = _indent(block, size)
    if block.bullet is None:
        return f' marL="{Pt(indent)}" indent="0"', "<a:buNone/>"
    hang = round(size * (1.6 if block.bullet.isdigit() else 1.1))
    mark = (f'<a:buAutoNum type="arabicPeriod" startAt="{block.bullet}"/>' if block.bullet.isdigit()
            else f'<a:buChar char="{html.escape(block.bullet)}"/>')
    return f' marL="{Pt(indent)}" indent="{-Pt(hang)}"', f'<a:buFont typeface="{FONT}"/>{mark}'


def _set_text(frame, blocks: tuple[Block, ...], size: float, colour: str, part, align: str = "l") -> None:
    """The frame's paragraphs, written as XML in one go (python-pptx's objects per run cost 1 ms each)."""
    paragraphs = []
    for i, block in enumerate(blocks):
        attributes, bullet = _bullet_xml(block, size)
        runs = "".join(_run_xml(r, size, colour, part.relate_to(r.link, RT.HYPERLINK, is_external=True)
                                if r.link else None) for r in block.runs)
        paragraphs.append(
            f'<a:p><a:pPr lvl="{min(block.level, 8)}" algn="{align}"{attributes}><a:lnSpc><a:spcPts val="{_hundredths(_line_height(size))}"/>'
            f'</a:lnSpc><a:spcBef><a:spcPts val="{_hundredths(round(size * PARAGRAPH_GAP) if i else 0)}"/></a:spcBef>'
            f'{bullet}</a:pPr>{runs}<a:endParaRPr lang="{LANGUAGE}" sz="{_hundredths(size)}" dirty="0"/></a:p>')
    body = frame._txBody
    for old in body.findall(qn("a:p")):
        body.remove(old)
    fragment = etree.fromstring(f'<a:txBody xmlns:a="{_A}" xmlns:r="{_R}">{"".join(paragraphs)}</a:txBody>')
    body.extend(list(fragment))


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _qr_png(address: str) -> io.BytesIO:
    """The QR code the briefing's PDF and trainer's page show (qr.qr_code), as a PNG."""
    code = qr_code(address)
    scale = 8
    image = Image.new("1", (code.size * scale, code.size * scale), 1)
    for x, y, run in ((int(a), int(b), int(c)) for a, b, c in re.findall(r"M(\d+) (\d+)h(\d+)", code.path)):
        image.paste(0, (x * scale, y * scale, (x + run) * scale, (y + 1) * scale))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    out.seek(0)
    return out


def _slide(prs, placed: Placed, number: int, total: int, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])  # Title and Content (_lean): a title and a body placeholder
    text, part = placed.text, slide.part
    title = _frame(slide.shapes.title, MARGIN, TITLE_TOP, WIDTH - 2 * MARGIN, placed.title_height + 4)
    _set_text(title, (_para(Run(text.title, bold=True)),), placed.title_pt, text.colour, part)
    body = _frame(slide.placeholders[1], MARGIN, placed.body_top, placed.body_width, BODY_BOTTOM - placed.body_top)
    _set_text(body, placed.blocks, placed.body_pt, INK, part)
    if text.qr:
        picture = slide.shapes.add_picture(_qr_png(text.qr), Pt(WIDTH - MARGIN - QR_SIDE), Pt(placed.body_top),
                                           Pt(QR_SIDE), Pt(QR_SIDE))
        picture.name = "QR code"
        picture._element.nvPicPr.cNvPr.set("descr", text.qr_alt)
        caption = _frame(slide.shapes.add_textbox(0, 0, 0, 0), WIDTH - MARGIN - QR_SIDE, placed.body_top + QR_SIDE + 6,
                         QR_SIDE, 2 * _line_height(MIN_PT) + 4)
        _set_text(caption, (_para(Run(QR_CAPTION)),), MIN_PT, INK, part)
    label = f"{footer} · {number} of {total}"
    if len(_lines((Run(label),), FOOTER_PT, WIDTH - 2 * MARGIN)) > 1:
        label = f"{number} of {total}"
    footer_box = slide.shapes.add_textbox(0, 0, 0, 0)
    footer_box.name = "Footer"
    foot = _frame(footer_box, MARGIN, FOOTER_TOP, WIDTH - 2 * MARGIN, _line_height(FOOTER_PT) + 4)
    _set_text(foot, (_para(Run(label)),), FOOTER_PT, GREY, part)
    # the band last: the reading order is the shapes' order, and a screen reader skips a decorative shape
    band = slide.shapes.add_shape(1, 0, 0, Pt(WIDTH), Pt(BAND))  # 1: a rectangle
    band.name = "Section colour"
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(text.colour)
    band.line.fill.background()
    band._element.nvSpPr.cNvPr.append(etree.fromstring(_DECORATIVE))
    notes = slide.notes_slide
    _set_text(notes.notes_text_frame, tuple(_para(Run(line)) for line in text.notes), MIN_PT, INK, notes.part)


@lru_cache(maxsize=1)
def _template() -> bytes:
    """python-pptx's own template, lean (_lean), 16:9, with its notes master, in en-GB: made once,
    not for every pack."""
    prs = _lean(Presentation())
    prs.slide_width, prs.slide_height = Pt(WIDTH), Pt(HEIGHT)
    prs.notes_master  # made now, so that every pack's notes start from an en-GB master
    _british(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _lean(prs):
    """The template without what a pack does not use: ten other layouts, python-pptx's own thumbnail
    picture (not of these slides) and its printer settings."""
    for layout in list(prs.slide_layouts):
        if layout.name != "Title and Content":
            prs.slide_layouts.remove(layout)
    for owner in (prs.part.package, prs.part):
        for key in [k for k, r in owner._rels.items() if r.reltype in (RT.THUMBNAIL, RT.PRINTER_SETTINGS)]:
            owner._rels.pop(key)
    return prs


def _british(prs) -> None:
    """en-GB wherever the template says en-US (default text styles, master, layouts)."""
    for part in prs.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            for node in element.iter():
                if node.get("lang") == "en-US":
                    node.set("lang", LANGUAGE)


def write_pack(deck: Deck) -> tuple[bytes, int]:
    """The .pptx file of a deck, and its number of slides."""
    prs = Presentation(io.BytesIO(_template()))
    placed = [p for slide in deck.slides for p in lay_out(slide)]
    for number, slide in enumerate(placed, 1):
        _slide(prs, slide, number, len(placed), deck.footer)
    created = dt.datetime.combine(deck.created, dt.time())
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = map(_property, (deck.title, deck.author, deck.author))
    props.subject, props.keywords, props.language = _property(deck.subject), _property(deck.keywords), LANGUAGE
    props.created = props.modified = created
    props.revision = 1
    out = io.BytesIO()
    prs.save(out)
    return _dated(out.getvalue(), created), len(placed)


def _property(value: str) -> str:
    """A document property: at most 255 characters (the format's limit), cut between words."""
    value = _NOT_XML.sub("", value)
    return value if len(value) <= 255 else value[:254].rsplit(" ", 1)[0] + "…"


def _dated(pptx: bytes, when: dt.datetime) -> bytes:
    """The same zip with every member dated `when`, not now: the same review makes the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pptx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return out.getvalue()


# ---------------------------------------------------------------- the cache

@dataclass(frozen=True)
class SlidePack:
    review_id: str
    path: str  # where it goes in the site
    source: Path  # the cached file it is copied from
    size: int  # bytes
    slides: int

    size_label = PdfFile.size_label


def inputs(site: Site) -> str:
    """Everything a pack depends on besides its review: this code and its libraries, the child
    profile's macro, the site's settings and glossary."""
    macros = hashlib.sha256((TEMPLATES / "_macros.md.j2").read_bytes()).hexdigest()
    return f"{ENGINE}\n{macros}\n{site.settings!r}\n{site.glossary!r}"


def cache_key(review: Review, context: str) -> str:
    """From the review's fields as they are (their repr), not from its slides: an unchanged review
    is settled without converting its text."""
    return hashlib.sha256(f"{context}\n{review.fields_digest}".encode()).hexdigest()


def make_slide_packs(site: Site, root: Path) -> dict[str, SlidePack]:
    """The slide pack of every published briefing, cached in root/.cache/slides/ (outside site/)."""
    cache = root / ".cache" / "slides"
    cache.mkdir(parents=True, exist_ok=True)
    context = inputs(site)
    stems = [cache / cache_key(review, context) for review in site.reviews]
    missing = [(r, stem) for r, stem in zip(site.reviews, stems) if not stem.with_suffix(".json").exists()]
    if missing:
        text = Text(site)
        shared(len(missing), lambda i: _make(deck(missing[i][0], site, text), missing[i][1]))  # both cores from 200
    packs = {}
    for review, stem in zip(site.reviews, stems):
        pptx = stem.with_suffix(".pptx")
        count = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["slides"]
        packs[review.id] = SlidePack(review.id, pack_path(review), pptx, pptx.stat().st_size, count)
    _prune(cache, {stem.name for stem in stems})
    return packs


def _make(made: Deck, stem: Path) -> None:
    data, count = write_pack(made)
    _write_atomically(stem.with_suffix(".pptx"), data)
    _write_atomically(stem.with_suffix(".json"), json.dumps({"slides": count}).encode())  # last: it is complete


def _prune(cache: Path, keep: set[str]) -> None:
    """Packs of older versions go after an hour, as the PDFs' do (pdf_making._prune)."""
    too_old = time.time() - KEEP_SECONDS
    for entry in cache.iterdir():
        if entry.suffix in (".pptx", ".json") and entry.stem not in keep and entry.stat().st_mtime < too_old:
            entry.unlink(missing_ok=True)
