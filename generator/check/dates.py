"""When a briefing should be checked again, and when its full report stops being online.

Whether a page is overdue is decided twice: by `check` against today's date (a warning, so
`check --strict` fails), and in the reader's browser (theme/assets/javascripts/review-dates.js),
so that a site built long ago still warns its readers.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

from generator.load.documents import Document
from generator.model.types import PartialDate, Review, Settings
from generator.load.problems import Problem, Severity
from generator.check.review import parse_date  # the same date messages as the other dates


def add_months(date: PartialDate, months: int) -> PartialDate:
    """The same kind of date (year, month or day) a number of months later; 31 Jan + 1 = 28 Feb."""
    if date.month is None:
        return PartialDate(date.year + months // 12)
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    if date.day is None:
        return PartialDate(year, month + 1)
    return PartialDate(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def settle(review: Review, settings: Settings) -> Review:
    """Fill in review_by: from the last review, or else publication, plus the site's period."""
    if review.review_by:
        return review
    start = review.last_reviewed or review.published
    return replace(review, review_by=add_months(start, settings.review_period_months), review_by_worked_out=True)


def is_overdue(review: Review, today: dt.date) -> bool:
    """Past the last day of the review-by date: a month 'June 2025' runs to 30 June."""
    return review.review_by is not None and today > review.review_by.last_day


def overdue_warning(review: Review, doc: Document, settings: Settings, today: dt.date) -> list[Problem]:
    """A warning at the date the review-by date came from (doc gives only where that line is)."""
    if not is_overdue(review, today):
        return []
    if not review.review_by_worked_out:
        field, why = "review_by", ""
    else:
        field = "last_reviewed" if review.last_reviewed else "published"
        why = f" ({settings.review_period_months} months after it was {field.replace('_', ' ')})"
    return [Problem(doc.file, doc.line(("dates", field)), f"dates.{field}", (
        f"the briefing was due to be checked by {review.review_by}{why}, so its pages now tell readers it "
        "may be out of date; check it, then set dates.last_reviewed to the day you did"), Severity.WARNING)]


def check_review_dates(doc: Document) -> list[Problem]:
    """The dates a schema cannot check: real days, and in a sensible order."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    problems: list[Problem] = []
    dates = data.get("dates") if isinstance(data.get("dates"), dict) else {}
    publication = data.get("publication") if isinstance(data.get("publication"), dict) else {}
    parsed = {key: parse_date(doc, place + (key,), source[key], problems)
              for place, source, keys in ((("dates",), dates, ("published", "last_reviewed", "review_by")),
                                          (("publication",), publication, ("full_report_until",)))
              for key in keys if key in source}
    for key, place, after in (("last_reviewed", "dates", "published"), ("review_by", "dates", "published"),
                              ("review_by", "dates", "last_reviewed"),
                              ("full_report_until", "publication", "published")):
        if parsed.get(key) and parsed.get(after) and parsed[key].last_day < parsed[after].first_day:
            problems.append(Problem(doc.file, doc.line((place, key)), f"{place}.{key}",
                                    f"{parsed[key]} is before the {after.replace('_', ' ')} date ({parsed[after]}); "
                                    "check both dates"))
    if "full_report_until" in publication and "full_report_url" not in publication:
        problems.append(Problem(doc.file, doc.line(("publication", "full_report_until")),
                                "publication.full_report_until",
                                "says until when the full report is online, but there is no full_report_url; "
                                "add the report's address or remove this date"))
    return problems

