"""Sphinx configuration of the skmer documentation."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent / "sphinxext"))
os.environ.setdefault("MPLBACKEND", "Agg")

import skmer

project = "skmer"
author = "skmer developers"
copyright = "2026, skmer developers"
release = version = skmer.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    # writes api.rst from every subpackage's __all__ (doc/sphinxext/skmer_api.py)
    "skmer_api",
]

autosummary_generate = True
# every public method, inherited ones too (fit, predict, transform, ...); the
# class template doc/_templates/class.rst lists them in a table first
autodoc_default_options = {"members": True, "inherited-members": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "conftest.py",
    "sphinxext",
    "auto_examples/*.ipynb",
    "auto_examples/**/*.ipynb",
]
html_theme = "pydata_sphinx_theme"
html_static_path = []
html_title = f"skmer {version}"
suppress_warnings = ["config.cache"]

# no network at build time: intersphinx inventories are not fetched
intersphinx_mapping = {}

sphinx_gallery_conf = {
    "examples_dirs": [str(ROOT / "examples")],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
}

nitpicky = False
