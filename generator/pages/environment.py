"""The one Jinja2 environment: its filters, its escaping, and one page from one template.

Nothing here knows about MkDocs: the pages could be written to disk and built by another engine.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup, escape

from generator.model.types import REVIEW_TYPES, GlossaryTerm, Site
from generator.pages.inputs import listing_inputs
from generator.pages.views.tracker import review_status_counts

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@dataclass(frozen=True)
class Page:
    path: str  # the Markdown source path, e.g. "reviews/patricia-2020/index.md"
    content: str


class TextFilters:
    """Turn an officer's text into safe Markdown or HTML, expanding known abbreviations."""

    # Links, tags and code: an abbreviation inside them is left alone (a focusable <abbr> inside
    # a link would be a control inside a control)
    # (each part stops at the next bracket or tag, so a text full of [ or < is still read once)
    _SKIP = re.compile(r"\[[^\[\]]*\]\([^()]*\)|<a\b[^<]*(?:<(?!/a>)[^<]*)*</a>|<[^<>]*>")

    def __init__(self, glossary: tuple[GlossaryTerm, ...]):
        self.terms = {t.abbreviation: t.term for t in glossary if t.abbreviation}
        pattern = "|".join(re.escape(a) for a in sorted(self.terms, key=len, reverse=True))
        # the lookahead on first letters fails fast at most positions: twice as fast on long text
        firsts = "".join(sorted({re.escape(a[0]) for a in self.terms}))
        self._abbr = re.compile(rf"(?=[{firsts}])(?<![\w/.#@-])({pattern})(?![\w/@-])") if pattern else None
        self._md = markdown.Markdown()  # one converter, reset per call: building one costs more than converting

    def markdown(self, text: str) -> Markup:
        """Block text: paragraphs, lists, emphasis and safe links; nothing else gets through."""
        return Markup(self.expand(safe_markdown(text)))

    # Text with nothing Markdown would change: only letters, digits and plain punctuation, no list
    # start, one line. Most text is like this, and skipping the converter halves the render time.
    MARKUP = re.compile(r"[^\w .,;:'’\"()?%/-]|_|^\d+[.)]\s|^\W")

    def inline(self, text: str) -> Markup:
        """Text inside an HTML element: inline Markdown rendered to HTML."""
        text = text.strip()
        if not self.MARKUP.search(text):
            return Markup(self.expand(text))
        return Markup(self.expand(one_paragraph_bare(self._md.reset().convert(safe_markdown(text)))))

    def expand(self, text: str) -> str:
        """Each known abbreviation wrapped in <abbr>, except inside links, tags and code."""
        if not self._abbr or not self._abbr.search(text):
            return text  # most texts have no abbreviation: one search settles them
        out, last = [], 0
        for skip in self._SKIP.finditer(text):
            out.append(self._abbr.sub(self._wrap, text[last:skip.start()]))
            out.append(skip.group(0))
            last = skip.end()
        out.append(self._abbr.sub(self._wrap, text[last:]))
        return "".join(out)

    def _wrap(self, match: re.Match) -> str:
        abbr = match.group(1)
        return f'<abbr title="{html.escape(self.terms[abbr])}" tabindex="0">{abbr}</abbr>'

    def inline_link(self, text: str) -> Markup:
        """Text inside a link in HTML: inline HTML with abbreviations left plain (see link_text)."""
        return Markup(_ABBR.sub(r"\1", self.inline(text)))

    def link_text(self, text: str) -> Markup:
        """Text inside a link: block text with abbreviations left plain, since a focusable <abbr>
        inside a link is a control inside a control (axe nested-interactive; invalid HTML)."""
        return Markup(_ABBR.sub(r"\1", self.markdown(text)))


_ABBR = re.compile(r"<abbr [^>]*>(.*?)</abbr>")


def one_paragraph_bare(rendered: str) -> str:
    """Converted text without its <p> when it is one paragraph, so that it reads on inside an
    element; text of several paragraphs (or a list) keeps them all, whole."""
    rendered = rendered.strip()
    inner = rendered[3:-4] if rendered.startswith("<p>") and rendered.endswith("</p>") else None
    return inner if inner is not None and "<p>" not in inner and "</p>" not in inner else rendered


# Review text may use paragraphs, lists, emphasis and links, nothing else. What else the site's
# Markdown would read at the start of a line, at any depth in a list, is written as a character
# reference, which Markdown shows as the character itself: headings (#), admonitions (!!!),
# abbreviation (*[X]:), reference ([x]: ...) and definition-list (: ...) lines, the [TOC] marker,
# and setext headings and rules (--- or === alone on a line). The list markers before them are
# matched possessively, so that a line is read once: the time is linear in the text.
_LIST_MARKERS = r"(?:[ \t]*+(?:[-*+]|\d{1,9}[.)])[ \t]++)*+[ \t]*+"
_BLOCK_STARTS = re.compile(rf"(?m)^({_LIST_MARKERS})(#|!!!|\*\[|\[[^\]\n]*\][ \t]*:|\[TOC\][ \t]*$|:)"
                           r"|^[ \t]*+([-=*_])(?:[ \t]*+\3)*+[ \t]*+$")
# Anywhere in a line: table cells (|), code (`), images (![) and attribute lists ({...}).
_INLINE = str.maketrans({"|": "&#124;", "`": "&#96;", "{": "&#123;", "}": "&#125;"})


def safe_markdown(text: str) -> str:
    """An officer's text as Markdown that can only make paragraphs, lists, emphasis and links.

    Raw HTML is escaped, and the other Markdown constructs become references (above). Links keep
    their targets here: the page's HTML goes through sanitising.clean_html, which removes every
    address that is not http, https, mailto or the site's own, however the parser read the link."""
    text = html.escape(text.strip(), quote=False).translate(_INLINE).replace("![", "&#33;[")
    return _BLOCK_STARTS.sub(_as_reference, _unlinked_brackets(text))


_BRACKET = re.compile(r"[\[\]]")
# (address) or (address "title"), with one level of (...) inside the address; an address with a
# space is no link (check says how to write it)
_TARGET = re.compile(r"\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"\n]*\")?\)")


def _unlinked_brackets(text: str) -> str:
    """Every [ and ] that is not part of a link [text](address) as a reference. Python-Markdown
    reads each [ to the end of its paragraph looking for a link: with thousands of [ the time grew
    with their square (7 s for 8,000). Found in one pass, with a stack of the [ still open."""
    if "[" not in text and "]" not in text:
        return text
    open_at, keep = [], set()
    for match in _BRACKET.finditer(text):
        if match.group(0) == "[":
            open_at.append(match.start())
        elif open_at:
            start = open_at.pop()
            if _TARGET.match(text, match.end()):
                keep.update((start, match.start()))
    signs = text.count("[") + text.count("]")
    if signs == len(keep):
        return text
    return "".join((f"&#{ord(c)};" if c in "[]" and i not in keep else c) for i, c in enumerate(text))


def _as_reference(match: re.Match) -> str:
    if match.group(3):  # a line of only -, =, * or _: a rule, or a heading of the line above
        line = match.group(0)
        first = line.index(match.group(3))
        return f"{line[:first]}&#{ord(line[first])};{line[first + 1:]}"
    construct = match.group(2)
    return f"{match.group(1)}&#{ord(construct[0])};{construct[1:]}"


def url(value: str) -> str:
    """A web address from a review, made safe inside a Markdown link or an HTML attribute."""
    return re.sub(r"[\s()<>\"'\\]", lambda m: "%{:02X}".format(ord(m.group(0))), value)


def relative(from_page: str, to_page: str) -> str:
    """A link from one Markdown source to another ('themes/x.md#y'), so MkDocs checks it. An
    absolute address (a harvested review's page on its own site) is left as it is."""
    if "://" in to_page:
        return url(to_page)
    target, _, fragment = to_page.partition("#")
    link = _relpath(target, posixpath.dirname(from_page)) if target else ""
    return link + (f"#{fragment}" if fragment else "")


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for paths inside the site, without asking the OS for the working folder
    (which relpath does on every call: a fifth of the render time at 1,000 reviews)."""
    to, here = [p for p in target.split("/") if p], [p for p in start.split("/") if p]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def page_url(source: str) -> str:
    """The address MkDocs gives a Markdown source with directory URLs: x/y.md -> x/y/."""
    if source == "index.md" or source.endswith("/index.md"):
        return source[: -len("index.md")]
    return source[: -len(".md")] + "/"


def public_address(base_url: str | None, source: str) -> str | None:
    """A generated page's public address, from base_url in briefings/_site.yml (None without it)."""
    return base_url.rstrip("/") + "/" + page_url(source) if base_url else None


def href(from_page: str, to_page: str) -> str:
    """A link for raw HTML, where MkDocs does not rewrite .md links. An absolute address is kept."""
    if "://" in to_page:
        return html.escape(url(to_page), quote=True)
    target, _, fragment = to_page.partition("#")
    here = page_url(from_page)
    link = _relpath(page_url(target), here) + "/" if target else ""
    link = "./" if link == "./" else link.replace("./", "", 1) if link.startswith("./") else link
    return link + (f"#{fragment}" if fragment else "")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept for the life of the process: each build makes a new environment
    (its filters depend on the site), and compiling every template again cost a third of a
    second on each rebuild under mkdocs serve. Jinja compares the source's checksum, so an
    edited template is compiled afresh."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


# What a template's {{ value }} escapes, for every page it lands in: HTML (and XML) signs, and the
# Markdown signs that could make a construct of a value (emphasis, links, code, tables, headings,
# attribute lists, line breaks), as references, which HTML, XML and Markdown all show as the sign.
# So a value reads as text wherever a template puts it; a field that may hold Markdown says so
# with the md or inline filter, which allow paragraphs, lists, emphasis and links only.
_SIGNS = "&<>\"'\\`*_{}[]#!|\n\r"
_AS_REFERENCES = str.maketrans({sign: f"&#{ord(sign)};" for sign in _SIGNS})
_NEEDS_ESCAPING = re.compile(r"[&<>\"'\\`*_{}\[\]#!|\n\r]|^(?:[-+:=>~]|\d+[.)])")


def _escape(value) -> Markup:
    """A value as text, for HTML, XML and Markdown alike (above). Text that is already Markup
    (every filter's output) is kept as it is, without a copy: a tenth of the render time."""
    if value.__class__ is Markup:
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    text = str(value)
    match = _NEEDS_ESCAPING.search(text)
    if match is None:
        return Markup(text)  # most values: words, numbers and plain punctuation
    text = text.translate(_AS_REFERENCES)
    if match.start() == 0 and text[:1] in "-+:=~0123456789":  # a list, rule or definition at a line's start
        text = f"&#{ord(text[0])};{text[1:]}"
    return Markup(text)


class _Template(jinja2.Template):
    """A template whose output expressions ({{ ... }}) escape with _escape. Jinja's compiled code
    looks up `escape` among the template's globals each time it is called."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape
        return template


def make_environment(site: Site) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_COMPILED,
        auto_reload=False,  # an environment lasts one build: no need to look at each template's time at every use
        # Every value is HTML-escaped unless a filter made it safe: escaped text reads the same in
        # Markdown, and a value a template forgot to filter can never become markup.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.template_class = _Template
    text = TextFilters(site.glossary)
    env.filters["md"] = text.markdown
    env.filters["inline"] = text.inline
    env.filters["url"] = lambda value: Markup(url(value))
    env.filters["link_text"] = text.link_text
    env.filters["inline_link"] = text.inline_link
    env.filters["attr"] = lambda value: Markup(html.escape(str(value), quote=True))
    env.filters["yaml_str"] = lambda value: Markup(json.dumps(str(value)))  # \u2019 is valid YAML too: see ascii_only
    env.filters["number"] = lambda value: f"{value:,}"
    env.globals.update(site=site, settings=site.settings, review_types=REVIEW_TYPES)
    env.globals.update(review_status_counts=review_status_counts)
    return env


def _render(env: jinja2.Environment, template: str, path: str, **context) -> Page:
    """One page from a template. Under mkdocs serve a listing page is kept while its inputs (its
    context and what its template reads of the site, pages/inputs.py) stay equal."""
    listings = getattr(env, "listing_cache", None)
    if listings is not None and (inputs := listing_inputs(env, template, context)) is not None:
        return listings.page(template, path, inputs, lambda: page_from_template(env, template, path, context))
    return page_from_template(env, template, path, context)


def page_from_template(env: jinja2.Environment, template: str, path: str, context: dict) -> Page:
    return Page(path, ascii_only(env.get_template(template).render(
        page_path=path, link=lambda target: Markup(relative(path, target)),
        href=lambda target: Markup(href(path, target)), **context)))


def ascii_only(text: str) -> str:
    """Other characters as HTML references (’ -> &#8217;), which browsers and Pagefind read as
    the character. Python stores a string with any such character at 2 or 4 bytes a character,
    and MkDocs keeps every page's Markdown and HTML in memory: ASCII halves that at 5,000 reviews."""
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")
