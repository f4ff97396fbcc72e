"""Pages kept from one pass to the next by what they are made from, so that a one-review push
renders that review's pages and the listings that show it, not every page of the site.

A build is a fresh process (on the server, in a fresh checkout), so the pages are kept on disk
and found by a key made from the content of their inputs, never from dates or object identity.
`mkdocs serve` uses the same cache, and keeps the last pass's entries in memory as well.

- Every key holds the site context: the settings, glossary and themes, the generator's code and
  templates (the templates as they are on disk at each pass: serve watches them), and the
  installed packages.
- A review's pages (site.render_review): the review's fields, by their repr (equal reviews have
  equal reprs; a repr that differed for equal reviews would only cost a render), and whatever
  else the review templates read (pages/inputs.site_reads): the review's PDF and slide pack as
  the pages show them, the learning events that use it, and any other part of the site. A
  template that reads the site whole, or calls another method of it, cannot be keyed: then no
  review's pages are kept.
- A listing page: its template, its path and its inputs (pages/inputs.listing_inputs), each
  review among them by its digest, made once a pass; likewise the open data's files, from the
  site's own reviews.

An entry is FOLDER/<key>.pages (its layout: _packed), written beside and renamed in, so a killed
build leaves nothing half written; one that cannot be read whole is a miss.
Entries no pass asked for go after an hour: another build in the same folder may be about to
read them. The entries hold the reviews' text, like the PDFs' cache.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import types
from pathlib import Path, PurePath
from typing import Callable

import jinja2
from markupsafe import Markup

from generator.model.types import Review, Site
from generator.pages.environment import TEMPLATES, Page
from generator.pages.inputs import site_reads, site_values
from generator.speed.fingerprint import code_fingerprint, digest, packages, prune_unused, tree, write_whole

FOLDER = Path(".cache") / "render"
KEEP_SECONDS = 3600  # as the PDFs' and the pages' caches
LAYOUT = "render-cache 1"  # the entries' layout: changing it changes every key
REVIEW_TEMPLATES = ("briefing.md.j2", "learning-brief.md.j2", "trainer.md.j2")  # site.render_review's


def _as_linked(file):
    """A PDF or slide pack as the pages show it: where it goes in the site, its size and length,
    not where its cached copy lies."""
    return None if file is None else dataclasses.replace(file, source=None)


# What the review templates read that differs from one review to the next: the part of it one
# review's pages show. Any other read is keyed whole, for every review.
PER_REVIEW: dict[str, Callable[[jinja2.Environment, Review], object]] = {
    "pdfs": lambda env, review: _as_linked(env.globals["pdfs"].get(review.id)),
    "slides": lambda env, review: _as_linked(env.globals["slides"].get(review.id)),
    "events_for": lambda env, review: env.globals["site"].events_for(review),
}


class Unkeyable(Exception):
    """A value whose content its type does not tell (a closure, an iterator ...): what is made
    from it is not kept."""


_PLAIN = frozenset({str, int, float, bool, bytes, type(None), Markup})  # their repr says all they hold
_REPR_SAYS_ALL = (dt.date, dt.time, PurePath)


class Digests:
    """The digest of a value's content. A review's is made once, and kept while the review object
    lives (serve's DocumentCache hands back the same object while the file is unchanged); any
    other frozen object's once a pass."""

    def __init__(self) -> None:
        self._reviews: dict[int, tuple[Review, str]] = {}
        self._objects: dict[int, tuple[object, str]] = {}
        self._places: dict[int, tuple[Review, dict[int, str]]] = {}  # each review's own items, by id

    def start_pass(self, reviews: tuple[Review, ...]) -> None:
        live = {id(r) for r in reviews}
        self._reviews = {i: held for i, held in self._reviews.items() if i in live}
        self._places = {i: held for i, held in self._places.items() if i in live}
        self._objects = {}

    def end_pass(self) -> None:
        """Let go of the pass's objects (the listings' items: 28,000 at 1,000 reviews)."""
        self._objects = {}

    def review(self, review: Review) -> str:
        held = self._reviews.get(id(review))
        if held is None or held[0] is not review:
            held = self._reviews[id(review)] = (review, review.fields_digest)
        return held[1]

    def of(self, value: object) -> str:
        """Raises Unkeyable for a value whose content cannot be told."""
        parts: list[str] = []
        self._add(value, parts)
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()  # a repr holds no raw \x1f

    def _add(self, value: object, parts: list[str]) -> None:
        kind = type(value)
        if kind in _PLAIN:
            parts.append(repr(value))
        elif kind is Review:
            parts.append(self.review(value))
        elif kind is tuple and len(value) == 2 and type(value[0]) is Review and (place := self._place(*value)):
            parts.append(place)  # (review, one of its findings or points): the review's digest holds it
        elif kind is tuple or kind is list:
            parts.append("(" if kind is tuple else "[")
            for item in value:
                self._add(item, parts)
            parts.append(")")
        elif kind is dict:
            parts.append("{")
            for key, item in value.items():  # in order: a template shows them in order
                self._add(key, parts)
                self._add(item, parts)
            parts.append("}")
        elif kind is set or kind is frozenset:
            parts.append("{" + ",".join(sorted(self.of(item) for item in value)) + "}")
        elif dataclasses.is_dataclass(kind):
            parts.append(self._object(value))
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)) and _named(value):
            parts.append(f"{value.__module__}.{value.__qualname__}")  # its code is in the code's fingerprint
        elif isinstance(value, _REPR_SAYS_ALL):
            parts.append(repr(value))
        else:
            raise Unkeyable(kind.__qualname__)

    def _place(self, review: Review, item: object) -> str | None:
        """Where item is among the review's own fields ("<digest>:findings/2"), or None. A listing
        shows thousands of (review, finding) pairs: digesting each finding field by field took
        half the keying of a one-review build at 5,000 reviews."""
        held = self._places.get(id(review))
        if held is None or held[0] is not review:
            own = {id(x): f"{name}/{i}" for name in _ITEMS for i, x in enumerate(getattr(review, name))}
            held = self._places[id(review)] = (review, own)
        where = held[1].get(id(item))
        return f"<{self.review(review)}:{where}>" if where else None

    def _object(self, value) -> str:
        kind = type(value)
        frozen = kind.__dataclass_params__.frozen  # a frozen object's fields stay as they are
        held = self._objects.get(id(value)) if frozen else None
        if held is not None and held[0] is value:
            return held[1]
        parts = [f"{kind.__module__}.{kind.__qualname__}"]
        for field in dataclasses.fields(kind):
            self._add(getattr(value, field.name), parts)
        made = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        if frozen:
            self._objects[id(value)] = (value, made)
        return made


# The fields of a review whose items listings show paired with the review.
_ITEMS = tuple(f.name for f in dataclasses.fields(Review) if f.name in ("findings", "learning", "good_practice",
                                                                           "recommendations"))


def _named(function) -> bool:
    """A function or class defined at the top of its module: its name says what it does. A
    lambda or a nested function may hold data of its own."""
    return "<" not in function.__qualname__ and "." not in function.__qualname__ \
        and getattr(function, "__closure__", None) is None


class RenderCache:
    """The pages of one project (FOLDER under its root), pass after pass. In a pass: start_pass,
    kept_reviews, keep_review for each review rendered (in any process), page for each listing
    (environment._render calls it), and finish."""

    def __init__(self, folder: Path, keep_in_memory: bool = False) -> None:
        self.folder = folder
        self.memory: dict[str, list[Page]] | None = {} if keep_in_memory else None  # serve's: the last pass's entries
        self.digests = Digests()
        self.used: set[str] = set()
        self._context = ""
        self._reviews_keyed = False  # whether the review templates read only what a key can hold
        self._keys: dict[str, str | None] = {}  # this pass's key of each review's pages, by review id
        self.reviews_kept = self.reviews_rendered = self.listings_kept = self.listings_rendered = 0

    def start_pass(self, env: jinja2.Environment) -> None:
        """env holds the site and what the templates read besides (make_environment, render_site)."""
        site: Site = env.globals["site"]
        self.digests.start_pass(site.reviews)
        self.used = set()
        self._keys = {}
        self.reviews_kept = self.reviews_rendered = self.listings_kept = self.listings_rendered = 0
        reads = frozenset().union(*(site_reads(env, template) for template in REVIEW_TEMPLATES))
        others = site_values(env, reads - PER_REVIEW.keys())
        self._reviews_keyed = others is not None
        try:
            read = self.digests.of(others)
        except Unkeyable:
            self._reviews_keyed, read = False, ""
        self._context = digest(LAYOUT, code_fingerprint(), packages(), *tree(TEMPLATES), repr(site.settings),
                               repr(site.glossary), repr(site.themes), read)

    def kept_reviews(self, env: jinja2.Environment, reviews: tuple[Review, ...]) -> list[list[Page] | None]:
        """Each review's kept pages, or None where they are to be rendered."""
        kept = []
        for review in reviews:
            key = self._keys[review.id] = self._review_key(env, review)
            kept.append(self._read(key) if key else None)
        self.reviews_kept = sum(pages is not None for pages in kept)
        return kept

    def _review_key(self, env: jinja2.Environment, review: Review) -> str | None:
        if not self._reviews_keyed:
            return None
        try:
            own = [self.digests.of(read(env, review)) for _, read in sorted(PER_REVIEW.items())]
        except Unkeyable:
            return None
        return digest(self._context, "review", self.digests.review(review), *own)

    def keep_review(self, review: Review, pages: list[Page]) -> None:
        """After rendering a review's pages, in whichever process rendered them."""
        key = self._keys.get(review.id)
        if key:
            self._write(key, pages)

    def finish(self, rendered: list[tuple[Review, list[Page]]]) -> None:
        """In the process that started the pass: the reviews rendered in it, in any process."""
        self.reviews_rendered = len(rendered)
        self.digests.end_pass()
        if self.memory is not None:
            for review, pages in rendered:
                if self._keys.get(review.id):
                    self.memory[self._keys[review.id]] = pages
            self.memory = {key: pages for key, pages in self.memory.items() if key in self.used}
        self.prune()

    def page(self, template: str, path: str, inputs: object, make: Callable[[], Page]) -> Page:
        """A listing page (environment._render): kept, or made and kept."""
        return self.pages(f"{template} {path}", inputs, lambda: [make()], [path])[0]

    def pages(self, name: str, inputs: object, make: Callable[[], list[Page]], paths: list[str] | None = None) -> list[Page]:
        """Pages made from inputs alone (and the site context), kept under name; paths, when
        known, are the paths a kept entry must have."""
        try:
            key = digest(self._context, "listing", name, self.digests.of(inputs))
        except Unkeyable:
            self.listings_rendered += 1
            return make()
        kept = self._read(key)
        if kept is not None and (paths is None or [page.path for page in kept] == paths):
            self.listings_kept += 1
            return kept
        made = make()
        self.listings_rendered += 1
        self._write(key, made)
        return made

    def _read(self, key: str) -> list[Page] | None:
        self.used.add(key)
        if self.memory is not None and key in self.memory:
            return self.memory[key]
        try:
            pages = _unpacked((self.folder / f"{key}{SUFFIX}").read_bytes())
        except OSError:
            return None
        if pages is not None and self.memory is not None:
            self.memory[key] = pages
        return pages

    def _write(self, key: str, pages: list[Page]) -> None:
        if self.memory is not None:
            self.memory[key] = pages
        write_whole(self.folder / f"{key}{SUFFIX}", _packed(pages))

    def prune(self) -> None:
        """Entries no page asked for this pass go after an hour, and so do killed builds' leftovers."""
        prune_unused(self.folder, self.used, SUFFIX, KEEP_SECONDS)


# An entry: a first line of JSON, [[path, length of its text], ...], then each text and a newline.
# Three times quicker to read than the texts as JSON strings, which escape every newline.
SUFFIX = ".pages"


def _packed(pages: list[Page]) -> bytes:
    head = json.dumps([[page.path, len(page.content)] for page in pages])
    return "".join([head, "\n", *(page.content + "\n" for page in pages)]).encode("utf-8", "surrogatepass")


def _unpacked(data: bytes) -> list[Page] | None:
    """None for anything but a whole entry (cut short, or written by something else)."""
    try:
        head, newline, body = data.decode("utf-8", "surrogatepass").partition("\n")
        index = json.loads(head)
        pages, start = [], 0
        for path, length in index:
            end = start + length
            if not (isinstance(path, str) and type(length) is int and length >= 0 and body[end:end + 1] == "\n"):
                return None
            pages.append(Page(path, body[start:end]))
            start = end + 1
    except (ValueError, TypeError):  # not UTF-8, not JSON, not pairs
        return None
    return pages if newline and isinstance(index, list) and start == len(body) else None
