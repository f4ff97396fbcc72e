"""The decisions the browser scripts make, run with Node on fixed dates: when the out-of-date
notice appears, when the full report gives way, which events are upcoming, and what each copy-link
button is called. `make test` installs Node when it is missing."""
import json
import shutil
import subprocess

import pytest

from conftest import REPO

SCRIPTS = REPO / "theme" / "assets" / "javascripts"


def node(script: str, code: str):
    """Load one of the theme's scripts as a module and print the JSON value of `code`."""
    binary = shutil.which("node")
    if binary is None:
        pytest.fail("Node.js is needed for these tests; `make test` installs it")
    program = f"const api = require({json.dumps(str(SCRIPTS / script))});\nconsole.log(JSON.stringify({code}));"
    result = subprocess.run([binary, "-e", program], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("today, shown", [("2026-02-27", False), ("2026-02-28", False), ("2026-03-01", True),
                                          ("2031-01-01", True)])
def test_the_out_of_date_notice_appears_the_day_after_review_by(today, shown):
    assert node("review-dates.js", f"api.isAfter({json.dumps(today)}, '2026-02-28')") is shown


def test_a_missing_or_malformed_date_never_shows_a_notice():
    assert node("review-dates.js", "[api.isAfter('2030-01-01', null), api.isAfter('2030-01-01', '2026-02')]") == \
        [False, False]


def test_the_readers_local_date_is_written_as_iso():
    assert node("review-dates.js", "api.isoDay(new Date(2026, 0, 5, 23, 59))") == "2026-01-05"


FAKE_PAGE = """(function () {
  function el(attrs) {
    return { hidden: attrs.hidden, getAttribute: function (n) { return attrs[n] === undefined ? null : attrs[n]; } };
  }
  var notice = el({"data-sb-show-after": "2026-02-28", hidden: true});
  var link = el({"data-sb-hide-after": "2025-01-31", hidden: false});
  var onRequest = el({"data-sb-show-after": "2025-01-31", hidden: true});
  var doc = {
    querySelectorAll: function (s) {
      return s === "[data-sb-show-after]" ? [notice, onRequest] : s === "[data-sb-hide-after]" ? [link] : [];
    },
    getElementById: function () { return null; }
  };
  api.apply(doc, TODAY);
  return {notice: !notice.hidden, link: !link.hidden, onRequest: !onRequest.hidden};
})()"""


@pytest.mark.parametrize("today, shown", [
    ("2025-01-31", {"notice": False, "link": True, "onRequest": False}),
    ("2025-02-01", {"notice": False, "link": False, "onRequest": True}),
    ("2026-03-01", {"notice": True, "link": False, "onRequest": True}),
])
def test_the_page_shows_what_the_date_decides(today, shown):
    assert node("review-dates.js", FAKE_PAGE.replace("TODAY", json.dumps(today))) == shown


def test_upcoming_events_come_soonest_first_and_past_ones_latest_first():
    events = [{"ends": d} for d in ("2030-05-31", "2026-11-23", "2026-11-22", "2024-01-31", "2025-06-30")]
    split = node("review-dates.js", f"api.splitEvents({json.dumps(events)}, '2026-11-23')")
    assert [e["ends"] for e in split["upcoming"]] == ["2026-11-23", "2030-05-31"]
    assert [e["ends"] for e in split["past"]] == ["2026-11-22", "2025-06-30", "2024-01-31"]


def test_copy_link_buttons_are_named_after_what_they_link_to():
    ids = ["finding-2", "question-10", "learning-3", "good-practice-1", "recommendation-4", "section-1", "events"]
    assert node("copy-link.js", f"{json.dumps(ids)}.map(api.describe)") == [
        "finding 2", "question 10", "learning point 3", "good practice point 1", "recommendation 4", None, None]


def test_the_copied_link_is_the_page_address_and_the_anchor():
    assert node("copy-link.js", "api.linkTo('https://x.org/reviews/a/?q=1#section-1', 'finding-2')") == \
        "https://x.org/reviews/a/#finding-2"
