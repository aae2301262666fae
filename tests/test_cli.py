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
