"""Making PDFs (generator/output/pdf_making.py) from jobs of HTML: each once per content, each cache
entry complete or not used, nothing fetched but data: addresses. What the briefings' PDFs say is
in test_briefing_pdf.py."""
import base64
import io

from PIL import Image
from pypdf import PdfReader

from generator.output import pdf_making
from generator.output.pdf_making import PdfJob, make_pdfs


def job(review_id: str, body: str) -> PdfJob:
    html = (f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{review_id}</title></head>'
            f"<body>{body}</body></html>")
    return PdfJob(review_id, f"reviews/{review_id}/{review_id}.pdf", html, None)


def test_each_job_makes_its_pdf_once_and_the_next_run_reuses_it(tmp_path):
    jobs = [job("one", "<p>The first briefing.</p>"),
            job("two", '<p>Side one.</p><p style="break-before: page">Side two.</p>')]
    first = make_pdfs(jobs, tmp_path, workers=1)
    assert sorted(m.review_id for m in first.made) == ["one", "two"] and first.reused == 0
    assert (first.files["one"].pages, first.files["two"].pages) == (1, 2)
    assert "The first briefing." in PdfReader(first.files["one"].source).pages[0].extract_text()
    two = first.files["two"]
    assert two.path == "reviews/two/two.pdf" and two.size == two.source.stat().st_size
    again = make_pdfs(jobs, tmp_path, workers=1)
    assert again.made == () and again.reused == 2 and again.files == first.files


def test_an_entry_without_its_page_count_was_never_finished_and_is_made_again(tmp_path):
    one = job("one", "<p>Text.</p>")
    first = make_pdfs([one], tmp_path, workers=1)
    first.files["one"].source.with_suffix(".json").unlink()  # as a build killed between the two files leaves it
    again = make_pdfs([one], tmp_path, workers=1)
    assert [m.review_id for m in again.made] == ["one"] and again.files["one"].pages == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no part-written file left


def test_only_data_addresses_are_fetched(tmp_path):
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, format="PNG")
    (tmp_path / "local.png").write_bytes(picture.getvalue())
    inline = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
    made = make_pdfs([job("inline", f'<p>Code:</p><img src="{inline}" alt="A QR code">'),
                      job("local", f'<p>Code:</p><img src="{(tmp_path / "local.png").as_uri()}" alt="A QR code">')],
                     tmp_path / "cache", workers=1)

    def pictures(review_id: str) -> int:
        return sum(len(page.images) for page in PdfReader(made.files[review_id].source).pages)
    assert (pictures("inline"), pictures("local")) == (1, 0)


def test_many_pdfs_are_made_by_fresh_workers_batch_after_batch(tmp_path, monkeypatch):
    """Workers are replaced every PDFS_PER_WORKER PDFs (WeasyPrint's caches grow), each batch by
    a new pool: every PDF of every batch is made, each of its own job."""
    monkeypatch.setattr(pdf_making, "PDFS_PER_WORKER", 2)
    pools = []
    real_pool = pdf_making.lean_pool
    monkeypatch.setattr(pdf_making, "lean_pool", lambda *args: pools.append(args) or real_pool(*args))
    jobs = [job(f"review-{i}", f"<p>Briefing number {i}.</p>") for i in range(7)]
    result = make_pdfs(jobs, tmp_path, workers=2)
    assert len(result.made) == 7 and len(pools) == 2  # 4 PDFs, then 3, by two workers each time
    for i in range(7):
        assert f"Briefing number {i}." in PdfReader(result.files[f"review-{i}"].source).pages[0].extract_text()
