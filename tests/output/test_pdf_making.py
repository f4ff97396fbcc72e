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
    real_map = pdf_making.lean_map
    monkeypatch.setattr(pdf_making, "lean_map", lambda *args: pools.append(args) or real_map(*args))
    jobs = [job(f"review-{i}", f"<p>Briefing number {i}.</p>") for i in range(7)]
    result = make_pdfs(jobs, tmp_path, workers=2)
    assert len(result.made) == 7 and len(pools) == 2  # 4 PDFs, then 3, by two workers each time
    for i in range(7):
        assert f"Briefing number {i}." in PdfReader(result.files[f"review-{i}"].source).pages[0].extract_text()


# Balancing a two-sided briefing's back from its first layout (pdf_making.balancing_rule).

LEFT, RIGHT = 45, 406  # the two columns' left edges, in CSS pixels


def back(*panels: tuple[int, int, int]) -> dict[str, tuple[float, ...]]:
    """The last page's anchors for panels (number, column's left edge, top, bottom), each with its end."""
    anchors = {}
    for number, left, top, bottom in panels:
        anchors[f"pdf-panel-{number}"] = (left, top, left + 342, bottom)
        anchors[f"pdf-panel-{number}-end"] = (left + 14, bottom - 6, left + 328, bottom - 6)
    return anchors


def test_a_back_in_one_column_is_shared_so_its_tallest_column_is_shortest():
    # 5 and 6 short, 7 long: 5 6 | 7
    assert pdf_making.balancing_rule(back((5, LEFT, 42, 341), (6, LEFT, 356, 535), (7, LEFT, 550, 906))) \
        == "#pdf-panel-6 { break-after: column; }"
    # 5 long: 5 | 6 7
    assert pdf_making.balancing_rule(back((5, LEFT, 42, 600), (6, LEFT, 615, 700), (7, LEFT, 715, 900))) \
        == "#pdf-panel-5 { break-after: column; }"


def test_a_back_already_shared_so_or_not_measurable_stands():
    assert pdf_making.balancing_rule(back((5, LEFT, 42, 341), (6, LEFT, 356, 535), (7, RIGHT, 42, 400))) is None
    flowed_over = back((5, RIGHT, 42, 341), (6, RIGHT, 356, 535), (7, RIGHT, 550, 906))
    flowed_over["pdf-panel-4"] = (LEFT, 42, LEFT + 342, 660)
    assert pdf_making.balancing_rule(flowed_over) is None  # the front ran over onto the back
    split = back((5, LEFT, 42, 341), (6, LEFT, 356, 535), (7, LEFT, 550, 1040))
    split["pdf-panel-7-end"] = (RIGHT + 14, 300, RIGHT + 328, 300)
    assert pdf_making.balancing_rule(split) is None  # a panel taller than a column
    assert pdf_making.balancing_rule({}) is None  # a page without the seven panels


def test_the_balanced_back_is_laid_out_as_measured(tmp_path):
    panel = '<section id="pdf-panel-{n}" style="break-inside: avoid">{text}<div id="pdf-panel-{n}-end"></div></section>'
    body = ('<main style="columns: 2; column-fill: auto">'
            + "".join(panel.format(n=n, text="<p>Words to read.</p>" * lines) for n, lines in ((5, 4), (6, 4), (7, 14)))
            + "</main>")
    html = job("back", body).html.replace("</head>", "<style></style></head>")
    made = make_pdfs([pdf_making.PdfJob("back", "back.pdf", html, None)], tmp_path, workers=1)
    import pypdfium2

    text = pypdfium2.PdfDocument(str(made.files["back"].source))[0].get_textpage()
    lefts = [text.get_rect(i)[0] for i in range(text.count_rects())]
    assert min(lefts) < 200 < max(lefts)  # both columns hold text: 5 6 | 7
