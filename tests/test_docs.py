"""The documentation: API reference derived from ``__all__``, every Python
snippet a doctest, and a Sphinx build without warnings that documents every
public method."""

import importlib
import importlib.machinery
import importlib.util
import inspect
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "doc"
sys.path.insert(0, str(DOC / "sphinxext"))
skmer_api = importlib.import_module("skmer_api")
SHELL_LANGUAGES = {"bash", "console", "shell", "sh", "text", "none"}


def _importable_subpackages():
    names = []
    for name in skmer_api.subpackages():
        if importlib.util.find_spec(f"skmer.{name}") is not None:
            module = importlib.import_module(f"skmer.{name}")
            if getattr(module, "__all__", None):
                names.append(name)
    return names


def _sections(lines):
    """``{subpackage: set of names}`` listed in the generated api.rst lines."""
    sections, current = {}, None
    for line in lines:
        match = re.fullmatch(r"``skmer\.([a-z_.]+)``", line)
        if match:
            current = sections.setdefault(match.group(1), set())
        elif current is not None and re.fullmatch(r"   \w+|\.\. autodata:: \w+", line):
            current.add(line.split()[-1])
    return sections


def test_api_reference_lists_every_public_name_where_it_is_defined():
    sections = _sections(skmer_api.api_lines())
    assert {"compose", "encoders", "fusion", "datasets", "inspection"} <= set(sections)
    for sub in _importable_subpackages():
        module = importlib.import_module(f"skmer.{sub}")
        for name in module.__all__:
            obj = getattr(module, name)
            home = skmer_api._home(obj)
            where = home if home in sections and name in sections[home] else sub
            assert name in sections.get(where, ()), (
                f"skmer.{sub}.{name} is not in the API"
            )
    # public developer tools of skmer.utils, although that module has no __all__
    assert "parametrize_with_encoder_checks" in sections["utils.estimator_checks"]
    assert "all_estimators" in sections["utils.discovery"]


def test_api_reference_follows_all_and_skips_aliases(monkeypatch):
    from skmer.fusion import LateFusionClassifier

    fake = types.ModuleType("skmer.fake")
    fake.__doc__ = "A subpackage added later."
    fake.__spec__ = importlib.machinery.ModuleSpec("skmer.fake", None)

    class NewStrategy:
        pass

    NewStrategy.__module__ = "skmer.fake._new"
    fake.NewStrategy, fake.LateFusionClassifier = NewStrategy, LateFusionClassifier
    fake.__all__ = ["NewStrategy", "LateFusionClassifier"]
    monkeypatch.setitem(sys.modules, "skmer.fake", fake)
    monkeypatch.setattr(skmer_api, "SUBPACKAGES", [*skmer_api.SUBPACKAGES, "fake"])
    sections = _sections(skmer_api.api_lines())
    # a new public name appears with no edit of the docs; an alias of a name
    # that its defining subpackage documents (a moved estimator) is not repeated
    assert sections["fake"] == {"NewStrategy"}
    assert "LateFusionClassifier" in sections["fusion"]


def test_foreign_members_are_skipped_and_foreign_labels_made_plain():
    import torch
    from sklearn.base import ClassifierMixin

    from skmer.fusion import LateFusionClassifier

    skip = skmer_api.skip_foreign_members
    assert skip(None, "method", "set_fit_request", None, False, {})
    assert skip(None, "method", "zero_grad", torch.nn.Module.zero_grad, False, {})
    assert not skip(None, "method", "fit", LateFusionClassifier.fit, False, {})
    lines = ["Return :ref:`accuracy <accuracy_score>` on :term:`fit` data."]
    skmer_api.plain_foreign_cross_references(
        None, "method", "score", ClassifierMixin.score, {}, lines
    )
    assert lines == ["Return ``accuracy`` on ``fit`` data."]
    own = [":ref:`fusion`"]
    skmer_api.plain_foreign_cross_references(
        None, "method", "fit", LateFusionClassifier.fit, {}, own
    )
    assert own == [":ref:`fusion`"]


def _literal_blocks(text):
    """``(line, language, first code line)`` of every literal block of a page."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        directive = re.match(r"\.\. (?:code-block|code|sourcecode)::\s*(\S*)", stripped)
        if directive:
            language = directive.group(1) or "python"
        elif stripped.endswith("::") and not stripped.startswith(".."):
            language = "python"
        else:
            continue
        indent = len(line) - len(line.lstrip())
        code = []
        for following in lines[i + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            if following.strip() and not following.strip().startswith(":"):
                code.append(following.strip())
        yield i + 1, language, code[0] if code else ""


def _pages():
    skipped = {"generated", "auto_examples", "_build"}
    return [p for p in sorted(DOC.rglob("*.rst")) if not skipped & set(p.parts)]


def test_every_python_snippet_of_the_docs_is_a_doctest():
    """pytest runs the doctests of doc/**/*.rst (--doctest-glob); a snippet
    written as a plain literal block would never run."""
    untested = [
        f"{page.relative_to(DOC)}:{line}: {first}"
        for page in _pages()
        for line, language, first in _literal_blocks(page.read_text())
        if language not in SHELL_LANGUAGES and not first.startswith(">>>")
    ]
    assert not untested, "write these snippets as doctests (>>>):\n" + "\n".join(
        untested
    )


def test_the_snippet_scan_finds_plain_blocks():
    page = "Text::\n\n    fit(X)\n\n.. code-block:: bash\n\n   pip install skmer\n"
    assert list(_literal_blocks(page)) == [
        (1, "python", "fit(X)"),
        (5, "bash", "pip install skmer"),
    ]


def _owner(cls, name):
    """The package of the class in ``cls.__mro__`` that defines ``name``."""
    owner = next(k for k in cls.__mro__ if name in vars(k))
    return owner.__module__.split(".")[0]


def _public_methods(cls):
    # torch.nn.Module's API is torch's to document, including methods other
    # libraries imported in this process attach to it
    return [
        name
        for name, member in inspect.getmembers(cls, callable)
        if not name.startswith("_")
        and not inspect.isclass(member)
        and not (name.startswith("set_") and name.endswith("_request"))
        and (getattr(member, "__module__", None) or "").split(".")[0] != "torch"
        and _owner(cls, name) != "torch"
    ]


def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("sphinx_gallery")
    pytest.importorskip("numpydoc")
    pytest.importorskip("pydata_sphinx_theme")
    html = tmp_path / "html"
    # examples are run by tests/test_examples.py; here the gallery is only rendered
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            "-q",
            "-D",
            "sphinx_gallery_conf.plot_gallery=0",
            "-d",
            str(tmp_path / "doctrees"),
            str(DOC),
            str(html),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    # every public method of every class, inherited ones too, with its docstring
    for sub in _importable_subpackages():
        module = importlib.import_module(f"skmer.{sub}")
        for name in module.__all__:
            cls = getattr(module, name)
            page = html / "generated" / f"skmer.{sub}.{name}.html"
            if not inspect.isclass(cls) or not page.is_file():
                continue
            text = page.read_text()
            for method in _public_methods(cls):
                assert f'id="skmer.{sub}.{name}.{method}"' in text, (name, method)
    assert (html / "user_guide" / "corpus_to_system.html").is_file()
    assert (
        html / "auto_examples" / "workflow" / "plot_corpus_to_system.html"
    ).is_file()


def test_the_types_to_trust_for_skops_are_spelled_out_in_the_guide():
    """Every type skops asks to trust for a fitted skmer estimator is a public
    skmer class or is named in the chapter that documents loading."""
    sio = pytest.importorskip("skops.io")
    from sklearn.pipeline import make_pipeline

    from skmer.compose import ModalityEncoder
    from skmer.datasets import make_multimodal_classification
    from skmer.encoders import VectorEncoder
    from skmer.fusion import (
        EarlyFusionClassifier,
        GraphFusionClassifier,
        HybridFusionClassifier,
        LateFusionClassifier,
        MultipleKernelClassifier,
        TensorFusionClassifier,
    )

    chapter = (DOC / "user_guide" / "corpus_to_system.rst").read_text()
    X, y = make_multimodal_classification(
        n_samples=80, missing_rate=0.2, random_state=0
    )
    raw, y_raw = make_multimodal_classification(
        n_samples=80, missing_rate=0.2, output="vectors", random_state=0
    )
    systems = [
        (est, X, y)
        for est in [
            LateFusionClassifier(method="weighted"),
            EarlyFusionClassifier(),
            HybridFusionClassifier(),
            MultipleKernelClassifier(),
            GraphFusionClassifier(),
            TensorFusionClassifier(max_epochs=1, random_state=0),
        ]
    ]
    encoder = ModalityEncoder({m: VectorEncoder() for m in raw})
    systems.append((make_pipeline(encoder, LateFusionClassifier()), raw, y_raw))
    public = {
        f"{type_.__module__}.{type_.__name__}"
        for sub in _importable_subpackages()
        for type_ in vars(importlib.import_module(f"skmer.{sub}")).values()
        if inspect.isclass(type_)
    }
    for est, data, target in systems:
        untrusted = sio.get_untrusted_types(data=sio.dumps(est.fit(data, target)))
        # skmer's public classes are the first item of the list; others are named
        undocumented = [
            t for t in untrusted if t not in public and f"``{t}``" not in chapter
        ]
        assert not undocumented, (est, undocumented)
