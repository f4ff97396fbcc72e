"""Make the briefings' PDFs with WeasyPrint: in parallel, and only when their inputs change.

Each PDF is cached under a hash of everything that shapes it (the HTML, which holds the text, the
CSS and the QR code; the base address; WeasyPrint's version and options), so a build without
changes makes none again. The cache lives outside site/ (.cache/pdf/ in the project folder).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from generator.speed.parallel import WORKERS, lean_map

# PDF/UA-1: tagged, with the title shown and the language set. WeasyPrint only fills in the
# variant's defaults for options left as None, and pdf_tags defaults to False, so ask for tags too.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# BALANCE names the back's balancing below: a change to it must make the PDFs again.
BALANCE = "back balanced by whole panels, 1"
ENGINE = f"weasyprint {version('weasyprint')} {sorted(PDF_OPTIONS.items())} {BALANCE}"
BACK = (5, 6, 7)  # the panels of a two-sided briefing's back (briefing-pdf.html.j2)
# PDFs a worker makes before it is replaced: WeasyPrint's caches grow with every document (two
# workers each reached 1.1 GB making 5,000). Batches of fresh workers, because Python 3.11's
# max_tasks_per_child can leave the pool waiting for ever (CPython gh-115634).
PDFS_PER_WORKER = 200
KEEP_SECONDS = 3600  # how long an unused cache entry is kept
MAX_PDF_PAGES = 2  # what a briefing within its seven-minute budget fits on, as partnerships print them


@dataclass(frozen=True)
class PdfJob:
    """Everything that shapes one PDF: the same job always makes the same file."""

    review_id: str
    path: str  # where the PDF goes in the site, e.g. reviews/patricia-2020/patricia-2020-seven-minute-briefing.pdf
    html: str
    base_url: str | None  # the page's address: relative links in the review's own text resolve against it


class PdfFailed(Exception):
    """WeasyPrint could not make a PDF; the message says why in plain words."""


@dataclass(frozen=True)
class PdfFile:
    review_id: str
    path: str  # where it goes in the site
    source: Path  # the cached file it is copied from
    size: int  # bytes
    pages: int

    @property
    def size_label(self) -> str:
        """The size as people read it on a download link: '118 KB', '1.2 MB'."""
        kilobytes = -(-self.size // 1024)
        return f"{kilobytes} KB" if kilobytes < 1024 else f"{self.size / 1024 ** 2:.1f} MB"


@dataclass(frozen=True)
class Made:
    """A PDF made in this build (not taken from the cache), and how long it took."""

    review_id: str
    seconds: float


@dataclass(frozen=True)
class PdfResult:
    files: dict[str, PdfFile]  # by review id
    made: tuple[Made, ...]
    reused: int


def cache_key(job: PdfJob) -> str:
    return hashlib.sha256(f"{ENGINE}\n{job.base_url}\n{job.html}".encode()).hexdigest()


def make_pdfs(jobs: list[PdfJob], cache: Path, workers: int = WORKERS,
              known: dict[str, tuple[str, str]] | None = None, inputs: dict[str, str] | None = None) -> PdfResult:
    """Make the PDFs that are not in the cache yet; return every job's file. Old entries go.

    known: the PDFs settled without a job (review id: its path in the site and its key, from
    known_key). inputs: each job's inputs key, remembered beside its PDF so that the next build
    settles the review without rendering its HTML."""
    cache.mkdir(parents=True, exist_ok=True)
    known = known or {}
    keys = {job.review_id: cache_key(job) for job in jobs}
    missing = [job for job in jobs if not (cache / f"{keys[job.review_id]}.json").exists()]
    made = _make(missing, [cache / keys[job.review_id] for job in missing], workers)
    files = {job.review_id: _cached(job.review_id, job.path, cache / keys[job.review_id]) for job in jobs}
    files.update((review_id, _cached(review_id, path, cache / key)) for review_id, (path, key) in known.items())
    for job in jobs:
        if inputs and job.review_id in inputs:
            _remember(cache, inputs[job.review_id], keys[job.review_id])
    _prune(cache, {*keys.values(), *(key for _, key in known.values()), *(inputs or {}).values()})
    return PdfResult(files, made, len(jobs) + len(known) - len(missing))


def known_key(cache: Path, inputs_key: str) -> str | None:
    """The key of the PDF made before from these inputs, while that PDF is complete in the cache."""
    try:
        key = (cache / f"{inputs_key}.inputs").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    return key if len(key) == 64 and (cache / f"{key}.json").exists() else None


def _remember(cache: Path, inputs_key: str, key: str) -> None:
    try:
        _write_atomically(cache / f"{inputs_key}.inputs", key.encode("ascii"))
    except OSError:  # a full disk: the next build renders the HTML again, no more
        pass


def _make(jobs: list[PdfJob], stems: list[Path], workers: int) -> tuple[Made, ...]:
    if not jobs:
        return ()
    htmls, bases = [job.html for job in jobs], [job.base_url for job in jobs]
    if len(jobs) == 1 or workers < 2:
        seconds = list(map(write_pdf, htmls, bases, stems))
    else:
        seconds = []
        batch = PDFS_PER_WORKER * workers  # fresh workers for each batch: see PDFS_PER_WORKER
        for start in range(0, len(jobs), batch):
            part = slice(start, start + batch)
            seconds += lean_map(write_pdf, min(workers, len(jobs[part])), ["generator.output.pdf_making", "weasyprint"],
                                htmls[part], bases[part], stems[part])
    return tuple(Made(job.review_id, s) for job, s in zip(jobs, seconds))


def write_pdf(html: str, base_url: str | None, stem: Path) -> float:
    """Write stem.pdf and stem.json (its page count), each complete or not at all; return the seconds taken.

    Runs in a worker process. Nothing is fetched from the network: only data: addresses are allowed.
    """
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as exc:  # WeasyPrint loads Pango when imported
        raise PdfFailed(f"WeasyPrint cannot find the Pango library it needs ({exc}); run `make site`, "
                        "which installs it") from None
    start = time.perf_counter()
    fetcher = URLFetcher(allowed_protocols={"data"})

    def render(text: str):
        return HTML(string=text, base_url=base_url, url_fetcher=fetcher).render(**PDF_OPTIONS)

    document = render(html)
    if (rule := balancing_rule(document.pages[-1].anchors)) is not None:
        balanced = render(html.replace("</style>", f"{rule}\n</style>", 1))  # the first is the site's own CSS
        if len(balanced.pages) == len(document.pages):
            document = balanced
    _write_atomically(stem.with_suffix(".pdf"), document.write_pdf(**PDF_OPTIONS))
    # the .json is written last: its presence says the entry is complete
    _write_atomically(stem.with_suffix(".json"), json.dumps({"pages": len(document.pages)}).encode())
    return time.perf_counter() - start


def balancing_rule(anchors: dict[str, tuple[float, ...]]) -> str | None:
    """The CSS that balances a two-sided briefing's back, from where its first layout put each
    panel (the last page's anchors: each id's box, left, top, right, bottom in CSS pixels), or None
    when that layout stands.

    WeasyPrint's column-fill: balance lays the page out again once per pixel of height it tries
    (80 to 170 times a back page: 1.6 to 7 s a PDF). The back holds three whole panels, so there
    are only two ways to share them between two columns, 5 | 6 7 or 5 6 | 7: the layout measures
    each panel once, and the one with the shorter tallest column wins."""
    panels = {n: anchors.get(f"pdf-panel-{n}") for n in BACK}
    ends = {n: anchors.get(f"pdf-panel-{n}-end") for n in BACK}
    if None in (*panels.values(), *ends.values()) or "pdf-panel-4" in anchors:
        return None  # a longer briefing that flows on, or a front that ran over: the flow stands
    if any(not _same_column(panels[n], ends[n]) for n in BACK):
        return None  # a panel taller than a column was split after all
    height = {n: panels[n][3] - panels[n][1] for n in BACK}
    gap = panels[6][1] - panels[5][3] if _same_column(panels[5], panels[6]) else panels[7][1] - panels[6][3]
    after_five = max(height[5], height[6] + gap + height[7])
    after_six = max(height[5] + gap + height[6], height[7])
    best = 5 if after_five < after_six else 6
    first_column = [n for n in BACK if _same_column(panels[n], panels[5])]
    if first_column == list(range(5, best + 1)):
        return None  # the first layout already shares them so
    return f"#pdf-panel-{best} {{ break-after: column; }}"


def _same_column(box: tuple[float, ...], other: tuple[float, ...]) -> bool:
    return abs(box[0] - other[0]) < 100  # CSS pixels: a column is about 340 wide, padding 14


def _write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except BaseException:  # a full disk: leave no half-written file in the cache
        temporary.unlink(missing_ok=True)
        raise


def _cached(review_id: str, path: str, stem: Path) -> PdfFile:
    pdf = stem.with_suffix(".pdf")
    pages = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["pages"]
    return PdfFile(review_id, path, pdf, pdf.stat().st_size, pages)


def _prune(cache: Path, keep: set[str]) -> None:
    """Remove the PDFs of older versions, so the cache does not grow with every edit. An entry made
    in the last hour stays: another build in the same folder (`mkdocs serve` beside `make site`)
    may be about to copy it."""
    too_old = time.time() - KEEP_SECONDS
    for entry in cache.iterdir():
        if entry.suffix in (".pdf", ".json", ".inputs") and entry.stem not in keep and entry.stat().st_mtime < too_old:
            entry.unlink(missing_ok=True)
