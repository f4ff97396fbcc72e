"""A cache entry is written whole or not at all (speed/fingerprint.write_whole)."""
from pathlib import Path

from generator.speed.fingerprint import write_whole


def test_an_entry_is_written_whole_and_a_failed_write_leaves_the_last_one(tmp_path, monkeypatch):
    target = tmp_path / "cache" / "entry.json"
    assert write_whole(target, b"first") and target.read_bytes() == b"first"  # its folder made too

    real = Path.write_bytes

    def disk_full(self, data):  # half of it written, then the disk is full
        real(self, data[:3])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    assert write_whole(target, b"second") is False
    monkeypatch.undo()
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["entry.json"]  # no temporary left behind
