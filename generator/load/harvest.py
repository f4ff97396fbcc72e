"""Harvest: fetch other partnerships' data/reviews.json into briefings/_harvested/.

briefings/_sources.yml lists the addresses. Each is fetched with the standard library only, with
a time limit and a size limit, from https (or http on this machine, for tests and previews); a
redirect must follow the same rule. A source that cannot be fetched keeps its last good harvest,
marked with the failure, so the site goes on showing it and says so. Checking the records is
check/harvested.py's work; this module only fetches, stores and reads back.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.load.documents import load_optional
from generator.load.problems import Problem

SOURCES_FILE = "_sources.yml"
HARVEST_DIR = "_harvested"
TIMEOUT_SECONDS = 20
MAX_BYTES = 20_000_000  # about 10,000 reviews' records: more is not a partnership's data file
LOCAL_HOSTS = {"127.0.0.1"}


@dataclass(frozen=True)
class Source:
    url: str
    line: int


@dataclass(frozen=True)
class Stored:
    """One source's last good harvest as kept in briefings/_harvested/."""

    path: Path
    display: str  # briefings/_harvested/<name>.json
    url: str
    fetched: str  # when the kept data was fetched (UTC, ISO)
    data: object  # the data/reviews.json as fetched, not yet checked
    failed: str | None = None  # the last attempt's failure, when it failed: "at <time>: <reason>"


class FetchFailed(Exception):
    """A source could not be fetched; the message says why in plain English."""


def allowed_address(url: str) -> str | None:
    """Why an address may not be harvested from, or None when it may."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOCAL_HOSTS:
        return None
    return "give an address starting https:// (http:// only for 127.0.0.1, this machine)"


def read_sources(briefings: Path, display: str) -> tuple[list[Source], list[Problem]]:
    """The addresses in briefings/_sources.yml (none when there is no such file), with every problem."""
    doc, problems = load_optional(briefings / SOURCES_FILE, display)
    if doc is None:
        return [], problems
    listed = doc.data.get("sources") if isinstance(doc.data, dict) else None
    if not isinstance(listed, list) or set(doc.data) != {"sources"}:
        return [], problems + [Problem(display, doc.line(()), "sources", (
            "write a list under 'sources:', each item with a 'url:' of another site's data/reviews.json"))]
    sources, seen = [], set()
    for i, item in enumerate(listed):
        where = f"sources[{i}]"
        url = item.get("url") if isinstance(item, dict) else None
        line = doc.line(("sources", i))
        if not isinstance(url, str) or set(item) - {"url", "note"}:
            problems.append(Problem(display, line, where, "give each source as 'url: https://.../data/reviews.json' "
                                                          "(and an optional 'note:'), nothing else"))
            continue
        reason = allowed_address(url)
        if reason:
            problems.append(Problem(display, line, f"{where}.url", reason))
        elif url in seen:
            problems.append(Problem(display, line, f"{where}.url", "is listed twice; remove one"))
        else:
            seen.add(url)
            sources.append(Source(url, line))
    return sources, problems


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect may lead only where a source may be: never to a file, ftp or another http host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        reason = allowed_address(newurl)
        if reason:
            raise FetchFailed(f"it redirects to {newurl[:200]}, which is not allowed: {reason}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_CheckedRedirects)


def fetch(url: str, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_BYTES) -> object:
    """The decoded JSON at url, or FetchFailed with the reason."""
    reason = allowed_address(url)
    if reason:
        raise FetchFailed(reason)
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "briefings-harvest"})
    deadline = time.monotonic() + timeout * 3  # the socket's timeout is per read: a slow drip would never end
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = _read(response, limit, deadline)
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"the site answered {exc.code} ({exc.reason})") from None
    except urllib.error.URLError as exc:
        raise FetchFailed(f"it could not be reached ({exc.reason})") from None
    except (TimeoutError, OSError) as exc:
        raise FetchFailed(f"it could not be reached ({exc})") from None
    if len(body) > limit:
        raise FetchFailed(f"it is over {limit:,} bytes, more than a site's data file")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FetchFailed(f"it is not JSON in UTF-8 ({str(exc)[:120]})") from None


def _read(response, limit: int, deadline: float) -> bytes:
    """At most limit + 1 bytes, in chunks, stopping at the deadline."""
    chunks, size = [], 0
    while size <= limit:
        if time.monotonic() > deadline:
            raise FetchFailed("it took too long to send its data")
        chunk = response.read(min(65536, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def stored_name(url: str) -> str:
    """A file name that says where the harvest came from, unique to its address."""
    parts = urlsplit(url)
    readable = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname}{parts.path}".lower()).strip("-")[:80]
    return f"{readable}-{hashlib.sha256(url.encode()).hexdigest()[:8]}.json"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def write_stored(folder: Path, url: str, fetched: str, data: object, failed: str | None = None) -> Path:
    """Written whole or not at all: a harvest stopped midway leaves the last good file."""
    folder.mkdir(exist_ok=True)
    path = folder / stored_name(url)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    record = {"source": url, "fetched": fetched, "failed": failed, "data": data}
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def read_stored(briefings: Path, display_root: str = "briefings") -> tuple[list[Stored], list[Problem]]:
    """Every source's kept harvest, by file name."""
    folder = briefings / HARVEST_DIR
    if not folder.is_dir() or folder.is_symlink():
        return [], []
    kept, problems = [], []
    for path in sorted(folder.glob("*.json")):
        display = f"{display_root}/{HARVEST_DIR}/{path.name}"
        try:
            if path.is_symlink() or path.stat().st_size > MAX_BYTES * 2:
                raise ValueError("is a link or too large")
            record = json.loads(path.read_text(encoding="utf-8"))
            kept.append(Stored(path, display, str(record["source"]), str(record["fetched"]), record["data"],
                               record.get("failed")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(Problem(display, 0, "", f"cannot be read as a harvest ({str(exc)[:120]}); "
                                                    "run `python -m generator harvest` again"))
    return kept, problems
