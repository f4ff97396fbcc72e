from pathlib import Path

from generator.load.documents import load_file, load_text


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


def test_nesting_past_ten_levels_is_refused_however_deep_without_a_crash():
    # 500 deep raised RecursionError; 100,000 deep crashed libyaml's composer (a segmentation fault)
    for text in ("a: " + "[" * 500 + "]" * 500 + "\n", "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
                 "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)) + "  " * 40 + "v: 1\n",
                 "- " * 5000 + "x\n"):
        doc, problems = load_text("f.yml", text)
        assert doc is None and len(problems) == 1
        assert "nested more than 10 deep here, and a review needs 6 at most" in problems[0].message
    doc, problems = load_text("f.yml", "a: " + "[" * 9 + "]" * 9 + "\n")
    assert problems == [] and doc is not None  # ten levels (the file's fields, then nine lists) are read


def test_an_alias_is_named_on_the_line_that_uses_it():
    _, problems = load_text("f.yml", "a: &x [1, 2]\nb:\n  - *x\n")
    assert [str(p) for p in problems] == [
        "f.yml:3: b[1]: uses a YAML alias (*name); write the value out in full instead"]


def _lost(text: str) -> dict:
    doc, problems = load_text("f.yml", text)
    assert problems == []
    return {path: line for path, (line, _) in doc.lost.items()}


def test_text_yaml_would_drop_after_a_hash_is_noted_with_its_line():
    assert _lost("t: Audit case files (as in recommendation #3) where\n") == {("t",): 1}
    assert _lost("t: First line\n  second # lost\nu: x\n") == {("t",): 2}  # a folded line
    assert _lost("t: First line\n  second\n  #hashtag\nu: x\n") == {("t",): 3}  # a line of its own
    assert _lost("t:\n  - Share what you know # lost\n  - Ask\n") == {("t", 0): 2}
    assert _lost("t: [one, two # lost\n  , three]\n") == {("t", 1): 1}  # after a flow list item
    assert _lost("t: [one, # lost\n  two]\n") == {("t", 0): 1}
    assert _lost("t: {a: one # lost\n  , b: two}\n") == {("t", "a"): 1}
    assert _lost("t: café über # lost\n") == {("t",): 1}  # columns count characters, not bytes
    assert _lost("t: >\n    para one\n  # less indented than the text\nu: x\n") == {("t",): 3}


def test_notes_that_are_notes_are_not_noted():
    assert _lost("t: First line\n# a note between fields\nu: x\n") == {}
    assert _lost("t: \"quoted\" # a note after quotes\n") == {}
    assert _lost("t: [one, two] # a note after the list\n") == {}
    assert _lost("t:\n  - one\n  # a note between items\n  - two\n") == {}
    assert _lost("t: >\n  para one\n  # inside the block this is text\nu: x\n") == {}
    assert _lost("t: | # a note on the block's first line\n  text\n") == {}
    assert _lost("f:\n  - n: 1\n    s: S\n  # a note before the next item\n  - n: 2\n") == {}


def test_a_link_is_refused_and_never_followed(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root: secret-hash-of-root\n")
    link = tmp_path / "review.yml"
    link.symlink_to(secret)
    doc, problems = load_file(link, "briefings/review.yml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "briefings/review.yml: is a symbolic link (a shortcut to another file); put the file itself here, "
        "not a link to it"]


def test_a_pipe_and_a_folder_are_refused_without_waiting(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.yml")  # reading it would wait for a writer for ever
    (tmp_path / "folder.yml").mkdir()
    for name in ("pipe.yml", "folder.yml"):
        doc, problems = load_file(tmp_path / name, name)
        assert doc is None and [p.message for p in problems] == [
            "is not a plain file (a folder, a device or a pipe); remove it from briefings/"]


def test_the_line_of_a_character_in_a_text():
    doc, _ = load_text("f.yml", "a: |\n  one\n  two\nb: >\n  one\n  two\nc: one\n  two\n")
    assert doc.line_in(("a",), 1) == 3  # the second line of the block
    assert doc.line_in(("b",), 1) == 5  # folded: the first line of the text
    assert doc.raw[("c",)] == "one two" and doc.line_in(("c",), 0) == 7  # a plain value folds its lines into one
