"""The briefings' PDFs, made without MkDocs: what they say, that they are accessible, and the cache."""
import os
import re
import time

import pytest
from pypdf import PdfReader

from generator.output.briefing_pdf import css_string, make_briefing_pdfs, pdf_jobs
from generator.output.pdf_making import KEEP_SECONDS, MAX_PDF_PAGES, cache_key, make_pdfs
from generator.site import load_site

from conftest import REPO, make_project, minimal

ADDRESS = "https://learning.example.org.uk/reviews/child-z-2024/"


def site_of(root, reviews):
    result = load_site(make_project(root, reviews))
    assert result.ok, result.problems
    return result.site


def text_of(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def figures(node) -> list:
    """The alternative text of every Figure in a PDF's structure tree."""
    node = node.get_object()
    if isinstance(node, list):
        return [alt for child in node for alt in figures(child)]
    if not isinstance(node, dict):
        return []
    found = [node.get("/Alt")] if node.get("/S") == "/Figure" else []
    return found + (figures(node["/K"]) if "/K" in node else [])


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A published review and a draft, made into PDFs once."""
    root = tmp_path_factory.mktemp("small")
    site = site_of(root, {
        "child-z-2024.yml": minimal(),
        "child-y-2024.yml": minimal(id="child-y-2024", status="draft").replace("Child Z", "Child Draftname"),
    })
    return root, make_briefing_pdfs(site, root)


def test_only_published_briefings_get_a_pdf(small):
    root, result = small
    assert set(result.files) == {"child-z-2024"}
    assert len(list((root / ".cache" / "pdf").glob("*.pdf"))) == 1
    assert result.files["child-z-2024"].path == "reviews/child-z-2024/child-z-2024-seven-minute-briefing.pdf"


def test_the_pdf_names_the_child_partnership_date_and_address(small):
    _, result = small
    reader = PdfReader(result.files["child-z-2024"].source)
    text = text_of(reader)
    for expected in ("Child Z: seven-minute briefing", "Example Partnership", "Published January 2024", ADDRESS,
                     "1. Background", "Agencies did not share what they knew.", "What would you do?",
                     "Review by January 2026: check https://learning.example.org.uk/b/child-z-2024/ for the current version."):
        assert expected in text
    assert "Example Safeguarding Children Partnership" not in text  # the site's setting, not the review's partnership
    assert reader.metadata["/Author"] == "Example Partnership"
    assert "Draftname" not in text
    assert len(reader.pages) == result.files["child-z-2024"].pages == 1


def test_the_pdf_is_tagged_with_its_title_and_language(small):
    _, result = small
    reader = PdfReader(result.files["child-z-2024"].source)
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title == "Child Z: seven-minute briefing"
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_data()
    assert figures(catalog["/StructTreeRoot"]) == [f"QR code: scan it to open this briefing at {ADDRESS}"]


def test_the_pdf_text_is_real_text_and_the_qr_code_is_vector(small):
    _, result = small
    reader = PdfReader(result.files["child-z-2024"].source)
    assert all(not page.images for page in reader.pages)  # no picture of text; the QR code is drawn
    assert "Child Z" in reader.pages[0].extract_text()


def test_a_second_run_makes_no_pdf_again(small):
    root, first = small
    cache = root / ".cache" / "pdf"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    again = make_briefing_pdfs(load_site(root).site, root)
    assert again.made == () and again.reused == 1
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    assert again.files == first.files


def test_a_changed_review_makes_its_pdf_again_and_old_entries_go_after_an_hour(tmp_path):
    site = site_of(tmp_path, {"child-z-2024.yml": minimal(), "child-x-2024.yml": minimal(id="child-x-2024")})
    first = make_briefing_pdfs(site, tmp_path)
    assert sorted(m.review_id for m in first.made) == ["child-x-2024", "child-z-2024"]  # two at once: the pool
    changed = site_of(tmp_path, {"child-z-2024.yml": minimal().replace("Things went wrong.", "Things went badly.")})
    second = make_briefing_pdfs(changed, tmp_path)
    assert [m.review_id for m in second.made] == ["child-z-2024"] and second.reused == 1
    assert "Things went badly." in text_of(PdfReader(second.files["child-z-2024"].source))
    cache = tmp_path / ".cache" / "pdf"
    old = first.files["child-z-2024"].source
    assert old.exists()  # another build in this folder may still be copying it
    an_hour_ago = time.time() - KEEP_SECONDS - 1
    for entry in (old, old.with_suffix(".json")):
        os.utime(entry, (an_hour_ago, an_hour_ago))
    make_briefing_pdfs(changed, tmp_path)
    assert sorted(p.stem for p in cache.glob("*.pdf")) == sorted(p.source.stem for p in second.files.values())


def test_the_same_input_gives_the_same_bytes(tmp_path, small):
    _, result = small
    job = next(j for j in pdf_jobs(load_site(small[0]).site) if j.review_id == "child-z-2024")
    again = make_pdfs([job], tmp_path / "elsewhere")
    assert again.files["child-z-2024"].source.read_bytes() == result.files["child-z-2024"].source.read_bytes()


def test_the_cache_key_follows_every_input(small):
    job = pdf_jobs(load_site(small[0]).site)[0]
    assert cache_key(job) == cache_key(job)
    assert cache_key(job) != cache_key(type(job)(job.review_id, job.path, job.html + " ", job.base_url))
    assert cache_key(job) != cache_key(type(job)(job.review_id, job.path, job.html, "https://elsewhere.example/"))


def test_without_a_public_address_there_is_no_qr_code(tmp_path):
    root = make_project(tmp_path, {"child-z-2024.yml": minimal()})
    settings = root / "briefings" / "_site.yml"
    settings.write_text(re.sub(r"(?m)^base_url:.*\n", "", settings.read_text()))
    html = pdf_jobs(load_site(root).site)[0].html
    assert "<svg" not in html and "https://" not in html.split("<body>")[1]


def test_text_in_a_css_string_cannot_close_it():
    assert css_string('A "quoted" \\ </style> name') == 'A \\"quoted\\" \\\\ \\3c /style> name'


def long_review(words_wanted: dict[str, int]) -> str:
    """A review whose sections have about the given numbers of words."""
    sentence = ("Practitioners around the child each saw part of the picture, but nobody brought it "
                "together, so the risk grew while every agency waited for another to act. ").split()

    def prose(n, start=0):
        return " ".join(sentence[(start + i) % len(sentence)] for i in range(n)) + "."

    findings = "".join(f"  - number: {i}\n    title: {prose(6, i)}\n    summary: {prose(words_wanted['finding'], i)}\n"
                       for i in range(1, 8))
    points = "".join(f"  - {prose(words_wanted['point'], i)}\n" for i in range(6))
    questions = "".join(f"  - {prose(22, i)}?\n" for i in range(4))
    return minimal().split("background:")[0] + (
        f"background: {prose(words_wanted['background'])}\n"
        f"what_happened: {prose(words_wanted['what_happened'])}\n"
        f"why_it_matters: {prose(words_wanted['why'])}\n"
        f"findings:\n{findings}practice_points:\n{points}questions:\n{questions}"
        "further_reading:\n  - title: Working Together to Safeguard Children 2023\n"
        "    url: https://www.gov.uk/government/publications/working-together-to-safeguard-children--2\n"
        "contact: The partnership's learning team, learning@example.org.uk\n")


def test_a_briefing_at_its_full_seven_minutes_fits_on_two_pages(tmp_path):
    text = long_review({"background": 290, "what_happened": 330, "why": 140, "finding": 45, "point": 26})
    result = load_site(make_project(tmp_path, {"child-z-2024.yml": text}))
    assert result.problems == []  # within the budget: no warning
    review = result.site.reviews[0]
    assert sum(len(t.split()) for texts in review.briefing_sections() for t in texts) > 1300
    pdf = make_briefing_pdfs(result.site, tmp_path).files["child-z-2024"]
    assert pdf.pages == len(PdfReader(pdf.source).pages) <= MAX_PDF_PAGES


def test_size_label_reads_like_a_download_link(small):
    pdf = small[1].files["child-z-2024"]
    assert pdf.size_label == f"{-(-pdf.size // 1024)} KB"
    assert type(pdf)(pdf.review_id, pdf.path, pdf.source, 1_572_864, 3).size_label == "1.5 MB"


# Every example briefing's PDF, as a team would pin it on the wall.

SCREENSHOTS = REPO / "build" / "screenshots"
MARGIN_POINTS = (11 * 72 / 25.4, 13 * 72 / 25.4)  # the page's top and bottom margins (briefing-pdf.css)


def page_fill(path) -> list[int]:
    """How far down its text area each page's text reaches, in per cent (the footer left out)."""
    import pypdfium2

    top, bottom = MARGIN_POINTS
    fills = []
    for page in pypdfium2.PdfDocument(str(path)):
        height = page.get_height()
        text = page.get_textpage()
        lowest = min(rect[1] for rect in (text.get_rect(i) for i in range(text.count_rects())) if rect[1] > bottom + 6)
        fills.append(round(100 * (height - top - lowest) / (height - top - bottom)))
    return fills


def last_page_columns(path) -> set[str]:
    """Which of the last page's two columns hold text: the back of a two-sided briefing holds both."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    page = document[len(document) - 1]
    text, middle, bottom = page.get_textpage(), page.get_width() / 2, MARGIN_POINTS[1] + 6
    rects = [text.get_rect(i) for i in range(text.count_rects())]
    return {"left" if rect[0] < middle else "right" for rect in rects if rect[1] > bottom}


def outline_titles(outline, depth=0) -> list[tuple[int, str]]:
    return [item for entry in outline for item in
            (outline_titles(entry, depth + 1) if isinstance(entry, list) else [(depth, entry.title)])]


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """The example site's reviews and their PDFs, made once."""
    site = load_site(REPO).site
    return site, make_briefing_pdfs(site, tmp_path_factory.mktemp("examples"))


def example_ids() -> list[str]:
    return [review.id for review in load_site(REPO).site.reviews]


@pytest.mark.parametrize("review_id", example_ids())
def test_each_example_pdf_is_a_balanced_two_sided_briefing_of_its_partnership(examples, review_id):
    site, result = examples
    review = next(r for r in site.reviews if r.id == review_id)
    pdf = result.files[review_id]
    reader = PdfReader(pdf.source)
    text = text_of(reader)
    assert len(reader.pages) <= MAX_PDF_PAGES
    assert review.partnership in text and reader.metadata["/Author"] == review.partnership
    assert site.settings.partnership not in text  # the site's example setting, above someone else's review
    assert f"Review by {review.review_by.last_day:%B %Y}: check {site.settings.base_url}b/{review_id}/ for the current version." in text
    fill = page_fill(pdf.source)
    assert len(fill) == 1 or min(fill) >= 40, f"{review_id}: pages filled {fill} per cent: one is nearly empty"
    assert len(fill) == 1 or last_page_columns(pdf.source) == {"left", "right"}, f"{review_id}: the back is one column"
    headings = [title for depth, title in outline_titles(reader.outline) if depth == 1]
    assert headings == [f"{n}. {h}" for n, h in enumerate(site.settings.section_headings, 1)]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    import pypdfium2
    pypdfium2.PdfDocument(str(pdf.source))[0].render(scale=1.5).to_pil().save(SCREENSHOTS / f"pdf-{review_id}-page1.png")


@pytest.mark.parametrize("review_id", example_ids())
def test_each_example_pdf_passes_the_machine_checkable_part_of_pdf_ua_1(examples, review_id):
    import pdfua

    report = pdfua.validate(str(examples[1].files[review_id].source))
    assert [(f.rule_id, f.message) for f in report.findings] == [] and report.exit_code == 0  # 0: no finding at all


def test_a_briefing_of_1400_words_fills_two_sides_and_passes_pdf_ua(tmp_path):
    import pdfua

    text = long_review({"background": 290, "what_happened": 330, "why": 140, "finding": 45, "point": 26})
    site = load_site(make_project(tmp_path, {"child-z-2024.yml": text})).site
    assert sum(len(t.split()) for texts in site.reviews[0].briefing_sections() for t in texts) > 1300
    pdf = make_briefing_pdfs(site, tmp_path).files["child-z-2024"]
    assert len(PdfReader(pdf.source).pages) == 2
    assert min(page_fill(pdf.source)) >= 40
    assert pdfua.validate(str(pdf.source)).findings == ()
