"""The compiled build (setup.py, mypyc) is an optimisation only: it must never run stale code."""
import hashlib
import json
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
def test_compiled_modules_were_built_from_these_sources():
    # an editable install compiles in place: after editing a module, `pip install -e .` again
    built = json.loads((PACKAGE / "compiled-from.json").read_text(encoding="utf-8"))
    stale = [name for name in COMPILED
             if built.get(name) != hashlib.sha256((PACKAGE / f"{name}.py").read_bytes()).hexdigest()]
    assert not stale, f"compiled from other sources: {stale}; rebuild with pip install -e ."
