"""Every `extract ...` example in README.md runs as written, from the repository root, with the exit code
it documents ("# exit 1" in its comment; 0 otherwise). Examples that fetch a page are skipped, by name."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXIT = re.compile(r"#.*\bexit (\d+)")


def readme_examples() -> list[str]:
    """The lines of the fenced shell blocks that start with `extract `, in README order."""
    examples, fence = [], None
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = None if fence is not None else line[3:].strip()
        elif fence in ("sh", "shell", "bash", "console") and line.startswith("extract "):
            examples.append(line)
    return examples


def needs_network(example: str) -> bool:
    return bool(re.search(r"\bhttps?://", example.split("#")[0]))


def expected_exit(example: str) -> int:
    found = EXIT.search(example)
    return int(found.group(1)) if found else 0


def test_the_readme_has_examples_of_every_kind():
    examples = readme_examples()
    for command in ("url", "file", "text", "check", "batch", "export", "stats"):
        assert any(e.startswith(f"extract {command} ") for e in examples), command


def test_every_readme_example_runs_as_written(tmp_path):
    # run where the README's relative paths hold (fixtures/ beside them) without writing into the checkout:
    # a scratch directory with fixtures/ linked in; the examples share it, so export finds batch's database
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    bindir = Path(sys.executable).parent
    assert shutil.which("extract", path=str(bindir)), "the extract command is not installed beside python"
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", COLUMNS="100")
    failures = []
    for example in readme_examples():
        if needs_network(example):
            continue  # test_network_examples_are_skipped names them
        proc = subprocess.run(["bash", "-c", example], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != expected_exit(example) or "Traceback" in proc.stderr:
            failures.append(f"{example}\n  exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("example", [e for e in readme_examples() if needs_network(e)])
def test_network_examples_are_skipped(example):
    pytest.skip(f"needs the network, not run: {example.split('#')[0].strip()}")
