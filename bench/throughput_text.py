"""Text -> JSON throughput in one process: extract_text(...).as_dict() and json.dumps, as `extract file` does.

The dev corpus texts (/work/shared/corpus/dev/*.txt, or --corpus) are repeated to --docs documents; without
the corpus the repository's own fixture texts are used. Building the rules (and importing spaCy) happens
once before the clock starts and is printed apart: it is start-up, measured by cold_start.py.

    python bench/throughput_text.py [--docs 10000] [--corpus DIR]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEV_CORPUS, machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1500  # articles/s


def texts(corpus: Path | None) -> tuple[str, list[str]]:
    folder = corpus or DEV_CORPUS
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        folder = ROOT / "fixtures"
        files = sorted(folder.rglob("*.txt"))
        files = [f for f in files if not f.name.endswith(".expected.txt")]  # parser goldens, not articles
    if not files:
        sys.exit(f"no .txt articles in {folder}")
    return str(folder), [f.read_text(encoding="utf-8") for f in files]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--corpus", type=Path, default=None, help="folder of .txt articles [default: the dev corpus]")
    args = ap.parse_args()
    source, articles = texts(args.corpus)

    start = time.perf_counter()
    from extractor.pipeline import extract_text

    extract_text(articles[0])  # imports, rules, first-use caches
    setup = time.perf_counter() - start

    start = time.perf_counter()
    cpu = time.process_time()
    size = 0
    for text in itertools.islice(itertools.cycle(articles), args.docs):
        size += len(json.dumps(extract_text(text).as_dict(), ensure_ascii=False))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rate = args.docs / seconds
    chars = sum(map(len, articles)) / len(articles)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"corpus: {len(articles)} texts from {source} (mean {chars:.0f} characters), repeated to {args.docs}")
    print(f"setup (imports + rules + first document): {setup:.3f} s; CPU {cpu:.1f} s of {seconds:.1f} s wall; "
          f"{size / args.docs:.0f} JSON bytes per document")
    verdict = "met" if rate >= TARGET else "MISSED"
    print(f"text->JSON: {args.docs} documents in {seconds:.2f} s = {rate:.0f} articles/s "
          f"({1000 / rate:.2f} ms each; {args.docs / cpu:.0f} per CPU-second); target >= {TARGET}/s: {verdict}")


if __name__ == "__main__":
    main()
