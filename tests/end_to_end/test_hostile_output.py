"""Every output file of a site whose every data-file string is hostile (tests/hostile_output.py):
nothing from a data file can run, load or become a formula, in any file the site publishes."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from conftest import make_project, minimal, run_cli
from hostile_output import HOST, make_hostile_project, string_fields

pytestmark = pytest.mark.build

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background"}
SAFE_SCHEMES = ("http", "https", "mailto")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root, marked = make_hostile_project(tmp_path_factory.mktemp("hostile"))
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site", marked


def test_the_corpus_marks_every_string_field_the_example_site_uses(hostile_site):
    _, marked = hostile_site
    kinds = ("review", "site", "themes", "glossary", "events", "agencies")
    fields = set().union(*(string_fields(kind) for kind in kinds))
    # Fields the example files leave out, so the corpus has nothing to mark there.
    unused = {p for p in fields - marked}
    assert len(marked) >= 49  # to: and owner: name an agency of _agencies.yml, whose names are marked there
    assert len(unused) <= len(fields) // 5, sorted(unused)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.stack: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>: an event handler")
            if name in URL_ATTRIBUTES:
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", re.sub(r"[\s\x00-\x1f]", "", value).lower())
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>: a link to {scheme.group(1)}:")
                if name != "href" and HOST in value:
                    self.problems.append(f"<{tag} {name}={value!r}>: loads from another host")
        if tag in ("img", "iframe", "object", "embed", "video", "audio", "image", "base") and (
                HOST in str(attrs) or attrs.get("src") == "x"):
            self.problems.append(f"<{tag}> from a data file")
        if tag == "div" and "admonition" in attrs.get("class", "") and "danger" in attrs.get("class", ""):
            self.problems.append("an admonition from review text")
        if tag == "abbr" and "review text" in attrs.get("title", ""):
            self.problems.append("an abbreviation defined in review text")
        # JSON-LD is data, never run: it must parse, and hold no < that could end its element
        self.in_data = tag == "script" and attrs.get("type") == "application/ld+json"
        self.in_script = tag == "script" and not self.in_data
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        self.in_script = self.in_data = False

    def handle_data(self, data):
        if getattr(self, "in_data", False):
            json.loads(data)
            if "<" in data or "&" in data:
                self.problems.append(f"JSON-LD holding < or &: {data[:80]!r}")
        if self.in_script and ("alert(" in data or HOST in data):
            self.problems.append(f"a script holding a marker: {data[:80]!r}")
        if self.stack and self.stack[-1][0] in ("dd", "td") and data.strip() in ("a definition list", "c"):
            self.problems.append(f"<{self.stack[-1][0]}> made from review text")


def _html_problems(text: str) -> list[str]:
    page = _Page()
    page.feed(text)
    title = re.search(r"<title>(.*?)</title>", text, re.S)
    if title and "<" in title.group(1):
        page.problems.append(f"<title> holds markup: {title.group(1)[:80]!r}")
    return page.problems


def _csv_problems(text: str) -> list[str]:
    return [f"cell {cell!r} starts as a formula" for row in csv.reader(io.StringIO(text)) for cell in row
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def _xml_problems(data: bytes) -> list[str]:
    tree = ET.fromstring(data)  # not well-formed: raises, and the test fails with where
    return [f"<{el.tag}> in XML" for el in tree.iter() if el.tag.rsplit("}", 1)[-1] in ("script", "img")]


def _pdf_problems(path) -> list[str]:
    from pypdf import PdfReader

    problems = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uri = str(action.get("/URI", ""))
            if action.get("/S") not in (None, "/URI") or (uri and not uri.startswith(("http:", "https:", "mailto:"))):
                problems.append(f"a link annotation {action!r}")
    return problems


def test_no_output_file_carries_a_live_marker(hostile_site):
    site, _ = hostile_site
    problems, counts = [], {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("pagefind/"):
            continue  # the search index: read in Chromium (tests/browser/test_hostile_pages.py)
        kind = path.suffix
        counts[kind] = counts.get(kind, 0) + 1
        if kind == ".html":
            found = _html_problems(path.read_text(encoding="utf-8"))
        elif kind == ".csv":
            found = _csv_problems(path.read_text(encoding="utf-8"))
        elif kind == ".xml":
            found = _xml_problems(path.read_bytes())
        elif rel.endswith(".xml.gz"):
            found = _xml_problems(gzip.decompress(path.read_bytes()))
        elif kind == ".json":
            json.loads(path.read_text(encoding="utf-8"))
            found = []
        elif kind == ".pdf":
            found = _pdf_problems(path)
        else:
            continue
        problems += [f"{rel}: {p}" for p in found]
    assert counts.get(".html", 0) > 50 and counts.get(".csv", 0) > 3 and counts.get(".pdf", 0) == 10, counts
    assert problems == [], "\n".join(problems[:40])


def test_the_markers_are_shown_as_text(hostile_site):
    """Inert is not enough: the reader sees what the officer wrote, as text."""
    site, _ = hostile_site
    page = (site / "reviews" / "patricia-2020" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;text-1&#34;)&lt;/script&gt;" in page or '&lt;script&gt;alert("text-1")&lt;/script&gt;' in page
    assert "An admonition from review text" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "onmouseover=alert(" in title and "&#34;" in title or "&quot;" in title


@pytest.mark.parametrize("field, value", [
    ("title", "'Child Z <script>alert(1)</script>'"),
    ("partnership", "'Example <b>Partnership</b>'"),
    ("children:\n  - pseudonym", "'Child Z\x07'"),
])
def test_a_name_refuses_markup_with_its_line(tmp_path, field, value):
    text = minimal()
    key = field.split("\n")[-1].strip("- ")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines) if line.strip("- ").startswith(key + ":"))
    lines[number] = lines[number].split(":")[0] + ": " + value.replace("\x07", "\\a").replace("'", '"', 2)
    make_project(tmp_path, {"child-z-2024.yml": "\n".join(lines) + "\n"})
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    assert f"briefings/child-z-2024.yml:{number + 1}:" in result.stdout + result.stderr
    assert "leave out < and > and control characters" in result.stdout + result.stderr


@pytest.mark.parametrize("setting, value", [
    ("base_url", 'https://learning.example.gov.uk/"><script>alert(1)</script>'),
    ("contact_email", 'a"><svg/onload=alert(1)>@example.gov.uk'),
    ("site_name", "Learning <script>alert(1)</script>"),
])
def test_site_settings_refuse_markup(tmp_path, setting, value):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    site = tmp_path / "briefings" / "_site.yml"
    lines = [line for line in site.read_text(encoding="utf-8").splitlines() if not line.startswith(setting + ":")]
    site.write_text("\n".join(lines + [f"{setting}: {json.dumps(value)}"]) + "\n", encoding="utf-8")
    result = run_cli(tmp_path, "check")
    assert result.returncode == 1
    assert f"briefings/_site.yml:{len(lines) + 1}: {setting}:" in result.stdout + result.stderr
