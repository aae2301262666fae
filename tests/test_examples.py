"""Every gallery example runs, under a time limit, and shows what it claims.

Each example is run as a script (``runpy``, matplotlib's Agg backend, from
its own folder, as sphinx-gallery runs it); its check then reads the
example's variables and asserts the result the example's text promises, so a
broken or silently degraded example fails here.
"""

import contextlib
import io
import runpy
import signal
import warnings
from pathlib import Path

import numpy as np
import pytest

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.rglob("plot_*.py"))
TIME_LIMIT = 120  # seconds per example (each takes well under a minute on a CPU)


def _check_domain_adaptation(ns, out):
    results = ns["results"]
    assert set(results) == {
        "direct transfer",
        "CORAL per modality",
        "CORAL fused",
        "DANN",
    }
    assert results["CORAL per modality"] > results["direct transfer"]
    assert ns["co"].score(ns["X2"][300:], ns["y2"][300:]) > 0.5
    assert np.bincount(ns["y3r"]).min() == np.bincount(ns["y3r"]).max()


def _check_emotions(ns, out):
    assert ns["ds_accuracy"] > ns["vote_accuracy"]
    assert list(ns["back"]) == ns["labels"]


def _check_raw_recordings(ns, out):
    assert ns["late"].mean() > 0.6
    assert set(ns["weights"]) == {"text", "speech", "eeg", "ecg", "gait"}
    assert sum(ns["weights"].values()) == pytest.approx(1.0)


def _check_fusion_families(ns, out):
    weights = dict(zip(ns["mkl"].kernel_names_, ns["mkl"].kernel_weights_))
    assert weights["video__rbf"] < weights["text__rbf"]  # the noise modality
    scores = ns["scores"]
    assert scores["LMF (rank 4)"] > scores["late fusion"] + 0.2  # the interaction


def _check_grid_search(ns, out):
    assert len(ns["results"]) == 9
    assert ns["search"].best_score_ > 0.5


def _check_missing_modalities(ns, out):
    scores = ns["scores"]
    assert all(len(s) == len(ns["rates"]) for s in scores.values())
    assert scores["late fusion (abstain)"][-1] > scores["drop incomplete rows"][-1]


def _check_robustness(ns, out):
    importances = dict(zip(ns["res"].modalities, ns["res"].importances_mean))
    assert max(importances, key=importances.get) == "text"


def _check_quickstart(ns, out):
    assert out.strip()


def _check_dask(ns, out):
    assert ns["search"].best_score_ > 0.5


def _check_corpus_to_system(ns, out):
    assert ns["same"]
    assert ns["held_out"]["ua"] > 0.5
    assert ns["curve"].mean.shape == (len(ns["curve"].modalities), 3)
    assert all(
        t.split(".")[0] in {"skmer", "sklearn", "numpy"} for t in ns["untrusted"]
    )


CHECKS = {
    "adaptation/plot_domain_adaptation.py": _check_domain_adaptation,
    "emotions/plot_emotion_models_and_tasks.py": _check_emotions,
    "encoders/plot_raw_recordings_pipeline.py": _check_raw_recordings,
    "fusion/plot_fusion_families.py": _check_fusion_families,
    "fusion/plot_grid_search_fusion.py": _check_grid_search,
    "fusion/plot_missing_modalities.py": _check_missing_modalities,
    "inspection/plot_robustness.py": _check_robustness,
    "quickstart/plot_quickstart.py": _check_quickstart,
    "scaling/plot_dask.py": _check_dask,
    "workflow/plot_corpus_to_system.py": _check_corpus_to_system,
}


def test_every_example_has_a_check():
    names = {p.relative_to(EXAMPLES_DIR).as_posix() for p in EXAMPLES}
    assert names == set(CHECKS)


@contextlib.contextmanager
def _time_limit(seconds, name):
    def fail(signum, frame):
        raise TimeoutError(f"example {name} ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "path", EXAMPLES, ids=lambda p: p.relative_to(EXAMPLES_DIR).as_posix()
)
def test_example_runs_and_shows_its_result(path, monkeypatch):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(path.parent)
    name = path.relative_to(EXAMPLES_DIR).as_posix()
    out = io.StringIO()
    plt.close("all")
    try:
        with (
            _time_limit(TIME_LIMIT, name),
            contextlib.redirect_stdout(out),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore", UserWarning)  # Agg cannot show figures
            ns = runpy.run_path(str(path), run_name="__main__")
        CHECKS[name](ns, out.getvalue())
    finally:
        plt.close("all")


def test_corpus_to_system_example_runs_on_synthetic_data_without_the_corpus(
    tmp_path, monkeypatch
):
    """On a machine without the CMU-MOSI files the example falls back to
    synthetic data and still shows every step."""
    pytest.importorskip("matplotlib").use("Agg")
    import matplotlib.pyplot as plt

    source = EXAMPLES_DIR / "workflow" / "plot_corpus_to_system.py"
    script = tmp_path / source.name  # no shared/data folder above it
    script.write_text(source.read_text())
    monkeypatch.setenv("SKMER_DATA", str(tmp_path / "no_corpus_here"))
    monkeypatch.chdir(tmp_path)
    try:
        with (
            _time_limit(TIME_LIMIT, source.name),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            ns = runpy.run_path(str(script), run_name="__main__")
    finally:
        plt.close("all")
    assert ns["folder"] is None
    assert list(ns["X"].columns) == ["text", "audio", "video"]
    _check_corpus_to_system(ns, "")
