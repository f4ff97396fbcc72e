"""Privacy checks on every text the site publishes: a hashed denylist of identifying terms, and
detectors for dates of birth, postcodes, phone numbers, email addresses, NHS and National
Insurance numbers.

Terms and texts are compared as a reader sees them, in one normal form (`fold`): Unicode NFKC,
format characters (soft hyphens, zero-width spaces, joiners, BOMs) removed, combining marks
dropped, look-alike Cyrillic and Greek letters mapped to the Latin letter they imitate (the
Unicode TR39 confusables, from confusable-homoglyphs), and case folded. Markdown links, HTML tags
and entities are taken out first (`visible`), so "[Jor](x)dan" reads "Jordan".

A term matches where the letters of a run of whole words, joined, equal the term's letters
joined: "Jordan Smithson", "JordanSmithson", "jordan-smithson-2019", "Jor*dan* Smith-son" all
read "jordansmithson". Each term is also stored as initial plus surname ("J. Smithson"),
surname first ("Smithson, Jordan") and with a final s (plural, possessive).

The denylist stores only keyed hashes (HMAC-SHA256 with a salt kept in the same file) of each
form, so the list can be committed without showing the names in it. That hides the terms from
a casual reader; it does not stop someone with a list of likely names from testing each one
against the hashes, because the salt is in the repository too.
"""
from __future__ import annotations

import bisect
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

import yaml

from generator.load.documents import Document, dotted
from generator.load.problems import Problem, Severity
from generator.speed.fingerprint import digest

DENYLIST_FILE = "_denylist.yml"
FORMAT = 2             # version 1 files hashed each term's words with spaces, as written
MAX_PHRASE_WORDS = 6   # version 1 only: its phrases were tried up to this many words
PREFIX = 4             # a form's first 4 letters are kept as a 16-bit hash, its "start"
START_HEX = 4


# ---------------------------------------------------------------- the text a reader sees

class _Skeleton(dict):
    """Each non-ASCII letter that looks like an ASCII letter or digit (TR39 confusables), mapped to it."""

    def __init__(self):
        from confusable_homoglyphs.confusables import confusables_data

        super().__init__()
        for char, glyphs in confusables_data.items():
            if len(char) == 1 and not char.isascii():
                plain = sorted(g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum())
                if plain:
                    self[char] = min(plain, key=lambda c: (not c.isalpha(), c))


class _CharFold(dict):
    """One character in the normal form, worked out once: NFKD, no format characters, no marks,
    look-alikes mapped (case kept, so that the skeleton sees capitals and camelCase still splits)."""

    skeleton: _Skeleton | None = None

    def __missing__(self, char: str) -> str:
        if _CharFold.skeleton is None:
            _CharFold.skeleton = _Skeleton()
        if unicodedata.category(char) == "Cf":
            folded = ""
        else:
            parts = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.category(c).startswith("M")]
            folded = "".join(_CharFold.skeleton.get(c, c) for c in parts).replace("\n", " ")
        self[char] = folded if char != "\n" else "\n"
        return self[char]


_CHARS = _CharFold()
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")  # runs of letters, runs of digits: "Smithson2019" is two words


def fold(text: str) -> str:
    """The normal form, with the same number of newlines as the text (so lines can be counted)."""
    if not text.isascii():
        text = "".join(map(_CHARS.__getitem__, text))
    if _CAMEL.search(text):
        text = _CAMEL.sub(" ", text)  # "JordanSmithsonReview" is three words
    return text.lower() if text.isascii() else text.casefold()


_MARKUP_HINT = re.compile(r"[\[<&\\]")
# bounded repeats and classes that stop at the next delimiter keep every search linear in the text
_MARKUP = re.compile(
    r"\[([^\[\]\n]{0,1000})\]\(([^()\s]{0,2000})(?:\s{1,10}\"[^\"\n]{0,500}\")?\)"  # [text](url "title")
    r"|\[([^\[\]\n]{0,1000})\]\[[^\[\]\n]{0,200}\]"                               # [text][ref]
    r"|<([^<>\n]{1,2000})>"                                                        # an HTML tag
    r"|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{1,32});"                        # an entity
    r"|\\([!-/:-@\[-`{-~])")                                                       # a backslash escape


def visible(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text as read, and what is published but not read in it (link addresses, tags), each
    with the number of newlines before it."""
    if not _MARKUP_HINT.search(text):
        return text, []
    shown, hidden, last, lines = [], [], 0, 0
    for m in _MARKUP.finditer(text):
        shown.append(text[last:m.start()])
        lines += text.count("\n", last, m.start())
        last = m.end()
        link, url, ref, tag, escaped = m.groups()
        if url is not None:
            shown.append(link)
            hidden.append((lines, url))
        elif ref is not None:
            shown.append(ref)
        elif tag is not None:
            hidden.append((lines, tag))
        elif escaped is not None:
            shown.append(escaped)
        else:
            shown.append(html.unescape(m.group(0)).replace("\n", " "))
    shown.append(text[last:])
    return "".join(shown), hidden


def reader_texts(text: str) -> list[tuple[int, str]]:
    """The folded texts to compare, each with the number of newlines before it in the original."""
    shown, hidden = visible(text)
    return [(0, fold(shown))] + [(lines, fold(part)) for lines, part in hidden]


def words(text: str) -> list[str]:
    """The words of a text in the normal form."""
    return [w for _, t in reader_texts(text) for w in _TOKEN.findall(t)]


normalise = words  # the old name


def term_forms(term: str) -> set[str]:
    """The joined letters of a term, and of the forms a full name also takes: initials plus
    surname, surname first, surname and initial; each also with a final s (plural, possessive).
    A place ("Drummond Primary School", "Oak Lane") takes no name's forms: "School D" is how
    reviews name a school they do not name, and "at school. D said" is not a school's name."""
    parts = words(term)
    if not parts:
        return set()
    forms = {"".join(parts)}
    if len(parts) > 1 and parts[-1] not in _PLACE_WORDS:
        fore, last = parts[:-1], parts[-1]
        forms |= {last + "".join(fore), last + fore[0]}
        if len(fore) > 1:
            forms.add("".join(w[0] for w in fore) + last)  # "J. A. Smithson"
        if fore[0][0] not in _ONE_LETTER_WORDS:  # "Abernethy School" is not "a school"
            forms |= {fore[0][0] + last, last + fore[0][0]}
    return forms | {f + "s" for f in forms}


_ONE_LETTER_WORDS = set("aio")
# The last word of a school's, a service's or a street's name, in the normal form
_PLACE_WORDS = frozenset("""school academy college nursery preschool university centre center surgery practice
    hospital clinic church chapel mosque temple home house hall unit ward
    road street lane avenue close drive way court crescent place estate park gardens terrace square grove
    hill rise view walk row mews green parade gate""".split())


# ---------------------------------------------------------------- the denylist

@dataclass
class Denylist:
    """Terms that must never appear: hashed ones from the repository, clear ones from outside it.

    Each form of a term also has a "start": 16 bits of the hash of its first 4 letters. A text
    is settled with one set of the 4 letters at each of its word starts, each distinct one hashed
    once; only where a start is listed are the joined runs of words from there hashed in full."""

    salt: bytes = b""
    keys: set[str] = field(default_factory=set)          # hashes of every form of every term
    starts: set[str] = field(default_factory=set)        # 16-bit starts of the forms
    short: set[int] = field(default_factory=set)         # lengths of forms under PREFIX letters
    longest: int = 0                                     # letters in the longest form
    legacy: set[str] = field(default_factory=set)        # version 1 hashes: words with spaces
    legacy_starts: set[str] | None = field(default_factory=set)  # None: version 1 file without starts
    sources: dict[str, str] = field(default_factory=dict)  # hash -> where the term came from
    _gates: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    _hashed: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    _legacy_gates: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    @property
    def hashes(self) -> set[str]:
        return self.keys | self.legacy

    def digest(self, text: str) -> str:
        return hmac.new(self.salt, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def start(self, letters: str) -> str:
        return self.digest(letters[:PREFIX])[:START_HEX]

    def add_form(self, digest: str, start: str, length: int, source: str) -> None:
        self.keys.add(digest)
        self.starts.add(start)
        self.longest = max(self.longest, length)
        if length < PREFIX:
            self.short.add(length)
        self.sources.setdefault(digest, source)
        self._gates.clear()

    def add_clear(self, term: str, source: str) -> None:
        for form in term_forms(term):
            self.add_form(self.digest(form), self.start(form), len(form), source)

    def find(self, text: str) -> list[tuple[int, str]]:
        """(newlines before it, source) of every denylisted term in the text."""
        if not self.keys and not self.legacy:
            return []
        found = []
        for lines, folded in reader_texts(text):
            tokens = _TOKEN.findall(folded)
            hits = self._joined(tokens) + self._legacy(tokens)
            if hits:
                offsets, where = [m.start() for m in _TOKEN.finditer(folded)], _Lines(folded)
                found += [(lines + where.before(offsets[i]), source) for i, source in hits]
        return sorted(set(found))

    def might_match(self, text: str) -> bool:
        """False when no term of the list can be in the text (settled with set operations)."""
        if not self.keys and not self.legacy:
            return False
        for _, folded in reader_texts(text):
            tokens = _TOKEN.findall(folded)
            if self._open(tokens)[0] or self.legacy and self._legacy_open(tokens):
                return True
        return False

    def find_words(self, single: list[str]) -> list[str]:
        """The sources of the listed terms among single words (a search index's words)."""
        if not self.keys:
            return []
        found = []
        for word in set(single):
            letters = "".join(_TOKEN.findall(fold(word)))
            if letters and (self._gate(letters[:PREFIX]) or len(letters) in self.short and self._gate(letters)):
                found += [self._hash(letters)] if self._hash(letters) else []
        return found

    def _gate(self, letters: str) -> bool:
        if letters not in self._gates:
            self._gates[letters] = self.start(letters) in self.starts
        return self._gates[letters]

    def _open(self, tokens: list[str]) -> tuple[set[str], str, list[int]]:
        """The 4-letter starts of the text that are listed, with the joined letters and word ends."""
        if not self.keys or not tokens:
            return set(), "", []
        joined = "".join(tokens)
        ends = list(accumulate(map(len, tokens)))
        begins = [0, *ends[:-1]]
        starts = {joined[b:b + PREFIX] for b in begins}
        if self.short:  # a form shorter than PREFIX letters ends at a word's end within them
            ending = set(ends)
            starts |= {joined[b:b + n] for b in begins for n in self.short if b + n in ending}
        return {s for s in starts if self._gate(s)}, joined, ends

    def _joined(self, tokens: list[str]) -> list[tuple[int, str]]:
        """(word index, source) where the joined letters of a run of words from there are listed."""
        listed, joined, ends = self._open(tokens)
        if not listed:
            return []
        # where a listed start begins a word: one search of the joined letters finds them all
        index = {end - len(token): i for i, (token, end) in enumerate(zip(tokens, ends))}
        pattern = re.compile("(?=(?:" + "|".join(map(re.escape, sorted(listed))) + "))")
        found = []
        for begin in sorted({m.start() for m in pattern.finditer(joined)} & index.keys()):
            i = index[begin]
            for j in range(i, len(ends)):
                if ends[j] - begin > self.longest:
                    break
                source = self._hash(joined[begin:ends[j]])
                if source:
                    found.append((i, source))
                    break
        return found

    def _hash(self, letters: str) -> str | None:
        if letters not in self._hashed:
            if len(self._hashed) > 200_000:
                self._hashed.clear()
            digest = self.digest(letters)
            self._hashed[letters] = self.sources.get(digest, "a hashed entry") if digest in self.keys else None
        return self._hashed[letters]

    def _legacy_start(self, word: str) -> bool:
        if word not in self._legacy_gates:
            self._legacy_gates[word] = self.digest(word)[:START_HEX] in self.legacy_starts
        return self._legacy_gates[word]

    def _legacy_open(self, tokens: list[str]) -> bool:
        return self.legacy_starts is None or any(map(self._legacy_start, set(tokens)))

    def _legacy(self, tokens: list[str]) -> list[tuple[int, str]]:
        """A version 1 file: phrases of up to MAX_PHRASE_WORDS words, hashed with spaces."""
        if not self.legacy or not self._legacy_open(tokens):
            return []
        found = []
        for i, word in enumerate(tokens):
            if self.legacy_starts is not None and not self._legacy_start(word):
                continue
            for n in range(1, min(MAX_PHRASE_WORDS, len(tokens) - i) + 1):
                digest = self.digest(" ".join(tokens[i:i + n]))
                if digest in self.legacy:
                    found.append((i, self.sources.get(digest, "a hashed entry")))
        return found

    def file_data(self) -> dict:
        """What briefings/_denylist.yml holds: hashes only, never a term."""
        data = {"format": FORMAT, "salt": self.salt.hex(), "keys": sorted(self.keys),
                "starts": sorted(self.starts), "short": sorted(self.short), "longest": self.longest}
        if self.legacy:
            data["hashes"] = sorted(self.legacy)
            if self.legacy_starts is not None:
                data["legacy_starts"] = sorted(self.legacy_starts)
        return data

    def fingerprint(self) -> str:
        """Everything a file's findings depend on, as one hash (a cache of checked files is keyed
        by it): the hashes and their starts, and where each term came from, which the message says."""
        return digest(json.dumps(self.file_data(), sort_keys=True), json.dumps(sorted(self.sources.items())))


_HASHED_SOURCE = f"a hashed entry in briefings/{DENYLIST_FILE}"


def _read_denylist_file(path: Path) -> Denylist:
    """A version 2 file, or a version 1 file (hashes of words with spaces, optional starts)."""
    # libyaml's loader where there is one: Python's took a sixth of a second on a list of 170 terms,
    # a fifth of a whole check of 1,000 reviews whose checks come from .cache/checked
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    denylist = Denylist(salt=bytes.fromhex(data["salt"]))
    if data.get("format", 1) >= 2:
        denylist.keys = {str(h) for h in data.get("keys") or []}
        denylist.starts = {str(s) for s in data.get("starts") or []}
        denylist.short = {int(n) for n in data.get("short") or []}
        denylist.longest = int(data.get("longest") or 0)
        legacy_starts = data.get("legacy_starts")
        denylist.legacy_starts = {str(s) for s in legacy_starts} if legacy_starts is not None else None
    else:  # version 1 kept its starts under "starts"; without them every phrase is hashed
        denylist.legacy_starts = {str(s) for s in data.get("starts") or []} if "starts" in data else None
    denylist.legacy = {str(h) for h in data.get("hashes") or []}
    for h in denylist.hashes:
        denylist.sources[h] = _HASHED_SOURCE
    return denylist


def load_denylist(briefings: Path, environ=os.environ) -> tuple[Denylist, list[Problem]]:
    """The repository's hashed list, plus clear lists from a file or variable outside it (CI secrets)."""
    denylist = Denylist()
    problems: list[Problem] = []
    path = briefings / DENYLIST_FILE
    if path.exists():
        try:
            denylist = _read_denylist_file(path)
        except (yaml.YAMLError, KeyError, ValueError, TypeError, AttributeError):
            problems.append(Problem(f"briefings/{DENYLIST_FILE}", 1, "",
                                    "cannot be read; restore it from git, or delete it and add the terms "
                                    "again with `python -m generator deny`"))
        if denylist.legacy:
            problems.append(Problem(
                f"briefings/{DENYLIST_FILE}", 1, "",
                f"{len(denylist.legacy)} term(s) were added by an older version and are found only as whole "
                "words in order, not run together, as initials or surname first: add each again with "
                "`python -m generator deny \"Term\"` to upgrade it", Severity.WARNING))
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
    """Store the hashes of a term's forms; False when it was already there. Creates the file and
    its salt; upgrades a term stored by version 1 (its old hash is dropped)."""
    forms = term_forms(term)
    if not forms:
        raise ValueError("give a term with at least one letter or digit")
    path = briefings / DENYLIST_FILE
    denylist = _read_denylist_file(path) if path.exists() else Denylist(salt=secrets.token_bytes(16))
    digests = {form: denylist.digest(form) for form in forms}
    old = denylist.digest(" ".join(words(term)))
    if set(digests.values()) <= denylist.keys and old not in denylist.legacy:
        return False
    denylist.legacy.discard(old)
    for form, digest in digests.items():
        denylist.add_form(digest, denylist.start(form), len(form), "")
    header = ("# Hashes of names and other identifying terms that must never appear on the site.\n"
              "# Add a term with: python -m generator deny \"Term\". Do not edit by hand.\n"
              "# The hashes hide the terms from a casual reader, but a short name can be found by\n"
              "# trying a list of names: keep the real list of terms somewhere private too.\n")
    path.write_text(header + yaml.safe_dump(denylist.file_data(), sort_keys=True), encoding="utf-8")
    return True


# ---------------------------------------------------------------- detectors
# Each runs on folded text (lower case, NFKC, no format characters), with bounded repeats so that
# every search is linear in the text.

MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d{2}"
_S = r"[\s,.]{1,3}"  # between the parts of a written date
_DATE = (rf"(?:(?:the\s{{1,3}})?{_DAY}(?:\s{{1,3}}of)?{_S}{MONTHS}\.?{_S}{_YEAR}"  # 3rd of april 2009
         rf"|{MONTHS}\.?{_S}{_DAY}{_S}{_YEAR}"                                  # april 3rd, 2009
         rf"|{MONTHS}\.?\s{{1,3}}{_YEAR}"                                       # april 2009
         r"|\d{1,2}\s{0,2}[/.-]\s{0,2}\d{1,2}\s{0,2}[/.-]\s{0,2}\d{2,4}"       # 03/04/2009
         r"|\d{4}\s{0,2}[/.-]\s{0,2}\d{1,2}\s{0,2}[/.-]\s{0,2}\d{1,2})\b")     # 2009-04-03
# the UK's postcode areas: "y6 2nd" is not a postcode, "m6 2nd" would be
_AREAS = ("ab al b ba bb bd bf bh bl bn br bs bt bx ca cb cf ch cm co cr ct cv cw da dd de dg dh dl dn dt dy "
          "e ec eh en ex fk fy g gl gu gy ha hd hg hp hr hs hu hx ig im ip iv je ka kt kw ky l la ld le ll ln "
          "ls lu m me mk ml n ne ng nn np nr nw ol ox pa pe ph pl po pr rg rh rm s sa se sg sk sl sm sn so sp "
          "sr ss st sw sy ta td tf tn tq tr ts tw ub w wa wc wd wf wn wr ws wv yo ze").split()
_AREAS = set(_AREAS)
_DOB_WORDS = r"(?:\bd\W{0,3}o\W{0,3}b\b|\bdate\W{1,3}of\W{1,3}birth)"
_DOB_MENTION = re.compile(_DOB_WORDS)  # "her DOB was recorded": flagged in a review, not on a help page
_LOCAL = r"(?<![\w.+-])[\w.+-]{1,64}"
_LABEL = r"[\w-]{1,63}"
_PATTERNS = {
    "date-of-birth": re.compile(
        rf"(?:{_DOB_WORDS}\W{{0,3}}(?:(?:was|is|of|on)\s{{1,3}})?|\bborn\s{{1,3}}(?:on\s{{1,3}}|in\s{{1,3}})?|\bb\.\s{{0,3}}){_DATE}"),
    "postcode": re.compile(r"\b(?:gir\s{0,2}0aa|([a-z]{1,2})\d[a-z\d]?(?:[ \t]{0,2}|-)\d[abd-hjlnp-uw-z]{2})\b"),
    "phone-number": re.compile(r"(?<![\w+.-])(?:(?:\+|00)[ \t]?44[ \t]?(?:\(0\)[ \t]?)?|\(?0)(?:\d\)?[ \t.-]{0,2}){9,10}(?!\d)"),
    "email": re.compile(
        rf"{_LOCAL}\s{{0,3}}@\s{{0,3}}{_LABEL}(?:\.{_LABEL}){{1,6}}"
        rf"|{_LOCAL}\s{{0,3}}[\[({{]\s{{0,2}}at\s{{0,2}}[\])}}]\s{{0,3}}{_LABEL}"
        rf"(?:(?:\.|\s{{0,3}}[\[({{]\s{{0,2}}dot\s{{0,2}}[\])}}]\s{{0,3}}|\s{{1,3}}dot\s{{1,3}}){_LABEL}){{1,6}}"
        rf"|{_LOCAL}\s{{1,3}}at\s{{1,3}}{_LABEL}(?:\s{{1,3}}dot\s{{1,3}}{_LABEL}){{1,6}}"),
    "nhs-number": re.compile(r"(?<![\d.-])\d{3}[ \t.-]{0,2}\d{3}[ \t.-]{0,2}\d{4}(?![\d]|[.-]\d)"),
    "ni-number": re.compile(r"\b(?!bg|gb|nk|kn|tn|nt|zz)[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z]"
                            r"(?:[ \t.-]{0,2}\d{2}){3}[ \t.-]{0,2}[a-d]\b"),
}
DETECTOR_NAMES = {"date-of-birth": "a date of birth", "postcode": "a postcode", "phone-number": "a phone number",
                  "email": "an email address", "nhs-number": "an NHS number", "ni-number": "a National Insurance number"}
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


# Every detector needs a digit, an @ or one of a few words: most texts have none, and one search
# settles them (on the folded text when it is not plain ASCII: fullwidth digits, look-alikes)
_HINT = re.compile(r"[\d@]|\bd\W{0,3}o\W{0,3}b\b|\bdate\W{1,3}of\W{1,3}birth|\bdot\b|[\[({]\s{0,2}at\s{0,2}[\])}]", re.I)
# a UK number is written from a 0, +44 or 0044 (perhaps in brackets): only such runs are read
_PHONE_HINT = re.compile(r"(?<![\w.-])(?:\+|\(?0)(?:[ \t().+-]{0,3}\d){9,16}\)?")
# what each detector's text must hold, searched for first: most texts hold none of it
# (searches that start from a literal or a small set of characters are the quick ones)
_RUN = re.compile(r"\d[\d \t.()+-]{8,}")
_NEEDS = {"date-of-birth": re.compile(r"born|birth|b\.|d\W{0,3}o\W{0,3}b"),
          "postcode": re.compile(r"\d[a-z]{2}\b"),
          "phone-number": _RUN,
          "nhs-number": _RUN,
          "ni-number": re.compile(r"\d\d[ \t.-]{0,2}[a-d]\b")}
# an address is looked for only near an @, a bracketed "at" or the word "dot"
_EMAIL_ANCHOR = re.compile(r"@|[\[({]\s{0,2}at\s{0,2}[\])}]|dot\b")
_AT = re.compile(r"\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+|\s*@\s*")
_DOT = re.compile(r"\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+|\s*\.\s*")


def _could_identify(text: str) -> bool:
    return bool(_HINT.search(text if text.isascii() else fold(text)))


def _email(written: str) -> str:
    """An address as it would be typed: 'name at gmail dot com' is name@gmail.com."""
    local, domain = _AT.split(written, maxsplit=1)
    return f"{local.strip()}@{'.'.join(_DOT.split(domain.strip()))}"


def _phones(folded: str) -> list[tuple[int, str]]:
    """(offset, text) of UK phone numbers, as Google's libphonenumber finds them in running text;
    it reads only the runs of 9 digits or more, which is much quicker than reading all the text."""
    import phonenumbers

    found = []
    for run in _PHONE_HINT.finditer(folded):
        start = max(0, run.start() - 8)
        window = folded[start:run.end() + 2]
        found += [(start + m.start, m.raw_string) for m in phonenumbers.PhoneNumberMatcher(window, "GB")]
    return found


def _canonical(name: str, value: str) -> str:
    """A detail as one value, however it is written: digits of a number, letters of a code."""
    if name == "email":
        return _email(value)
    if name == "phone-number":
        digits = re.sub(r"\D", "", value)
        digits = digits[4:] if digits.startswith("0044") else digits[2:] if digits.startswith("44") else digits
        return digits.lstrip("0")
    return re.sub(r"[\W_]", "", value)


def _near_anchors(pattern: re.Pattern, folded: str):
    """The matches of the email pattern, searched for only in windows around its anchors."""
    # an address holds its anchor within 150 characters of its start and 600 of its end; a window
    # reaches 2,000 characters past the anchor that opens it, so anchors close together share one
    seen, covered = set(), -1
    for anchor in _EMAIL_ANCHOR.finditer(folded):
        if anchor.end() + 600 <= covered:
            continue
        covered = anchor.end() + 2600
        for match in pattern.finditer(folded, max(0, anchor.start() - 150), covered):
            if match.start() not in seen:
                seen.add(match.start())
                yield match


def _detect_folded(folded: str, contact_addresses: set[str]) -> list[tuple[int, str, str]]:
    found, phones = [], []
    for name, pattern in _PATTERNS.items():
        if name in _NEEDS and not _NEEDS[name].search(folded):
            continue
        for match in (_near_anchors(pattern, folded) if name == "email" else pattern.finditer(folded)):
            if name == "postcode" and match.group(1) and match.group(1) not in _AREAS:
                continue  # "y6 2nd" is not a postcode: there is no area Y
            digits = re.sub(r"\D", "", match.group(0))
            if name == "email" and _email(match.group(0)) in contact_addresses:
                continue
            if name == "nhs-number" and (not nhs_number_is_valid(digits) or _inside(phones, match.start())):
                continue  # not one, or the end of a phone number ("+44 116 454 1234")
            if name == "phone-number":
                if nhs_number_is_valid(digits):
                    continue  # reported once, as an NHS number
                phones.append(match.span())  # in order: finditer goes left to right
            found.append((match.start(), name, _canonical(name, match.group(0))))
    found += [(offset, "phone-number", _canonical("phone-number", raw)) for offset, raw in _phones(folded)
              if not _inside(phones, offset)]
    return found


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether offset falls in one of spans (in order, not overlapping): a search, not a scan,
    so that a text full of numbers is still read in linear time."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


class _Lines:
    """The line of an offset in a text, by a search over where its line breaks are."""

    def __init__(self, text: str):
        self.breaks = [m.start() for m in re.finditer("\n", text)]

    def before(self, offset: int) -> int:
        return bisect.bisect_left(self.breaks, offset)


def detect_values(text: str, contact_addresses: set[str], mentions: bool = False) -> list[tuple[int, str, str]]:
    """(newlines before it, detector, the detail as one value) for each identifying detail found.
    With mentions, "DOB" or "date of birth" without a date counts too (in a review it introduces
    one; on a help page it does not)."""
    if not _could_identify(text):
        return []
    found = set()
    for lines, folded in reader_texts(text):
        spotted = _detect_folded(folded, contact_addresses)
        if mentions:
            spotted += [(m.start(), "date-of-birth", "") for m in _DOB_MENTION.finditer(folded)]
        where = _Lines(folded) if spotted else None
        for offset, name, value in spotted:
            found.add((lines + where.before(offset), name, value))
    return sorted(found)


def detect(text: str, contact_addresses: set[str], mentions: bool = True) -> list[tuple[int, str]]:
    """(newlines before it, detector) for each identifying detail found."""
    return sorted({(lines, name) for lines, name, _ in detect_values(text, contact_addresses, mentions)})


def published_addresses(site: object) -> set[str]:
    """The addresses _site.yml publishes (contact_email and contact_addresses), lower-cased. Read
    from the file's data, not Settings: a _site.yml with another mistake in it has no Settings, and
    its own addresses must still not be reported as identifying detail on top of that mistake."""
    if not isinstance(site, dict):
        return set()
    listed = site.get("contact_addresses") if isinstance(site.get("contact_addresses"), list) else []
    return {a.lower() for a in [site.get("contact_email"), *listed] if isinstance(a, str)}


def check_privacy(doc: Document, denylist: Denylist, contact_addresses: set[str]) -> list[Problem]:
    allowed = _allowances(doc)
    problems = []
    texts = [(path, text) for path, text in doc.raw.items() if not (path and path[0] == "privacy_allow")]
    # one look at all the file's words settles the denylist for most files; then only texts that
    # could hold a detail (a digit, an @, "DOB") are examined one by one
    denied = denylist.might_match("\n".join(text for _, text in texts))
    suspects = [(path, text) for path, text in texts if denied or _could_identify(text)]
    for path, text in sorted(suspects, key=lambda item: doc.line(item[0])):
        where = dotted(path)
        for newlines, source in denylist.find(text) if denied else ():
            problems.append(Problem(doc.file, doc.line_in(path, newlines), where,
                                    f"contains a term on the denylist ({source}); remove it, or use the "
                                    "published pseudonym instead"))
        for newlines, name in detect(text, contact_addresses) if path != ("id",) else ():
            if (name, where) in allowed or any(name == n and where.startswith(f + ".") or
                                               name == n and where.startswith(f + "[") for n, f in allowed):
                continue
            problems.append(Problem(doc.file, doc.line_in(path, newlines), where,
                                    f"{_MESSAGES[name]} (if it is safe to publish, allow it for this field "
                                    f"under 'privacy_allow:' with check: {name})"))
    return problems


def check_page(file: str, text: str, denylist: Denylist, contact_addresses: set[str]) -> list[Problem]:
    """A hand-written page (docs/*.md): every term and detail, with its line."""
    problems = [Problem(file, 1 + n, "", f"contains a term on the denylist ({source}); remove it")
                for n, source in denylist.find(text)]
    problems += [Problem(file, 1 + n, "", _MESSAGES[name]) for n, name in detect(text, contact_addresses, False)]
    return problems


def check_pages(docs: Path, display: str, denylist: Denylist, contact_addresses: set[str]) -> list[Problem]:
    """Every page in docs/ (display: how to name the folder in a problem, e.g. "docs")."""
    if not docs.is_dir():
        return []
    problems = []
    for path in sorted(p for p in docs.rglob("*") if p.is_file() and p.suffix in (".md", ".markdown", ".html")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(f"{display}/{path.relative_to(docs).as_posix()}", 0, "",
                                    f"cannot be read as UTF-8 text ({exc}), so it cannot be checked"))
            continue
        problems += check_page(f"{display}/{path.relative_to(docs).as_posix()}", text, denylist, contact_addresses)
    return problems


def _allowances(doc: Document) -> set[tuple[str, str]]:
    items = doc.data.get("privacy_allow") if isinstance(doc.data, dict) else None
    return {(a.get("check"), a.get("field")) for a in items or [] if isinstance(a, dict)}
