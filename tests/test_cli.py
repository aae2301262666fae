import re
import subprocess
import sys

import numpy as np
import pytest

from skmer._cli import load_table, main
from skmer.datasets import make_multimodal_classification


def test_help_reads_well(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert (
        "skmer demo" in out and "skmer benchmark" in out and "skmer robustness" in out
    )
    with pytest.raises(SystemExit):
        main(["benchmark", "--help"])
    assert "--modality NAME=COLUMNS" in capsys.readouterr().out


def test_demo_prints_ranked_table(capsys, tmp_path):
    assert (
        main(
            [
                "demo",
                "--n-samples",
                "150",
                "--cv",
                "2",
                "--quiet",
                "--no-neural",
                "--figures",
                str(tmp_path),
                "--format",
                "svg",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "late-weighted" in out and "only-text" in out and "weights" in out
    # the table says its metric, a one-line legend explains the columns
    assert "ranked by cross-validated WA" in out
    legend = next(line for line in out.splitlines() if line.startswith("WA = "))
    assert (
        "UA = " in legend
        and "F1 = " in legend
        and "mean ± std over 2 CV folds" in legend
    )
    row = next(line for line in out.splitlines() if line.startswith("late-weighted "))
    assert re.search(r"\d\.\d{3} ± \d\.\d{3}", row)
    assert (tmp_path / "modality_weights.svg").exists()
    assert (tmp_path / "robustness.svg").exists()


def test_demo_fits_each_model_once_per_fold_and_shows_progress(monkeypatch, capsys):
    # the weights come from the CV's fold models: no GridSearchCV refit, no
    # second round of fits to print them
    from skmer.fusion import LateFusionClassifier

    calls = []
    original = LateFusionClassifier.fit

    def counting_fit(self, X, y, **kwargs):
        calls.append(len(X))
        return original(self, X, y, **kwargs)

    monkeypatch.setattr(LateFusionClassifier, "fit", counting_fit)
    assert (
        main(
            [
                "demo",
                "--n-samples",
                "120",
                "--cv",
                "3",
                "--fusion",
                "late-weighted,early",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert len(calls) == 3 and max(calls) < 120
    # a progress line per model and fold on stderr (4 models: 2 + only-<modality> x 3)
    progress = [
        line for line in captured.err.splitlines() if re.match(r"\[\d+/15\]", line)
    ]
    assert len(progress) == 15
    assert any("late-weighted" in line and "fold 3/3" in line for line in progress)
    row = next(
        line for line in captured.out.splitlines() if line.startswith("late-weighted ")
    )
    weights = [float(w) for w in re.findall(r"=(\d\.\d+)", row)]
    assert len(weights) == 3 and abs(sum(weights) - 1) < 0.02 and len(set(weights)) > 1


def test_demo_default_includes_neural_fusions_at_demo_size(monkeypatch):
    # every strategy of the catalog, the torch-based ones with the demo's small nets
    import skmer._cli as cli

    seen = {}

    def fake_compare(X, y, *, candidates, **kwargs):
        seen.update(candidates)
        raise ValueError("stop before fitting")

    monkeypatch.setattr(cli, "compare", fake_compare)
    assert main(["demo", "--n-samples", "60", "--quiet"]) == 2
    assert {"tensor", "attention", "late-weighted", "only-text"} <= set(seen)
    for name in ["tensor", "attention"]:
        for param, value in cli.DEMO_NEURAL_PARAMS.items():
            assert seen[name].get_params()[param] == value


def test_fusion_help_lists_the_names(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for name in ["early", "late-weighted", "graph-snf", "tensor", "attention"]:
        assert name in out
    with pytest.raises(SystemExit):
        main(["benchmark", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "late-average" in out and "late-soft" in out  # regression and classification


@pytest.mark.parametrize("command", ["demo", "benchmark", "robustness"])
def test_missing_matplotlib_stops_before_any_work(
    command, table, monkeypatch, capsys, tmp_path
):
    # --figures without matplotlib: one line naming the extra, before the data is
    # even read, instead of a traceback after the whole run
    import time

    import skmer._cli as cli

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setattr(
        cli, "load_table", lambda *a, **k: pytest.fail("data was loaded")
    )
    monkeypatch.setattr(
        cli, "compare", lambda *a, **k: pytest.fail("models were fitted")
    )
    path, _ = table
    argv = [command] if command == "demo" else [command, str(path), "--target", "label"]
    start = time.perf_counter()
    code = main(argv + ["--figures", str(tmp_path / "figs")])
    assert time.perf_counter() - start < 5
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"skmer {command}: error: --figures")
    assert 'pip install "skmer[plot]"' in lines[0]
    assert not (tmp_path / "figs").exists()


def test_missing_optional_dependency_is_one_line_without_traceback(table, tmp_path):
    path, _ = table
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from skmer._cli import main\n"
        f"sys.exit(main(['benchmark', {str(path)!r}, '--target', 'label', "
        f"'--figures', {str(tmp_path)!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert 'pip install "skmer[plot]"' in result.stderr


def test_parquet_without_pyarrow_names_the_io_extra(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code = main(["benchmark", str(tmp_path / "data.parquet"), "--target", "y"])
    assert code == 2
    err = capsys.readouterr().err
    assert "reading data.parquet" in err and 'pip install "skmer[io]"' in err


@pytest.fixture
def table(tmp_path):
    X, y = make_multimodal_classification(n_samples=120, random_state=0)
    df = X.rename(columns=lambda c: c.replace("__", "_"))
    df["label"] = np.array(["neg", "pos"])[y]
    df["speaker"] = np.arange(120) % 6
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False)
    npz = tmp_path / "data.npz"
    np.savez(
        npz,
        text=X.filter(like="text").to_numpy(),
        audio=X.filter(like="audio").to_numpy(),
        label=y,
        speaker=np.arange(120) % 6,
    )
    return path, npz


def test_benchmark_on_csv_with_globs(table, capsys):
    path, _ = table
    assert (
        main(
            [
                "benchmark",
                str(path),
                "--target",
                "label",
                "--group",
                "speaker",
                "--modality",
                "text=text_*",
                "--modality",
                "audio=audio_*",
                "--fusion",
                "early,late-soft",
                "--cv",
                "3",
                "--quiet",
                "--missing",
                "audio=0.3",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "task: classification" in out
    assert "only-audio" in out and "late-soft" in out


def test_benchmark_on_parquet_with_prefixed_columns(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    X, y = make_multimodal_classification(n_samples=90, random_state=0)
    path = tmp_path / "data.parquet"
    X.assign(label=y).to_parquet(path)
    assert (
        main(
            [
                "benchmark",
                str(path),
                "--target",
                "label",
                "--fusion",
                "late-weighted",
                "--cv",
                "2",
                "--quiet",
                "--no-neural",
            ]
        )
        == 0
    )
    assert "late-weighted" in capsys.readouterr().out


def test_robustness_on_npz(table, capsys):
    _, npz = table
    assert (
        main(
            [
                "robustness",
                str(npz),
                "--target",
                "label",
                "--rates",
                "0,1",
                "--fusion",
                "late-soft",
                "--cv",
                "2",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "without" in captured.out and "100%" in captured.out
    # the table says which score it shows; progress per model and fold on stderr
    assert "Cross-validated WA (weighted accuracy" in captured.out
    assert "[1/1] late-soft fold 2/2" in captured.err


def test_load_table_errors(table, tmp_path):
    path, npz = table
    with pytest.raises(SystemExit, match="no column 'nope'"):
        load_table(path, target="nope")
    with pytest.raises(SystemExit, match="say which columns are which modality"):
        load_table(path, target="label")
    with pytest.raises(SystemExit, match="no column matches"):
        load_table(path, target="label", modalities={"face": ["face_*"]})
    with pytest.raises(SystemExit, match="has no array 'y'"):
        load_table(npz, target="y")
    with pytest.raises(SystemExit, match="expected a .npz, .csv or .parquet"):
        (tmp_path / "x.txt").write_text("hi")
        load_table(tmp_path / "x.txt", target="y")
    X, y, g = load_table(npz, target="label", group="speaker")
    assert list(dict.fromkeys(c.split("__")[0] for c in X.columns)) == ["text", "audio"]


def test_load_table_refuses_target_as_feature_and_ragged_npz(table, tmp_path):
    # a glob that also matches the target would leak the labels into the features
    path, _ = table
    with pytest.raises(SystemExit, match="matches the target/group column 'label'"):
        load_table(path, target="label", modalities={"text": ["text_*", "lab*"]})
    with pytest.raises(SystemExit, match="target/group column 'speaker'"):
        load_table(
            path, target="label", group="speaker", modalities={"all": ["*_*", "sp*"]}
        )
    # an .npz block with fewer rows than the target must not be NaN-padded silently
    npz = tmp_path / "ragged.npz"
    np.savez(
        npz, text=np.zeros((10, 2)), audio=np.zeros((9, 2)), label=np.arange(10) % 2
    )
    with pytest.raises(SystemExit, match=r"array 'audio' has shape \(9, 2\).*\(10\)"):
        load_table(npz, target="label")
    npz = tmp_path / "leak.npz"
    np.savez(npz, text=np.zeros((10, 2)), label=np.arange(10) % 2)
    with pytest.raises(SystemExit, match="uses 'label', the target"):
        load_table(npz, target="label", modalities={"text": ["text", "label"]})


def test_load_table_names_non_numeric_column(tmp_path):
    import pandas as pd

    path = tmp_path / "t.csv"
    pd.DataFrame(
        {"a__x": [1.0, 2.0], "a__mood": ["calm", "tense"], "y": [0, 1]}
    ).to_csv(path, index=False)
    with pytest.raises(SystemExit, match="column 'a__mood' is not numeric"):
        load_table(path, target="y")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["demo", "--cv", "1"], "argument --cv: must be at least 2"),
        (["demo", "--n-samples", "0"], "argument --n-samples: must be at least 1"),
        (
            ["demo", "--missing-rate", "1.5"],
            r"argument --missing-rate: must lie in \[0, 1\]",
        ),
        (
            ["benchmark", "f.csv", "--target", "y", "--missing", "audio"],
            "argument --missing: expected NAME=RATE",
        ),
        (
            ["benchmark", "f.csv", "--target", "y", "--missing", "audio=lots"],
            "expected a number in",
        ),
        (
            ["robustness", "f.csv", "--target", "y", "--rates", "0,2"],
            "argument --rates: must lie in",
        ),
    ],
)
def test_bad_option_values_are_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert re.search(message, capsys.readouterr().err)


def test_data_errors_are_one_line_messages(table, capsys):
    path, _ = table
    code = main(
        [
            "benchmark",
            str(path),
            "--target",
            "label",
            "--modality",
            "text=text_*",
            "--missing",
            "face=0.5",
            "--quiet",
            "--no-neural",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "skmer benchmark: error:" in err and "face" in err and "Traceback" not in err


def test_benchmark_figure_folds_respect_groups(table, tmp_path, monkeypatch, capsys):
    # the robustness figure of `benchmark --group` must not put a speaker's rows in
    # both the training and the test fold
    from skmer.inspection import MissingModalityDisplay

    path, _ = table
    seen = {}
    original = MissingModalityDisplay.from_estimator.__func__

    def spy(cls, estimator, X, y, **kwargs):
        seen["cv"] = list(kwargs["cv"])
        return original(cls, estimator, X, y, **kwargs)

    monkeypatch.setattr(MissingModalityDisplay, "from_estimator", classmethod(spy))
    assert (
        main(
            [
                "benchmark",
                str(path),
                "--target",
                "label",
                "--group",
                "speaker",
                "--modality",
                "text=text_*",
                "--modality",
                "audio=audio_*",
                "--fusion",
                "early",
                "--cv",
                "2",
                "--quiet",
                "--no-neural",
                "--figures",
                str(tmp_path),
            ]
        )
        == 0
    )
    speaker = np.arange(120) % 6
    assert seen["cv"]
    for train, test in seen["cv"]:
        assert not set(speaker[train]) & set(speaker[test])


def test_robustness_help_states_its_default_fusion(capsys):
    with pytest.raises(SystemExit):
        main(["robustness", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: late- weighted)" in out or "(default: late-weighted)" in out


def test_load_table_names_rows_with_empty_target(tmp_path):
    import pandas as pd

    path = tmp_path / "t.csv"
    pd.DataFrame({"a__x": [1.0, 2.0, 3.0], "y": ["calm", None, "tense"]}).to_csv(
        path, index=False
    )
    with pytest.raises(SystemExit, match=r"target 'y' is empty in rows \[1\]"):
        load_table(path, target="y")


def test_robustness_keeps_one_column_per_rate(table, capsys):
    # 0.125 and 0.13 both round to "13%": neither column may overwrite the other
    _, npz = table
    assert (
        main(
            [
                "robustness",
                str(npz),
                "--target",
                "label",
                "--rates",
                "0,0.125,0.13",
                "--fusion",
                "late-soft",
                "--cv",
                "2",
                "--quiet",
                "--no-neural",
            ]
        )
        == 0
    )
    header = capsys.readouterr().out.splitlines()[2].split()
    assert header[-3:] == ["0%", "12.5%", "13%"]
