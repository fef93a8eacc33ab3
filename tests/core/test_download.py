"""The MNIST download path against a local HTTP server on 127.0.0.1 serving files this test makes."""

import hashlib
import http.server
import threading
from functools import partial

import numpy as np
import pytest

from nnviz.core.data import DatasetError, load_mnist
from nnviz.core.data import mnist as mnist_mod
from tests.core.idx_files import tiny_mnist, write_idx

NAMES = {key: name for key, (name, _) in mnist_mod.MNIST_FILES.items()}


class Server:
    """Serves tmp folders over HTTP on 127.0.0.1 (port 0) and records every requested path."""

    def __init__(self, root):
        self.requests: list[str] = []
        log = self.requests

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):  # quiet, but remember what was asked for
                pass

            def send_head(self):
                log.append(self.path)
                return super().send_head()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def site(tmp_path, monkeypatch):
    """good/ holds a valid tiny MNIST whose MD5s become the published ones; bad/ the same names
    with other content (wrong checksum); missing/ nothing (404). The cache is a tmp folder."""
    root = tmp_path / "www"
    arrays = tiny_mnist()
    files = {}
    for sub in ("good", "bad", "missing"):
        (root / sub).mkdir(parents=True)
    for key, name in NAMES.items():
        good = write_idx(root / "good" / name, arrays[key])
        files[key] = (name, hashlib.md5(good.read_bytes()).hexdigest())
        write_idx(root / "bad" / name, arrays[key] // 2)  # a valid IDX file, but not the published one
    monkeypatch.setattr(mnist_mod, "MNIST_FILES", files)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    cache = tmp_path / "cache" / "mnist"
    monkeypatch.setattr(mnist_mod, "cache_dir", lambda: cache)
    server = Server(root)
    yield server, cache, arrays, root
    server.close()


def set_mirrors(monkeypatch, server, *names):
    mirrors = tuple(server.url + n + "/" for n in names)
    monkeypatch.setattr(mnist_mod, "MIRRORS", mirrors)
    return mirrors


def test_download_lands_in_the_cache_with_progress(site, monkeypatch):
    server, cache, arrays, root = site
    set_mirrors(monkeypatch, server, "good")
    calls = []
    folder = mnist_mod.download_mnist(progress=lambda *a: calls.append(a))
    assert folder == cache
    for name in NAMES.values():
        assert (cache / name).read_bytes() == (root / "good" / name).read_bytes()
    assert all(mnist_mod.verify(cache).values())
    for name in NAMES.values():
        mine = [c for c in calls if c[0] == name]
        size = (root / "good" / name).stat().st_size
        assert mine and mine[-1] == (name, size, size)  # the last report: all bytes of all bytes
    assert sorted(p.name for p in cache.iterdir()) == sorted(NAMES.values())  # no temporary leftovers


def test_load_mnist_downloads_when_nothing_is_found(site, monkeypatch):
    server, cache, arrays, _ = site
    set_mirrors(monkeypatch, server, "good")
    progress = []
    data = load_mnist(progress=lambda *a: progress.append(a))
    assert data.folder == cache and progress
    np.testing.assert_array_equal(data.y_train, arrays["train_labels"])
    np.testing.assert_array_equal(data.x_test, arrays["test_images"].reshape(-1, 784))
    n = len(server.requests)
    load_mnist()  # now found in the cache: no more requests
    assert len(server.requests) == n


def test_a_wrong_checksum_is_rejected_and_the_next_mirror_used(site, monkeypatch):
    server, cache, _, root = site
    set_mirrors(monkeypatch, server, "missing", "bad", "good")
    mnist_mod.download_mnist()
    for name in NAMES.values():
        assert (cache / name).read_bytes() == (root / "good" / name).read_bytes()
        tried = [p for p in server.requests if p.endswith("/" + name)]
        assert tried == [f"/missing/{name}", f"/bad/{name}", f"/good/{name}"]
    assert sorted(p.name for p in cache.iterdir()) == sorted(NAMES.values())


def test_a_dead_mirror_is_skipped(site, monkeypatch):
    server, cache, _, _ = site
    mirrors = ("http://127.0.0.1:1/nothing-listens-here/",) + set_mirrors(monkeypatch, server, "good")
    mnist_mod.download_mnist(mirrors=mirrors)
    assert all(mnist_mod.verify(cache).values())


def test_files_already_in_the_cache_are_not_downloaded_again(site, monkeypatch):
    server, cache, _, root = site
    set_mirrors(monkeypatch, server, "good")
    cache.mkdir(parents=True)
    name = NAMES["train_images"]
    (cache / name).write_bytes((root / "good" / name).read_bytes())
    mnist_mod.download_mnist()
    assert not any(p.endswith(name) for p in server.requests)
    assert len(server.requests) == 3


def test_a_corrupt_cached_file_is_replaced(site, monkeypatch):
    server, cache, _, root = site
    set_mirrors(monkeypatch, server, "good")
    cache.mkdir(parents=True)
    name = NAMES["test_labels"]
    (cache / name).write_bytes(b"garbage")
    mnist_mod.download_mnist()
    assert (cache / name).read_bytes() == (root / "good" / name).read_bytes()


def test_all_mirrors_failing_says_what_to_do(site, monkeypatch):
    server, cache, _, _ = site
    mirrors = set_mirrors(monkeypatch, server, "missing", "bad")
    with pytest.raises(DatasetError) as info:
        load_mnist()
    msg = str(info.value)
    for name in NAMES.values():
        assert name in msg
    for m in mirrors:
        assert m in msg
    assert "checksum mismatch" in msg and "HTTPError" in msg
    assert "--data" in msg and "NNVIZ_DATA" in msg and str(cache) in msg
    assert not any(cache.glob("*.gz"))  # nothing unverified left behind


def test_offline_message_names_the_real_mirrors(tmp_path, monkeypatch):
    """With the default mirrors unreachable (no network here or a dead proxy) the message is complete."""
    monkeypatch.setattr(mnist_mod, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.delenv("NNVIZ_DATA", raising=False)
    msg = mnist_mod.missing_message([tmp_path / "cache"], [])
    for name, _ in mnist_mod.MNIST_FILES.values():
        assert name in msg
    for m in mnist_mod.MIRRORS:
        assert m in msg
    assert len(mnist_mod.MIRRORS) >= 2 and "--data DIR" in msg and "NNVIZ_DATA=DIR" in msg
