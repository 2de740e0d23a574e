"""Cold start: wall time of `extract file ARTICLE` from process start to output, beside two baselines.

Every command runs as a fresh process, round-robin (so a busy machine slows all of them alike), after one
untimed warm-up round that also fills the rule cache and writes our .pyc files. Best and median of --runs
are printed; the best is the figure to compare, the median shows the noise. The last line is the summary.

    python bench/cold_start.py [--runs 15] [--file fixtures/balipost-bpu-claims-2024.txt]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import extract_command, machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_WALL = 0.8  # seconds
TARGET_RATIO = 3.0  # times `import trafilatura`


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run; fails loudly if the command fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--file", default="fixtures/balipost-bpu-claims-2024.txt")
    args = ap.parse_args()

    env = dict(os.environ)
    # Installed libraries come with their bytecode compiled; let our package have its .pyc files too, as
    # in any normal environment (some sandboxes set this, and recompiling our modules costs ~50 ms a run).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cache = tempfile.mkdtemp(prefix="extractor-bench-cache-")
    env["EXTRACTOR_CACHE_DIR"] = cache  # a cache of our own: filled by the warm-up, as after a first run
    no_cache = dict(env, EXTRACTOR_NO_CACHE="1")
    extract = extract_command()
    commands = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "import trafilatura": ([sys.executable, "-c", "import trafilatura"], env),
        "import spacy": ([sys.executable, "-c", "import spacy"], env),
        "extract --version": (extract + ["--version"], env),
        "extract file": (extract + ["file", args.file], env),
        "extract file, no cache": (extract + ["file", args.file], no_cache),
    }
    for cmd, cmd_env in commands.values():  # warm-up: page cache, rule cache
        timed(cmd, cmd_env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (cmd, cmd_env) in commands.items():
            wall, cpu = timed(cmd, cmd_env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    shutil.rmtree(cache, ignore_errors=True)

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}; {args.runs} runs each")
    print(f"{'command':<24} {'best s':>8} {'median s':>9} {'best CPU s':>11}")
    for name in commands:
        print(f"{name:<24} {min(walls[name]):>8.3f} {statistics.median(walls[name]):>9.3f} {min(cpus[name]):>11.3f}")
    best = min(walls["extract file"])
    ratio = best / min(walls["import trafilatura"])
    ratio_median = statistics.median(walls["extract file"]) / statistics.median(walls["import trafilatura"])
    verdict = "met" if best <= TARGET_WALL and ratio <= TARGET_RATIO else "MISSED"
    print(f"cold start: extract file {best:.3f} s best ({statistics.median(walls['extract file']):.3f} s median), "
          f"{ratio:.2f}x import trafilatura ({ratio_median:.2f}x by medians), "
          f"python -c pass {min(walls['python -c pass']):.3f} s; "
          f"target <= {TARGET_WALL} s and <= {TARGET_RATIO:.0f}x: {verdict}")


if __name__ == "__main__":
    main()
