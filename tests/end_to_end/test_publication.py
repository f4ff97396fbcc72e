"""Publication control: nothing held back reaches any file, and withdrawing removes every trace."""
import shutil

import pytest

from conftest import REPO, make_buildable, make_project, minimal, run_cli

pytestmark = pytest.mark.build

HELD_BACK = {
    "held-draft.yml": minimal(id="held-draft", status="draft").replace("Child Z", "Child Quillfeather")
    .replace("Things went wrong.", "Marker phrase tangerine-draft-7731."),
    "held-embargoed.yml": minimal(id="held-embargoed", published="2999-01").replace("Child Z", "Child Marrowby")
    .replace("Things went wrong.", "Marker phrase tangerine-embargo-4410."),
    "held-withdrawn.yml": minimal(id="held-withdrawn", status="withdrawn").replace("Child Z", "Child Lanternby")
    .replace("Things went wrong.", "Marker phrase tangerine-withdrawn-9902."),
}
MARKERS = ("held-draft", "held-embargoed", "held-withdrawn", "Quillfeather", "Marrowby", "Lanternby", "tangerine")


def file_text(path) -> str:
    """What a reader or a search engine could get out of a file, PDFs included."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader  # PDFs exist only once PDF generation is on; then their text must be searched

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix == ".pptx":
        return pptx_text(path)
    if path.suffix == ".gz":
        import gzip

        return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    return path.read_bytes().decode("utf-8", "replace")


def pptx_text(path) -> str:
    """A slide pack read back with python-pptx: every shape's text and alternative text, the
    links, the speaker notes and the document's properties."""
    from pptx import Presentation

    deck = Presentation(path)
    props = deck.core_properties
    parts = [str(getattr(props, name) or "") for name in ("title", "subject", "author", "keywords", "comments")]
    for slide in deck.slides:
        for shape in slide.shapes:
            parts.append(shape._element.xpath("string(.//p:cNvPr/@descr)"))
            if shape.has_text_frame:
                parts += [shape.text_frame.text, *(r.hyperlink.address or "" for p in shape.text_frame.paragraphs
                                                    for r in p.runs)]
        parts.append(slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else "")
    return "\n".join(parts)


def leaks(site) -> list[str]:
    found = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            text = file_text(path).lower()
            found += [f"{m} in {path.relative_to(site)}" for m in MARKERS if m.lower() in text]
    return found


@pytest.fixture
def example_project(tmp_path):
    root = make_buildable(make_project(tmp_path, HELD_BACK))
    for review in (REPO / "briefings").glob("[!_]*.yml"):
        shutil.copy(review, root / "briefings" / review.name)
    shutil.copy(REPO / "briefings" / "_glossary.yml", root / "briefings" / "_glossary.yml")
    return root


def test_draft_embargoed_and_withdrawn_reviews_leave_no_trace_in_any_file(example_project):
    result = run_cli(example_project, "build")
    assert result.returncode == 0, result.stderr
    site = example_project / "site"
    assert (site / "reviews" / "patricia-2020" / "index.html").exists()
    # the open data is among the files searched: every record, table and schema.org head
    for data in ("data/reviews.json", "data/reviews.csv", "reviews/patricia-2020/review.json"):
        assert "patricia-2020" in file_text(site / data), data
    assert "marie-2023" in file_text(site / "data" / "recommendations.csv")  # Patricia's review has none
    assert "application/ld+json" in file_text(site / "reviews" / "patricia-2020" / "index.html")
    packs = sorted(site.rglob("*.pptx"))
    assert len(packs) == 10 and "Patricia" in pptx_text(site / "reviews" / "patricia-2020" / "patricia-2020-slides.pptx")
    assert not [p for p in packs if p.name.startswith("held-")]
    assert leaks(site) == []


def test_withdrawing_a_review_removes_every_trace_at_the_next_build(example_project):
    assert run_cli(example_project, "build").returncode == 0
    site = example_project / "site"
    assert "Patricia" in (site / "index.html").read_text()
    review = example_project / "briefings" / "patricia-2020.yml"
    review.write_text(review.read_text().replace("status: published", "status: withdrawn"))
    assert run_cli(example_project, "build").returncode == 0
    assert not (site / "reviews" / "patricia-2020").exists()
    assert "child-f-2022" in file_text(site / "data" / "reviews.json")  # the data is there, without Patricia
    for path in site.rglob("*"):
        if path.is_file():
            assert "patricia-2020" not in file_text(path), path
