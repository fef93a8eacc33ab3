"""The shipped files are found through importlib.resources (the package nnviz.resources) and only fall back
to a checkout's resources/ folder when that package is not installed at all."""

from importlib import resources

import pytest

from nnviz.core import modelio, shipped, toy


def test_every_shipped_file_is_found():
    for parts in (("models", "mnist-784-300-100-10.npz"), ("models", "MODEL_CARD.md"), ("data", "traffic.csv"),
                  ("icons", "nnviz.svg")):
        assert shipped.path(*parts).is_file(), parts
    assert modelio.SHIPPED_MODEL == shipped.path("models", "mnist-784-300-100-10.npz")
    assert toy.TRAFFIC_CSV == shipped.path("data", "traffic.csv")


def test_an_uninstalled_checkout_uses_its_resources_folder(monkeypatch):
    real_files = resources.files

    def files(package):
        if package == shipped.PACKAGE:
            raise ModuleNotFoundError(package)
        return real_files(package)

    monkeypatch.setattr(resources, "files", files)
    assert shipped.root() == real_files("nnviz").parent / "resources"
    assert shipped.path("icons", "nnviz.svg").is_file()


def test_a_broken_install_says_so(monkeypatch, tmp_path):
    def files(package):
        if package == shipped.PACKAGE:
            raise ModuleNotFoundError(package)
        return tmp_path / "site-packages" / "nnviz"  # an installed nnviz whose resources went missing

    monkeypatch.setattr(resources, "files", files)
    with pytest.raises(FileNotFoundError, match="reinstall"):
        shipped.root()
