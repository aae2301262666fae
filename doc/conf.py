"""Sphinx configuration of the skmer documentation."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

import skmer  # noqa: E402

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
]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/**/*.ipynb"]
html_theme = "pydata_sphinx_theme"
html_static_path = []
html_title = f"skmer {version}"

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


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    """scikit-learn generates set_*_request methods whose docstrings link to its
    own glossary; they are documented by scikit-learn, not here."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return skip


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
suppress_warnings = ["config.cache"]

# -- API reference, generated from the subpackages' __all__ -----------------
# Written at every build, so that every public object is documented.
API_SUBPACKAGES = [
    "compose", "encoders", "fusion", "nn", "emotions", "metrics", "datasets",
    "adaptation", "inspection", "utils",
]


def _write_api():
    import importlib
    import inspect

    lines = ["API reference", "=============", ""]
    for sub in API_SUBPACKAGES:
        module = importlib.import_module(f"skmer.{sub}")
        names = sorted(getattr(module, "__all__", []))
        if not names:
            continue
        title = f"``skmer.{sub}``"
        summary = (module.__doc__ or "").strip().splitlines()[0]
        lines += [title, "-" * len(title), "", summary, "", f".. currentmodule:: skmer.{sub}", ""]
        for kind, test in [("Classes", inspect.isclass), ("Functions", inspect.isfunction)]:
            members = [n for n in names if test(getattr(module, n))]
            if members:
                template = "class.rst" if kind == "Classes" else "function.rst"
                lines += [f"**{kind}**", "", ".. autosummary::", "   :toctree: generated/",
                          f"   :template: {template}", ""]
                lines += [f"   {n}" for n in members] + [""]
        constants = [n for n in names
                     if not inspect.isclass(getattr(module, n))
                     and not inspect.isfunction(getattr(module, n))]
        if constants:
            lines += ["**Constants**", ""]
            for n in constants:
                lines += [f".. autodata:: {n}", "   :no-value:", ""]
    extra = ["discovery.all_estimators", "estimator_checks.parametrize_with_encoder_checks"]
    lines += ["Utilities for developers", "------------------------", "",
              ".. currentmodule:: skmer.utils", "", ".. autosummary::", "   :toctree: generated/", "   :template: function.rst", ""]
    lines += [f"   {n}" for n in extra] + [""]
    (Path(__file__).parent / "api.rst").write_text("\n".join(lines))


_write_api()
