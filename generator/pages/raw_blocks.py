"""Large blocks of HTML that a template writes whole (a theme page's lists, the catalogue's cards:
1.2 MB a theme page at 5,000 reviews) are set aside before Markdown reads the page, and put back
in the HTML it makes. Python-Markdown (md_in_html) and MkDocs (looking for ids) each read all of a
page's raw HTML with Python's HTMLParser: 0.35 s a theme page, redone for every listing page that
names a changed review. Markdown passes such a block through unchanged, so the page is the same.

A template marks a block with a RAW_START line before it and a RAW_END line after it. The HTML put
back is sanitised with the rest of the page (adapter/plugin.py, on_page_content), and its ids are
given to MkDocs, which checks the links to anchors."""
from __future__ import annotations

import html
import re

RAW_START, RAW_END = "<!--sb-raw-->", "<!--/sb-raw-->"
_BLOCK = re.compile(r"^<!--sb-raw-->\n(.*?)\n<!--/sb-raw-->$", re.S | re.M)
_PLACE = "<!--sb-raw:{}-->"  # an HTML block of its own to Markdown, which keeps it as it is
# the anchors MkDocs finds in raw HTML: any tag's id, and an a tag's name
_ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"')
_NAME = re.compile(r'<a\s[^<>]*?\bname="([^"]*)"')


class NotPutBack(Exception):
    """A block set aside was not found in the page's HTML: the page would lose it."""


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each marked block replaced by a placeholder, and the blocks in order."""
    blocks: list[str] = []

    def aside(match: re.Match) -> str:
        blocks.append(match.group(1))
        return _PLACE.format(len(blocks) - 1)

    return _BLOCK.sub(aside, markdown), blocks


def unmarked(markdown: str) -> str:
    """The Markdown with the blocks left in place and their marks taken out, for an export that
    another engine builds: its Markdown then makes of them what ours makes with them set aside."""
    return _BLOCK.sub(lambda match: match.group(1), markdown)


def put_back(page_html: str, blocks: list[str]) -> str:
    """The HTML with each placeholder replaced by its block again."""
    for number, block in enumerate(blocks):
        place = _PLACE.format(number)
        if place not in page_html:
            raise NotPutBack(f"block {number + 1} of HTML set aside is missing from the page Markdown made")
        page_html = page_html.replace(place, block, 1)
    return page_html


def anchor_ids(blocks: list[str]) -> set[str]:
    """The ids the blocks hold, as MkDocs would have found them in the page's raw HTML."""
    found: set[str] = set()
    for block in blocks:
        found |= {html.unescape(value) for value in _ID.findall(block)}
        found |= {html.unescape(value) for value in _NAME.findall(block)}
    return found
