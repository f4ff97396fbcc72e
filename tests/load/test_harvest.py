"""Harvest: a regional site lists the reviews published on partnerships' own sites.

Two partnership sites are built here and served on 127.0.0.1; a third, regional, site harvests
their data/reviews.json and builds its listings from them."""
import contextlib
import datetime as dt
import copy
import http.server
import json
import re
import threading
import time

import pytest
import yaml

from conftest import REPO, indexed_urls, make_buildable, make_project, minimal, run_cli
from generator.check import harvested as harvest_check
from generator.check import privacy
from generator.load import harvest
from generator.load.harvest import FetchFailed, Stored
from generator.model import build as modelling
from generator.site import load_site
from generator.dev.search_probe import serve  # a folder on 127.0.0.1, as the browser tests serve a site

RECOMMENDATION = """\
recommendations:
  - number: 1
    to: Children's social care
    text: Check the plan of every child in care each month.
    status: in progress
    due: 2025-06
"""


def review(id: str, partnership: str, pseudonym: str, status: str = "published") -> str:
    return (minimal(id=id, status=status).replace("Example Partnership", partnership)
            .replace("Child Z", pseudonym) + RECOMMENDATION)


def build(root):
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def partnerships(tmp_path_factory):
    north = make_buildable(make_project(tmp_path_factory.mktemp("north"), {
        "child-n-2024.yml": review("child-n-2024", "North Partnership", "Child N"),
        "child-m-2024.yml": review("child-m-2024", "North Partnership", "Child M")}))
    south = make_buildable(make_project(tmp_path_factory.mktemp("south"), {
        "child-s-2024.yml": review("child-s-2024", "South Partnership", "Child S"),
        "child-w-2024.yml": review("child-w-2024", "South Partnership", "Child Wren")}))
    for root in (north, south):  # without base_url, their records' addresses are relative to where they are served
        settings = root / "briefings" / "_site.yml"
        settings.write_text(re.sub(r"(?m)^base_url:.*\n", "", settings.read_text()))
        build(root)
    return north, south


def regional(tmp_path, *urls):
    root = make_buildable(make_project(tmp_path / "region", {
        "child-r-2024.yml": review("child-r-2024", "Region Partnership", "Child R")}))
    (root / "briefings" / "_sources.yml").write_text("sources:\n" + "".join(f"  - url: {u}data/reviews.json\n" for u in urls))
    return root


@pytest.mark.build
def test_a_regional_site_lists_both_partnerships_and_drops_a_withdrawn_record_at_the_next_harvest(partnerships, tmp_path):
    north, south = partnerships
    with serve(north / "site") as north_url, serve(south / "site") as south_url:
        root = regional(tmp_path, north_url, south_url)
        result = run_cli(root, "harvest")
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"{north_url}data/reviews.json: 2 records fetched" in result.stdout
        assert "4 harvested reviews will be listed" in result.stdout
        site = build(root)
        home = (site / "index.html").read_text()
        for url, id in ((north_url, "child-n-2024"), (north_url, "child-m-2024"), (south_url, "child-s-2024"),
                        (south_url, "child-w-2024")):
            assert f'href="{url}reviews/{id}/"' in home and f'href="{url}reviews/{id}/learning-brief/"' in home
        assert home.count("own site: these links open it") == 4  # each marked; the region's own review is not
        assert 'href="reviews/child-r-2024/"' in home
        assert not (site / "reviews" / "child-n-2024").exists()  # no copy of their pages
        tracker = (site / "tracker" / "index.html").read_text()
        assert f'href="{south_url}reviews/child-s-2024/learning-brief/#recommendation-1"' in tracker
        assert tracker.count("Check the plan of every child in care each month.") == 5
        theme = (site / "themes" / "neglect" / "index.html").read_text()
        assert f"{north_url}reviews/child-n-2024/" in theme
        statistics = (site / "statistics" / "reviews-by-year.csv").read_text()
        assert "2024,5" in statistics
        assert "South Partnership" in (site / "partnerships" / "south-partnership" / "index.html").read_text()
        record = (site / "harvested" / "child-s-2024" / "index.html").read_text()  # for the search
        assert f'href="{south_url}reviews/child-s-2024/"' in record and "data-pagefind-body" in record
        assert re.search(r"<h1[^>]*>Child S<", record) and re.search(r"<title>Child S: on South Partnership(&#39;|')s site", record), \
            re.findall(r"<title>.*?</title>|<h1.*?</h1>", record)
        assert "/harvested/child-s-2024/" in " ".join(indexed_urls(site))
        own = json.loads((site / "data" / "reviews.json").read_text())
        assert [r["id"] for r in own["reviews"]] == ["child-r-2024"]  # its open data is its own reviews only

        # South withdraws Child Wren's review: gone from the region at its next harvest and build
        wren = south / "briefings" / "child-w-2024.yml"
        wren.write_text(wren.read_text().replace("status: published", "status: withdrawn"))
        build(south)
        assert run_cli(root, "harvest").returncode == 0
        site = build(root)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml"):
            text = path.read_text(errors="replace")
            assert "child-w-2024" not in text and "Wren" not in text, path
    assert "child-s-2024" in (site / "index.html").read_text()


@pytest.mark.build
def test_a_source_that_cannot_be_reached_keeps_its_last_harvest_says_so_and_the_build_goes_on(partnerships, tmp_path):
    north, _ = partnerships
    with serve(north / "site") as north_url:
        root = regional(tmp_path, north_url)
        assert run_cli(root, "harvest").returncode == 0
    result = run_cli(root, "harvest")  # the server is gone now
    assert result.returncode == 1
    assert f"{north_url}data/reviews.json: could not be harvested: it could not be reached" in result.stdout
    assert "its last good harvest, of 20" in result.stdout
    assert "2 harvested reviews will be listed" in result.stdout
    built = run_cli(root, "build")
    assert built.returncode == 0, built.stderr
    assert "could not be harvested at 20" in built.stderr  # the build says so too
    assert f'href="{north_url}reviews/child-n-2024/"' in (root / "site" / "index.html").read_text()


# ------------------------------------------------------------------ checks of the records, no build

@pytest.fixture(scope="module")
def record_data(partnerships):
    north, _ = partnerships
    return json.loads((north / "site" / "data" / "reviews.json").read_text())


def _check(data, taken=()):
    stored = Stored(None, "briefings/_harvested/x.json", "https://north.example/data/reviews.json", "2026-01-01T00:00:00Z", data)
    themes = {t.id: t for t in modelling.themes_from(yaml.safe_load((REPO / "briefings" / "_themes.yml").read_text()))}
    return harvest_check.reviews_from(stored, themes, dt.date(2030, 1, 1), set(taken), privacy.Denylist(), set())


def test_records_are_made_reviews_that_link_to_their_own_site(record_data):
    reviews, problems = _check(record_data)
    assert problems == []
    assert {r.id for r in reviews} == {"child-n-2024", "child-m-2024"}
    first = next(r for r in reviews if r.id == "child-n-2024")
    assert first.briefing_source == "https://north.example/reviews/child-n-2024/"
    assert first.learning_brief_source == "https://north.example/reviews/child-n-2024/learning-brief/"
    assert first.partnership == "North Partnership" and first.recommendations[0].status == "in progress"


@pytest.mark.parametrize("change, message", [
    (lambda r: r["pseudonyms"].__setitem__(0, "<script>alert(1)</script>"), "pseudonyms[0]: '<script>"),
    (lambda r: r.update(title="<img src=x onerror=alert(1)>"), "title: '<img"),
    (lambda r: r["addresses"].update(briefing="javascript:alert(1)"), "addresses.briefing"),
    (lambda r: r.update(partnership="Evil\u0000"), "partnership"),
])
def test_a_record_that_could_carry_markup_or_run_code_is_left_out_with_a_message_naming_it(record_data, change, message):
    data = copy.deepcopy(record_data)
    change(data["reviews"][0])
    reviews, problems = _check(data)
    assert [r.id for r in reviews] == [data["reviews"][1]["id"]]
    said = [str(p) for p in problems]
    first = data["reviews"][0]["id"]
    assert any(s.startswith(f"briefings/_harvested/x.json: warning: reviews[0]: https://north.example/data/reviews.json "
                            f"record 1 ({first}): ") and message in s for s in said), said


def test_an_unknown_theme_id_is_reported_and_never_guessed_from_its_name(record_data):
    data = copy.deepcopy(record_data)
    data["reviews"][0]["themes"] = [{"id": "neglected-children", "name": "Neglect"}, {"id": "neglect", "name": "Anything"}]
    reviews, problems = _check(data)
    review = next(r for r in reviews if r.id == data["reviews"][0]["id"])
    assert [(t.id, t.name) for t in review.themes] == [("neglect", "Neglect")]  # this site's own name
    assert any("themes: 'neglected-children' is not a theme of this site" in str(p) for p in problems)


def test_a_record_with_identifying_detail_is_left_out_without_printing_it(record_data):
    data = copy.deepcopy(record_data)
    data["reviews"][0]["summary"] = "She lived at LE1 5WW."
    reviews, problems = _check(data)
    assert data["reviews"][0]["id"] not in {r.id for r in reviews}
    assert any("summary: " in str(p) and "postcode" in str(p) for p in problems), problems
    assert not any("LE1 5WW" in str(p) for p in problems)


def test_harvested_text_is_escaped_on_the_pages(record_data, tmp_path):
    from generator.pages.site import render_site
    from dataclasses import replace

    data = copy.deepcopy(record_data)
    data["reviews"][0]["summary"] = "<img src=x onerror=alert(1)> {{ 7*7 }} [x](javascript:alert(1))"
    reviews, _ = _check(data)
    site = load_site(make_project(tmp_path, {"child-z-2024.yml": minimal()})).site
    pages = {p.path: p.content for p in render_site(replace(site, harvested=tuple(reviews)))}
    home = pages["index.md"]
    assert "<img" not in home and "&lt;img src=x" in home
    assert "{{ 7*7 }}" in home.replace("&#123;", "{").replace("&#125;", "}") and "49" not in home


def test_sources_must_be_https_or_this_machine_and_are_reported_with_their_line(tmp_path):
    briefings = tmp_path / "briefings"
    briefings.mkdir()
    (briefings / "_sources.yml").write_text("sources:\n  - url: https://a.example/data/reviews.json\n"
                                            "  - url: http://b.example/data/reviews.json\n"
                                            "  - url: file:///etc/passwd\n  - url: http://127.0.0.1:8000/data/reviews.json\n")
    sources, problems = harvest.read_sources(briefings, "briefings/_sources.yml")
    assert [s.url for s in sources] == ["https://a.example/data/reviews.json", "http://127.0.0.1:8000/data/reviews.json"]
    assert [str(p) for p in problems] == [
        f"briefings/_sources.yml:{n}: sources[{i}].url: give an address starting https:// (http:// only for 127.0.0.1, this machine)"
        for n, i in ((3, 1), (4, 2))]


class _Hostile(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/drip":  # a byte at a time, each within the socket's timeout
            self.send_response(200)
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(40):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            return
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://example.com/data/reviews.json")
            self.end_headers()
            return
        body = b"[" * 2000 if self.path == "/big" else b"not json"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the fetch stops reading at its limit
            self.wfile.write(body)


@pytest.fixture(scope="module")
def hostile():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path, limit, timeout, reason", [
    ("/slow", 1000, 0.5, "it could not be reached"),
    ("/drip", 1000, 0.5, "it took too long to send its data"),
    ("/big", 1000, 5, "it is over 1,000 bytes"),
    ("/redirect", 1000, 5, "it redirects to http://example.com/data/reviews.json, which is not allowed"),
    ("/text", 1000, 5, "it is not JSON in UTF-8"),
])
def test_a_fetch_has_a_time_limit_a_size_limit_and_follows_no_redirect_out(hostile, path, limit, timeout, reason):
    with pytest.raises(FetchFailed) as failed:
        harvest.fetch(hostile + path, timeout=timeout, limit=limit)
    assert str(failed.value).startswith(reason), str(failed.value)


def test_a_fetch_refuses_an_address_that_is_not_https():
    with pytest.raises(FetchFailed, match="give an address starting https://"):
        harvest.fetch("http://example.com/data/reviews.json")


def test_a_source_no_longer_listed_loses_its_harvest(tmp_path, record_data):
    root = make_project(tmp_path, {})
    (root / "briefings" / "_sources.yml").write_text("sources:\n  - url: https://north.example/data/reviews.json\n")
    said, problems, ok = harvest_check.run_harvest(root, fetch=lambda url: record_data)
    assert ok and problems == [] and said == ["https://north.example/data/reviews.json: 2 records fetched"]
    stored = list((root / "briefings" / "_harvested").glob("*.json"))
    assert len(stored) == 1 and re.fullmatch(r"north-example-data-reviews-json-[0-9a-f]{8}\.json", stored[0].name)
    (root / "briefings" / "_sources.yml").write_text("sources: []\n")
    said, _, _ = harvest_check.run_harvest(root, fetch=lambda url: record_data)
    assert said == [f"briefings/_harvested/{stored[0].name}: removed, as its source is no longer listed"]
    assert not stored[0].exists()


def test_a_record_whose_id_a_review_here_already_has_is_left_out(record_data):
    reviews, problems = _check(record_data, taken={"child-n-2024"})
    assert [r.id for r in reviews] == ["child-m-2024"]
    assert [str(p) for p in problems] == [
        "briefings/_harvested/x.json: warning: reviews[0]: https://north.example/data/reviews.json record 1 (child-n-2024): "
        "the id 'child-n-2024' is already used by another review listed here; the record is left out"]


def test_check_warns_about_a_mistake_in_the_sources_file_and_the_build_is_not_stopped(tmp_path):
    root = make_project(tmp_path, {"child-z-2024.yml": minimal()})
    (root / "briefings" / "_sources.yml").write_text("sources:\n  - url: ftp://a.example/data/reviews.json\n")
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stderr
    assert ("briefings/_sources.yml:2: warning: sources[0].url: give an address starting https:// (http:// only for "
            "127.0.0.1, this machine)") in result.stderr
