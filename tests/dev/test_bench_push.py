"""The benchmark's push figures: the moment the served link moves is when the site is live."""
import os
import threading
import time

from generator.dev.bench import LinkWatch


def test_the_watch_notes_when_the_link_first_points_elsewhere(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    link = tmp_path / "current"
    link.symlink_to("a")

    moved = []

    def switch() -> None:
        time.sleep(0.2)
        (tmp_path / ".current.new").symlink_to("b")
        moved.append(time.perf_counter())
        os.replace(tmp_path / ".current.new", link)

    with LinkWatch(link) as watch:
        mover = threading.Thread(target=switch)
        mover.start()
        mover.join()
    assert watch.at is not None and watch.at >= moved[0]  # not before the switch, however loaded the machine


def test_a_link_that_never_moves_gives_no_time(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "current").symlink_to("a")
    with LinkWatch(tmp_path / "current") as watch:
        time.sleep(0.05)
    assert watch.at is None
