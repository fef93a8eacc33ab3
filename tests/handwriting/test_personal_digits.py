"""My digits' store (issue 27.7): a drawing is stored whole or not at all, and says why not."""

from __future__ import annotations

import resource
import signal

import numpy as np
import pytest

from nnviz.handwriting.personal import PersonalDigits

PIXELS = np.zeros((280, 280), np.float32)
PIXELS[60:220, 130:150] = 1.0  # a 1


def test_a_file_where_the_label_folder_belongs_is_refused_with_a_reason(qapp, tmp_path):
    (tmp_path / "7").write_text("not a folder")
    with pytest.raises(OSError, match=r"7: it is a file, not a folder"):
        PersonalDigits(tmp_path).add(PIXELS, 7)
    assert (tmp_path / "7").read_text() == "not a folder" and sorted(p.name for p in tmp_path.iterdir()) == ["7"]


def test_a_full_disk_leaves_nothing_half_written(qapp, tmp_path):
    """A file-size limit of 100 bytes stands in for a full disk: the write fails part-way (EFBIG)."""
    store = PersonalDigits(tmp_path)
    assert store.add(PIXELS, 1).stat().st_size > 100  # (a picture is larger than the limit below)
    old_limit, old_handler = resource.getrlimit(resource.RLIMIT_FSIZE), signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100, old_limit[1]))
    try:
        with pytest.raises(OSError, match="could not write .*png: File too large"):
            store.add(PIXELS, 3)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert not (tmp_path / "3").exists() or list((tmp_path / "3").iterdir()) == []  # no 0-byte PNG, no partial
    assert len(store.load()) == 1
