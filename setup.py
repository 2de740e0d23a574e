"""Build: the extract stage compiled to C with mypyc where a C compiler is at hand, plain Python otherwise.

The compiled modules are the same source files: mypyc turns their type annotations into native code
(a document's claims are about 1.4x faster to read). Nothing else changes, so the package works the same
where compiling fails or is turned off with EXTRACTOR_PURE=1; `extractor.compiled()` tells which is running.
Everything else (project metadata, dependencies) is in pyproject.toml.
"""
import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The modules the text -> claims loop runs through; parse, fetch, store and the CLI gain nothing from it.
COMPILED = ["tokens", "matchers", "rules", "figures", "numbers", "periods", "merge", "offices", "extract",
            "models", "validate"]


class OptionalBuildExt(build_ext):
    """Compile where possible; where not, say so once and install the plain Python modules."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # no compiler, no headers: the pure-Python package is complete
            _skip(f"compiling failed ({exc})")
            # all or nothing: the compiled modules share one library, so a part of them would not import
            for built in self.get_outputs():
                Path(built).unlink(missing_ok=True)
            return
        if self.extensions:
            self._record_sources()

    def _record_sources(self):
        """extractor/compiled-from.json: the hash of each source compiled, so a test can tell a stale build."""
        package = Path("extractor") if self.inplace else Path(self.build_lib) / "extractor"
        package.mkdir(parents=True, exist_ok=True)
        hashes = {name: source_hash(Path("extractor") / f"{name}.py") for name in COMPILED}
        (package / "compiled-from.json").write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _skip(why: str) -> None:
    print(f"extractor: {why}; installing the plain Python modules", file=sys.stderr)


def ext_modules():
    if os.environ.get("EXTRACTOR_PURE"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        _skip(f"mypyc is not available ({exc})")
        return []
    paths = [f"extractor/{name}.py" for name in COMPILED]
    # one shared library inside the package (extractor/_native__mypyc), so editable installs find it too
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent",
                     "--disable-error-code", "annotation-unchecked", *paths],
                    opt_level="3", group_name="extractor._native")


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
