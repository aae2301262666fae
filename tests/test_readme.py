"""The README's quickstart runs as written; the package imports stay light."""

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quickstart_prints_what_it_promises():
    text = README.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a python quickstart"
    namespace, out = {}, io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], str(README), "exec"), namespace)
    search = namespace["search"]
    # the grid tuned the configured LateFusionClassifier instead of replacing it
    # with a default one
    assert set(search.best_params_) == {"fuse__method"}
    fuse = search.best_estimator_["fuse"]
    assert type(fuse).__name__ == "LateFusionClassifier"
    assert fuse.random_state == 0
    # the printed weights are learned ones: they sum to 1, differ, and the most
    # informative modality of the generator (text) weighs most
    weights = fuse.modality_weights_
    assert set(weights) == {"text", "audio", "video"}
    assert abs(sum(weights.values()) - 1) < 1e-9
    assert len({round(w, 3) for w in weights.values()}) == 3
    assert max(weights, key=weights.get) == "text"
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{search.best_params_} UA=0.")
    assert lines[1] == str({m: round(w, 2) for m, w in weights.items()})
    # the output shown in the README has the same shape
    shown = re.search(r"```text\n(.*?)```", text, flags=re.S).group(1).splitlines()
    assert shown[0].startswith("{'fuse__method': '") and "UA=0." in shown[0]
    assert shown[1].startswith("{'text': ")


def test_readme_has_exactly_two_setup_commands():
    text = README.read_text()
    setup = text.split("## Set-up on a fresh machine")[1].split("## ")[0]
    commands = re.findall(r"```bash\n(.*?)```", setup, flags=re.S)
    assert len(commands) == 2
    assert "python -m skmer demo" in commands[0]
    assert "pytest" in commands[1]
    ci = (README.parent / ".ci" / "run").read_text()
    assert commands[1].strip().split("&& ")[-1] in ci


def test_readme_minimum_versions_job_is_the_ci_job():
    text = README.read_text()
    section = text.split("## Oldest supported versions")[1].split("## ")[0]
    (command,) = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    ci = (README.parent / ".ci" / "run").read_text()
    install = command.split("&& ")[3].strip()
    assert install in ci, install
    pins = (README.parent / ".ci" / "min-constraints.txt").read_text()
    floors = dict(
        line.split("==")
        for line in pins.splitlines()
        if "==" in line and line[0] != "#"
    )
    # every pinned floor is the floor setup.cfg declares
    setup = (README.parent / "setup.cfg").read_text()
    for name, pinned in floors.items():
        assert (
            f"{name}>={pinned.rsplit('.', 1)[0]}" in setup
            or f"{name}>={pinned}" in setup
        ), name


def test_import_skmer_does_not_import_torch():
    code = (
        "import sys, skmer, skmer.fusion, skmer.compose, skmer.encoders, skmer.metrics, "
        "skmer.datasets, skmer.inspection; "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
