"""Sphinx extension writing ``api.rst`` from each subpackage's ``__all__``.

The API reference is derived from the public names, so adding an estimator
(or a whole public subpackage) needs no edit of the documentation:
``api.rst`` is rewritten at every build, before autosummary generates one
page per object. A subpackage that is not importable yet (e.g.
during a move) is left out; an object re-exported by another subpackage (a
deprecated alias) is documented only where it is defined.
"""

import importlib
import importlib.util
import inspect
import pkgutil
import re
import warnings
from pathlib import Path

# the order of the page; a public subpackage missing here is appended
SUBPACKAGES = [
    "compose",
    "encoders",
    "fusion",
    "sequence",
    "nn",
    "emotions",
    "metrics",
    "datasets",
    "adaptation",
    "inspection",
    "utils",
]
# public modules of skmer.utils for developers of estimators and encoders
DEVELOPER_MODULES = ["utils.discovery", "utils.estimator_checks"]


def _import(name):
    """The module ``skmer.<name>``, or None when it does not exist (yet)."""
    full = f"skmer.{name}"
    if importlib.util.find_spec(full) is None:
        return None
    return importlib.import_module(full)


def _home(obj):
    """The subpackage that defines ``obj`` (``"fusion"`` for skmer.fusion._late)."""
    parts = (getattr(obj, "__module__", None) or "").split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "skmer" else None


def public_objects(name, module):
    """``(name, object)`` of the public names documented under ``skmer.<name>``.

    ``__all__`` when the module has one, else the public functions and classes
    it defines; names that another listed subpackage defines are skipped.
    """
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n
            for n, obj in vars(module).items()
            if not n.startswith("_")
            and (inspect.isclass(obj) or inspect.isfunction(obj))
            and obj.__module__ == module.__name__
        ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated aliases warn on access
        objects = [(n, getattr(module, n)) for n in sorted(names)]
    top = name.split(".")[0]
    return [(n, obj) for n, obj in objects if not _documented_elsewhere(n, obj, top)]


def _documented_elsewhere(name, obj, top):
    """Whether another listed subpackage defines and exports ``obj``."""
    home = _home(obj)
    if home in (None, top) or home not in subpackages():
        return False
    module = _import(home)
    return name in getattr(module, "__all__", ())


def _autosummary(module, names, template):
    lines = [f".. currentmodule:: skmer.{module}", "", ".. autosummary::"]
    lines += ["   :toctree: generated/", f"   :template: {template}", ""]
    return lines + [f"   {n}" for n in names] + [""]


def _section(name, module, objects):
    title = f"``skmer.{name}``"
    summary = (module.__doc__ or "").strip().splitlines()
    lines = [title, "-" * len(title), ""] + summary[:1] + [""]
    classes = [n for n, obj in objects if inspect.isclass(obj)]
    functions = [n for n, obj in objects if inspect.isroutine(obj)]
    others = [n for n, obj in objects if n not in classes and n not in functions]
    if classes:
        lines += ["**Classes**", ""] + _autosummary(name, classes, "class.rst")
    if functions:
        lines += ["**Functions**", ""] + _autosummary(name, functions, "function.rst")
    if others:
        lines += ["**Constants**", "", f".. currentmodule:: skmer.{name}", ""]
        for n in others:
            lines += [f".. autodata:: {n}", "   :no-value:", ""]
    return lines


def subpackages():
    """:data:`SUBPACKAGES`, then any other public subpackage of skmer."""
    import skmer

    found = [
        info.name
        for info in pkgutil.iter_modules(skmer.__path__)
        if info.ispkg and not info.name.startswith("_")
    ]
    return SUBPACKAGES + sorted(set(found) - set(SUBPACKAGES))


def api_lines():
    """The lines of ``api.rst``: one section per importable subpackage."""
    lines = ["API reference", "=============", ""]
    for name in subpackages() + DEVELOPER_MODULES:
        module = _import(name)
        objects = public_objects(name, module) if module is not None else []
        if objects:
            lines += _section(name, module, objects)
    return lines


def write_api(app, config):
    """``config-inited`` handler: (re)write ``api.rst`` in the source folder."""
    text = "\n".join(api_lines())
    path = Path(app.srcdir) / "api.rst"
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def skip_foreign_members(app, what, name, obj, skip, options):
    """Leave out what other libraries document: the ``set_<method>_request``
    methods scikit-learn generates per estimator (metadata routing) and the
    ``torch.nn.Module`` API inherited by the modules of :mod:`skmer.nn`."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    if getattr(obj, "__module__", None) and obj.__module__.split(".")[0] == "torch":
        return True
    return skip


_CROSS_REF = re.compile(r":(?:ref|term|doc):`([^`<]+?)\s*(?:<([^`>]+)>)?`")


def plain_foreign_cross_references(app, what, name, obj, options, lines):
    """Docstrings inherited from scikit-learn (``score``, ``set_output``, ...)
    link to labels of scikit-learn's own documentation; keep their text."""
    if (getattr(obj, "__module__", None) or "").split(".")[0] != "sklearn":
        return
    lines[:] = [
        _CROSS_REF.sub(lambda m: f"``{m.group(1).strip()}``", ln) for ln in lines
    ]


_SHAPE = re.compile(r"shape \(([^()]*)\)")
_FITTED_NAME = re.compile(r"\b([A-Za-z]\w*?)_\b")


def escape_fitted_names_in_shapes(app, what, name, obj, options, lines):
    """``of shape (n_items, n_features_out_)``: in reST a word ending with
    ``_`` is a hyperlink reference, so escape the underscore of a fitted
    attribute named in a shape."""
    lines[:] = [
        _SHAPE.sub(
            lambda m: "shape (" + _FITTED_NAME.sub(r"\1\\_", m.group(1)) + ")", ln
        )
        for ln in lines
    ]


def setup(app):
    app.connect("config-inited", write_api)
    app.connect("autodoc-skip-member", skip_foreign_members)
    app.connect("autodoc-process-docstring", plain_foreign_cross_references)
    app.connect("autodoc-process-docstring", escape_fitted_names_in_shapes)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
