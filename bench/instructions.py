"""Machine instructions per article, text -> JSON: a figure that does not move with the load of a shared VM.

Wall-clock figures on this machine move by 10-30% from one minute to the next, more than most single
changes gain. valgrind's callgrind counts the instructions executed instead, which is the same run after
run (with a fixed PYTHONHASHSEED). The script runs the text loop of throughput_text.py under callgrind
once with one pass over the texts and once with more, and divides the difference by the extra articles,
so start-up and first-use work (rules, regex compilation, caches) cancel out.

    python bench/instructions.py [--passes 4] [--corpus DIR]      # needs valgrind (Debian package)
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402
from throughput_text import texts  # noqa: E402

LOOP = """
import json, sys
from pathlib import Path
from extractor.pipeline import extract_text
articles = [Path(p).read_text(encoding="utf-8") for p in sys.argv[2:]]
for _ in range(int(sys.argv[1])):
    for text in articles:
        json.dumps(extract_text(text).as_dict(), ensure_ascii=False)
"""


def instructions(passes: int, files: list[str]) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", LOOP, str(passes), *files],
                         capture_output=True, text=True, env=env, check=True)
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passes", type=int, default=4)
    ap.add_argument("--corpus", type=Path, default=None, help="folder of .txt articles [default: the dev corpus]")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    source, _ = texts(args.corpus)
    files = sorted(str(p) for p in Path(source).rglob("*.txt") if not p.name.endswith(".expected.txt"))
    subprocess.run([sys.executable, "-c", "from extractor.pipeline import extract_text; extract_text('x')"],
                   check=True)  # fills the rule cache, which a first run after a change would build
    one, many = instructions(1, files), instructions(args.passes, files)
    per_article = (many - one) / ((args.passes - 1) * len(files))
    print(f"machine: {machine()}")
    print(f"instructions: {per_article / 1e6:.2f} M per article ({len(files)} texts from {source}, "
          f"{args.passes} passes against 1)")


if __name__ == "__main__":
    main()
