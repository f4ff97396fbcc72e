"""Privacy checks on every text in a review: a hashed denylist of identifying terms, and
detectors for dates of birth, postcodes, phone numbers, email addresses, NHS and National
Insurance numbers.

The denylist stores only keyed hashes (HMAC-SHA256 with a salt kept in the same file) of each
normalised term, so the list can be committed without showing the names in it. That hides the
terms from a casual reader; it does not stop someone with a list of likely names from testing
each one against the hashes, because the salt is in the repository too.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .loading import Document, dotted
from .problems import Problem

MAX_PHRASE_WORDS = 6
DENYLIST_FILE = "_denylist.yml"


def normalise(text: str) -> list[str]:
    """Fold case, accents and spacing, so 'Zoë  SMITH' and 'zoe smith' are the same words."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.findall(r"[^\W_]+", plain)


START_HEX = 4  # a term's first word is also kept as the first 4 hex digits (16 bits) of its hash


@dataclass
class Denylist:
    """Terms that must never appear: hashed ones from the repository, clear ones from outside it.

    Each term also has a short "start": 16 bits of the hash of its first word. A text's words are
    hashed one by one (each distinct word once), and only where a word's start is on the list are
    the longer phrases from it hashed too, instead of up to six hashes at every word. So few bits
    tell a guesser almost nothing that the full hashes do not already tell."""

    salt: bytes = b""
    hashes: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)  # hash -> where the term came from
    starts: set[str] | None = field(default_factory=set)  # None: a file without starts, so try every phrase
    _starting: set[str] = field(default_factory=set, repr=False, compare=False)  # words seen, by result
    _not_starting: set[str] = field(default_factory=set, repr=False, compare=False)

    def digest(self, words: list[str]) -> str:
        return hmac.new(self.salt, " ".join(words).encode("utf-8"), hashlib.sha256).hexdigest()

    def start(self, word: str) -> str:
        return self.digest([word])[:START_HEX]

    def add_clear(self, term: str, source: str) -> None:
        words = normalise(term)
        if words:
            h = self.digest(words)
            self.hashes.add(h)
            self.sources.setdefault(h, source)
            if self.starts is not None:
                self.starts.add(self.start(words[0]))
                self._not_starting.discard(words[0])

    def find(self, text: str) -> list[tuple[int, str]]:
        """(character offset, source) of every denylisted phrase in the text."""
        if not self.hashes:
            return []
        folded = _fold(text)
        if self.starts is not None and not self._could_start(_words(folded)):
            return []  # the common case, settled with set operations on the text's words
        found = []
        tokens = [(m.start(), m.group(0)) for m in _WORD.finditer(folded)]
        words = [w for _, w in tokens]
        for i, word in enumerate(words):
            if self.starts is not None and word not in self._starting:
                continue
            for n in range(1, min(MAX_PHRASE_WORDS, len(words) - i) + 1):
                h = self.digest(words[i:i + n])
                if h in self.hashes:
                    found.append((tokens[i][0], self.sources[h]))
        return found

    def might_match(self, text: str) -> bool:
        """False when no phrase of the text can be on the list (one pass over its words)."""
        if not self.hashes:
            return False
        return self.starts is None or self._could_start(_words(_fold(text)))

    def _could_start(self, words: list[str]) -> bool:
        """Whether any of the words is hashed to a listed start; each distinct word is hashed once."""
        distinct = set(words)
        for word in distinct - self._not_starting - self._starting:
            (self._starting if self.start(word) in self.starts else self._not_starting).add(word)
        return not distinct.isdisjoint(self._starting)


_WORD = re.compile(r"[^\W_]+")
# For ASCII text, _WORD's words are the runs of letters and digits: str.split finds them quicker
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def _words(folded: str) -> list[str]:
    return folded.translate(_ASCII_SEPARATORS).split() if folded.isascii() else _WORD.findall(folded)


def _fold(text: str) -> str:
    """Case and accent folding that keeps one character per character, so offsets stay true."""
    if text.isascii():
        return text.lower()  # the same as below for ASCII, and far quicker
    return "".join(unicodedata.normalize("NFKD", c)[0] for c in text).casefold()


def load_denylist(briefings: Path, environ=os.environ) -> tuple[Denylist, list[Problem]]:
    """The repository's hashed list, plus clear lists from a file or variable outside it (CI secrets)."""
    denylist = Denylist()
    problems: list[Problem] = []
    path = briefings / DENYLIST_FILE
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            denylist.salt = bytes.fromhex(data["salt"])
            for h in data.get("hashes") or []:
                denylist.hashes.add(str(h))
                denylist.sources[str(h)] = f"a hashed entry in briefings/{DENYLIST_FILE}"
            starts = data.get("starts")
            # a file written before starts were kept has none: then every phrase is hashed
            denylist.starts = {str(s) for s in starts or []} if "starts" in data else None
        except (yaml.YAMLError, KeyError, ValueError, TypeError, AttributeError):
            problems.append(Problem(f"briefings/{DENYLIST_FILE}", 1, "",
                                    "cannot be read; restore it from git, or delete it and add the terms "
                                    "again with `python -m generator deny`"))
    outside = environ.get("BRIEFINGS_DENYLIST_FILE")
    if outside:
        try:
            for line in Path(outside).read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    denylist.add_clear(line, "the list in BRIEFINGS_DENYLIST_FILE")
        except OSError as exc:
            problems.append(Problem(outside, 0, "", f"the denylist file cannot be read ({exc.strerror})"))
    for line in re.split(r"[\n;]", environ.get("BRIEFINGS_DENYLIST", "")):
        denylist.add_clear(line, "the list in BRIEFINGS_DENYLIST")
    return denylist, problems


def add_to_denylist(briefings: Path, term: str) -> bool:
    """Store the hash of a term; False when it was already there. Creates the file and its salt."""
    words = normalise(term)
    if not words or len(words) > MAX_PHRASE_WORDS:
        raise ValueError(f"give a term of 1 to {MAX_PHRASE_WORDS} words")
    path = briefings / DENYLIST_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    data = data or {"salt": secrets.token_hex(16), "hashes": [], "starts": []}
    hashing = Denylist(salt=bytes.fromhex(data["salt"]))
    digest = hashing.digest(words)
    if digest in data["hashes"]:
        return False
    had_starts = "starts" in data or not data["hashes"]  # else the file predates starts
    data["hashes"] = sorted(set(data["hashes"]) | {digest})
    if had_starts:
        data["starts"] = sorted(set(data.get("starts") or []) | {hashing.start(words[0])})
    header = ("# Hashes of names and other identifying terms that must never appear in a review.\n"
              "# Add a term with: python -m generator deny \"Term\". Do not edit by hand.\n"
              "# The hashes hide the terms from a casual reader, but a short name can be found by\n"
              "# trying a list of names: keep the real list of terms somewhere private too.\n")
    path.write_text(header + yaml.safe_dump(data, sort_keys=True), encoding="utf-8")
    return True


# ---------------------------------------------------------------- detectors

MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_PATTERNS = {
    "date-of-birth": re.compile(
        rf"\b(?:d\.?o\.?b\b\.?|date of birth|born\s+(?:on\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\s+\d{{4}}|"
        rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}))", re.I),
    "postcode": re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b"),
    "phone-number": re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)"),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    "nhs-number": re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)"),
    "ni-number": re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b",
                            re.I),
}
_MESSAGES = {
    "date-of-birth": "looks like a date of birth; a child's date of birth must never be published, so remove it",
    "postcode": "looks like a postcode; an address can identify a family, so remove it",
    "phone-number": "looks like a phone number; remove it, or give the partnership's contact address instead",
    "email": "is an email address that is not one of the site's contact addresses (contact_addresses in "
             "briefings/_site.yml); remove it or add it there",
    "nhs-number": "looks like an NHS number; remove it",
    "ni-number": "looks like a National Insurance number; remove it",
}


def nhs_number_is_valid(digits: str) -> bool:
    """The modulus 11 check: a 10-digit number passing it is very likely an NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


# Every detector needs a digit or an @, except "DOB" and "date of birth": most texts have none of
# these, and two quick searches settle them
_DIGIT_OR_AT = re.compile(r"[\d@]")
_DOB = re.compile(r"d\.?o\.?b|date of birth")


def _could_identify(text: str) -> bool:
    return bool(_DIGIT_OR_AT.search(text) or _DOB.search(text.lower()))


def detect(text: str, contact_addresses: set[str]) -> list[tuple[int, str]]:
    """(character offset, detector) for each identifying detail found."""
    if not _could_identify(text):
        return []
    found = []
    for name, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group(0)
            if name == "email" and value.lower() in contact_addresses:
                continue
            if name == "nhs-number" and not nhs_number_is_valid(re.sub(r"\D", "", value)):
                continue
            if name == "phone-number" and nhs_number_is_valid(re.sub(r"\D", "", value)):
                continue  # reported once, as an NHS number
            found.append((match.start(), name))
    return found


def _text_line(doc: Document, path: tuple, offset: int) -> int:
    """The line of a character in a scalar: exact for literal blocks and plain lines."""
    start = doc.line(path)
    style = doc.styles.get(path)
    text = doc.raw.get(path, "")
    newlines = text.count("\n", 0, offset)
    if style == "|":
        return start + 1 + newlines
    if style in (">",):
        return start + 1
    return start + newlines


def check_privacy(doc: Document, denylist: Denylist, contact_addresses: set[str]) -> list[Problem]:
    allowed = _allowances(doc)
    problems = []
    texts = [(path, text) for path, text in doc.raw.items() if not (path and path[0] == "privacy_allow")]
    # one look at all the file's words settles the denylist for most files; then only texts that
    # could hold a detail (a digit, an @, "DOB") are examined one by one
    denied = denylist.might_match(" ".join(text for _, text in texts))
    suspects = [(path, text) for path, text in texts if denied or _could_identify(text)]
    for path, text in sorted(suspects, key=lambda item: doc.line(item[0])):
        where = dotted(path)
        for offset, source in denylist.find(text) if denied else ():
            problems.append(Problem(doc.file, _text_line(doc, path, offset), where,
                                    f"contains a term on the denylist ({source}); remove it, or use the "
                                    "published pseudonym instead"))
        for offset, name in detect(text, contact_addresses) if path != ("id",) else ():
            if (name, where) in allowed or any(name == n and where.startswith(f + ".") or
                                               name == n and where.startswith(f + "[") for n, f in allowed):
                continue
            problems.append(Problem(doc.file, _text_line(doc, path, offset), where,
                                    f"{_MESSAGES[name]} (if it is safe to publish, allow it for this field "
                                    f"under 'privacy_allow:' with check: {name})"))
    return problems


def _allowances(doc: Document) -> set[tuple[str, str]]:
    items = doc.data.get("privacy_allow") if isinstance(doc.data, dict) else None
    return {(a.get("check"), a.get("field")) for a in items or [] if isinstance(a, dict)}
