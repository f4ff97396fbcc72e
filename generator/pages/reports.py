"""Pages and files made across all published reviews: the recommendations tracker, the
statistics page with its CSV files, the monthly digest and the Atom feed."""
from __future__ import annotations

import jinja2

from generator.pages.views import digest
from generator.pages.views import feed
from generator.pages.views import statistics
from generator.pages.views import tracker
from generator.model.types import Partnership, Site
from generator.pages.environment import Page, _render

TRACKER_PATH = tracker.TRACKER_PATH
STATISTICS_PATH = "statistics/index.md"
DIGEST_PATH = "whats-new/index.md"


def render_reports(env: jinja2.Environment, site: Site, listed: Site | None = None) -> list[Page]:
    """`listed` (the site with its harvested reviews) feeds the tracker and statistics; what's new
    and the feed are of this site's own reviews."""
    listed = listed or site
    return [*render_tracker(env, listed), *render_statistics(env, listed), *render_digest(env, site),
            *render_feed(env, site)]


def render_tracker(env: jinja2.Environment, site: Site) -> list[Page]:
    """The tracker's pages: one for a small site, split by partnership and year for a large one."""
    root = tracker.tracker_pages(site)
    partnerships = () if root.parts else site.partnerships  # a split tracker has a page per partnership
    return [_render(env, "tracker.md.j2", page.source, page=page, partnerships=partnerships,
                    statuses=(*tracker.STATUSES, tracker.NOT_STATED)) for page in root.pages()]


def render_statistics(env: jinja2.Environment, site: Site) -> list[Page]:
    """The statistics page, and on a site with several partnerships one for each of them."""
    charts, parts = statistics.site_statistics(site)
    pages = _statistics_page(env, STATISTICS_PATH, site, charts, parts=parts)
    for part in parts:
        pages += _statistics_page(env, part.source, part.site, part.charts, partnership=part.partnership)
    return pages


def _statistics_page(env: jinja2.Environment, path: str, site: Site, charts: tuple[statistics.Breakdown, ...],
                     partnership: Partnership | None = None,
                     parts: tuple[statistics.PartnershipStatistics, ...] = ()) -> list[Page]:
    page = _render(env, "statistics.md.j2", path, charts=charts, review_count=len(site.reviews),
                   partnership=partnership, parts=parts, chart_width=statistics.CHART_WIDTH,
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
