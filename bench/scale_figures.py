"""Extraction time against the number of figures in one text: it must grow linearly.

A text of N sentences "Klaim JHT RpN miliar untuk N kasus." (N figures, each a claim) is extracted in one
process, after the rules are built; each size is timed in CPU seconds of this process (the VM is shared:
wall time moves with its load), best of --runs. Linear growth means the 4x and 16x sizes take about 4x and
16x the time of the smallest; a pairwise comparison of figures would take 16x and 256x.

    python bench/scale_figures.py [--sizes 1000 4000 16000] [--runs 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

LIMIT = 1.3  # a size k times the smallest may take at most k * LIMIT times as long


def text_of(n: int) -> str:
    return " ".join(f"Klaim JHT Rp{i} miliar untuk {i} kasus." for i in range(1, n + 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from extractor import extract_text

    extract_text(text_of(10))  # build the rules before the clock starts
    print(machine())
    times = {}
    for n in args.sizes:
        text = text_of(n)
        best = float("inf")
        for _ in range(args.runs):
            start = time.process_time()  # CPU time: the VM is shared, wall time moves with its load
            claims = len(extract_text(text).claims)
            best = min(best, time.process_time() - start)
        times[n] = best
        print(f"{n:>6} figures: {best:.2f} s ({claims} claims)")
    small = min(times)
    ratios = ", ".join(f"{n // small}x figures {times[n] / times[small]:.1f}x time" for n in sorted(times) if n != small)
    met = all(times[n] / times[small] <= n / small * LIMIT for n in times)
    print(f"figures scale: {ratios}; target <= {LIMIT}x linear: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
