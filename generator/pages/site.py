"""Every page of the site, in a stable order: the reviews' own pages, then the listings.

Nothing here knows about MkDocs: the pages could be written to disk and built by another engine.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.speed import gc_pause as collector
from generator.pages.links_and_events import render_links_and_events
from generator.pages.listings import render_catalogue, render_partnerships
from generator.model.types import Site, themes_of
from generator.speed.parallel import shared
from generator.pages.views.qr import qr_code
from generator.pages.environment import TEMPLATES, Page, _render, make_environment, public_address
from generator.pages.reports import render_reports
from generator.pages.views.trainer import meeting_plan, plan_prompts
from generator.pages.views.field_reference import SCHEMA_NAME, field_reference
from generator.pages.views import open_data



def reading_minutes(word_count: int, words_per_minute: int) -> int:
    return max(1, round(word_count / words_per_minute))


def _trainer_page(env: jinja2.Environment, site: Site, review) -> Page:
    """How to run the briefing in a meeting: plan, questions, notes, QR code and action plan."""
    address = public_address(site.settings.base_url, review.briefing_source)
    return _render(env, "trainer.md.j2", review.trainer_source, review=review, plan=meeting_plan(site.settings),
                   prompts=plan_prompts(review),
                   address=address, qr=qr_code(address) if address else None)


def render_review(env: jinja2.Environment, site: Site, review) -> list[Page]:
    counts = review.section_word_counts
    total = sum(counts)
    minutes = reading_minutes(total, site.settings.words_per_minute)
    return [
        _render(env, "briefing.md.j2", review.briefing_source, review=review, word_count=total, minutes=minutes),
        _render(env, "learning-brief.md.j2", review.learning_brief_source, review=review),
        _trainer_page(env, site, review),
        Page(open_data.record_path(review), open_data.review_record_file(site, review)),
    ]


class PageClash(Exception):
    """Two pages would be written to one path, or a page outside the site: never write either."""


def guard_paths(pages: list[Page]) -> list[Page]:
    seen: set[str] = set()
    for page in pages:
        parts = page.path.split("/")
        if page.path.startswith("/") or "\\" in page.path or any(p in ("", ".", "..") for p in parts):
            raise PageClash(f"refusing to write a page outside the site: {page.path}")
        if page.path in seen:
            raise PageClash(f"two pages claim the same address: {page.path}")
        seen.add(page.path)
    return pages


@collector.paused
def render_site(site: Site, pdfs: Mapping | None = None, slides: Mapping | None = None, cache=None) -> list[Page]:
    """Every generated page of the site, in a stable order. With a cache (render_cache.RenderCache)
    only the pages whose inputs changed since they were kept are rendered."""
    listed = site.with_harvested()  # the listings show other partnerships' harvested reviews too
    env = make_environment(listed)
    env.globals["pdfs"] = dict(pdfs or {})  # each briefing's PDF (pdf_making.PdfFile) by review id
    env.globals["slides"] = dict(slides or {})  # each briefing's slide pack (slides.SlidePack) by review id
    env.extend(listing_cache=cache)
    if cache is not None:
        cache.start_pass(env)
    kept = cache.kept_reviews(env, site.reviews) if cache else [None] * len(site.reviews)
    missing = [review for review, pages in zip(site.reviews, kept) if pages is None]

    def listings() -> tuple[list[Page], list[Page]]:
        return render_catalogue(env, listed), _render_listings(env, site, listed)

    def render(i: int) -> list[Page]:
        pages = render_review(env, site, missing[i])
        if cache is not None:
            cache.keep_review(missing[i], pages)  # in the worker that rendered them
        return pages

    # workers render the reviews' pages while this process renders the listings
    (catalogue, others), rendered = shared(len(missing), render, listings)
    if cache is not None:
        cache.finish(list(zip(missing, rendered)))
    made = iter(rendered)
    per_review = [pages if pages is not None else next(made) for pages in kept]
    return guard_paths([*catalogue, *(page for pages in per_review for page in pages), *others])


def _render_listings(env: jinja2.Environment, site: Site, listed: Site | None = None) -> list[Page]:
    """Every page after the reviews' own: themes, reports, partnerships, glossary and the rest.
    `listed` adds the harvested reviews to the themes, tracker, statistics and partnerships."""
    listed = listed or site
    pages = []
    tagged = _tagged_items(listed)
    pages.append(_render(env, "themes.md.j2", "themes/index.md", tagged=tagged))
    for theme in site.themes:
        pages.append(_render(env, "theme.md.j2", theme.source, theme=theme,
                             **tagged[theme.id]))
    pages += render_reports(env, site, listed)
    pages += render_partnerships(env, listed)
    pages.append(_render(env, "glossary.md.j2", "glossary.md"))
    pages.append(_render(env, "accessibility.md.j2", "about/accessibility.md"))
    pages += render_links_and_events(env, site)
    pages.append(_render(env, "writing-a-briefing.md.j2", "about/writing-a-briefing.md",
                         field_groups=field_reference(), schema_name=SCHEMA_NAME, example=Markup(_example_text())))
    pages += _open_data(env, site)
    pages += [_render(env, "harvested-review.md.j2", open_data.harvested_path(review), review=review)
              for review in site.harvested]  # for the search: each links to the review's own site
    return pages


def _open_data(env: jinja2.Environment, site: Site) -> list[Page]:
    """The files of data/, made from the site's own reviews and its settings alone."""
    def make() -> list[Page]:
        return [Page(path, text) for path, text in open_data.data_files(site).items()]
    cache = getattr(env, "listing_cache", None)
    return cache.pages("open data", (site.settings, open_data.local_reviews(site)), make) if cache else make()


def _tagged_items(site: Site) -> dict[str, dict]:
    """For each theme: its reviews, findings and points, in one pass over the reviews."""
    tagged = {t.id: {"reviews": [], "findings": [], "points": []} for t in site.themes}
    for r in site.reviews:  # a review where the theme occurs at all, as the statistics count it
        for theme_id in sorted(themes_of(r)):
            tagged[theme_id]["reviews"].append(r)
        for f in r.findings:
            for theme in f.themes:
                tagged[theme.id]["findings"].append((r, f))
    for r in site.reviews:  # points after findings, review by review, as before
        for p in (*r.learning, *r.good_practice):
            for theme in p.themes:
                tagged[theme.id]["points"].append((r, p))
    return tagged


def _example_text() -> str:
    return (TEMPLATES / "example-review.yml").read_text(encoding="utf-8")
