"""What the bench scripts share: the machine they ran on, the `extract` command, the dev corpus."""
from __future__ import annotations

import os
import platform
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The shared dev corpus sits beside the repo where it exists; a clone on its own falls back to fixtures/.
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), model)
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}; extractor {build()}"


def build() -> str:
    """Which build of the package this interpreter runs: a wheel with the extract stage compiled, or plain
    Python (an editable install, or a wheel built without a compiler). Run a bench in each venv to compare."""
    import extractor

    return "compiled (mypyc wheel)" if extractor.compiled() else "plain Python"


def extract_command() -> list[str]:
    """The installed `extract` script of this interpreter's environment, else the same entry point via -c."""
    script = Path(sys.executable).with_name("extract")
    if script.exists():
        return [str(script)]
    found = shutil.which("extract")
    return [found] if found else [sys.executable, "-c", "from extractor.cli import main; main()"]
