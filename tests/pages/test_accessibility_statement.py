"""The accessibility statement follows the GOV.UK sample statement and says what the tests check."""
import re

from generator.site import load_site
from generator.pages.site import render_site

from conftest import REPO

GOV_UK_SECTIONS = [
    "How accessible this website is", "Feedback and contact information",
    "Reporting accessibility problems with this website", "Enforcement procedure",
    "Technical information about this website's accessibility", "Compliance status",
    "Non-accessible content", "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def statement() -> str:
    site = load_site(REPO).site
    return next(p.content for p in render_site(site) if p.path == "about/accessibility.md")


def test_the_statement_has_the_gov_uk_sections_in_order():
    headings = [re.sub(r"\s*\{.*\}$", "", h) for h in re.findall(r"(?m)^#{2,4} (.+)$", statement())]
    assert [h for h in headings if h in GOV_UK_SECTIONS] == GOV_UK_SECTIONS


def test_the_statement_takes_its_details_from_the_site_settings():
    text = statement()
    settings = load_site(REPO).site.settings
    assert f"We plan to have this done by {settings.accessibility_fix_by}." in text
    assert f"get back to you in {settings.accessibility_response_days} working days" in text
    assert f"mailto:{settings.contact_email}" in text
    assert "Equality Advisory and Support Service" in text


def test_the_statement_names_the_checks_the_browser_tests_make():
    text = statement()
    for check in ("axe-core", "WCAG 2.0, 2.1 and 2.2", "Tab", "Skip to content", "375 pixels",
                  "16 pixels", "two sides of A4", "Nu HTML Checker", "any other website"):
        assert check in text
