"""HTML -> JSON throughput of our whole pipeline (parse + extract + validate + json) against trafilatura.

The fixture pages (fixtures/*.html and fixtures/html/*.html) are repeated to --pages pages. Both sides run
in this one process, alternating one pass over the page set each, so a busy machine slows both alike;
imports and first-use set-up happen before the clock starts. trafilatura runs with its defaults
(trafilatura.extract(html), text output) and does only what our parse stage does: find the article text.

    python bench/throughput_html.py [--pages 2000]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    args = ap.parse_args()
    try:
        import trafilatura
    except ImportError:
        sys.exit("trafilatura is not installed: pip install -e '.[bench]'")
    from extractor.parse import parse_html
    from extractor.pipeline import extract_html

    files = sorted(ROOT.glob("fixtures/*.html")) + sorted(ROOT.glob("fixtures/html/*.html"))
    if not files:
        sys.exit("no fixture pages in fixtures/ or fixtures/html/")
    pages = [f.read_text(encoding="utf-8") for f in files]

    def ours(html: str) -> None:
        json.dumps(extract_html(html).as_dict(), ensure_ascii=False)

    def ours_parse(html: str) -> None:
        parse_html(html)

    def theirs(html: str) -> None:
        trafilatura.extract(html)

    runners = {"ours: HTML->JSON": ours, "ours: parse stage only": ours_parse, "trafilatura.extract": theirs}
    for run in runners.values():  # imports, rules, first-use caches
        run(pages[0])
    seconds = dict.fromkeys(runners, 0.0)
    done = 0
    while done < args.pages:
        batch = pages[: args.pages - done]
        for name, run in runners.items():
            start = time.perf_counter()
            for html in batch:
                run(html)
            seconds[name] += time.perf_counter() - start
        done += len(batch)

    rate = {name: done / s for name, s in seconds.items()}
    size = sum(map(len, pages)) / len(pages)
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"pages: {len(pages)} fixture pages (mean {size / 1024:.1f} KiB), repeated to {done}")
    for name in runners:
        print(f"{name:<24} {rate[name]:>8.1f} pages/s  ({1000 / rate[name]:.2f} ms each)")
    ratio = rate["ours: HTML->JSON"] / rate["trafilatura.extract"]
    verdict = "met" if ratio >= 1 else "MISSED"
    print(f"HTML->JSON: ours {rate['ours: HTML->JSON']:.1f} pages/s, trafilatura.extract "
          f"{rate['trafilatura.extract']:.1f} pages/s, ratio {ratio:.2f}x; target >= 1x: {verdict}")


if __name__ == "__main__":
    main()
