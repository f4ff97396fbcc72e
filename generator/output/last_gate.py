"""The last gate: before a build is switched live, the text of every file it will publish is
checked against the denylist and the detectors. It catches what the checks on the sources cannot
see: a name a template adds, text that only reads as a name once rendered, the search index, the
PDFs' text.

What is read, by kind of file:
- HTML: the text (tags taken out, entities decoded) and, apart, every attribute value (ids,
  addresses, titles, alt text), with %-escapes decoded;
- the Pagefind index (gzip of a signature and CBOR or JSON, see pagefind_merge.py): every string
  of the fragments, metadata and filters, and every indexed word on its own;
- PDF: the text of every page (PDFium), its bookmarks and the document's metadata;
- CSV, JSON, XML, text, SVG, web manifests, and gzip of any of them (sitemap.xml.gz): the text.
Images, fonts, scripts and styles from the theme are not read.

What was found in each file (never its text) is kept in .cache/gate/ under the hash of the
file's bytes and of the rules (denylist, allowances, the checks' own code), so a file that has
not changed is not read again until the rules change.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import os
import re
import sys
import time
import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import yaml

from generator.check import privacy
from generator.output.pagefind_merge import SIGNATURE
from generator.speed import gc_pause as collector
from generator.speed.fingerprint import write_whole
from generator.speed.parallel import in_forks
from generator.speed.stopwatch import stage

TEXT_SUFFIXES = {".csv", ".json", ".xml", ".txt", ".svg", ".webmanifest", ".ics", ".md", ".yml", ".yaml"}
HTML_SUFFIXES = {".html", ".htm"}
PAGEFIND_SUFFIXES = {".pf_fragment", ".pf_meta", ".pf_filter", ".pf_index"}
SKIPPED = {".js", ".css", ".map", ".wasm", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2",
           ".ttf", ".otf", ".eot", ".pagefind"}
SOURCE_FILES = ("_site.yml", "_glossary.yml", "_themes.yml", "_events.yml", "_agencies.yml")
WORKERS = 2


@dataclass(frozen=True)
class Hit:
    output: str        # the file in the build, relative to its folder
    what: str          # "a term on the denylist (...)" or a detector's name
    sources: tuple[str, ...] = ()  # "briefings/x.yml:14" where the same is found in the sources

    def __str__(self) -> str:
        where = f"; in the sources at {', '.join(self.sources)}" if self.sources else (
            "; not found as such in briefings/ or docs/, so it comes from a template, the site's "
            "settings, or text that only reads this way once rendered")
        return f"{self.output}: {self.what}{where}"


class GateClosed(Exception):
    def __init__(self, hits: list[Hit]):
        self.hits = hits
        shown = "\n".join(f"  {hit}" for hit in hits[:50])
        more = f"\n  ... and {len(hits) - 50} more" if len(hits) > 50 else ""
        super().__init__(f"The last check of the built files found identifying detail in {len(hits)} place(s), "
                         f"so the new build was not switched live and the site is unchanged (text that "
                         f"repeats is named in the first file that has it):\n{shown}{more}")


# ---------------------------------------------------------------- reading each kind of file

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^<>]*>")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
# every attribute value but drawing data (an icon's path), which holds no text
_ATTRIBUTE = re.compile(r"""\s(?!(?:d|viewbox|points|transform|integrity)\s*=)[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def html_texts(page: str) -> list[str]:
    """A page's text as read, its attribute values, and its inline scripts' text."""
    scripts = [m.group(2) for m in _SCRIPT_OR_STYLE.finditer(page) if m.group(1).lower() == "script"]
    scripts += _COMMENT.findall(page)  # published too, though not shown
    page = _SCRIPT_OR_STYLE.sub(" ", _COMMENT.sub(" ", page))
    attributes = "\n".join(a or b for a, b in _ATTRIBUTE.findall(page))
    if "%" in attributes:
        attributes = unquote(attributes)
    return [html.unescape(_TAG.sub(" ", page)), attributes, *scripts]


def _strings(value) -> list[str]:
    """Every string in decoded JSON or CBOR, keys too."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, bytes):
            continue
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, (list, tuple)):
            stack += item
    return found


def pagefind_texts(path: Path) -> tuple[list[str], list[str]]:
    """(texts, single words) of one Pagefind file: fragments are JSON, the rest CBOR."""
    import cbor2

    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError("it is not a Pagefind file in the format this check reads")
    body = data[len(SIGNATURE):]
    value = json.loads(body) if path.suffix == ".pf_fragment" else cbor2.loads(body)
    if path.suffix == ".pf_index":  # [[[word, pages, [[variant, pages]]], ...]]: each word stands alone
        entries = value[0]
        words = [str(entry[0]) for entry in entries] + [str(v[0]) for entry in entries
                                                        for v in (entry[2] if len(entry) > 2 else [])]
        return [], words
    return ["\n".join(_strings(value))], []


def pdf_text(path: Path) -> str:
    """A PDF's text, its bookmarks and its metadata, read by PDFium: the engine that shows the PDF
    in a reader's Chrome or Edge, so the gate reads what they see, and 20 times quicker than pypdf."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        parts = [str(v) for v in document.get_metadata_dict().values()]
        parts += [bookmark.get_title() for bookmark in document.get_toc()]
        for page in document:  # PDFium marks a hyphen that ends a line with U+FFFE: it is printed as "-"
            parts.append(page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\ufffe", "-"))
        return "\n".join(parts)
    finally:
        document.close()


def pptx_text(path: Path) -> str:
    """A slide pack's text as python-pptx reads it back: every shape's text, name, alternative text
    and link addresses, the speaker notes, and the document's properties."""
    from pptx import Presentation

    deck = Presentation(path)
    props = deck.core_properties
    parts = [str(getattr(props, name) or "") for name in ("title", "subject", "author", "keywords", "comments",
                                                          "last_modified_by", "category", "content_status")]
    for slide in deck.slides:
        for shape in slide.shapes:
            parts += [shape.name, shape._element.xpath("string(.//p:cNvPr/@descr)")]
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
                parts += [run.hyperlink.address or "" for p in shape.text_frame.paragraphs for run in p.runs]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def file_texts(path: Path) -> tuple[list[str], list[str]]:
    """(texts, single words) that one published file shows or holds."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        inner = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        return [inner], []
    if suffix in HTML_SUFFIXES:
        return html_texts(path.read_text(encoding="utf-8", errors="replace")), []
    if suffix in PAGEFIND_SUFFIXES:
        return pagefind_texts(path)
    if suffix == ".pdf":
        return [pdf_text(path)], []
    if suffix == ".pptx":
        return [pptx_text(path)], []
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix == ".json":  # its strings decoded too: a name written with escapes (\n, \u00e9) is read whole
        try:
            return [text, "\n".join(_strings(json.loads(text)))], []
        except ValueError:
            pass
    return [text], []


def published_files(site: Path) -> list[Path]:
    """Every file to check: all but the theme's images, fonts, scripts and styles."""
    return [site / name for name in published_names(site)]


def published_names(site: Path) -> list[str]:
    """published_files as paths relative to site, in the same order (by folder, then name). Plain
    strings and os.walk: Path objects and their sorting took 1.5 s of the gate at 5,000 reviews."""
    found, top = [], str(site)
    for folder, _, names in os.walk(top, followlinks=True):  # a linked folder is published too
        found += [os.path.join(folder, name) for name in names if os.path.splitext(name)[1].lower() not in SKIPPED]
    names = [name[len(top) + 1:].replace(os.sep, "/") for name in found if os.path.isfile(name)]  # under top
    return sorted(names, key=lambda name: name.split("/"))


# ---------------------------------------------------------------- checking

@dataclass
class Rules:
    denylist: privacy.Denylist
    contact_addresses: set[str]
    allowed: set[tuple[str, str]]  # (detector, value) allowed under privacy_allow in a review

    def fingerprint(self) -> str:
        """Changes with the list, the allowances and the checks' own code."""
        if not hasattr(self, "_fingerprint"):
            d = self.denylist
            parts = [sorted(d.keys), sorted(d.legacy), sorted(self.contact_addresses), sorted(self.allowed),
                     hashlib.sha256(Path(privacy.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()]
            self._fingerprint = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]
        return self._fingerprint


# Between pieces of text that were not next to each other: no term or detail runs across it
_BREAK = "\n\n\u00a7zqxjzqxj\u00a7\n\n"


# Sentences: Pagefind joins a page's blocks with ". ", a page puts them on lines. No split after
# an initial ("J. Smithson"), so a name never spans two sentences.
_SENTENCES = re.compile(r"(?<=[.!?])(?<!\b\w\.)[ \t]+")


def sentence_hash(unit: str) -> int:
    """A sentence's hash, the same in every process and build (Python's own hash of a string is
    not), so that sentences checked in one build need not be checked in the next."""
    return int.from_bytes(hashlib.blake2b(unit.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "little", signed=True)


class Seen:
    """Sentences already checked (by hash), and pairs of lines next to each other: a site repeats
    its header, menus and footer on every page, and a review's text on several, so each distinct
    sentence is checked once, and the join of two lines (a name can run across a line break) once
    for each distinct pair. Sentences and pairs a clean scan checked under the same rules may be
    given at the start: then a listing page or the open data, which change with any review they
    name, have only their new sentences checked. Those given are looked in, never copied (two
    million hashes at 5,000 reviews: a tenth of a second a copy, in every process)."""

    def __init__(self, reach: int, units: frozenset[int] = frozenset(), pairs: frozenset[int] = frozenset()):
        self.given_units, self.given_pairs = units, pairs
        self.units: set[int] = set()  # checked in this scan and not among those given: to keep after a clean scan
        self.pairs: set[int] = set()
        self.reach = reach  # how much of each line a term or detail across a line break can take
        # each distinct sentence's hash, worked out once; keyed by the text itself, so two sentences
        # whose quick Python hashes collide can never pass as one already checked
        self._stable: dict[str, int] = {}

    def _hash(self, unit: str) -> int:
        key = unit.strip(" \t.!?")  # "Findings" on a page, "Findings." in the index
        if key not in self._stable:
            self._stable[key] = sentence_hash(key)
        return self._stable[key]

    def novel(self, text: str) -> str:
        """The parts of text not checked before, with the joins of lines around them."""
        pieces, run, previous, previous_hash = [], [], None, 0
        for line in text.split("\n"):
            for k, unit in enumerate(_SENTENCES.split(line)):
                unit_hash = self._hash(unit)
                fresh = unit_hash not in self.units and unit_hash not in self.given_units
                if fresh:
                    self.units.add(unit_hash)
                joint = False
                if k == 0 and previous is not None:  # a line break: a name may run across it
                    pair = hash((previous_hash, unit_hash))  # a tuple of numbers hashes alike in every process
                    joint = pair not in self.pairs and pair not in self.given_pairs
                    if joint:
                        self.pairs.add(pair)
                if fresh:
                    if not run and joint:
                        run.append(self._tail(previous))
                    run.append(unit)
                else:
                    if joint:
                        run = run or [self._tail(previous)]
                        run.append(self._head(unit))
                    if run:
                        pieces.append("\n".join(run))
                        run = []
                previous, previous_hash = unit, unit_hash
        if run:
            pieces.append("\n".join(run))
        return _BREAK.join(pieces)

    def _tail(self, line: str) -> str:
        return line if len(line) <= self.reach else line[-self.reach:].split(None, 1)[-1]

    def _head(self, line: str) -> str:
        return line if len(line) <= self.reach else line[:self.reach].rsplit(None, 1)[0]


@dataclass(frozen=True)
class Verdict:
    """What the gate found in one published file (never its text), under the hash of its bytes."""

    name: str            # the file in the build, relative to its folder
    key: str             # sha256 of its bytes
    found: tuple[str, ...]
    alone: bool          # checked whole, not only the sentences no earlier file had (PDFs, slide packs)
    cached: bool = False


def _check_file(rules: Rules, site: Path, name: str, known: dict[str, list[str]], seen: Seen) -> Verdict:
    """What one file holds. A file whose bytes were checked before under the same rules is not
    read again. A PDF or slide pack is checked whole (reading one is slow, and its verdict stands alone); the
    rest only in the sentences no earlier file of this scan had, so their verdicts may be kept
    only when the whole scan is clean (then every sentence of every file was checked)."""
    path = site / name
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    if key in known:
        return Verdict(name, key, tuple(known[key]), True, cached=True)
    alone = path.suffix.lower() in (".pdf", ".pptx")  # slow to read: checked whole, so kept on their own
    try:
        texts, words = file_texts(path)
    except Exception as exc:  # noqa: BLE001 - a file that cannot be read cannot be shown to be safe
        return Verdict(name, key, (f"cannot be read to check it ({type(exc).__name__}: {exc}); "
                                   "it is not published unread",), False)
    text = _BREAK.join(texts) if alone else _BREAK.join(seen.novel(t) for t in texts)
    found = {f"a term on the denylist ({source})" for _, source in rules.denylist.find(text)}
    found |= {f"{privacy.DETECTOR_NAMES[detector]} ({detector})"
              for _, detector, value in privacy.detect_values(text, rules.contact_addresses)
              if (detector, value) not in rules.allowed}
    for source in rules.denylist.find_words(words):
        found.add(f"a term on the denylist ({source}), in the search index's words")
    return Verdict(name, key, tuple(sorted(found)), alone)


@dataclass(frozen=True)
class Share:
    """What one process found: its files' verdicts, and the sentences and joins it checked that
    were not known at the start."""

    verdicts: list[Verdict]
    units: list[int]
    pairs: list[int]


# What the checking processes share: set before the forks are made, which inherit it (the
# verdicts and the sentences checked before, 20 MB at 5,000 reviews: too much to send).
_WORKER: dict = {}


def _worth_workers(site: Path, todo: list[str]) -> bool:
    """Many files, or much to read (the search index's word lists, after a change to the words)."""
    return len(todo) >= 200 or sum(os.path.getsize(site / name) for name in todo) >= 8_000_000


def _check_all(rules: Rules, site: Path, known: dict[str, list[str]], sentences: "Sentences", todo: list[str],
               workers: int) -> list[Share]:
    """The files to read, checked in this process and, when there are enough of them, in forks
    of it, each taking its share (see _check_share)."""
    reach = max(60, 2 * rules.denylist.longest + 20)
    _WORKER.update(rules=rules, site=site, known=known, seen=Seen(reach, sentences.units, sentences.pairs))
    try:
        if workers <= 1 or not _worth_workers(site, todo):
            return [_check_share((0, 1, todo))]
        taken = in_forks(_check_share, [(index, workers, todo) for index in range(1, workers)])
        try:
            mine = _check_share((0, workers, todo))
        except BaseException:  # a failure here, or Ctrl-C: the forks end before it is raised
            with contextlib.suppress(Exception):
                taken()
            raise
        return [mine, *taken()]
    finally:
        _WORKER.clear()


def _check_share(share: tuple[int, int, list[str]]) -> Share:
    """The files that fall to process `index` of `workers`: a review's pages, PDF and search
    fragments all fall to one process, which then checks the sentences they share once."""
    index, workers, names = share
    w = _WORKER
    mine = [name for name in names if workers == 1 or zlib.crc32(_owner(w["site"], name).encode()) % workers == index]
    verdicts = [_check_file(w["rules"], w["site"], name, w["known"], w["seen"]) for name in mine]
    return Share(verdicts, list(w["seen"].units), list(w["seen"].pairs))


def _owner(site: Path, name: str) -> str:
    """What a file belongs to: its review (reviews/<id>/..., b/<id>/..., a fragment's page), or itself."""
    parts, path = tuple(name.split("/")), site / name
    if path.suffix == ".pf_fragment":
        with contextlib.suppress(Exception):  # one that cannot be read is reported by its checker
            data = gzip.decompress(path.read_bytes())
            parts = tuple(p for p in json.loads(data[len(SIGNATURE):])["url"].split("/") if p) or parts
    if len(parts) > 2 and parts[0] in ("reviews", "b"):
        return parts[1]
    return "/".join(parts)


# Paused: it makes a verdict for every published file (41,000 at 5,000 reviews), the search
# index's chunks decode into millions of lists, and in the build's process the collector would look
# through them and the whole site again and again (in a fork, 2 s of the 2.5 s a fork took to
# check half of the index's chunks after an edit). The forks start with it paused too.
@collector.paused
def scan(site: Path, rules: Rules, cache: Path | None = None, workers: int = WORKERS) -> list[tuple[str, str]]:
    """(output file, what) for every problem in the built folder, in order. With a cache folder,
    a file whose bytes were checked under the same rules before is not read again, and in a file
    that changed, only the sentences no clean scan checked before are."""
    names = published_names(site)
    known = _read_verdicts(cache, rules) if cache else {}
    keys = _hashes(site, names, workers) if known else [""] * len(names)
    kept = [Verdict(name, key, tuple(known[key]), True, cached=True) for name, key in zip(names, keys) if key in known]
    todo = [name for name, key in zip(names, keys) if key not in known]  # to read, in the same order
    # the sentences checked before are read only for files with text: the index's word chunks,
    # all that changes in some edits, have single words, each looked up on its own
    sentences = read_sentences(cache, rules) if cache and not _only_words(todo) else Sentences()
    shares = _check_all(rules, site, known, sentences, todo, workers)
    verdicts = kept + [v for share in shares for v in share.verdicts]
    hits = sorted((v.name, what) for v in verdicts for what in v.found)
    if cache:
        _write_verdicts(cache, rules, verdicts, clean=not hits)
        if not hits and any(share.units or share.pairs for share in shares):
            # every sentence of every file read was then checked and found clean
            write_sentences(cache, rules, sentences.joined(shares))
    return hits


def _only_words(names: list[str]) -> bool:
    """Whether every file is a word chunk of the search index (read as single words, no text)."""
    return all(name.endswith(".pf_index") for name in names)


# From this many files the hashes are taken in forks too, each hashing every workers-th file: at
# 5,000 reviews (41,233 files) one process took 1.9 s and two 1.2 s, and a fork costs a few
# hundredths of a second. (Two threads were no quicker: 1.6 s against 1.5 s for 41,225 files,
# the time going on Python's work per file, which holds the interpreter, not on hashing.)
HASHES_SHARED_FROM = 4_000


def _hashes(site: Path, names: list[str], workers: int) -> list[str]:
    """The SHA-256 of each file, so that the files a build left unchanged (nearly all of them)
    are told apart before any is read for its text."""
    if workers <= 1 or len(names) < HASHES_SHARED_FROM:
        return _hash_share((str(site), names))
    taken = in_forks(_hash_share, [(str(site), names[index::workers]) for index in range(1, workers)])
    try:
        mine = _hash_share((str(site), names[0::workers]))
    except BaseException:  # a failure here, or Ctrl-C: the forks end before it is raised
        with contextlib.suppress(Exception):
            taken()
        raise
    keys = [""] * len(names)
    for index, share in enumerate([mine, *taken()]):
        keys[index::workers] = share
    return keys


def _hash_share(share: tuple[str, list[str]]) -> list[str]:
    top, names = share
    keys = []
    for name in names:
        with open(os.path.join(top, name), "rb") as file:
            keys.append(hashlib.file_digest(file, "sha256").hexdigest())
    return keys


# ---------------------------------------------------------------- the verdicts kept between builds
# One file for each set of rules, verdicts-<fingerprint>.json: {sha256 of a file: [what was found]}.
# It is replaced whole (written beside, then renamed), so a build killed while writing it leaves
# the previous one; a verdict is keyed by the file's bytes, so a stale one is simply never used.

def _verdicts_path(cache: Path, rules: Rules) -> Path:
    return cache / f"verdicts-{rules.fingerprint()}.json"


def _read_verdicts(cache: Path, rules: Rules) -> dict[str, list[str]]:
    try:
        known = json.loads(_verdicts_path(cache, rules).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _write_verdicts(cache: Path, rules: Rules, verdicts: list[Verdict], clean: bool) -> None:
    """Keep this build's verdicts: those of files checked whole, and, when the scan found
    nothing, every file's (each sentence of each was then checked). Only this build's files are
    kept, so the file does not grow with every edit."""
    kept = {v.key: list(v.found) for v in verdicts if v.alone or clean}
    if kept:
        write_whole(_verdicts_path(cache, rules), json.dumps(kept, sort_keys=True).encode("utf-8"))


# ---------------------------------------------------------------- the sentences kept between builds
# sentences-<fingerprint>.bin: the hashes (sentence_hash) of the sentences, and of the joins of
# two lines, that clean scans under these rules checked, as signed 64-bit numbers: the count of
# sentences, the sentences, the joins. Replaced whole, like the verdicts. It holds no text, but a
# short sentence's hash could be matched by guessing it, so a withdrawal deletes it with the
# caches that hold text (publishing/publish.py, keep_only_served).

SENTENCE_FILE = "sentences-{}.bin"
MOST_SENTENCES = 4_000_000  # kept, sentences and joins together (32 MB); past it, only the last scan's


@dataclass(frozen=True)
class Sentences:
    units: frozenset[int] = frozenset()
    pairs: frozenset[int] = frozenset()

    def joined(self, shares: list[Share]) -> "Sentences":
        """These and what the shares added; only the shares' when these and they would be too many."""
        added_units = {u for share in shares for u in share.units}
        added_pairs = {p for share in shares for p in share.pairs}
        if len(self.units) + len(self.pairs) + len(added_units) + len(added_pairs) > MOST_SENTENCES:
            return Sentences(frozenset(added_units), frozenset(added_pairs))
        return Sentences(self.units | added_units, self.pairs | added_pairs)


def read_sentences(cache: Path, rules: Rules) -> Sentences:
    try:
        data = (cache / SENTENCE_FILE.format(rules.fingerprint())).read_bytes()
    except OSError:
        return Sentences()
    numbers = array("q")
    if len(data) % 8 or not data:
        return Sentences()
    numbers.frombytes(data)
    if sys.byteorder != "little":
        numbers.byteswap()
    count = numbers[0]
    if not 0 <= count <= len(numbers) - 1:
        return Sentences()  # not a file this code wrote: checked again, as if never seen
    return Sentences(frozenset(numbers[1:count + 1]), frozenset(numbers[count + 1:]))


def write_sentences(cache: Path, rules: Rules, sentences: Sentences) -> None:
    numbers = array("q", [len(sentences.units)])
    numbers.extend(sentences.units)
    numbers.extend(sentences.pairs)
    if sys.byteorder != "little":
        numbers.byteswap()
    write_whole(cache / SENTENCE_FILE.format(rules.fingerprint()), numbers.tobytes())


# ---------------------------------------------------------------- the sources, to name them

def load_rules(root: Path) -> Rules:
    briefings = root / "briefings"
    denylist, _ = privacy.load_denylist(briefings)  # a problem reading it stopped the build earlier
    site = _yaml(briefings / "_site.yml") or {}
    contacts = privacy.published_addresses(site)
    return Rules(denylist, contacts, _allowed_values(briefings, contacts))


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


def _allowed_values(briefings: Path, contacts: set[str]) -> set[tuple[str, str]]:
    """The details a review allows for a field (a published switchboard), by value: they may
    appear anywhere that field's text is shown."""
    allowed = set()
    for path in briefings.glob("*.yml"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "privacy_allow" not in text:
            continue
        data = _yaml(path)
        if not isinstance(data, dict):
            continue
        for item in data.get("privacy_allow") or []:
            if isinstance(item, dict) and item.get("field"):
                for value in _field_texts(data, str(item["field"])):
                    allowed |= {(d, v) for _, d, v in privacy.detect_values(value, contacts) if d == item.get("check")}
    return allowed


def _field_texts(data, field: str) -> list[str]:
    """The texts under a dotted field ("contact", "findings[1].text", "findings")."""
    value = data
    for part in re.findall(r"[^.\[\]]+", field):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and 0 < int(part) <= len(value):
            value = value[int(part) - 1]  # counted from 1, as the checks name a field
        else:
            return []
    return [s for s in _strings(value)] if not isinstance(value, str) else [value]


def _where_in_sources(root: Path, output: str, rules: Rules, what: str) -> tuple[str, ...]:
    """Lines of the source files that hold the same kind of problem: the review the output file
    belongs to, the site's data files and the hand-written pages."""
    briefings = root / "briefings"
    candidates = [briefings / name for name in SOURCE_FILES]
    parts = output.split("/")
    for i, part in enumerate(parts[:-1]):
        if (briefings / f"{part}.yml").exists() and i + 1 < len(parts):
            candidates.insert(0, briefings / f"{part}.yml")
    candidates += sorted((root / "docs").rglob("*.md")) if (root / "docs").is_dir() else []
    places = []
    for path in candidates:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if what.startswith("a term on the denylist"):
            lines = {n for n, _ in rules.denylist.find(text)}
        else:
            lines = {n for n, d, v in privacy.detect_values(text, rules.contact_addresses)
                     if what.endswith(f"({d})") and (d, v) not in rules.allowed}
        places += [f"{path.relative_to(root).as_posix()}:{n + 1}" for n in sorted(lines)]
    return tuple(places[:5])


CACHE_DAYS = 7  # the verdicts of other rules (an older denylist) not written for this long are removed


def prune_cache(cache: Path) -> None:
    if cache.is_dir():
        for entry in cache.iterdir():
            with contextlib.suppress(OSError):
                if time.time() - entry.stat().st_mtime > CACHE_DAYS * 86400:
                    entry.unlink()


def cache_folder(root: Path) -> Path:
    return root / ".cache" / "gate"


def check(root: Path, site: Path) -> None:
    """Raise GateClosed naming every problem in the built folder site, and where its source is."""
    with stage("last-gate"):  # the benchmark reads its time (TIMES["last-gate"])
        rules = load_rules(root)
        cache = cache_folder(root)
        found = scan(site, rules, cache)
        prune_cache(cache)
    if found:
        hits = [Hit(output, what, _where_in_sources(root, output, rules, what)) for output, what in found]
        raise GateClosed(hits)
