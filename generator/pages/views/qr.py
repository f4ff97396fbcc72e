"""QR codes that open a page. segno does the encoding; templates/_qr.html.j2 draws the SVG."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno

QUIET_ZONE = 4  # modules of white border the QR standard asks for, so phones can find the code


@dataclass(frozen=True)
class QrCode:
    address: str
    size: int  # width and height in modules, quiet zone included
    path: str  # SVG path data: one rectangle per run of dark modules in a row


@lru_cache(maxsize=20_000)  # the briefing's PDF and its trainer's page show the same code
def qr_code(address: str) -> QrCode:
    """The QR code of an address, at error correction M (readable when printed and a little creased).
    segno tries all 8 masks for the most readable code, at about 4 ms a code."""
    code = segno.make_qr(address, error="m", boost_error=False)
    rows = list(code.matrix_iter(scale=1, border=QUIET_ZONE))
    return QrCode(address, len(rows), " ".join(_row_path(y, row) for y, row in enumerate(rows) if any(row)))


def _row_path(y: int, row) -> str:
    """One row's dark runs as path commands: 'M4 0h7v1h-7z' draws a run of 7 modules from x=4."""
    commands, x = [], 0
    while x < len(row):
        if not row[x]:
            x += 1
            continue
        start = x
        while x < len(row) and row[x]:
            x += 1
        commands.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return "".join(commands)
