"""The command line with other model formats: export, --model FILE.safetensors/.onnx with --activation and
--preprocess, and install-desktop into a temporary XDG_DATA_HOME."""

import configparser
import json
import shutil
import subprocess

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from nnviz.cli import desktop, main
from nnviz.core import shipped
from nnviz.core.modelio import SHIPPED_MODEL, load_model
from nnviz.interop import load_any
from tests.cli.test_commands import write_png
from tests.helpers import mnist_dir


@pytest.mark.parametrize("fmt", ["safetensors", "onnx", "npz"])
def test_export_writes_the_shipped_model_by_default(tmp_path, capsys, fmt):
    out = tmp_path / f"mnist.{fmt}"
    assert main(["export", "--format", fmt, "--out", str(out)]) == 0
    assert "preprocess deskew" in capsys.readouterr().out
    net, card = load_any(out)
    np.testing.assert_array_equal(net.flat, load_model(SHIPPED_MODEL)[0].flat)
    assert card["preprocess"]["deskew"] is True


def test_export_refuses_an_out_file_of_another_format(tmp_path, capsys):
    assert main(["export", "--format", "onnx", "--out", str(tmp_path / "m.safetensors")]) == 1
    assert "--out must end in .onnx" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.fixture
def bare_safetensors(tmp_path):
    """The shipped model's weights as a PyTorch user would save them: no metadata at all."""
    tmp = tmp_path / "with-metadata.safetensors"
    assert main(["export", "--format", "safetensors", "--out", str(tmp)]) == 0
    path = tmp_path / "bare.safetensors"
    save_file(load_file(str(tmp)), str(path))
    return path


def test_a_file_without_metadata_needs_the_choices_on_the_command_line(bare_safetensors, tmp_path, capsys):
    digit = tmp_path / "digit.png"
    from nnviz.core.data import load_mnist

    data = load_mnist(mnist_dir())
    write_png(digit, data.x_test[0].reshape(28, 28))  # (uint8 pixels, as MNIST is kept)
    capsys.readouterr()
    assert main(["predict", "--model", str(bare_safetensors), str(digit)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--activation and --preprocess" in err and "bare.safetensors" in err
    argv = ["predict", "--json", "--model", str(bare_safetensors), "--activation", "relu", "--preprocess", "deskew"]
    assert main([*argv, str(digit)]) == 0
    assert json.loads(capsys.readouterr().out)["digit"] == int(data.y_test[0])


def test_evaluate_an_onnx_export_and_the_cost_of_skipping_deskew(tmp_path, capsys):
    out = tmp_path / "m.onnx"
    assert main(["export", "--format", "onnx", "--out", str(out)]) == 0
    data = ["--data", str(mnist_dir()), "--json", "--model", str(out)]
    assert main(["evaluate", *data]) == 0
    assert main(["evaluate", *data, "--preprocess", "none"]) == 0
    lines = capsys.readouterr().out.splitlines()
    deskewed, raw = (json.loads(line)["accuracy"] for line in lines[-2:])
    assert deskewed >= 0.992 and raw < 0.95  # the preprocessing has to travel with the weights


def test_install_desktop_writes_an_entry_and_icon_and_removes_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["install-desktop"]) == 0
    entry = tmp_path / "share" / "applications" / "nnviz.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "nnviz.svg"
    assert icon.read_bytes() == shipped.path("icons", "nnviz.svg").read_bytes()
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(entry, encoding="utf-8")
    keys = parser["Desktop Entry"]
    assert keys["Type"] == "Application" and keys["Name"] == "nnviz" and keys["Icon"] == str(icon)
    program = keys["Exec"].split()[0]
    assert program in desktop.command() and (program.endswith("nnviz") or "python" in program)
    assert keys["Exec"].endswith(" %f")  # a double-clicked model file is passed to nnviz
    types = keys["MimeType"].rstrip(";").split(";")
    mime = tmp_path / "share" / "mime" / "packages" / "nnviz.xml"
    xml = mime.read_text()
    for suffix in ("*.npz", "*.safetensors", "*.onnx"):
        assert f'<glob pattern="{suffix}"/>' in xml
    assert all(f'type="{t}"' in xml for t in types) and len(types) == 3
    assert main(["install-desktop", "--remove"]) == 0
    assert not entry.exists() and not icon.exists() and not mime.exists()
    assert "removed" in capsys.readouterr().out


@pytest.mark.parametrize("arg, quoted", [
    ("/usr/bin/nnviz", "/usr/bin/nnviz"),
    ("/home/a b/venv/bin/nnviz", '"/home/a b/venv/bin/nnviz"'),
    ('/odd/"$x"/100%', '"/odd/\\\\"\\\\$x\\\\"/100%%"'),
])
def test_exec_arguments_are_quoted_by_the_desktop_entry_rules(arg, quoted):
    assert desktop.exec_quote(arg) == quoted


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_the_desktop_entry_passes_desktop_file_validate(tmp_path):
    entry, _icon, _mime = desktop.install(tmp_path)
    proc = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr
