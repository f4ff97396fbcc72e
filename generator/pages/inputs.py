"""What a listing page depends on, read from its template rather than kept by hand.

A build and `mkdocs serve` keep a listing page (a theme, a year of the catalogue, a tracker page ...)
while its inputs stay the same (pages/render_cache.py). The inputs are the page's context and
whatever else of the site its template reads: LISTINGS names the listing templates, and
`site_reads` finds, in the template and every template it imports, includes or extends, each
`site.X` it reads (`site.X|length` as the count alone) and each other global it uses (`pdfs`).
So a template that starts reading `site.events` is kept only while the events are the same, with no
list beside it to update. A template that uses `site` whole (passes it on, calls a method of it)
cannot be kept, and is rendered every time.
"""
from __future__ import annotations

import jinja2
from jinja2 import meta, nodes

# The listing templates serve may keep. The review's own pages have their own cache (by review).
LISTINGS = frozenset({"catalogue.md.j2", "catalogue-year.md.j2", "theme.md.j2", "partnership.md.j2",
                      "tracker.md.j2", "statistics.md.j2", "digest-month.md.j2"})
COUNTED = ("length", "count")  # `site.reviews|length` reads how many, not which
WHOLE = "site"  # the template uses the site whole: nothing narrower can stand for what it reads
_RENDER_ARGUMENTS = {"page_path", "link", "href"}  # given to every render (environment._render), not inputs


def site_reads(env: jinja2.Environment, template: str) -> frozenset[str]:
    """The reads of template and the templates it uses: "partnerships", "reviews|length", a
    global's name ("pdfs"), or WHOLE. Read once per environment (one build or serve pass)."""
    cache = env.__dict__.setdefault("_site_reads", {})
    if template not in cache:
        cache[template] = frozenset()  # a template that imports itself ends here
        cache[template] = _reads(env, template)
    return cache[template]


def _reads(env: jinja2.Environment, template: str) -> frozenset[str]:
    tree = env.parse(env.loader.get_source(env, template)[0])
    found: set[str] = set()
    counted: set[int] = set()
    for node in _counted(tree):
        found.add(f"{node.attr}|length")
        counted.add(id(node))
    attributes = set()
    for node in tree.find_all(nodes.Getattr):
        if _is_site_attribute(node):
            attributes.add(id(node.node))
            if id(node) not in counted:
                found.add(node.attr)
    for node in tree.find_all(nodes.Name):
        if node.name == "site" and id(node) not in attributes:
            found.add(WHOLE)  # `site` passed on or looped over
    names = list(tree.find_all(nodes.Name))
    stored = {n.name for n in names if n.ctx != "load"}  # a loop variable or macro argument of the same name
    found |= {n.name for n in names if n.ctx == "load" and n.name in env.globals and n.name not in stored
              and n.name not in ("site", "settings")}  # settings: part of serve's site context already
    for used in meta.find_referenced_templates(tree):
        found |= site_reads(env, used) if used else {WHOLE}  # a template named at run time: unknown
    return frozenset(found)


def _counted(tree: nodes.Template) -> list[nodes.Getattr]:
    """`site.X|length`, `not site.X`, `{% if site.X %}`: how many, or whether any, not which."""
    candidates = [n.node for n in tree.find_all(nodes.Filter) if n.name in COUNTED]
    candidates += [n.node for n in tree.find_all(nodes.Not)]
    candidates += [n.test for n in tree.find_all((nodes.If, nodes.CondExpr))]
    return [n for n in candidates if _is_site_attribute(n)]


def _is_site_attribute(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "site"


def listing_inputs(env: jinja2.Environment, template: str, context: dict) -> tuple | None:
    """Everything the page rendered from template with context depends on, to compare with the
    last pass's; None when it is not a listing page, or reads the site whole."""
    if template not in LISTINGS:
        return None
    values = site_values(env, site_reads(env, template) - set(context) - _RENDER_ARGUMENTS)
    return None if values is None else (values, context)


def site_values(env: jinja2.Environment, reads: frozenset[str]) -> tuple | None:
    """The value of each read (site_reads), by name, in env: None when one is the site whole or
    a method of the site (also for a review's pages: render_cache.py)."""
    if WHOLE in reads:
        return None
    site = env.globals["site"]
    values = []
    for name in sorted(reads):
        attribute, _, counted = name.partition("|")
        value = env.globals[name] if name in env.globals else getattr(site, attribute)
        if callable(value) and not counted and name not in env.globals:
            return None  # site.reviews_of(...): a method reads what it likes
        values.append((name, len(value) if counted else value))
    return tuple(values)
