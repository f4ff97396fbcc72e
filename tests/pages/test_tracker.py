"""The recommendations tracker and each learning brief's progress counts."""
import re

from generator.pages.reports import render_tracker
from generator.pages.environment import make_environment
from generator.pages.site import render_site
from generator.pages.views.tracker import review_status_counts, site_items

from review_fixtures import child, load, review

TRACKED = """\
recommendations:
  - number: 1
    text: Review the escalation policy.
    to: Partnership board
    status: assured
    due: 2024-03
  - number: 2
    text: Train school nurses.
    to: School Nursing Service
    status: in progress
    due: 2024-06-15
actions:
  - action: Audit the records.
    owner: Children's social care
"""
FINDING_ACTION = """\
    actions:
      - action: Write a new referral form.
        owner: Partnership board
        status: not started
"""


def sites(tmp_path):
    with_finding_action = review("b-2023", child("Bee", age=3), published="2023-01").replace(
        "    themes: [information-sharing]\n", "    themes: [information-sharing]\n" + FINDING_ACTION)
    return load(tmp_path, review("a-2024", child("Ay", age=4), extra=TRACKED), with_finding_action,
                review("draft-2024", child("Dee", age=4), status="draft",
                       extra=TRACKED.replace("Train school nurses", "Secret draft item")))


def test_every_recommendation_and_action_with_agency_status_and_due(tmp_path):
    items = site_items(sites(tmp_path))
    assert [(i.review.id, i.label, i.agency, i.status_name, i.due_by) for i in items] == [
        ("a-2024", "Recommendation 1", "Partnership board", "assured", "2024-03-31"),
        ("a-2024", "Recommendation 2", "School Nursing Service", "in progress", "2024-06-15"),
        ("a-2024", "Action", "Children's social care", "not stated", ""),
        ("b-2023", "Action on finding 1", "Partnership board", "not started", ""),
    ]
    assert [i.open for i in items] == [False, True, True, True]
    assert items[3].target == "reviews/b-2023/learning-brief.md#finding-1"


def test_tracker_rows_carry_the_filter_attributes_and_the_filters_list_each_choice(tmp_path):
    site = sites(tmp_path)
    (page,) = render_tracker(make_environment(site), site)
    text = page.content
    assert page.path == "tracker.md"
    rows = re.findall(r"<tr data-agency=\"([^\"]*)\" data-status=\"([^\"]*)\" data-due=\"([^\"]*)\" "
                      r"data-open=\"(yes|no)\">", text)
    assert rows == [("partnership-board", "assured", "2024-03-31", "no"),
                    ("school-nursing-service", "in-progress", "2024-06-15", "yes"),
                    ("children-s-social-care", "not-stated", "", "yes"),
                    ("partnership-board", "not-started", "", "yes")]
    agencies = re.findall(r'<option value="([^"]*)">([^<]*)<', text[text.index('id="sb-tracker-agency"'):
                                                                   text.index('id="sb-tracker-status"')])
    assert agencies == [("", "All agencies"), ("children-s-social-care", "Children&#x27;s social care"),
                        ("partnership-board", "Partnership board"), ("school-nursing-service", "School Nursing Service")]
    statuses = re.findall(r'<option value="([^"]*)">', text[text.index('id="sb-tracker-status"'):])
    assert statuses == ["", "not-started", "in-progress", "assured", "not-stated"]
    assert 'data-filter="overdue"' in text and 'class="sb-overdue-cell"' in text
    assert '<a href="../reviews/b-2023/learning-brief/#finding-1">Action on finding 1' in text
    assert "4 recommendations and actions from 2 reviews: 1 not started, 1 in progress, 1 assured, 1 not stated." in text
    assert "Secret draft item" not in text and "draft-2024" not in text


def test_each_learning_brief_counts_its_items_by_status(tmp_path):
    site = sites(tmp_path)
    a = next(r for r in site.reviews if r.id == "a-2024")
    assert [(c.status, c.count) for c in review_status_counts(a)] == [
        ("in progress", 1), ("assured", 1), ("not stated", 1)]
    pages = {p.path: p.content for p in render_site(site)}
    brief = pages["reviews/a-2024/learning-brief.md"]
    assert "## Progress on recommendations { #progress }" in brief
    assert "This review has 3 recommendations and actions: 1 in progress, 1 assured, 1 not stated." in brief
    assert "[recommendations tracker](../../tracker.md)" in brief


def test_a_review_with_nothing_to_track_has_no_progress_section(tmp_path):
    site = load(tmp_path, review("c-2024", child("Cee", age=4)))
    assert "{ #progress }" not in {p.path: p.content for p in render_site(site)}["reviews/c-2024/learning-brief.md"]


def test_each_review_says_once_what_its_items_leave_out(tmp_path):
    site = sites(tmp_path)
    (page,) = render_tracker(make_environment(site), site)
    text = page.content
    assert "Not stated" not in text[text.index('<table class="sb-tracker"'):]
    headings = re.findall(r'<th scope="rowgroup" colspan="5">(.*?)</th>', text)
    assert len(headings) == 2
    assert headings[0].endswith('<span class="sb-muted">3 recommendations and actions; '
                                'no status given for 1, no due date given for 1</span>')
    assert headings[1].endswith('<span class="sb-muted">1 recommendation or action; no due date given for any</span>')
