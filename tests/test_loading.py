from pathlib import Path

from generator.loading import load_file, load_text


def test_values_and_lines_are_kept():
    doc, problems = load_text("f.yml", "id: x\nfindings:\n  - number: 1\n    title: A\n")
    assert problems == []
    assert doc.data == {"id": "x", "findings": [{"number": 1, "title": "A"}]}
    assert doc.line(("findings", 0, "title")) == 4
    assert doc.line(("findings", 0, "missing", "deeper")) == 3  # nearest enclosing value


def test_duplicate_key_is_an_error_naming_both_lines():
    doc, problems = load_text("f.yml", "id: x\ntitle: One\nsummary: s\ntitle: Two\n")
    assert [str(p) for p in problems] == [
        "f.yml:4: title: this field appears twice (first on line 2); YAML would keep only the last one, "
        "so merge them or delete one"]
    assert doc.data["title"] == "One"


def test_dates_stay_text_so_partial_dates_keep_their_form():
    doc, _ = load_text("f.yml", "a: 2020-04-15\nb: 2020-04\nc: 2020\n")
    assert doc.data == {"a": "2020-04-15", "b": "2020-04", "c": 2020}


def test_yaml_booleans_are_recognised_and_their_raw_text_kept():
    doc, _ = load_text("f.yml", "a: no\nb: 'no'\n")
    assert doc.data == {"a": False, "b": "no"}
    assert doc.raw[("a",)] == "no"


def test_alias_bomb_is_refused_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    doc, problems = load_text("f.yml", bomb)
    assert problems and all("alias" in p.message for p in problems)
    assert len(problems) < 100


def test_syntax_error_names_its_line():
    _, problems = load_text("f.yml", "id: x\ntitle: [unclosed\nsummary: s\n")
    assert len(problems) == 1 and problems[0].line in (2, 3, 4)
    assert "not valid YAML" in problems[0].message or "indentation" in problems[0].message


def test_tab_indentation_is_explained():
    _, problems = load_text("f.yml", "id: x\nchildren:\n\t- pseudonym: A\n")
    assert problems[0].line == 3
    assert "tab" in problems[0].message


def test_colon_in_value_is_explained():
    _, problems = load_text("f.yml", "id: x\nsummary: Finding: something\n")
    assert problems[0].line == 2
    assert "put the whole value in quotes" in problems[0].message


def test_empty_file_and_several_documents(tmp_path):
    _, problems = load_text("f.yml", "# only a comment\n")
    assert problems[0].message.startswith("the file is empty")
    _, problems = load_text("f.yml", "a: 1\n---\nb: 2\n")
    assert problems[0].line == 3 and "more than one YAML document" in problems[0].message


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    path = tmp_path / "f.yml"
    path.write_bytes(b"\xef\xbb\xbfid: x\r\ntitle: T\r\n")
    doc, problems = load_file(path)
    assert problems == [] and doc.data == {"id": "x", "title": "T"}
    assert doc.line(("title",)) == 2


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "f.yml"
    path.write_bytes(b"id: x\ntitle: caf\xe9\n")
    _, problems = load_file(path, "briefings/f.yml")
    assert str(problems[0]).startswith("briefings/f.yml:2: ")
    assert "UTF-8" in problems[0].message


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "f.yml"
    path.write_text("a: " + "x" * 2000 + "\n")
    _, problems = load_file(path, max_bytes=1000)
    assert "over the limit of 1,000" in problems[0].message
