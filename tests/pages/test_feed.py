"""The Atom feed (RFC 4287): required elements, absolute addresses, newest first, no drafts."""
import xml.etree.ElementTree as ET

from generator.pages.views import feed
from generator.pages.reports import render_feed
from generator.pages.environment import make_environment

from review_fixtures import child, load, review

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_of(site):
    pages = render_feed(make_environment(site), site)
    return {p.path: p.content for p in pages}


def test_feed_is_valid_atom_newest_first_with_absolute_links(tmp_path):
    site = load(tmp_path,
                review("old-2023", child("Amy", age=3), published="2023-06"),
                review("new-2024", child("Ben & Co", age=3), published="2024-02-10"),
                review("mid-2023", child("Cal", age=3), published="2023-11"),
                review("draft-2024", child("Secretname", age=3), status="draft"),
                review("later-2999", child("Latername", age=3), published="2999-01"))
    text = feed_of(site)["feed.xml"]
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.findtext(f"{ATOM}id") == "https://learning.example.org.uk/"
    assert root.findtext(f"{ATOM}updated") == "2024-02-10T00:00:00Z"  # from the newest review, not the clock
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "https://learning.example.org.uk/feed.xml"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"https://learning.example.org.uk/reviews/{id}/" for id in ("new-2024", "mid-2023", "old-2023")]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2024-02-10T00:00:00Z", "2023-11-01T00:00:00Z", "2023-06-01T00:00:00Z"]
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "Ben & Co: Local child safeguarding practice review"
    assert first.findtext(f"{ATOM}summary") == "A short summary."
    assert first.find(f"{ATOM}link").get("href") == "https://learning.example.org.uk/reviews/new-2024/"
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == ["neglect"]
    for secret in ("Secretname", "Latername", "draft-2024", "later-2999"):
        assert secret not in text


def test_feed_holds_only_the_newest_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(feed, "FEED_LIMIT", 2)
    site = load(tmp_path, *(review(f"r-202{n}", child("Amy", age=3), published=f"202{n}-01") for n in range(4)))
    root = ET.fromstring(feed_of(site)["feed.xml"].encode("utf-8"))
    assert [e.findtext(f"{ATOM}id")[-7:-1] for e in root.iter(f"{ATOM}entry")] == ["r-2023", "r-2022"]


def test_no_feed_without_a_public_address(tmp_path):
    site = load(tmp_path, review("a-2024", child("Amy", age=3)), settings={"base_url": None})
    assert feed_of(site) == {}
