"""QR codes: the SVG path draws exactly the modules segno encodes, inside a quiet zone."""
import re

import segno

from generator.pages.views.qr import QUIET_ZONE, qr_code

ADDRESS = "https://learning.example.org.uk/reviews/patricia-2020/"


def modules_drawn(path: str, size: int) -> list[list[int]]:
    """Paint the path's rectangles back onto a grid of modules."""
    grid = [[0] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        for column in range(int(x), int(x) + int(width)):
            assert grid[int(y)][column] == 0, "a module is drawn twice"
            grid[int(y)][column] = 1
    return grid


def test_the_path_draws_the_modules_segno_encodes():
    code = qr_code(ADDRESS)
    expected = segno.make_qr(ADDRESS, error="m", boost_error=False)
    assert code.size == expected.symbol_size(border=QUIET_ZONE)[0]
    drawn = modules_drawn(code.path, code.size)
    assert drawn == [[int(bool(m)) for m in row] for row in expected.matrix_iter(scale=1, border=QUIET_ZONE)]


def test_the_quiet_zone_stays_white():
    code = qr_code(ADDRESS)
    drawn = modules_drawn(code.path, code.size)
    border = drawn[:QUIET_ZONE] + drawn[-QUIET_ZONE:] + [row[:QUIET_ZONE] + row[-QUIET_ZONE:] for row in drawn]
    assert not any(any(row) for row in border)
    assert any(drawn[QUIET_ZONE])  # the finder pattern starts right after it


def test_a_longer_address_gets_a_bigger_code():
    assert qr_code(ADDRESS + "x" * 100).size > qr_code(ADDRESS).size
