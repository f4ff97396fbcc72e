"""Learning events: checked like the other data files, listed on their page and on each briefing,
and never revealing a review that is not published."""
import html
import textwrap

import pytest

from generator.site import load_site
from generator.pages.site import render_site

from conftest import make_project, minimal

EVENTS = """\
# yaml-language-server: $schema=../generator/schema/events.schema.json
events:
  - date: 2023-03
    until: 2023-05
    title: "Masterclass: professional curiosity"
    format: masterclass
    audience: Practitioners and managers
    reviews:
      - id: child-z-2024
        findings: [1]
  - date: 2024-02-14
    title: "Learning circle: Child Z"
    format: learning circle
    audience: Social workers
    where: Online
  - date: 2030-01-10
    title: "Team briefing: Child Z"
    format: team briefing
    audience: Health visitors
    booking: mailto:learning@example.org.uk
    reviews:
      - id: child-z-2024
"""


def site_with(tmp_path, events, reviews=None):
    make_project(tmp_path, reviews or {"child-z-2024.yml": minimal()})
    (tmp_path / "briefings" / "_events.yml").write_text(textwrap.dedent(events), encoding="utf-8")
    return load_site(tmp_path)


def test_events_are_listed_latest_first_so_upcoming_ones_lead_without_javascript(tmp_path):
    result = site_with(tmp_path, EVENTS)
    assert result.problems == []
    assert [e.title for e in result.site.events] == [
        "Team briefing: Child Z", "Learning circle: Child Z", "Masterclass: professional curiosity"]
    page = html.unescape({p.path: p.content for p in render_site(result.site)}["events.md"])
    assert page.index("Team briefing: Child Z") < page.index("Learning circle: Child Z") < page.index("Masterclass:")
    assert ('<li class="sb-event" id="event-2023-03-masterclass-professional-curiosity" '
            'data-sb-ends="2023-05-31">') in page
    assert '<time datetime="2023-03">March 2023</time> to <time datetime="2023-05">May 2023</time> · Masterclass' in page
    assert ('(finding <a href="../reviews/child-z-2024/#finding-1">1<span class="sb-visually-hidden">: '
            'First finding</span></a>)') in page
    assert '<a href="mailto:learning@example.org.uk">How to book' in page


def test_each_briefing_lists_the_events_that_used_it(tmp_path):
    pages = {p.path: p.content for p in render_site(site_with(tmp_path, EVENTS).site)}
    for path, up in (("reviews/child-z-2024/index.md", "../../"), ("reviews/child-z-2024/learning-brief.md", "../../../")):
        listed = pages[path].split("### Learning events that used it { #events }")[1]
        assert f'<a href="{up}events/#event-2030-01-10-team-briefing-child-z">Team briefing: Child Z</a>' in listed
        assert (f'<a href="{up}events/#event-2023-03-masterclass-professional-curiosity">Masterclass: professional '
                'curiosity</a>: masterclass, <time datetime="2023-03">March 2023</time> (finding '
                '<a href="#finding-1">1</a>)') in listed
        assert "Learning circle" not in listed  # it uses no review


def test_an_event_using_a_draft_is_held_back_and_reveals_nothing(tmp_path):
    events = EVENTS + "      - id: child-secret-2024\n"
    draft = minimal(id="child-secret-2024", status="draft").replace("Child Z", "Child Secretname")
    result = site_with(tmp_path, events, {"child-z-2024.yml": minimal(), "child-secret-2024.yml": draft})
    assert result.problems == []
    assert [e.title for e in result.site.events] == ["Learning circle: Child Z", "Masterclass: professional curiosity"]
    for page in render_site(result.site):
        assert "Team briefing" not in page.content and "secret" not in page.content.lower(), page.path


def test_a_site_without_an_events_file_has_an_empty_events_page(tmp_path):
    make_project(tmp_path, {"child-z-2024.yml": minimal()})
    result = load_site(tmp_path)
    assert result.site.events == ()
    page = {p.path: p.content for p in render_site(result.site)}["events.md"]
    assert "No events are listed yet." in page
    assert "Learning events that used it" not in render_site(result.site)[1].content


@pytest.mark.parametrize("change, expected", [
    (("- id: child-z-2024\n        findings", "- id: child-y-2024\n        findings"),
     "briefings/_events.yml:9: events[1].reviews[1].id: 'child-y-2024' is not the id of any review in "
     "briefings/: did you mean 'child-z-2024'?"),
    (("- id: child-z-2024\n        findings", "- id: patricia\n        findings"),
     "briefings/_events.yml:9: events[1].reviews[1].id: 'patricia' is not the id of any review in "
     "briefings/; use the id written at the top of the review's file"),
    (("findings: [1]", "findings: [1, 3]"),
     "briefings/_events.yml:10: events[1].reviews[1].findings[2]: child-z-2024 has no finding 3: "
     "did you mean 1? Its findings are numbered 1"),
    (("until: 2023-05", "until: 2023-01"),
     "briefings/_events.yml:4: events[1].until: January 2023 is before the event starts (March 2023); "
     "check both dates"),
    (("date: 2024-02-14", "date: 2024-02-30"),
     "briefings/_events.yml:11: events[2].date: found '2024-02-30'; February 2024 has no day 30"),
    (("format: learning circle", "format: learning circel"),
     "briefings/_events.yml:13: events[2].format: found 'learning circel': did you mean 'learning circle'? "
     "Use one of: learning circle, practitioner event, masterclass, team briefing, workshop, webinar, "
     "conference, training course, partnership meeting, other"),
    (("    audience: Social workers\n", "    audiense: Social workers\n"),
     "briefings/_events.yml:11: events[2].audience: is missing; add 'audience:' with a line of text"),
    (("title: \"Team briefing: Child Z\"", "title: \"Learning circle: Child Z\"\n    date: 2024-02-14"),
     "briefings/_events.yml:18: events[3].date: this field appears twice (first on line 16); YAML would "
     "keep only the last one, so merge them or delete one"),
    (("        findings: [1]\n", "        findings: [1]\n      - id: child-z-2024\n"),
     "briefings/_events.yml:11: events[1].reviews[2].id: lists child-z-2024 twice; list it once, with all "
     "the findings it uses"),
])
def test_mistakes_in_the_events_file_name_the_line_and_the_nearest_match(tmp_path, change, expected):
    old, new = change
    assert EVENTS.count(old) == 1
    result = site_with(tmp_path, EVENTS.replace(old, new))
    assert expected in [str(p) for p in result.problems]
    assert result.site is None


def test_the_same_event_twice_is_an_error(tmp_path):
    twice = EVENTS + EVENTS.split("events:\n")[1].split("  - date: 2024-02-14")[0]
    assert [str(p) for p in site_with(tmp_path, twice).problems] == [
        "briefings/_events.yml:23: events[4]: an event with this date and title is already listed (line 3); "
        "remove the repeat or tell the two apart in their titles"]


def test_the_example_events_come_from_the_seeds():
    from conftest import REPO

    site = load_site(REPO).site
    titles = {e.title: e for e in site.events}
    assert {"Practitioner event: Child F", "Learning circles: Child F",
            "Yorkshire and Humber masterclass series: professional curiosity"} <= set(titles)
    f = next(r for r in site.reviews if r.id == "child-f-2022")
    assert {e.title for e in site.events_for(f)} == {"Practitioner event: Child F", "Learning circles: Child F"}
