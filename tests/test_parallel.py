"""On a large site the generator's stages use both cores: the result must be exactly what one
process makes, problems and pages in the same order."""
from generator import corpus, parallel
from generator.pipeline import load_site
from generator.rendering import render_site


def test_checking_and_rendering_in_workers_gives_what_one_process_gives(tmp_path, monkeypatch):
    made = corpus.make(9, tmp_path)
    for i, old, new in ((2, "\ntype: ", "\ntype: nonsense-"), (7, "\nsummary: ", "\nsummary: Call 07700 900123. ")):
        path = tmp_path / "briefings" / f"{made.ids[i]}.yml"
        path.write_text(path.read_text().replace(old, new, 1))
    monkeypatch.setattr(parallel, "WORKERS", 1)
    alone = load_site(tmp_path)
    monkeypatch.setattr(parallel, "WORKERS", 2)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    shared = load_site(tmp_path)
    assert [str(p) for p in shared.problems] == [str(p) for p in alone.problems]
    assert {p.file for p in shared.problems} == {f"briefings/{made.ids[i]}.yml" for i in (2, 7)}

    (tmp_path / "briefings" / f"{made.ids[2]}.yml").unlink()
    (tmp_path / "briefings" / f"{made.ids[7]}.yml").unlink()
    site = load_site(tmp_path).site
    assert len(site.reviews) == 7
    in_workers = render_site(site)
    monkeypatch.setattr(parallel, "WORKERS", 1)
    assert render_site(site) == in_workers


def test_chunks_cut_a_list_into_runs_that_join_up_again():
    items = list(range(11))
    parts = parallel.chunks(items, 3)
    assert [len(p) for p in parts] == [3, 4, 4] and sum(parts, []) == items
