"""Short addresses (/b/<id>/) and old addresses of a renamed review lead to the right page, and
can never hide a real one."""
import json
import re

import pytest

from generator.site import load_site
from generator.pages.links_and_events import render_redirects

from conftest import indexed_urls, make_buildable, make_project, minimal, run_cli


def moved(id="child-y-2024", previous=("child-z-2024",)):
    """A review renamed from an earlier id (as when a pseudonym changes)."""
    listed = "".join(f"\n  - {old}" for old in previous)
    return minimal(id=id).replace(f"id: {id}\n", f"id: {id}\nprevious_ids:{listed}\n")


def refresh_target(html: str) -> str:
    [url] = re.findall(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert f'<a href="{url}">' in html  # the plain link, for browsers that ignore the refresh
    return url


def test_each_review_has_a_short_address_and_old_ids_lead_to_both_pages(tmp_path):
    make_project(tmp_path, {"child-y-2024.yml": moved(), "child-x-2023.yml": minimal(id="child-x-2023")})
    pages = {p.path: p.content for p in render_redirects(load_site(tmp_path).site)}
    assert {path: refresh_target(html) for path, html in pages.items()} == {
        "b/child-x-2023/index.html": "../../reviews/child-x-2023/",
        "b/child-y-2024/index.html": "../../reviews/child-y-2024/",
        "b/child-z-2024/index.html": "../../reviews/child-y-2024/",
        "reviews/child-z-2024/index.html": "../child-y-2024/",
        "reviews/child-z-2024/learning-brief/index.html": "../../child-y-2024/learning-brief/",
    }
    page = pages["b/child-x-2023/index.html"]
    assert '<html lang="en">' in page and "<title>Child Z: seven-minute briefing</title>" in page
    assert '<link rel="canonical" href="https://learning.example.org.uk/reviews/child-x-2023/">' in page


def test_held_back_reviews_get_no_redirects(tmp_path):
    make_project(tmp_path, {"child-y-2024.yml": moved().replace("status: published", "status: draft")})
    assert render_redirects(load_site(tmp_path).site) == []


@pytest.mark.parametrize("files, expected", [
    ({"child-y-2024.yml": moved(previous=("child-y-2024",))},
     "briefings/child-y-2024.yml:3: previous_ids[1]: 'child-y-2024' is this review's own id; "
     "list only ids it had before"),
    ({"child-y-2024.yml": moved(), "child-z-2024.yml": minimal(status="draft")},
     "briefings/child-y-2024.yml:3: previous_ids[1]: 'child-z-2024' is the id of briefings/child-z-2024.yml, "
     "so its pages would clash with this review's redirects; remove it here, or give that review another id"),
    ({"child-y-2024.yml": moved(), "child-w-2024.yml": moved(id="child-w-2024")},
     "briefings/child-y-2024.yml:3: previous_ids[1]: 'child-z-2024' is also listed as a previous id in "
     "briefings/child-w-2024.yml (line 3); an old address can lead to only one review, so keep it in one file"),
    ({"child-y-2024.yml": moved(previous=("Child Z",))},
     "briefings/child-y-2024.yml:3: previous_ids[1]: found 'Child Z'; use lower-case letters, digits and "
     "single hyphens only, e.g. child-b-2021"),
])
def test_an_old_id_that_would_clash_is_an_error_naming_file_and_line(tmp_path, files, expected):
    make_project(tmp_path, files)
    result = load_site(tmp_path)
    assert [str(p) for p in result.problems] == [expected]
    assert result.site is None


@pytest.mark.build
def test_built_redirects_are_plain_files_outside_nav_search_and_sitemap(tmp_path):
    project = make_buildable(make_project(tmp_path, {"child-y-2024.yml": moved()}))
    result = run_cli(project, "build")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    site = project / "site"
    for path, target in [("b/child-y-2024", "reviews/child-y-2024"), ("b/child-z-2024", "reviews/child-y-2024"),
                         ("reviews/child-z-2024", "reviews/child-y-2024"),
                         ("reviews/child-z-2024/learning-brief", "reviews/child-y-2024/learning-brief")]:
        url = refresh_target((site / path / "index.html").read_text())
        assert (site / path / url).resolve() == (site / target).resolve(), path
        assert (site / target / "index.html").exists()
    briefing = (site / "reviews/child-y-2024/index.html").read_text()
    assert 'Short link: <a href="../../b/child-y-2024/">https://learning.example.org.uk/b/child-y-2024/</a>' in briefing
    sitemap = (site / "sitemap.xml").read_text()
    assert "/b/" not in sitemap and "child-z-2024" not in sitemap
    assert [url for url in indexed_urls(site) if url.startswith(("/b/", "/reviews/child-z"))] == []
    assert "/reviews/child-y-2024/" in indexed_urls(site)
    nav = re.findall(r'<a href="([^"]*)" class="md-nav__link', (site / "index.html").read_text())
    assert nav and not [href for href in nav if "b/" in href or "child-z" in href]
