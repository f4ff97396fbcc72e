"""The fingerprint of the code that makes the output, for the caches keyed by their inputs.

A cache keyed by what a file is made from (its review, the settings ...) must also change when
the code that makes it changes: any file of the generator package, its templates and schemas
included, changes the fingerprint, so an upgrade can only make the next build slower."""
from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path

CODE = Path(__file__).resolve().parents[1]  # the generator package
# Tools for developers, which make no output (nothing outside them imports them): a change to the
# benchmark must not make the next build of a 5,000-review corpus re-render every page.
NOT_OUTPUT = ("dev",)


def digest(*parts: bytes | str) -> str:
    """The SHA-256 of the parts, each with its length, so that no two lists of parts run together."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hashed.update(f"{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()


def tree(folder: Path, leaving_out: tuple[str, ...] = ()) -> list[bytes | str]:
    """Each file's path and bytes, in a stable order (compiled Python and the top folders
    `leaving_out` left out)."""
    parts: list[bytes | str] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            inside = path.relative_to(folder)
            if path.is_file() and "__pycache__" not in path.parts and inside.parts[0] not in leaving_out:
                parts += [inside.as_posix(), path.read_bytes()]
    return parts


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Once per process: a build's code does not change while it runs."""
    return digest(*tree(CODE, leaving_out=NOT_OUTPUT))


@functools.lru_cache(maxsize=1)
def packages() -> str:
    """Python's version and every installed package's, once per process: a cache whose entries
    come from what a library computed (PyYAML's reading, jsonschema's messages, Unicode's folding)
    must change when that library does."""
    read = [d.metadata for d in metadata.distributions()]  # each file parsed once (.version parses it again)
    installed = sorted(f"{m['Name']}=={m['Version']}" for m in read)
    return "\n".join([sys.version, *installed])


def prune_unused(folder: Path, used: set[str], suffix: str, keep_seconds: float) -> None:
    """Delete the entries of a cache folder (KEY + suffix) that no one asked for this pass, once
    older than keep_seconds (another build in the same folder may be about to read them), and
    killed builds' leftovers."""
    too_old = time.time() - keep_seconds
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(suffix) and entry.name[:-len(suffix)] in used:
            continue
        try:
            if entry.stat().st_mtime < too_old:
                os.unlink(entry.path)
        except OSError:
            continue


def write_whole(target: Path, data: bytes) -> bool:
    """Write a cache entry beside its place and rename it in, so that a build killed while writing
    leaves the last entry whole (or none). False if the disk is full: a cache only saves time."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}")  # another process writes another name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, target)
        return True
    except OSError:
        temporary.unlink(missing_ok=True)
        return False


def link_or_copy(kept: Path, dest: Path) -> None:
    """Put a cache entry (never written in place, only replaced) at dest: a hard link where the
    disk allows, else a copy. FileExistsError is raised, so a caller never writes through an
    older link."""
    try:
        os.link(kept, dest)
    except FileExistsError:
        raise
    except OSError:  # another disk, or links refused
        shutil.copyfile(kept, dest)
