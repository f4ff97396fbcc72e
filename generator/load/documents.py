"""Load YAML files into plain data, keeping the line of every value so problems can name it.

We build the data from YAML's events ourselves instead of using yaml.safe_load because safe_load
silently keeps the last of two duplicate keys, expands alias bombs, loses line numbers, and drops
text after a ' #' without a word.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.load import yaml_advice
from generator.load.problems import Problem

try:  # libyaml is 30 times faster; the PyPI wheel includes it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

MAX_BYTES = 1_000_000
# A review nests six deep (findings > a finding > its actions > an action > a field); past this
# a file is refused, so nothing after loading meets a deeper structure.
REVIEW_DEPTH = 6
MAX_DEPTH = 10

Path_ = tuple  # a field path such as ("findings", 0, "title")


@dataclass
class Document:
    """One YAML file as plain data, with the line (1-based) of every value and key."""

    file: str
    data: object
    value_lines: dict[Path_, int] = field(default_factory=dict)
    key_lines: dict[Path_, int] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)  # the text of each scalar as written
    styles: dict[Path_, str | None] = field(default_factory=dict)  # '|', '>', quotes or None (plain)
    lost: dict[Path_, tuple[int, str]] = field(default_factory=dict)  # text YAML reads as a note: line, message

    def slim(self) -> None:
        """Once a file's own checks are done, keep only what the checks across files and the model
        read: the data and the lines of the top two levels (a deeper path falls back to them).
        The text as written and the deeper lines are four fifths of a document's memory."""
        self.raw, self.styles, self.lost = {}, {}, {}
        self.value_lines = {p: n for p, n in self.value_lines.items() if len(p) <= 2}
        self.key_lines = {p: n for p, n in self.key_lines.items() if len(p) <= 2}

    def line(self, path: Path_) -> int:
        """The line of a value, or of the nearest enclosing value that has one."""
        path = tuple(path)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            if path in self.value_lines:
                return self.value_lines[path]
            path = path[:-1]
        return self.value_lines.get((), 1)

    def line_in(self, path: Path_, newlines: int) -> int:
        """The line of a text's character that has this many line breaks before it: exact for
        literal blocks ('|') and plain lines, the block's first line for a folded one ('>')."""
        style = self.styles.get(path)
        if style == ">":
            return self.line(path) + 1
        return self.line(path) + newlines + (style == "|")


class _Refused(Exception):
    """The file cannot be trusted (an alias, a merge key, nesting too deep): check no further."""


class _Open:
    """A mapping or list being read: the YAML events arrive one by one, so no recursion is
    needed however deep a file nests (libyaml's own composer crashes the process past some
    tens of thousands of levels, and Python's recursion limit is a thousand)."""

    __slots__ = ("value", "path", "flow", "column", "keep", "key", "drop", "first_line", "key_of")

    def __init__(self, value, path: Path_, flow: bool, column: int, keep: bool, key_of=None):
        self.value, self.path, self.flow, self.column, self.keep = value, path, flow, column, keep
        self.key, self.drop, self.first_line, self.key_of = None, False, {}, key_of


class _Reader:
    """Builds plain data from YAML events, with the line of every value, and notes the places
    where YAML would silently drop what was written (a '#' read as the start of a note)."""

    def __init__(self, file: str, text: str):
        self.doc = Document(file, None)
        self.text = text
        self.problems: list[Problem] = []
        self.stack: list[_Open] = []
        self.plain = None  # (path, end mark, column, flow, style) of the last scalar value: its gap is checked

    def read(self, events) -> int:
        """Read one document's events; the number of documents begun (2 stops the reading)."""
        documents = 0
        for event in events:
            if self.plain is not None:
                self._gap(event.start_mark)
            kind = type(event)
            if kind in _NODES:
                self._node(event)
            elif kind in _ENDS:
                self._close()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    self._second_document(event, events)
        return documents

    def _second_document(self, event, events) -> None:
        try:
            line = next(events).start_mark.line + 1  # the first line of the second document itself
        except (yaml.YAMLError, StopIteration):
            line = event.start_mark.line + 1
        self._refuse(line, "", "the file holds more than one YAML document (a line '---'); keep one review per file")

    def _refuse(self, line: int, field: str, message: str) -> None:
        self.problems.append(Problem(self.doc.file, line, field, message))
        raise _Refused

    def _node(self, event) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.key is None and isinstance(top.value, dict):
            return self._key(event, top)
        if top is None:
            path, keep = (), True
        elif isinstance(top.value, dict):
            path, keep = top.path + (top.key,), top.keep and not top.drop
        else:
            path, keep = top.path + (len(top.value),), top.keep
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            self._refuse(line, _dotted(path), "uses a YAML alias (*name); write the value out in full instead")
        if keep:
            self.doc.value_lines[path] = line
        if isinstance(event, yaml.ScalarEvent):
            self._place(top, self._scalar(event, path, keep))
            if keep and path and event.style in _UNQUOTED:
                flow = top.flow if top else False
                self.plain = (path, event.end_mark, top.column if top else -1, flow, event.style or None)
            return
        if len(self.stack) >= MAX_DEPTH:
            self._refuse(line, _dotted(_named(path)), (
                f"lists or groups of fields are nested more than {MAX_DEPTH} deep here, and a review needs "
                f"{REVIEW_DEPTH} at most; if this is text, put it in quotes or use '>-', else check the "
                "brackets and indentation"))
        value = {} if isinstance(event, yaml.MappingStartEvent) else []
        self._place(top, value)
        flow = bool(event.flow_style) or (top.flow if top else False)
        self.stack.append(_Open(value, path, flow, event.start_mark.column, keep))

    def _key(self, event, top: _Open) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            self._refuse(line, _dotted(top.path), "uses a YAML alias (*name); write the value out in full instead")
        if isinstance(event, yaml.ScalarEvent):
            if _tag(event) == _MERGE:
                self._refuse(line, _dotted(top.path), "uses a YAML merge key (<<); write the fields out in full instead")
            return self._set_key(top, event.value, line)
        # a list or group of fields as a key ('? [a, b]'): read it, keep nothing, and call the key '?'
        if len(self.stack) >= MAX_DEPTH:
            self._refuse(line, _dotted(top.path), f"lists or groups of fields are nested more than {MAX_DEPTH} deep here")
        value = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.stack.append(_Open(value, top.path, bool(event.flow_style) or top.flow, event.start_mark.column,
                                False, key_of=(top, line)))

    def _set_key(self, top: _Open, key: str, line: int) -> None:
        top.key = key
        if key in top.first_line:
            # a duplicate keeps its first value, so the rest of the file can still be checked
            top.drop = True
            if top.keep:
                self.problems.append(Problem(
                    self.doc.file, line, _dotted(top.path + (key,)),
                    f"this field appears twice (first on line {top.first_line[key]}); YAML would keep only "
                    "the last one, so merge them or delete one"))
            return
        top.drop = False
        top.first_line[key] = line
        if top.keep:
            self.doc.key_lines[top.path + (key,)] = line

    def _place(self, top: _Open | None, value) -> None:
        if top is None:
            self.doc.data = value
        elif isinstance(top.value, dict):
            if not top.drop:
                top.value[top.key] = value
            top.key = None
        else:
            top.value.append(value)

    def _close(self) -> None:
        done = self.stack.pop()
        if done.key_of:
            parent, line = done.key_of
            self._set_key(parent, "?", line)

    def _scalar(self, event, path: Path_, keep: bool):
        value, style = event.value, event.style or None
        if keep:
            self.doc.raw[path] = value
            self.doc.styles[path] = style
        if style in ("'", '"', "|", ">"):
            return value
        tag = _tag(event)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() in ("yes", "true", "on", "y")
        if tag == "tag:yaml.org,2002:int":
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        if tag == "tag:yaml.org,2002:float":
            try:
                return float(value.replace("_", ""))
            except ValueError:
                return value
        # timestamps stay text: a date field checks its own format (2020, 2020-04, 2020-04-15)
        return value

    def _gap(self, until: yaml.Mark) -> None:
        """What lies between a value written without quotes and the next thing YAML reads: a '#'
        there starts a note, which YAML drops. On the value's own line, or on a line indented
        into the value (or anywhere inside [ ] or { }), it is most likely the officer's text."""
        path, end, column, flow, style = self.plain
        self.plain = None
        gap = self.text[end.index:until.index]
        if "#" not in gap:
            return
        lines = gap.split("\n")
        if end.column and lines[0].lstrip(" \t,").startswith("#"):  # after the value, on its own line
            if style is None:
                self.doc.lost[path] = (end.line + 1, LOST_SAME_LINE)
            return
        for n, line in enumerate(lines, start=end.line + 1):
            if n == end.line + 1 and end.column:
                continue  # the rest of the value's own line, seen above
            if line.lstrip(" \t,").startswith("#") and (flow or len(line) - len(line.lstrip(" \t")) > column):
                self.doc.lost[path] = (n, LOST_SAME_LINE if style is None else LOST_BLOCK_LINE)
                return


_NODES = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)
_ENDS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_UNQUOTED = ("", None, "|", ">")  # plain and block scalars: a '#' after them may be lost text
_MERGE = "tag:yaml.org,2002:merge"
_RESOLVER = yaml.resolver.Resolver()

# The messages for text YAML would drop; validation.py reports them for text fields only (a note
# after a choice such as 'status: draft  # until signed off' is a note)
LOST_SAME_LINE = "the text after '#' would be lost: put the value in quotes, or use '>-'"
LOST_BLOCK_LINE = ("this line starts with '#' and is indented less than the text above it, so YAML reads "
                   "it as a note and it would be lost: indent it like the text, or move the note above the field")


def _tag(event: yaml.ScalarEvent) -> str:
    if event.tag and event.tag != "!":
        return event.tag
    return _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)


def _named(path: Path_) -> Path_:
    """The path up to its last named field: background, not background[0][0][0]..."""
    while path and isinstance(path[-1], int):
        path = path[:-1]
    return path


def _dotted(path: Path_) -> str:
    """The field as an officer counts: findings[1].title is the first finding's title. Every
    message names a place this way (privacy_allow's `field:` is matched against it too)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


def load_text(file: str, text: str) -> tuple[Document | None, list[Problem]]:
    """Read YAML text into a Document, or report why it cannot be read."""
    reader = _Reader(file, text)
    try:
        documents = reader.read(yaml.parse(text, Loader=_Loader))
    except _Refused:
        return None, reader.problems
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote is noticed lines later: name the line where it was opened.
        opened = exc.context_mark if exc.context and ("flow" in exc.context or "quoted" in exc.context) else None
        mark = opened or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        line, message = yaml_advice.explain(text, line) or (line, _explain_yaml_error(exc, text, line))
        return None, [Problem(file, line, "", message)]
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error carries a mark
        return None, [Problem(file, 1, "", f"this is not valid YAML ({exc})")]
    if not documents:
        return None, [Problem(file, 1, "", "the file is empty; write a review in it or delete it")]
    return reader.doc, reader.problems


def load_optional(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """A data file a site may leave out (_events.yml, _agencies.yml, _sources.yml): None and no
    problem when there is none. A link is not followed: load_file refuses it."""
    if not os.path.lexists(path):
        return None, []
    return load_file(path, display)


def load_file(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES,
              data: bytes | None = None) -> tuple[Document | None, list[Problem]]:
    """Read one file: a plain file (never a link), size limit, UTF-8 (a byte-order mark and
    Windows line endings are fine). data: its bytes as plain_bytes read them, when the caller
    needed them first (the checked files' cache is keyed by them), so the file is read once."""
    name = display or str(path)
    if data is None:
        try:
            data = _read_plain_file(path, max_bytes)
        except _NotPlain as exc:
            return None, [Problem(name, exc.line, "", exc.message)]
        except OSError as exc:
            return None, [Problem(name, 0, "", f"cannot read the file ({exc.strerror})")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "", "this line has characters that are not UTF-8; save the file "
                                              "as UTF-8 in your editor")]
    return load_text(name, text.replace("\r\n", "\n"))


def plain_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes | None:
    """The bytes load_file would read, or None where it would refuse the file (a link, not a plain
    file, over max_bytes, unreadable): it says why when it is asked to load it."""
    try:
        return _read_plain_file(path, max_bytes)
    except (_NotPlain, OSError):
        return None


class _NotPlain(Exception):
    """A link, a folder, a device or a pipe where a file was expected, or a file too large."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message, self.line = message, line


def _read_plain_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a plain file. A symbolic link is refused, not followed: it could publish a
    review from outside the repository, or show the lines of a file such as /etc/shadow. The
    file is opened first and then examined, so it cannot be swapped for a link in between;
    without blocking, so a pipe cannot hang the check."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _NotPlain("is a symbolic link (a shortcut to another file); put the file itself here, "
                            "not a link to it") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise _NotPlain("is not a plain file (a folder, a device or a pipe); remove it from briefings/")
    with os.fdopen(fd, "rb") as file:
        data = file.read(max_bytes + 1) if info.st_size <= max_bytes else b""
        if info.st_size > max_bytes or len(data) > max_bytes:  # read at most the limit, even of a growing file
            size = max(info.st_size, len(data))
            raise _NotPlain(f"the file is {size:,} bytes, over the limit of {max_bytes:,}; "
                            "split it or remove pasted material", line=1)
        return data


def _explain_yaml_error(exc: yaml.MarkedYAMLError, text: str, line: int) -> str:
    problem = (exc.problem or "").strip()
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())] or "'\\t'" in problem:
        return "a tab is used for indentation; YAML needs spaces, so replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return ("a colon followed by a space inside a value confuses YAML; put the whole value in "
                "quotes, or use '>-' and write the text on the next lines")
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return ("the indentation or a missing colon breaks the structure here; check that this line "
                "lines up with the ones around it and that each field has 'name: value'")
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return f"this is not valid YAML ({problem}); write the value out in full"
    return f"this is not valid YAML ({problem or exc.context}); check the quotes and indentation on this line"
