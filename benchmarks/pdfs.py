"""How long the example briefings' PDFs take: the whole set with the pool of two workers, from an
empty cache and again from a full one; then each briefing on its own, with its size and pages.

    .venv/bin/python benchmarks/pdfs.py

Prints figures; asserts nothing (the tests check correctness, this measures speed).
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.output.briefing_pdf import pdf_jobs  # noqa: E402
from generator.output.pdf_making import make_pdfs, write_pdf  # noqa: E402
from generator.site import load_site  # noqa: E402


def main() -> None:
    site = load_site(ROOT).site
    started = time.perf_counter()
    jobs = pdf_jobs(site)
    print(f"HTML for {len(jobs)} briefings: {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        runs = (("empty cache, 2 workers, as a first build", "pool", 2),
                ("full cache, as a build without changes", "pool", 2),
                ("empty cache, 1 worker, for comparison", "serial", 1))
        for label, cache, workers in runs:
            started = time.perf_counter()
            result = make_pdfs(jobs, Path(folder) / cache, workers)
            print(f"All {len(jobs)}, {label}: {time.perf_counter() - started:.2f} s "
                  f"({len(result.made)} made, {result.reused} reused)")
        print(f"\n{'one at a time, WeasyPrint loaded':<34} {'seconds':>8} {'bytes':>8} {'pages':>6}")
        for job in jobs:
            stem = Path(folder) / job.review_id
            seconds = write_pdf(job.html, job.base_url, stem)
            pages = json.loads(stem.with_suffix(".json").read_text())["pages"]
            print(f"{job.review_id:<34} {seconds:>8.2f} {stem.with_suffix('.pdf').stat().st_size:>8,} {pages:>6}")


if __name__ == "__main__":
    main()
