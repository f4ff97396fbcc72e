"""Pages for trainers' links and learning events: the events page, and the small HTML files at
each review's short address (/b/<id>/) and at the addresses of its old ids."""
from __future__ import annotations

import posixpath

import jinja2

from generator.model.types import Site
from generator.check.redirects import redirects
from generator.pages.environment import TEMPLATES, Page, _render, page_url

EVENTS_PATH = "events.md"


def render_links_and_events(env: jinja2.Environment, site: Site) -> list[Page]:
    return [_render(env, "events.md.j2", EVENTS_PATH), *render_redirects(site)]


def render_redirects(site: Site) -> list[Page]:
    """HTML files, not Markdown: MkDocs copies them as they are, outside the nav and search."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("redirect.html.j2")
    pages = []
    for redirect in redirects(site):
        target = page_url(redirect.target)
        url = posixpath.relpath(target, redirect.folder) + "/"
        canonical = site.settings.base_url.rstrip("/") + "/" + target if site.settings.base_url else None
        pages.append(Page(redirect.path, template.render(redirect=redirect, url=url, canonical=canonical)))
    return pages
