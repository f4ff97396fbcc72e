"""The trainers' slide packs, read back with python-pptx: titles, order, notes, alternative text,
text sizes, contrast, language, and text that stays on its slide (measured here independently)."""
from __future__ import annotations

import dataclasses
import functools
import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import ImageFont
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from conftest import REPO
from generator.model.types import Finding, Question
from generator.output import slides
from generator.site import build_date, load_site

TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
FONTS = Path("/usr/share/fonts/truetype/liberation")


@pytest.fixture(scope="module")
def site():
    result = load_site(REPO, build_date())
    assert result.ok
    return result.site


@pytest.fixture(scope="module")
def packs(site, tmp_path_factory):
    """Every example briefing's pack, made as a build makes them, and opened again."""
    root = tmp_path_factory.mktemp("slides")
    made = slides.make_slide_packs(site, root)
    return {review.id: (made[review.id], Presentation(made[review.id].source)) for review in site.reviews}


def _title(slide) -> str:
    shapes = [s for s in slide.placeholders if s.placeholder_format.type in TITLES]
    assert len(shapes) == 1, "one title placeholder on every slide"
    return shapes[0].text_frame.text


def _runs(slide):
    for shape in slide.shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                yield from paragraph.runs


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


def test_every_published_briefing_has_a_pack_and_only_they_do(site, packs):
    assert set(packs) == {r.id for r in site.reviews} and len(packs) == 10
    for review in site.reviews:
        pack, deck = packs[review.id]
        assert pack.path == f"reviews/{review.id}/{review.id}-slides.pptx"
        assert pack.slides == len(deck.slides) and pack.size == pack.source.stat().st_size
        assert re.fullmatch(r"\d+ KB", pack.size_label)


def test_each_slide_has_a_unique_title_in_a_title_placeholder(packs):
    for review_id, (_, deck) in packs.items():
        titles = [_title(slide) for slide in deck.slides]
        assert all(t.strip() for t in titles), review_id
        assert len(set(titles)) == len(titles), (review_id, titles)


def test_the_slides_follow_the_meeting(site, packs):
    headings = site.settings.section_headings
    for review in site.reviews:
        titles = [_title(s) for s in packs[review.id][1].slides]
        assert titles[0] == f"{review.name}: seven-minute briefing"
        sections = [int(t[0]) for t in titles if re.match(r"\d\. ", t)]
        assert sections == sorted(sections) and set(sections) == set(range(1, 8)), titles
        for number, heading in enumerate(headings, 1):
            assert any(t == f"{number}. {heading}" or t.startswith(f"{number}. {heading} (1 of ") for t in titles)
        # a slide per finding, in order, after section 4 and before section 5
        findings = [titles.index(next(t for t in titles if t.startswith(f"Finding {f.number}: "))) for f in review.findings]
        four = next(i for i, t in enumerate(titles) if t.startswith("4. "))
        five = next(i for i, t in enumerate(titles) if t.startswith("5. "))
        assert findings == sorted(findings) and four < findings[0] and findings[-1] < five
        six = next(i for i, t in enumerate(titles) if t.startswith("6. "))
        assert six < titles.index("Questions we ask with every briefing") < titles.index("Action plan")
        assert titles[-1] == "Action plan"


def test_the_title_slide_has_the_partnership_date_content_note_and_a_qr_code_with_alt_text(site, packs):
    for review in site.reviews:
        first = packs[review.id][1].slides[0]
        text = "\n".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
        assert review.partnership in text and f"Published {review.published}" in text
        for note in review.content_notes:
            assert "Content note:" in text and note in text
        pictures = [s for s in first.shapes if s.shape_type == 13]  # a picture
        assert len(pictures) == 1
        alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
        assert alt == f"QR code that opens the seven-minute briefing about {review.name} at " \
                      f"{site.settings.base_url}reviews/{review.id}/"


def test_every_picture_has_alt_text_and_every_other_shape_is_text_or_marked_decorative(packs):
    for review_id, (_, deck) in packs.items():
        for slide in deck.slides:
            shapes = list(slide.shapes)
            assert shapes[0].is_placeholder and shapes[0].placeholder_format.type in TITLES  # read first
            for shape in shapes:
                c_nv_pr = shape._element.xpath(".//p:cNvPr")[0]
                if shape.shape_type == 13:
                    assert c_nv_pr.get("descr"), review_id
                elif not (shape.has_text_frame and shape.text_frame.text.strip()):
                    assert c_nv_pr.xpath(".//*[local-name()='decorative']/@val") == ["1"], (review_id, shape.name)
                    assert shape is shapes[-1]  # the decorative band comes last in the reading order


def test_text_is_at_least_18_pt_in_en_gb_with_contrast_of_at_least_4_5(packs):
    sizes = set()
    for review_id, (_, deck) in packs.items():
        assert deck.core_properties.language == "en-GB"
        assert deck.core_properties.author and deck.core_properties.title
        for slide in deck.slides:
            runs = [*_runs(slide), *(r for p in slide.notes_slide.notes_text_frame.paragraphs for r in p.runs)]
            assert runs
            for run in runs:
                assert run.font.size is not None and run.font.size.pt >= 18, (review_id, run.text)
                assert run._r.rPr.get("lang") == "en-GB", (review_id, run.text)
                assert contrast_on_white(str(run.font.color.rgb)) >= 4.5, (review_id, run.text, run.font.color.rgb)
                sizes.add(run.font.size.pt)
    assert min(sizes) == 18 and max(sizes) > 24  # it does shrink, and only as far as it must


def test_the_notes_hold_the_trainer_s_plan_and_facilitator_notes(site, packs):
    patricia = next(r for r in site.reviews if r.id == "patricia-2020")
    deck = packs[patricia.id][1]
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    assert "0:00 to 1:00 — 1. Background — Say what the review is about, using only the pseudonym." in notes[0]
    assert "Facilitator notes" in notes[0] and "Keep the focus on what the adults around her" in notes[0]
    by_title = dict(zip((_title(s) for s in deck.slides), notes))
    assert by_title["2. What happened"] == "1:00 to 2:00 — 2. What happened — Read or summarise what happened."
    assert by_title["Finding 1: Trauma-informed approaches"].startswith("3:00 to 4:00 — 4. What we learned")
    assert by_title["Action plan"].startswith("6:00 to 7:00 — 7. Find out more")
    # a review without facilitator notes has none in its pack
    other = next(r for r in site.reviews if not r.facilitator_notes)
    assert "Facilitator notes" not in packs[other.id][1].slides[0].notes_slide.notes_text_frame.text


def _page_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.mark.build
def test_the_notes_say_nothing_that_the_trainer_s_page_does_not(example_site):
    packs = sorted(example_site.glob("reviews/*/*-slides.pptx"))
    assert len(packs) == 10
    for path in packs:
        page = _page_text(path.parent / "trainer" / "index.html")
        for slide in Presentation(path).slides:
            for line in slide.notes_slide.notes_text_frame.text.split("\n"):
                for part in line.split(" — "):
                    assert re.sub(r"\s+", " ", part).strip() in page, (path.name, part)


@pytest.mark.build
def test_the_briefing_and_the_trainer_s_page_link_the_pack_with_its_size(example_site):
    for path in sorted(example_site.glob("reviews/*/*-slides.pptx")):
        kilobytes = -(-path.stat().st_size // 1024)
        briefing = (path.parent / "index.html").read_text(encoding="utf-8")
        assert f'href="{path.name}"' in briefing and f"Slides for trainers (PowerPoint, {kilobytes} KB)" in briefing
        trainer = (path.parent / "trainer" / "index.html").read_text(encoding="utf-8")
        slides_count = len(Presentation(path).slides)
        assert f'href="../{path.name}"' in trainer
        assert f"Download the slides (PowerPoint, {kilobytes} KB, {slides_count} slides)" in trainer


# ---------------------------------------------------------------- nothing runs off a slide

def _boxes(slide):
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            yield shape


def _height_needed(shape) -> float:
    """The text wrapped at its box's width with the font's own advance widths, in points: a plain
    greedy wrap written here, apart from the module's."""
    total = 0.0
    for i, paragraph in enumerate(shape.text_frame.paragraphs):
        p_pr = paragraph._p.pPr
        margin = Emu(int(p_pr.get("marL", "0"))).pt if p_pr is not None else 0
        width = Emu(shape.width).pt - margin
        line_height = paragraph.line_spacing.pt
        lines, used = 1, 0.0
        words = [(w, run) for run in paragraph.runs for w in re.findall(r"\S+\s*", run.text)]
        for word, run in words:
            face = _faces()[bool(run.font.bold), bool(run.font.italic)]
            size = run.font.size.pt
            full = face.getlength(word) / 1000 * size
            bare = face.getlength(word.rstrip()) / 1000 * size
            if used and used + bare > width:
                lines += 1
                used = 0.0
            used += full
        total += lines * line_height + (paragraph.space_before.pt if i and paragraph.space_before else 0)
    return total


def _assert_fits(deck, label):
    for slide in deck.slides:
        for shape in _boxes(slide):
            need, room = _height_needed(shape), Emu(shape.height).pt
            assert need <= room, (label, shape.text_frame.text[:60], need, room)
            assert Emu(shape.top).pt + Emu(shape.height).pt <= Emu(deck.slide_height).pt
            assert Emu(shape.left).pt + Emu(shape.width).pt <= Emu(deck.slide_width).pt


@functools.lru_cache(maxsize=1)
def _faces() -> dict:
    return {key: ImageFont.truetype(str(FONTS / name), 1000) for key, name in slides.FONT_FILES.items()}


def test_no_text_runs_off_any_slide_of_the_examples(packs):
    for review_id, (_, deck) in packs.items():
        _assert_fits(deck, review_id)


def _words(n: int, seed: str) -> str:
    text = " ".join(f"{seed}{'abcdefgh'[i % 8] * (3 + i % 6)}" for i in range(n))
    return text[0].upper() + text[1:] + "."


def test_a_briefing_of_1400_words_fits_with_continuation_slides_never_below_18_pt(site, tmp_path):
    """The most the seven-minute budget allows: each section kept, text shrunk or continued."""
    base = next(r for r in site.reviews if r.id == "patricia-2020")
    review = dataclasses.replace(
        base, background=_words(250, "b") + "\n\n" + _words(120, "c"), what_happened=_words(320, "w"),
        why_it_matters=_words(160, "y"),
        findings=tuple(Finding(i, f"A finding with a long title that takes two lines {i}", _words(80, "f"))
                       for i in range(1, 5)),
        practice_points=tuple(_words(22, "p") for _ in range(5)),
        questions=tuple(Question(i, _words(18, "q")[:-1] + "?") for i in range(1, 4)))
    assert sum(review.section_word_counts) <= site.settings.word_budget == 1400
    assert sum(review.section_word_counts) >= 1300
    data, count = slides.write_pack(slides.deck(review, site, slides.Text(site)))
    path = tmp_path / "long.pptx"
    path.write_bytes(data)
    deck = Presentation(path)
    assert len(deck.slides) == count
    titles = [_title(s) for s in deck.slides]
    parts = [t for t in titles if t.startswith("2. What happened")]
    assert parts == [f"2. What happened ({i} of {len(parts)})" for i in range(1, len(parts) + 1)] and len(parts) > 1
    _assert_fits(deck, "1,400 words")
    assert min(r.font.size.pt for s in deck.slides for r in _runs(s)) >= 18
    # nothing lost across the cut: section 2's words are all there, once, in order
    said = " ".join(s.placeholders[1].text_frame.text for s in deck.slides if _title(s).startswith("2. "))
    assert said.split() == review.what_happened.split()


# ---------------------------------------------------------------- the cache

def test_packs_are_cached_by_content_and_made_again_only_when_it_changes(site, tmp_path, monkeypatch):
    first = slides.make_slide_packs(site, tmp_path)
    made = []
    original = slides.write_pack
    monkeypatch.setattr(slides, "write_pack", lambda deck: made.append(deck.review_id) or original(deck))
    again = slides.make_slide_packs(site, tmp_path)
    assert made == [] and {k: v.source for k, v in again.items()} == {k: v.source for k, v in first.items()}
    changed = dataclasses.replace(site, reviews=tuple(
        dataclasses.replace(r, what_happened=r.what_happened + " One more sentence.") if r.id == "marie-2023" else r
        for r in site.reviews))
    third = slides.make_slide_packs(changed, tmp_path)
    assert made == ["marie-2023"] and third["marie-2023"].source != first["marie-2023"].source
    assert first["marie-2023"].source.read_bytes() == original(slides.deck(
        next(r for r in site.reviews if r.id == "marie-2023"), site, slides.Text(site)))[0]  # the same bytes each time


def test_only_published_reviews_get_a_pack(site, tmp_path):
    fewer = dataclasses.replace(site, reviews=site.reviews[:3])
    assert set(slides.make_slide_packs(fewer, tmp_path)) == {r.id for r in site.reviews[:3]}


# ---------------------------------------------------------------- what LibreOffice shows

@pytest.mark.slow
def test_libreoffice_renders_the_patricia_pack(packs, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (Debian libreoffice-impress) is not installed: apt-get install -y libreoffice-impress")
    import pypdfium2

    pack, deck = packs["patricia-2020"]
    shutil.copy(pack.source, tmp_path / "patricia-2020-slides.pptx")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "patricia-2020-slides.pptx")],
                   check=True, capture_output=True, timeout=180)
    pdf = pypdfium2.PdfDocument(tmp_path / "patricia-2020-slides.pdf")
    assert len(pdf) == len(deck.slides)
    shots = REPO / "build" / "screenshots" / "slides"
    shots.mkdir(parents=True, exist_ok=True)
    for number in range(len(pdf)):
        image = pdf[number].render(scale=1).to_pil().convert("RGB")
        assert image.size[0] / image.size[1] == pytest.approx(16 / 9, rel=0.01)
        assert len(image.resize((64, 36)).getcolors(4096) or ()) > 2  # not blank: text and the section's colour
        image.save(shots / f"patricia-2020-slide-{number + 1:02d}.png")


def test_hostile_text_is_shown_as_text_and_never_breaks_the_pack(site):
    base = next(r for r in site.reviews if r.id == "patricia-2020")
    review = dataclasses.replace(base, what_happened="A <script>alert(1)</script> and {{ 7 * 7 }}, a tab\x0bmark\x01s"
                                 ", **bold** and [a link](javascript:alert(1)) & more.")
    deck = Presentation(io.BytesIO(slides.write_pack(slides.deck(review, site, slides.Text(site)))[0]))
    slide = next(s for s in deck.slides if _title(s) == "2. What happened")
    text = slide.placeholders[1].text_frame.text
    assert "A <script>alert(1)</script> and {{ 7 * 7 }}, a tab marks, bold and" in text, text
    assert [r.font.bold for r in _runs(slide) if r.text == "bold"] == [True]
    assert not [r for r in _runs(slide) if r.hyperlink.address and "javascript" in r.hyperlink.address]


def test_the_longest_title_the_schema_allows_still_leaves_its_text_on_the_slide(site):
    base = next(r for r in site.reviews if r.id == "patricia-2020")
    title = ("Supervision " * 25)[:300].strip()
    review = dataclasses.replace(base, findings=(Finding(1, title, _words(150, "s")),))
    deck = Presentation(io.BytesIO(slides.write_pack(slides.deck(review, site, slides.Text(site)))[0]))
    parts = [s for s in deck.slides if _title(s).startswith("Finding 1: ")]
    assert parts and all(Emu(s.placeholders[1].top).pt > Emu(s.shapes.title.top + s.shapes.title.height).pt for s in parts)
    _assert_fits(deck, "a 300-character title")
