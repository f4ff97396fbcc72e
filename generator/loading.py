"""Load YAML files into plain data, keeping the line of every value so problems can name it.

We compose YAML into nodes ourselves instead of using yaml.safe_load because safe_load silently
keeps the last of two duplicate keys, expands alias bombs, and loses line numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problem

try:  # libyaml is 30 times faster; the PyPI wheel includes it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

MAX_BYTES = 1_000_000

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

    def slim(self) -> None:
        """Once a file's own checks are done, keep only what the checks across files and the model
        read: the data and the lines of the top two levels (a deeper path falls back to them).
        The text as written and the deeper lines are four fifths of a document's memory."""
        self.raw, self.styles = {}, {}
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


class _Converter:
    def __init__(self, file: str):
        self.doc = Document(file, None)
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.refused = False  # an alias or merge key: the structure cannot be trusted, check no further

    def convert(self, node: yaml.Node, path: Path_):
        if id(node) in self.seen:
            # the same node twice means an alias (*name): refuse, so alias bombs cannot expand
            if not self.refused:
                self.problems.append(Problem(self.doc.file, node.start_mark.line + 1, _dotted(path),
                                             "uses a YAML alias (*name); write the value out in full instead"))
            self.refused = True
            return None
        self.seen.add(id(node))
        self.doc.value_lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.refused = True
                self.problems.append(Problem(self.doc.file, line, _dotted(path),
                                             "uses a YAML merge key (<<); write the fields out in full instead"))
                continue
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key in first_line:
                self.problems.append(Problem(
                    self.doc.file, line, _dotted(path + (key,)),
                    f"this field appears twice (first on line {first_line[key]}); YAML would keep only "
                    "the last one, so merge them or delete one"))
                continue
            first_line[key] = line
            self.doc.key_lines[path + (key,)] = line
            result[key] = self.convert(value_node, path + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_):
        self.doc.raw[path] = node.value
        self.doc.styles[path] = node.style
        tag = node.tag
        if node.style in ("'", '"', "|", ">"):
            return node.value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return node.value.lower() in ("yes", "true", "on", "y")
        if tag == "tag:yaml.org,2002:int":
            try:
                return int(node.value.replace("_", ""), 0)
            except ValueError:
                return node.value
        if tag == "tag:yaml.org,2002:float":
            try:
                return float(node.value.replace("_", ""))
            except ValueError:
                return node.value
        # timestamps stay text: a date field checks its own format (2020, 2020-04, 2020-04-15)
        return node.value


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


def load_text(file: str, text: str) -> tuple[Document | None, list[Problem]]:
    """Compose YAML text into a Document, or report why it cannot be read."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote is noticed lines later: name the line where it was opened.
        opened = exc.context_mark if exc.context and ("flow" in exc.context or "quoted" in exc.context) else None
        mark = opened or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(file, line, "", _explain_yaml_error(exc, text, line))]
    except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error carries a mark
        return None, [Problem(file, 1, "", f"this is not valid YAML ({exc})")]
    if len(nodes) > 1:
        return None, [Problem(file, nodes[1].start_mark.line + 1, "",
                              "the file holds more than one YAML document (a line '---'); keep one review per file")]
    if not nodes:
        return None, [Problem(file, 1, "", "the file is empty; write a review in it or delete it")]
    converter = _Converter(file)
    converter.doc.data = converter.convert(nodes[0], ())
    if converter.refused:
        return None, converter.problems
    return converter.doc, converter.problems


def load_file(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[Document | None, list[Problem]]:
    """Read one file: size limit, UTF-8 (a byte-order mark and Windows line endings are fine)."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(name, 1, "", f"the file is {size:,} bytes, over the limit of {max_bytes:,}; "
                                               "split it or remove pasted material")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 0, "", f"cannot read the file ({exc.strerror})")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "", "this line has characters that are not UTF-8; save the file "
                                              "as UTF-8 in your editor")]
    return load_text(name, text.replace("\r\n", "\n"))


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
