"""Under `make serve`, a save with problems keeps the last good preview and lists the problems at
the top of every page (theme/assets/javascripts/preview-problems.js), as text, never as markup."""
from __future__ import annotations

import json
import shutil

import pytest

from generator.dev.search_probe import serve

from .harness import REPO, open_visit

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="en"><head><title>Preview</title>
<script src="../assets/javascripts/preview-problems.js" defer></script></head>
<body><main><article><h1>Child Y</h1></article></main></body></html>"""


@pytest.mark.parametrize("problems", [[], ["briefings/child-y.yml:3: type: <b>not</b> a type of review"]])
def test_the_problems_of_the_last_save_are_shown_on_the_page(browser, tmp_path, problems):
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy(REPO / "theme" / "assets" / "javascripts" / "preview-problems.js", tmp_path / "assets" / "javascripts")
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "index.html").write_text(PAGE)
    (tmp_path / "preview-problems.json").write_text(json.dumps(problems))
    with serve(tmp_path) as base, open_visit(browser, base, "reviews/") as visit:
        visit.page.wait_for_load_state("networkidle")
        alert = visit.page.locator("[role=alert]")
        if not problems:
            assert alert.count() == 0
            return
        assert alert.inner_text().startswith("This preview is out of date.")
        assert alert.locator("li").all_inner_texts() == problems  # the markup shown as text
        assert alert.locator("b").count() == 0
        assert visit.page.locator("article > :first-child").get_attribute("role") == "alert"
