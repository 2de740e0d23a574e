"""Build: wheels carry the extract stage compiled to C with mypyc; editable installs stay plain Python.

The compiled modules are the same source files: mypyc turns their type annotations into native code (text
to claims runs about 2x faster, bench/RESULTS.md). As black does, development happens in plain Python:
`pip install -e .` compiles nothing, so an edited module is always the one that runs. `pip install .` and
`pip wheel .` compile where a C compiler is at hand; where compiling fails, or with EXTRACTOR_PURE=1, the
wheel is the plain Python package and behaves identically. `extractor.compiled()` tells which is running.
Everything else (project metadata, dependencies) is in pyproject.toml.
"""
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The modules the text -> claims loop runs through; parse, fetch, store and the CLI gain nothing from it.
COMPILED = ["extract/tokenizer", "extract/matcher", "extract/mentions", "extract/quantities", "extract/numbers",
            "extract/periods", "extract/dating", "extract/merge", "extract/offices", "extract/sentences", "extract/linking",
            "extract/claims", "models", "validate/checks"]


class OptionalBuildExt(build_ext):
    """Compile where possible; where not, say so once and build the plain Python package."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # no compiler, no headers: the pure-Python package is complete
            _skip(f"compiling failed ({exc})")
            # all or nothing: the compiled modules share one library, so a part of them would not import
            for built in self.get_outputs():
                Path(built).unlink(missing_ok=True)


def _skip(why: str) -> None:
    print(f"extractor: {why}; building the plain Python package", file=sys.stderr)


def _editable() -> bool:
    # setuptools builds an editable install through these commands (PEP 660 and the legacy path)
    return any(cmd in sys.argv for cmd in ("editable_wheel", "develop"))


def ext_modules():
    if os.environ.get("EXTRACTOR_PURE") or _editable():
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        _skip(f"mypyc is not available ({exc})")
        return []
    paths = [f"extractor/{name}.py" for name in COMPILED]
    # one shared library inside the package (extractor/_native__mypyc)
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent",
                     "--disable-error-code", "annotation-unchecked", *paths],
                    opt_level="3", group_name="extractor._native")


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
