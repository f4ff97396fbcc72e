"""The example site's end-to-end checks, run again on the export built by ProperDocs instead of
the hook build: the same test functions (imported, so pytest runs them here with this module's
fixtures), with `built` and `example_site` pointing at the ProperDocs site."""
from __future__ import annotations

import pytest

from .test_links import test_no_internal_link_or_fragment_is_broken  # noqa: F401
from .test_site_build import (example, test_abbreviations_are_expanded_on_generated_pages,  # noqa: F401
                             test_every_page_links_to_the_accessibility_statement,
                             test_every_review_has_a_briefing_with_seven_sections_and_a_learning_brief,
                             test_every_theme_has_a_page_and_the_index_lists_them, test_no_request_to_another_host,
                             test_search_index_finds_the_words_practitioners_search_for)

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def built(properdocs_site):
    return properdocs_site


@pytest.fixture(scope="module")
def example_site(properdocs_site):
    return properdocs_site


def test_these_checks_run_on_the_properdocs_build(built):
    assert "mkdocs-ProperDocs 1.6.7" in (built / "index.html").read_text()
