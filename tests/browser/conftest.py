"""Fixtures for the browser tests: the example site served on loopback (the one Chromium is
shared by every test, in tests/conftest.py)."""
from __future__ import annotations

import pytest

from .harness import AXE, GET_THE_TOOLS, VNU, serve


@pytest.fixture(scope="session")
def base_url(example_site):
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(GET_THE_TOOLS)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_jar():
    if not VNU.is_file():
        pytest.fail(GET_THE_TOOLS)
    return VNU
