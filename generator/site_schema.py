"""The review schema made for one site, for the editor (yaml-language-server and VS Code).

`check` validates against generator/schema/review.schema.json and its own checks. The editor
can only use JSON Schema, so this module writes a copy of that schema that also knows the site's
vocabularies (the themes in briefings/_themes.yml, offered as completions with their names) and
carries the messages the editor shows: what to write for a date or an age, and "did you mean" for
a misspelt field. `python -m generator schema` writes it to briefings/_review.schema.json; each
review file's first line points to it; `check` warns when it is out of date.
"""
from __future__ import annotations

import copy
import json
import os
import stat
import sys
from pathlib import Path

import yaml

from generator.load.problems import Problem, Severity
from generator.site import review_files

BASE = Path(__file__).parent / "schema" / "review.schema.json"
NAME = "_review.schema.json"  # in briefings/, beside the vocabularies it is made from
SCHEMA_LINE = f"# yaml-language-server: $schema={NAME}"
MANY_REQUIRED = 4  # an object needing this many fields gets one message when several are missing
# What the editor says for a value of the wrong kind, instead of 'Incorrect type. Expected "string"'.
TYPE_MESSAGES = {
    "string": "Write the text here, or remove the field if there is none. To keep a number or "
              "yes/no as text, put it in quotes.",
    "integer": "Write a whole number in digits, e.g. 2.",
}
NEVER = "\u0000"  # a value no YAML file holds: a const of it always fails, with our message


def path(root: Path) -> Path:
    return root / "briefings" / NAME


def text(root: Path) -> str:
    """The site schema as written to disk (stable order, so a diff shows what changed)."""
    return json.dumps(build(root), indent=1, ensure_ascii=False) + "\n"


def write(root: Path) -> Path:
    target = path(root)
    target.write_text(text(root), encoding="utf-8")
    return target


def command(root: Path) -> int:
    """`python -m generator schema`: write it, or say why it cannot be made."""
    try:
        target = write(root)
    except VocabularyError as exc:
        print(f"briefings/{NAME} was not written: briefings/_themes.yml could not be read ({exc}). "
              "Run `python -m generator check` to see what is wrong with it.", file=sys.stderr)
        return 1
    print(f"Wrote {target.relative_to(root)}: the editor now offers this site's themes and agencies. Commit it.")
    return 0


def write_if_missing(root: Path) -> None:
    if not path(root).exists():
        try:
            write(root)
        except VocabularyError:
            pass  # check reports the broken vocabulary; the review file is still made


def staleness(root: Path) -> list[Problem]:
    """A warning when the site schema is missing or older than the schema and vocabularies."""
    target = path(root)
    if not (root / "briefings" / "_themes.yml").exists():
        return []
    try:
        current = text(root)
    except VocabularyError:
        return []  # a broken _themes.yml is reported by the themes check itself
    display = f"briefings/{NAME}"
    if not target.exists():
        if not _pointed_to(root):
            return []
        return [Problem(display, 0, "", "is missing, so the editor cannot check review files or offer "
                        "themes; run: python -m generator schema", Severity.WARNING)]
    if target.read_text(encoding="utf-8", errors="replace") != current:
        return [Problem(display, 0, "", "is out of date with briefings/_themes.yml, _agencies.yml or the review "
                        "schema, so the editor offers old themes or agencies; run: python -m generator schema, "
                        "and commit it",
                        Severity.WARNING)]
    return []


def _pointed_to(root: Path) -> bool:
    """Whether a review file's first line sends the editor to the site schema."""
    return any(NAME in _first_line(file) for file in review_files(root / "briefings"))


def _first_line(file: Path) -> str:
    """The first line of a plain file; nothing for a link, a pipe or a folder, which the loader
    refuses with its own message (a link is never followed, a pipe never waited on)."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return handle.readline(200).decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------- making it
def build(root: Path) -> dict:
    schema = json.loads(BASE.read_text(encoding="utf-8"))
    schema.pop("$id", None)  # the copy lives in briefings/, not beside the base schema
    schema["title"] = "Case review (this site's themes)"
    themes = vocabulary(root / "briefings" / "_themes.yml", "themes")
    schema["$defs"]["themes"]["items"] = _choice(
        themes, "This theme is not in briefings/_themes.yml. Choose one of the site's themes "
                "(press Ctrl+Space for the list), or add it to _themes.yml first.")
    agencies = root / "briefings" / "_agencies.yml"
    if agencies.exists():  # optional: without it an agency is free text, as in the base schema
        schema["$defs"]["agency"] = _agency_choice(vocabulary(agencies, "agencies"), _spellings(agencies))
    _walk(schema, schema)
    return schema


class VocabularyError(Exception):
    """A vocabulary file that cannot be read; `check` reports what is wrong with it."""


def vocabulary(file: Path, key: str) -> list[tuple[str, str]]:
    """(id, name) for each entry of a vocabulary file such as _themes.yml."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise VocabularyError(exc.strerror or "it cannot be opened") from None
    except (yaml.YAMLError, UnicodeDecodeError):
        raise VocabularyError("it is not valid YAML") from None
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise VocabularyError(f"it has no list of {key}")
    return [(str(e["id"]), str(e.get("name", e["id"]))) for e in entries if isinstance(e, dict) and "id" in e]


def _spellings(file: Path) -> list[str]:
    """Every name and alias of _agencies.yml (vocabulary has read it, so it is a list)."""
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    return [str(s) for e in data["agencies"] if isinstance(e, dict)
            for s in [e.get("name", ""), *(e.get("aliases") or [])] if s]


def _agency_choice(entries: list[tuple[str, str]], spellings: list[str]) -> dict:
    """The ids are offered as completions, with their names; a name or alias is accepted too, as
    check accepts it (whatever its case), but never offered, so the list shows each agency once."""
    message = ("This agency is not in briefings/_agencies.yml. Choose one of the site's agencies "
               "(press Ctrl+Space for the list), or add it, or this spelling as an alias, to _agencies.yml first.")
    pattern = "^ *(?:" + "|".join(_any_case(s) for s in spellings + [i for i, _ in entries]) + ") *$"
    written = {"type": "string", "pattern": pattern, "errorMessage": message, "patternErrorMessage": message}
    return {"anyOf": [_choice(entries, message), written], "errorMessage": message}


def _any_case(text: str) -> str:
    """A JavaScript (u-flag) pattern matching text as check's agency_key does: any case, either
    apostrophe, any run of spaces."""
    out = []
    for char in " ".join(text.split()):
        if char == " ":
            out.append(" +")
        elif char in "'\u2019":
            out.append("['\u2019]")
        elif char.lower() != char.upper():
            out.append(f"[{char.lower()}{char.upper()}]")
        else:
            out.append("\\" + char if char in "^$\\.*+?()[]{}|/" else char)
    return "".join(out)


def _choice(entries: list[tuple[str, str]], message: str) -> dict:
    return {"type": "string", "enum": [i for i, _ in entries],
            "enumDescriptions": [n for _, n in entries],
            "markdownEnumDescriptions": [n for _, n in entries],
            "errorMessage": message}


def _walk(root: dict, node) -> None:
    """Add the editor's messages to every part of the schema."""
    if isinstance(node, list):
        for item in node:
            _walk(root, item)
        return
    if not isinstance(node, dict):
        return
    hint = node.get("x-hint")
    if hint:
        _hint_messages(node, _sentence(hint))
    if isinstance(node.get("type"), str) and node["type"] in TYPE_MESSAGES and "enum" not in node:
        node.setdefault("errorMessage", TYPE_MESSAGES[node["type"]])
    if "description" in node:
        node["markdownDescription"] = _markdown(root, node)
    if node.get("additionalProperties") is False and "properties" in node:
        node["patternProperties"] = _misspellings(sorted(node["properties"]))
    if len(node.get("required", [])) >= MANY_REQUIRED:
        _one_message_when_many_missing(node)
    for key, value in list(node.items()):
        if key not in ("enum", "patternProperties", "if", "then", "else"):  # the parts added here
            _walk(root, value)


def _one_message_when_many_missing(node: dict) -> None:
    """One tab or a badly indented line hides every field below it from the editor, which then
    reported each as missing (13 diagnostics for one tab). With one field missing the editor still
    names it; with more, it says once what is needed and what usually causes it."""
    required = node.pop("required")
    node["if"] = {"anyOf": [{"required": [r for r in required if r != gone]} for gone in required]}
    node["then"] = {"required": required}
    node["else"] = {"const": NEVER, "errorMessage": (
        "Several required fields are missing. If they are in the file, a line above them is indented "
        "wrongly (a tab, or the wrong number of spaces) and hides them: correct the first problem "
        "shown and this one goes away. Each review needs: " + ", ".join(required) + ".")}


def _sentence(hint: str) -> str:
    return hint[0].upper() + hint[1:] + "."


def _hint_messages(node: dict, message: str) -> None:
    """The yaml-language-server shows errorMessage (patternErrorMessage for a pattern) instead
    of its own wording, which for a date in the wrong form was 'Incorrect type. Expected integer'."""
    if "pattern" in node:
        node.setdefault("patternErrorMessage", message)
    for branch in node.get("anyOf", []):
        if "$ref" not in branch:
            branch.setdefault("errorMessage", message)
            if "pattern" in branch:
                branch.setdefault("patternErrorMessage", message)


def _markdown(root: dict, node: dict) -> str:
    """The description, with the allowed values or the form to write, for hover and completion."""
    parts = [node["description"]]
    target = _resolve(root, node)
    if "enum" in target:
        parts.append("Write one of: " + ", ".join(f"`{v}`" for v in target["enum"]) + ".")
    elif target.get("x-hint") or node.get("x-hint"):
        parts.append(_sentence(node.get("x-hint") or target["x-hint"]))
    return "\n\n".join(parts)


def _resolve(root: dict, node: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _misspellings(known: list[str]) -> dict:
    """A pattern for each field that matches its one-letter slips (a letter missing, added,
    changed or two swapped) but no real field, with a 'did you mean' message. JSON Schema cannot
    compute a suggestion, but it can carry one for every slip of a known name."""
    not_known = "(?!(?:" + "|".join(known) + ")$)"
    return {f"^{not_known}(?:{'|'.join(_slips(name))})$": {
        "const": NEVER,
        "errorMessage": f"Unknown field: did you mean '{name}'? A misspelt field would be lost, so correct it."}
        for name in known}


def _slips(name: str) -> list[str]:
    """Regular expressions for the names one slip away from name (which holds only a-z, 0-9, _)."""
    found = set()
    for i in range(len(name) + 1):
        found.add(name[:i] + "." + name[i:])  # a letter added
        if i < len(name):
            found.add(name[:i] + name[i + 1:])  # a letter missing
            found.add(name[:i] + "." + name[i + 1:])  # a letter changed
        if i < len(name) - 1:
            found.add(name[:i] + name[i + 1] + name[i] + name[i + 2:])  # two letters swapped
    found.discard(name)
    found.discard("")
    return sorted(found)
