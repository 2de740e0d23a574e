"""The compiled build (setup.py, mypyc) is an optimisation only: it must never run stale code."""
from pathlib import Path

import pytest

import extractor

COMPILED = ["tokens", "matchers", "rules", "figures", "numbers", "periods", "merge", "offices", "extract",
            "models", "validate"]
PACKAGE = Path(extractor.__file__).parent


def test_the_compiled_list_is_the_one_setup_py_builds():
    setup_py = (PACKAGE.parent / "setup.py").read_text(encoding="utf-8")
    listed = setup_py.split("COMPILED = [", 1)[1].split("]", 1)[0]
    assert [name.strip().strip('"') for name in listed.split(",") if name.strip()] == COMPILED


@pytest.mark.skipif(not extractor.compiled(), reason="plain Python build")
def test_compiled_modules_are_not_older_than_their_sources():
    # an editable install compiles in place: after editing a module, `pip install -e .` again
    stale = []
    for name in COMPILED:
        source = PACKAGE / f"{name}.py"
        built = next(PACKAGE.glob(f"{name}.cpython-*"), None)
        if built is None or built.stat().st_mtime < source.stat().st_mtime:
            stale.append(name)
    assert not stale, f"compiled modules older than their source: {stale}; rebuild with pip install -e ."
