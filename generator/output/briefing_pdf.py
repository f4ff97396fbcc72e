"""The print version of each seven-minute briefing: the HTML that WeasyPrint turns into a PDF.

Built from the model through templates/briefing-pdf.html.j2, so the PDF never depends on the
built web page; its file name and size can then go on the page itself. Only Site.reviews (the
published reviews) get one.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup

from generator.model.types import Review, Site
from generator.output.pdf_making import ENGINE, PdfJob, PdfResult, known_key, make_pdfs
from generator.speed.fingerprint import code_fingerprint
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


def pdf_jobs(site: Site, per_review=None, reviews=None) -> list[PdfJob]:
    """One job per published review (or per one of `reviews`), in the site's order. per_review
    (serve_cache.PerReview) keeps the jobs of unchanged reviews under mkdocs serve."""
    env = _environment(site)
    template = env.get_template(PDF_TEMPLATE)
    css = Markup(PDF_CSS.read_text(encoding="utf-8"))

    def job(review: Review) -> PdfJob:
        address = public_address(site.settings.base_url, review.briefing_source)
        html = clean_body(template.render(review=review, address=address, qr=qr_code(address) if address else None,
                                          css=css))
        return PdfJob(review.id, pdf_path(review), html, address)

    chosen = site.reviews if reviews is None else reviews
    return [per_review.get(r, lambda: job(r)) if per_review else job(r) for r in chosen]


def inputs(site: Site) -> str:
    """Everything a briefing's print HTML is made from besides its review: the generator's code,
    templates and CSS, WeasyPrint, and what the templates read of the site."""
    return f"{ENGINE}\n{code_fingerprint()}\n{site.settings!r}\n{site.glossary!r}\n{site.themes!r}"


def inputs_key(review: Review, context: str) -> str:
    """From the review's fields as they are (their repr), as the slide packs' key: an unchanged
    review's PDF is found without rendering its HTML and QR code again."""
    return hashlib.sha256(f"{context}\n{review.fields_digest}".encode()).hexdigest()


def make_briefing_pdfs(site: Site, root: Path, per_review=None) -> PdfResult:
    """The PDF of every published briefing, cached in root/.cache/pdf/ (outside site/). The cache
    is keyed by the print HTML (pdf_making.cache_key); each review's inputs key leads to it."""
    cache = root / ".cache" / "pdf"
    context = inputs(site)
    keys = {r.id: inputs_key(r, context) for r in site.reviews}
    known = {r.id: (pdf_path(r), key) for r in site.reviews if (key := known_key(cache, keys[r.id]))}
    todo = [r for r in site.reviews if r.id not in known]
    result = make_pdfs(pdf_jobs(site, per_review, todo), cache, known=known, inputs=keys)
    return replace(result, files={r.id: result.files[r.id] for r in site.reviews})  # in the site's order
