"""The one sanitiser of published HTML, and the one escape of text handed to the site engine.

Every page's HTML, once Markdown is rendered, goes through `clean_html` (nh3, the Rust Ammonia
sanitiser): whatever a Markdown parser makes of tricky source, only the elements, attributes and
link schemes listed here reach a reader. The lists are what the templates write, and no more.
"""
from __future__ import annotations

from collections.abc import Mapping

import nh3
from markupsafe import Markup, escape

_TEXT = {"p", "br", "hr", "em", "strong", "cite", "code", "pre", "blockquote", "abbr", "time", "span", "div",
         "a", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "figure",
         "figcaption", "details", "summary", "nav", "small", "sup", "sub", "mark", "main", "header", "footer",
         "article", "aside"}
_TABLES = {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"}
_FORMS = {"form", "label", "input", "select", "option", "button", "fieldset", "legend", "output"}
_SVG = {"svg", "g", "rect", "path", "text", "title", "desc", "line", "circle", "polyline", "tspan"}
TAGS = _TEXT | _TABLES | _FORMS | _SVG

# Attributes any element may have, then those of particular elements; data-* and aria-* too.
_ANY = {"id", "class", "hidden", "role", "title", "lang", "dir", "tabindex"}
_ATTRIBUTES = {
    "a": {"href", "download", "hreflang", "type"},
    "time": {"datetime"},
    "ol": {"start", "reversed"}, "li": {"value"},
    "th": {"scope", "colspan", "rowspan", "headers"}, "td": {"colspan", "rowspan", "headers"},
    "col": {"span"}, "colgroup": {"span"},
    "form": {"action", "method"},  # action is a URL: checked against the schemes below
    "label": {"for"}, "output": {"for"},
    "input": {"type", "name", "value", "placeholder", "autocomplete", "checked", "min", "max", "step",
              "inputmode", "spellcheck", "enterkeyhint"},
    "select": {"name", "multiple"}, "option": {"value", "selected"},
    "button": {"type", "name", "value", "disabled"},
    "details": {"open"},
    "svg": {"viewBox", "width", "height", "xmlns", "focusable", "preserveAspectRatio", "shape-rendering"},
    "g": {"transform", "fill"},
    "rect": {"x", "y", "width", "height", "fill", "rx", "ry", "stroke", "shape-rendering"},
    "path": {"d", "fill", "stroke", "stroke-width"},
    "line": {"x1", "y1", "x2", "y2", "stroke", "stroke-width"},
    "circle": {"cx", "cy", "r", "fill", "stroke"},
    "polyline": {"points", "fill", "stroke"},
    "text": {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline", "font-size", "fill", "transform"},
    "tspan": {"x", "y", "dx", "dy"},
}
ATTRIBUTES = {tag: _ANY | _ATTRIBUTES.get(tag, set()) for tag in TAGS}
SCHEMES = {"http", "https", "mailto"}  # relative addresses (the site's own pages) are allowed too


def clean_html(html: str) -> str:
    """Page HTML with every element, attribute and link scheme not listed above removed.

    <script> and <style> are removed with their content; anything else not listed keeps its
    text. The output is ASCII, with other characters as references, as the pages are (see
    rendering.ascii_only: half the memory at national scale)."""
    cleaned = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                        generic_attribute_prefixes={"data-", "aria-"}, strip_comments=True,
                        clean_content_tags={"script", "style"})
    return cleaned.encode("ascii", "xmlcharrefreplace").decode("ascii")


def for_engine(value):
    """A value handed to the site engine (MkDocs and Material) as HTML text.

    MkDocs and Material treat a page's title, its front matter and the site's name as HTML:
    they print them as they are in <title>, the header, the nav and attributes. So text from a
    data file is escaped here, once, and marked as Markup, so that where a template escapes it
    again (`| e`) it is not escaped twice. Lists and groups are escaped item by item."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, Mapping):
        return {key: for_engine(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [for_engine(item) for item in value]
    return value
