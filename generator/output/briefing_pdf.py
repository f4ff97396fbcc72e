"""The print version of each seven-minute briefing: the HTML that WeasyPrint turns into a PDF.

Built from the model through templates/briefing-pdf.html.j2, so the PDF never depends on the
built web page; its file name and size can then go on the page itself. Only Site.reviews (the
published reviews) get one.
"""
from __future__ import annotations

from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup

from generator.model.types import Review, Site
from generator.output.pdf_making import PdfJob, PdfResult, make_pdfs
from generator.pages.views.qr import qr_code
from generator.pages.sanitising import clean_html
from generator.pages.environment import TEMPLATES, TextFilters, make_environment, public_address

PDF_TEMPLATE = "briefing-pdf.html.j2"
PDF_CSS = TEMPLATES / "briefing-pdf.css"


def pdf_path(review: Review) -> str:
    return f"reviews/{review.id}/{review.id}-seven-minute-briefing.pdf"


def css_string(value: str) -> Markup:
    """Text inside a CSS string in a <style> element: quotes and backslashes escaped, no '</'."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return Markup(escaped)


def clean_body(document: str) -> str:
    """The document with its <body> through the site's one sanitiser, as every web page's is: no
    link annotation in the PDF can be javascript:, whatever the Markdown made of the text."""
    head, _, rest = document.partition("<body>")
    body, _, tail = rest.rpartition("</body>")
    return f"{head}<body>{clean_html(body)}</body>{tail}"


def _environment(site: Site) -> jinja2.Environment:
    """The Markdown environment's filters and globals, autoescaping HTML, plus Markdown to HTML."""
    env = make_environment(site).overlay(autoescape=True)
    env.filters = dict(env.filters)  # an overlay shares the parent's dict: add to a copy
    text = TextFilters(site.glossary)
    env.filters["html"] = lambda value: Markup(markdown.markdown(text.markdown(value)))
    env.filters["css_string"] = css_string
    return env


def pdf_jobs(site: Site, per_review=None) -> list[PdfJob]:
    """One job per published review, in the site's order. per_review (incremental.PerReview)
    keeps the jobs of unchanged reviews under mkdocs serve."""
    env = _environment(site)
    template = env.get_template(PDF_TEMPLATE)
    css = Markup(PDF_CSS.read_text(encoding="utf-8"))

    def job(review: Review) -> PdfJob:
        address = public_address(site.settings.base_url, review.briefing_source)
        html = clean_body(template.render(review=review, address=address, qr=qr_code(address) if address else None,
                                          css=css))
        return PdfJob(review.id, pdf_path(review), html, address)

    return [per_review.get(r, lambda: job(r)) if per_review else job(r) for r in site.reviews]


def make_briefing_pdfs(site: Site, root: Path, per_review=None) -> PdfResult:
    """The PDF of every published briefing, cached in root/.cache/pdf/ (outside site/)."""
    return make_pdfs(pdf_jobs(site, per_review), root / ".cache" / "pdf")
