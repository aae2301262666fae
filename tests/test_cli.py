import re

import numpy as np
import pytest

from skmer._cli import load_table, main
from skmer.datasets import make_multimodal_classification


def test_help_reads_well(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "skmer demo" in out and "skmer benchmark" in out and "skmer robustness" in out
    with pytest.raises(SystemExit):
        main(["benchmark", "--help"])
    assert "--modality NAME=COLUMNS" in capsys.readouterr().out


def test_demo_prints_ranked_table(capsys, tmp_path):
    assert main(["demo", "--n-samples", "150", "--cv", "2", "--quiet", "--no-neural",
                 "--figures", str(tmp_path), "--format", "svg"]) == 0
    out = capsys.readouterr().out
    assert "late-weighted" in out and "only-text" in out and "weights" in out
    assert (tmp_path / "modality_weights.svg").exists()
    assert (tmp_path / "robustness.svg").exists()


@pytest.fixture
def table(tmp_path):
    X, y = make_multimodal_classification(n_samples=120, random_state=0)
    df = X.rename(columns=lambda c: c.replace("__", "_"))
    df["label"] = np.array(["neg", "pos"])[y]
    df["speaker"] = np.arange(120) % 6
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False)
    npz = tmp_path / "data.npz"
    np.savez(npz, text=X.filter(like="text").to_numpy(), audio=X.filter(like="audio").to_numpy(),
             label=y, speaker=np.arange(120) % 6)
    return path, npz


def test_benchmark_on_csv_with_globs(table, capsys):
    path, _ = table
    assert main(["benchmark", str(path), "--target", "label", "--group", "speaker",
                 "--modality", "text=text_*", "--modality", "audio=audio_*",
                 "--fusion", "early,late-soft", "--cv", "3", "--quiet",
                 "--missing", "audio=0.3"]) == 0
    out = capsys.readouterr().out
    assert "task: classification" in out
    assert "only-audio" in out and "late-soft" in out


def test_benchmark_on_parquet_with_prefixed_columns(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    X, y = make_multimodal_classification(n_samples=90, random_state=0)
    path = tmp_path / "data.parquet"
    X.assign(label=y).to_parquet(path)
    assert main(["benchmark", str(path), "--target", "label", "--fusion", "late-weighted",
                 "--cv", "2", "--quiet", "--no-neural"]) == 0
    assert "late-weighted" in capsys.readouterr().out


def test_robustness_on_npz(table, capsys):
    _, npz = table
    assert main(["robustness", str(npz), "--target", "label", "--rates", "0,1",
                 "--fusion", "late-soft", "--cv", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "without" in out and "100%" in out


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
        load_table(path, target="label", group="speaker", modalities={"all": ["*_*", "sp*"]})
    # an .npz block with fewer rows than the target must not be NaN-padded silently
    npz = tmp_path / "ragged.npz"
    np.savez(npz, text=np.zeros((10, 2)), audio=np.zeros((9, 2)), label=np.arange(10) % 2)
    with pytest.raises(SystemExit, match=r"array 'audio' has shape \(9, 2\).*\(10\)"):
        load_table(npz, target="label")
    npz = tmp_path / "leak.npz"
    np.savez(npz, text=np.zeros((10, 2)), label=np.arange(10) % 2)
    with pytest.raises(SystemExit, match="uses 'label', the target"):
        load_table(npz, target="label", modalities={"text": ["text", "label"]})


def test_load_table_names_non_numeric_column(tmp_path):
    import pandas as pd

    path = tmp_path / "t.csv"
    pd.DataFrame({"a__x": [1.0, 2.0], "a__mood": ["calm", "tense"], "y": [0, 1]}).to_csv(
        path, index=False
    )
    with pytest.raises(SystemExit, match="column 'a__mood' is not numeric"):
        load_table(path, target="y")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["demo", "--cv", "1"], "argument --cv: must be at least 2"),
        (["demo", "--n-samples", "0"], "argument --n-samples: must be at least 1"),
        (["demo", "--missing-rate", "1.5"], r"argument --missing-rate: must lie in \[0, 1\]"),
        (["benchmark", "f.csv", "--target", "y", "--missing", "audio"],
         "argument --missing: expected NAME=RATE"),
        (["benchmark", "f.csv", "--target", "y", "--missing", "audio=lots"],
         "expected a number in"),
        (["robustness", "f.csv", "--target", "y", "--rates", "0,2"],
         "argument --rates: must lie in"),
    ],
)
def test_bad_option_values_are_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert re.search(message, capsys.readouterr().err)


def test_data_errors_are_one_line_messages(table, capsys):
    path, _ = table
    code = main(["benchmark", str(path), "--target", "label", "--modality", "text=text_*",
                 "--missing", "face=0.5", "--quiet", "--no-neural"])
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
    assert main(["benchmark", str(path), "--target", "label", "--group", "speaker",
                 "--modality", "text=text_*", "--modality", "audio=audio_*",
                 "--fusion", "early", "--cv", "2", "--quiet", "--no-neural",
                 "--figures", str(tmp_path)]) == 0
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
    assert main(["robustness", str(npz), "--target", "label", "--rates", "0,0.125,0.13",
                 "--fusion", "late-soft", "--cv", "2", "--quiet", "--no-neural"]) == 0
    header = capsys.readouterr().out.splitlines()[2].split()
    assert header[-3:] == ["0%", "12.5%", "13%"]
