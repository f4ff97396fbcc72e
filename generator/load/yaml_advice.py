"""Advice for the YAML slips an officer makes most, read from the text around a parser error.

The parser's own words ("mapping values are not allowed here") name a symptom, often on the
wrong line, and the general advice for them could make things worse (quoting an over-indented
line). Each check here recognises one slip from the lines themselves and says how to mend it.
"""
from __future__ import annotations

import re

_KEY_NO_SPACE = re.compile(r"^(?P<lead>\s*(?:- )?)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*)$")
_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:- )?)(?P<key>[A-Za-z_][\w-]*):(?P<value>.*)$")
_QUOTED_START = re.compile(r"^(?P<lead>\s*(?:- )?(?:[A-Za-z_][\w-]*: )?)(?P<quote>[\"'])")


def explain(text: str, line: int) -> tuple[int, str] | None:
    """(line, message) for a slip recognised at or just above the 1-based line the parser named."""
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in here[: len(here) - len(here.lstrip())]:
        return None  # a tab has its own message
    above = _content_line_above(lines, line)
    for check in (_starts_with_quotation, _no_space_after_colon):
        for number in (line, above):
            if number and (message := check(lines[number - 1])):
                return number, message
    if above and (message := _over_indented(lines[above - 1], here)):
        return line, message
    return None


def _content_line_above(lines: list[str], line: int) -> int | None:
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _starts_with_quotation(text: str) -> str | None:
    match = _QUOTED_START.match(text)
    if not match:
        return None
    quote, start = match["quote"], match.end()
    end = text.find(quote, start)
    rest = text[end + 1:].strip() if end > 0 else ""
    if not rest or rest.startswith("#"):
        return None  # a value that is all one quotation is fine
    value = text[match.end() - 1:].rstrip()
    where = "item" if match["lead"].strip().startswith("-") and ":" not in match["lead"] else "value"
    fixed = match["lead"].strip() + " '" + value.replace("'", "''") + "'"
    return (f"this {where} starts with a quotation ({text[start - 1:end + 1]}), so YAML reads the "
            f"quotation as the whole {where} and cannot read what follows it; put the whole {where} in "
            f"single quotes: {fixed.strip()}")


def _no_space_after_colon(text: str) -> str | None:
    match = _KEY_NO_SPACE.match(text)
    if not match or ": " in text or "://" in text:
        return None
    return (f"'{text.strip()}' needs a space after the colon, or YAML cannot tell the field from its value; "
            f"write '{match['key']}: {match['value']}'")


def _over_indented(above: str, here: str) -> str | None:
    before, now = _KEY_VALUE.match(above), _KEY_VALUE.match(here)
    if not before or not now or not before["value"].strip() or before["value"].strip() in ("|", ">", "|-", ">-"):
        return None
    column_above, column_here = len(before["lead"]), len(now["lead"])
    if column_here <= column_above:
        return None
    extra = column_here - column_above
    return (f"this line is indented {extra} space{'s' if extra != 1 else ''} more than the line above "
            f"('{above.strip()}'), so YAML reads it as part of that value; move it {extra} "
            f"space{'s' if extra != 1 else ''} left, to line '{now['key']}:' up with '{before['key']}:'")
