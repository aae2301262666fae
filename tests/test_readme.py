"""The README's quickstart runs as written; the package imports stay light."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quickstart_runs():
    text = README.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a python quickstart"
    exec(compile(blocks[0], str(README), "exec"), {})


def test_readme_has_exactly_two_setup_commands():
    text = README.read_text()
    setup = text.split("## Set-up on a fresh machine")[1].split("## ")[0]
    commands = re.findall(r"```bash\n(.*?)```", setup, flags=re.S)
    assert len(commands) == 2
    assert "python -m skmer demo" in commands[0]
    assert "pytest" in commands[1]
    ci = (README.parent / ".ci" / "run").read_text()
    assert commands[1].strip().split("&& ")[-1] in ci


def test_import_skmer_does_not_import_torch():
    code = (
        "import sys, skmer, skmer.fusion, skmer.compose, skmer.encoders, skmer.metrics, "
        "skmer.datasets, skmer.inspection; "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
