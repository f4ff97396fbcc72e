"""Fixtures for the browser tests: the example site served on loopback and one Chromium."""
from __future__ import annotations

import pytest

from .harness import AXE, CHROMIUM_ARGS, GET_A_BROWSER, GET_THE_TOOLS, VNU, chromium_path, serve


@pytest.fixture(scope="session")
def base_url(example_site):
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: run `make test`, which installs requirements.txt.")
    with sync_playwright() as playwright:
        executable = require_browser(chromium_path(_bundled_chromium(playwright)))
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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


def require_browser(executable: str | None) -> str:
    """A missing browser fails the browser tests, with the command that gets one: never a skip."""
    if executable is None:
        pytest.fail(GET_A_BROWSER)
    return executable


def _bundled_chromium(playwright) -> str | None:
    """The browser `playwright install chromium` fetches, if it was ever run."""
    try:
        return playwright.chromium.executable_path
    except Exception:  # Playwright raises when it knows no such browser
        return None
