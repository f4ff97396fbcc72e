"""The Nu HTML Checker (npm vnu-jar, on Java) finds no error in any page of the example site."""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from .pages import PAGE_TYPES

pytestmark = pytest.mark.browser

ALLOWED = Path(__file__).with_name("vnu-allowed.txt")
GET_JAVA = "Java is needed for the Nu HTML Checker: run `make test` as root, or `sudo apt-get install default-jre-headless`."


@dataclass(frozen=True)
class Allowed:
    message: str
    reason: str


def allowed_errors() -> list[Allowed]:
    entries = []
    for line in ALLOWED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            message, _, reason = line.partition(" | ")
            entries.append(Allowed(message.strip(), reason.strip()))
    return entries


@pytest.fixture(scope="module")
def vnu_errors(example_site, vnu_jar) -> list[dict]:
    """Every error the checker finds in every HTML file of the site, checked in one run."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(GET_JAVA)
    run = subprocess.run([java, "-jar", str(vnu_jar), "--format", "json", "--errors-only", "--skip-non-html",
                          str(example_site)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def test_every_allow_list_entry_gives_its_reason():
    assert allowed_errors(), "the allow-list is empty: delete it and its use"
    for entry in allowed_errors():
        assert len(entry.reason.split()) >= 8, f"give a reason for allowing {entry.message!r}"


def test_the_checker_finds_no_error_in_any_page(vnu_errors, example_site):
    allowed = {a.message for a in allowed_errors()}
    unexpected = [f"{m['url'].split(str(example_site))[-1]}:{m.get('lastLine')}: {m['message']}"
                  for m in vnu_errors if m["message"] not in allowed]
    assert unexpected == []


def test_every_allowed_error_still_occurs(vnu_errors):
    """An allow-list entry that no longer matches anything would hide a future error: remove it."""
    seen = {m["message"] for m in vnu_errors}
    assert [a.message for a in allowed_errors() if a.message not in seen] == []


def test_the_checker_saw_every_page_type(vnu_errors, example_site):
    """The allowed error sits on every page Material draws, so each page type was read."""
    checked = {m["url"].split(str(example_site))[-1].lstrip("/") for m in vnu_errors}
    missing = [p.name for p in PAGE_TYPES if p.html_file not in checked]
    assert missing == []
