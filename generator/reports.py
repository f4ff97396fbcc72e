"""Pages and files made across all published reviews: the recommendations tracker, the
statistics page with its CSV files, the monthly digest and the Atom feed."""
from __future__ import annotations

import jinja2

from . import digest, feed, statistics, tracker
from .model import Site
from .rendering import Page, _render

TRACKER_PATH = "tracker.md"
STATISTICS_PATH = "statistics/index.md"
DIGEST_PATH = "whats-new/index.md"


def render_reports(env: jinja2.Environment, site: Site) -> list[Page]:
    return [*render_tracker(env, site), *render_statistics(env, site), *render_digest(env, site),
            *render_feed(env, site)]


def render_tracker(env: jinja2.Environment, site: Site) -> list[Page]:
    items = tracker.site_items(site)
    return [_render(env, "tracker.md.j2", TRACKER_PATH, items=items, agencies=tracker.agencies(items),
                    counts=tracker.status_counts(items), statuses=(*tracker.STATUSES, tracker.NOT_STATED))]


def render_statistics(env: jinja2.Environment, site: Site) -> list[Page]:
    charts = statistics.breakdowns(site)
    page = _render(env, "statistics.md.j2", STATISTICS_PATH, charts=charts, chart_width=statistics.CHART_WIDTH,
                   label_y=statistics.LABEL_Y, bar_y=statistics.BAR_Y, bar_height=statistics.BAR_HEIGHT)
    return [page, *(Page(chart.csv_path, chart.csv()) for chart in charts)]


def render_digest(env: jinja2.Environment, site: Site) -> list[Page]:
    months = digest.months(site)
    pages = [_render(env, "digest-index.md.j2", DIGEST_PATH, months=months, has_feed=feed.has_feed(site))]
    for month in months:
        entries = tuple(digest.entry(review) for review in month.reviews)
        pages.append(_render(env, "digest-month.md.j2", month.source, month=month, entries=entries))
    return pages


def render_feed(env: jinja2.Environment, site: Site) -> list[Page]:
    if not feed.has_feed(site):
        return []
    return [Page(feed.FEED_PATH, env.get_template("feed.xml.j2").render(feed=feed.make_feed(site)))]
