"""Review dates: the review-by default, the checks on dates, overdue briefings in `check`, and the
full report that gives way to "available on request"."""
import html
import datetime as dt

import pytest

from generator.model.types import PartialDate
from generator.site import load_site
from generator.pages.site import render_site
from generator.check.dates import add_months

from conftest import make_project, minimal, run_cli


def with_dates(extra: str, published: str = "2024-01", publication: str = "") -> str:
    text = minimal(published=published).replace(f"  published: {published}\n", f"  published: {published}\n{extra}")
    return text + publication


def review_for(tmp_path, text, **kwargs):
    make_project(tmp_path, {"child-z-2024.yml": text})
    result = load_site(tmp_path, **kwargs)
    assert result.ok, result.problems
    return result.site.reviews[0]


@pytest.mark.parametrize("start, months, expected", [
    (PartialDate(2024, 1), 24, PartialDate(2026, 1)),
    (PartialDate(2024, 11), 3, PartialDate(2025, 2)),
    (PartialDate(2024, 1, 31), 1, PartialDate(2024, 2, 29)),
    (PartialDate(2016), 24, PartialDate(2018)),
])
def test_add_months_keeps_the_kind_of_date(start, months, expected):
    assert add_months(start, months) == expected


def test_review_by_defaults_to_publication_plus_the_site_period(tmp_path):
    assert review_for(tmp_path, minimal()).review_by == PartialDate(2026, 1)


def test_review_by_counts_from_the_last_review_and_the_site_period_is_configurable(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": with_dates("  last_reviewed: 2025-03-10\n")})
    site_file = tmp_path / "briefings" / "_site.yml"
    site_file.write_text(site_file.read_text() + "review_period_months: 12\n")
    review = load_site(tmp_path).site.reviews[0]
    assert (review.last_reviewed, review.review_by) == (PartialDate(2025, 3, 10), PartialDate(2026, 3, 10))


def test_an_explicit_review_by_wins(tmp_path):
    assert review_for(tmp_path, with_dates("  review_by: 2030-06\n")).review_by == PartialDate(2030, 6)


@pytest.mark.parametrize("today, overdue", [(dt.date(2026, 1, 31), False), (dt.date(2026, 2, 1), True)])
def test_overdue_is_the_day_after_the_review_by_month_ends(tmp_path, today, overdue):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    problems = [str(p) for p in load_site(tmp_path, today=today, overdue=True).problems]
    assert problems == ([
        "briefings/child-z-2024.yml:10: warning: dates.published: the briefing was due to be checked by "
        "January 2026 (24 months after it was published), so its pages now tell readers it may be out of "
        "date; check it, then set dates.last_reviewed to the day you did"] if overdue else [])


def test_a_build_does_not_warn_about_overdue_briefings(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    assert load_site(tmp_path, today=dt.date(2040, 1, 1)).problems == []


def test_check_lists_overdue_briefings_and_strict_fails_on_them(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": with_dates("  review_by: 2024-06\n"),
                            "child-y-2024.yml": minimal(id="child-y-2024").replace(
                                "  published: 2024-01\n", "  published: 2024-01\n  review_by: 2100-01\n")})
    plain, strict = run_cli(tmp_path, "check"), run_cli(tmp_path, "check", "--strict")
    assert plain.returncode == 0 and strict.returncode == 1
    assert strict.stderr.splitlines() == [
        "briefings/child-z-2024.yml:11: warning: dates.review_by: the briefing was due to be checked by June 2024, "
        "so its pages now tell readers it may be out of date; check it, then set dates.last_reviewed to the day "
        "you did",
        "0 errors, 1 warning."]
    assert run_cli(tmp_path, "check", "--strict", "briefings/child-y-2024.yml").returncode == 0


@pytest.mark.parametrize("extra, publication, expected", [
    ("  last_reviewed: 2023-05\n", "",
     "briefings/child-z-2024.yml:11: dates.last_reviewed: May 2023 is before the published date (January 2024); "
     "check both dates"),
    ("  review_by: 2024-13\n", "",
     "briefings/child-z-2024.yml:11: dates.review_by: found '2024-13'; there is no month 13; months run from 01 to 12"),
    ("", "publication:\n  full_report_until: 2025-01\n",
     "briefings/child-z-2024.yml:26: publication.full_report_until: says until when the full report is online, "
     "but there is no full_report_url; add the report's address or remove this date"),
    ("", "publication:\n  full_report_url: https://example.org/r.pdf\n  full_report_until: 2023-12\n",
     "briefings/child-z-2024.yml:27: publication.full_report_until: December 2023 is before the published date "
     "(January 2024); check both dates"),
])
def test_date_mistakes_name_the_line(tmp_path, extra, publication, expected):
    make_project(tmp_path, {"child-z-2024.yml": with_dates(extra, publication=publication)})
    assert [str(p) for p in load_site(tmp_path).problems] == [expected]


def test_pages_carry_the_dates_for_the_browser_to_decide(tmp_path):
    text = with_dates("  last_reviewed: 2025-03-10\n", publication=(
        "publication:\n  full_report_url: https://example.org/r.pdf\n  full_report_until: 2025-01\n"))
    make_project(tmp_path, {"child-z-2024.yml": text})
    pages = {p.path: html.unescape(p.content) for p in render_site(load_site(tmp_path).site)}
    for path in ("reviews/child-z-2024/index.md", "reviews/child-z-2024/learning-brief.md"):
        page = pages[path]
        assert ('Last reviewed <time datetime="2025-03-10">10 March 2025</time> · Review by '
                '<time datetime="2027-03-10">10 March 2027</time>') in page
        assert ('<details class="sb-overdue" data-pagefind-ignore="all" data-sb-show-after="2027-03-10" hidden>\n'
                '<summary>This briefing may be out of date: it was due to be checked by 10 March 2027</summary>') in page
        assert '<span data-sb-hide-after="2025-01-31"><a href="https://example.org/r.pdf">' in page
        assert ('<span data-sb-show-after="2025-01-31" hidden>The full report was online until '
                '<time datetime="2025-01">January 2025</time>. It is available on request from '
                '<a href="mailto:learning@example.org.uk">learning@example.org.uk</a>.</span>') in page


@pytest.mark.build
def test_built_pages_keep_the_hidden_alternatives_for_the_browser(tmp_path):
    from conftest import make_buildable

    text = with_dates("", publication=(
        "publication:\n  full_report_url: https://example.org/r.pdf\n  full_report_until: 2025-01\n"))
    project = make_buildable(make_project(tmp_path, {"child-z-2024.yml": text}))
    result = run_cli(project, "build")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    for page in ("reviews/child-z-2024/index.html", "reviews/child-z-2024/learning-brief/index.html"):
        html = (project / "site" / page).read_text()
        assert '<details class="sb-overdue" data-pagefind-ignore="all" data-sb-show-after="2026-01-31" hidden="">' in html
        assert '<span data-sb-hide-after="2025-01-31"><a href="https://example.org/r.pdf">' in html
        assert '<span data-sb-show-after="2025-01-31" hidden="">The full report was online until' in html
        assert '<script src="../../' in html and 'assets/javascripts/review-dates.js"></script>' in html
