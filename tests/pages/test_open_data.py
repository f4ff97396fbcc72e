"""Open data: data/reviews.json and its schema, the CSV tables, each review's review.json, and the
schema.org JSON-LD in each review page's head."""
import csv
import io
import json
import re

import jsonschema
import pytest

from conftest import REPO, make_buildable, make_project, minimal, run_cli
from generator.output import last_gate
from generator.check import privacy
from generator.pages.views import open_data
from generator.site import load_site

HOSTILE = '</script><script>alert(1)</script> & <!-- "quoted"'
RECOMMENDATIONS = """\
recommendations:
  - number: 1
    to: =HYPERLINK("x")
    text: Review the plan every month.
    status: in progress
    due: 2025-06
"""


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(open_data.SCHEMA_SOURCE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_example_sites_records_follow_the_schema_and_hold_every_published_review():
    site = load_site(REPO).site
    files = open_data.data_files(site)
    data = json.loads(files[open_data.DATA_PATH])
    validator().validate(data)
    assert data["version"] == open_data.VERSION and re.fullmatch(r"1\.\d+\.\d+", data["version"])
    assert [r["id"] for r in data["reviews"]] == [r.id for r in site.reviews]
    patricia = next(r for r in data["reviews"] if r["id"] == "patricia-2020")
    assert patricia["pseudonyms"] == ["Patricia"]
    assert patricia["children"] == [{"pseudonym": "Patricia", "age_band": "10-15", "sex": "female",
                                     "outcome": "seriously harmed"}]
    assert {"id": "trauma-informed-practice", "name": "Trauma-informed practice"} in patricia["themes"]
    assert patricia["findings"][0] == {"number": 1, "title": "Trauma-informed approaches",
                                       "themes": ["trauma-informed-practice"]}
    base = site.settings.base_url.rstrip("/")
    assert patricia["addresses"] == {
        "briefing": f"{base}/reviews/patricia-2020/", "learning_brief": f"{base}/reviews/patricia-2020/learning-brief/",
        "pdf": f"{base}/reviews/patricia-2020/patricia-2020-seven-minute-briefing.pdf",
        "slides": f"{base}/reviews/patricia-2020/patricia-2020-slides.pptx",
        "record": f"{base}/reviews/patricia-2020/review.json"}
    tables = {path: list(csv.reader(io.StringIO(files[path]))) for path in (open_data.REVIEWS_CSV, open_data.RECOMMENDATIONS_CSV)}
    assert [row[0] for row in tables[open_data.REVIEWS_CSV][1:]] == [r.id for r in site.reviews]
    assert len(tables[open_data.RECOMMENDATIONS_CSV]) - 1 == sum(len(r.recommendations) for r in site.reviews)


@pytest.mark.parametrize("change, field", [
    (lambda r: r["pseudonyms"].append("<b>Child</b>"), "pseudonyms"),
    (lambda r: r.pop("id"), "id"),
    (lambda r: r.update(script="x"), "script"),
    (lambda r: r["addresses"].update(briefing="javascript:alert(1)"), "briefing"),
    (lambda r: r["themes"].append({"id": "Not An Id", "name": "x"}), "themes"),
])
def test_the_schema_refuses_a_record_with_markup_a_missing_or_unknown_field_or_a_script_address(change, field):
    site = load_site(REPO).site
    data = json.loads(open_data.data_files(site)[open_data.DATA_PATH])
    change(data["reviews"][0])
    errors = list(validator().iter_errors(data))
    assert errors and any(field in json.dumps(list(e.absolute_path)) + e.message for e in errors)


def test_json_ld_is_safe_inside_a_script_element_and_reads_back_the_same(tmp_path):
    root = make_project(tmp_path, {"child-z-2024.yml": minimal().replace("A short summary.", json.dumps(HOSTILE))})
    site = load_site(root).site
    out = open_data.json_ld(site, site.reviews[0])
    assert not set(out) & set("<>&")
    assert json.loads(out)["abstract"] == HOSTILE and json.loads(out)["@type"] == "Report"


def test_no_csv_cell_can_run_as_a_formula(tmp_path):
    root = make_project(tmp_path, {"child-z-2024.yml": minimal() + RECOMMENDATIONS})
    table = open_data.data_files(load_site(root).site)[open_data.RECOMMENDATIONS_CSV]
    row = list(csv.reader(io.StringIO(table)))[1]
    assert row[:6] == ["child-z-2024", "Example Partnership", "1", "'=HYPERLINK(\"x\")", "in progress", "2025-06"]


def test_the_last_gate_reads_a_name_written_with_escapes_in_a_json_file(tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps({"reviews": [{"summary": "Jor\u00addan Smith\u00e9son"}]}))  # ASCII: \u00ad, \u00e9
    denylist = privacy.Denylist(salt=b"s")
    denylist.add_clear("Jordan Smithéson", "test")
    texts, _ = last_gate.file_texts(path)
    assert not denylist.find(texts[0]) and denylist.find(texts[1])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    reviews = {"child-z-2024.yml": minimal().replace("A short summary.", json.dumps(HOSTILE)) + RECOMMENDATIONS,
               "held-draft.yml": minimal(id="held-draft", status="draft").replace("Child Z", "Child Quillfeather")}
    root = make_buildable(make_project(tmp_path_factory.mktemp("open-data"), reviews))
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site", load_site(root).site


@pytest.mark.build
def test_a_build_publishes_the_records_the_schema_and_the_tables(built):
    site_dir, site = built
    data = json.loads((site_dir / "data" / "reviews.json").read_text(encoding="utf-8"))
    validator().validate(data)
    assert json.loads((site_dir / "data" / "reviews.schema.json").read_text()) == json.loads(open_data.SCHEMA_SOURCE.read_text())
    record = json.loads((site_dir / "reviews" / "child-z-2024" / "review.json").read_text(encoding="utf-8"))
    validator().validate(record)
    assert record["reviews"] == data["reviews"] and data["reviews"][0]["summary"] == HOSTILE
    assert data["reviews"][0]["recommendations"] == [{"number": 1, "text": "Review the plan every month.",
                                                       "to": '=HYPERLINK("x")', "status": "in progress", "due": "2025-06"}]
    for name in ("reviews.csv", "recommendations.csv"):
        assert "child-z-2024" in (site_dir / "data" / name).read_text()
    everything = "".join(p.read_text(errors="replace") for p in [*(site_dir / "data").iterdir()])
    assert "held-draft" not in everything and "Quillfeather" not in everything
    assert not (site_dir / "reviews" / "held-draft").exists()


@pytest.mark.build
@pytest.mark.parametrize("page", ["index.html", "learning-brief/index.html"])
def test_each_review_page_has_its_json_ld_in_the_head_untouched_by_the_sanitiser(built, page):
    site_dir, site = built
    html = (site_dir / "reviews" / "child-z-2024" / page).read_text(encoding="utf-8")
    head = html[:html.index("</head>")]
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.S)
    assert scripts == [str(open_data.json_ld(site, site.reviews[0]))]
    assert json.loads(scripts[0])["abstract"] == HOSTILE
    assert html.count("<script>alert(1)") == 0
    other = (site_dir / "themes" / "neglect" / "index.html").read_text(encoding="utf-8")
    assert "application/ld+json" not in other
