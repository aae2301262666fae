"""The Sphinx documentation builds without warnings and lists every public name."""

import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "doc"


def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("sphinx_gallery")
    pytest.importorskip("numpydoc")
    pytest.importorskip("pydata_sphinx_theme")
    # examples are run by tests/test_examples.py; here the gallery is only rendered
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
         "-D", "sphinx_gallery_conf.plot_gallery=0", "-d", str(tmp_path / "doctrees"),
         str(DOC), str(tmp_path / "html")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    api = (DOC / "api.rst").read_text()
    import importlib

    for sub in ["compose", "encoders", "fusion", "nn", "emotions", "metrics", "datasets",
                "adaptation", "inspection", "utils"]:
        for name in importlib.import_module(f"skmer.{sub}").__all__:
            listed = f"   {name}\n" in api or f".. autodata:: {name}\n" in api
            assert listed, f"skmer.{sub}.{name} is missing from the API reference"
