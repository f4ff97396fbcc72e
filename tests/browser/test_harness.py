"""The browser tests' own set-up: the browser is found or the failure says how to get one."""
import urllib.request

import pytest

from conftest import require_browser
from .harness import GET_A_BROWSER, chromium_path, serve

pytestmark = pytest.mark.browser


def test_a_missing_browser_fails_with_the_command_to_get_one():
    with pytest.raises(pytest.fail.Exception, match="playwright install chromium"):
        require_browser(None)
    assert "apt-get install chromium" in GET_A_BROWSER


def test_briefings_chromium_names_the_browser_to_use(tmp_path, monkeypatch):
    browser = tmp_path / "my-chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("BRIEFINGS_CHROMIUM", str(browser))
    assert chromium_path(None) == str(browser)


def test_the_server_serves_the_folder_on_loopback_only(tmp_path):
    (tmp_path / "index.html").write_text("<p>hello</p>")
    with serve(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        assert urllib.request.urlopen(url, timeout=5).read() == b"<p>hello</p>"
