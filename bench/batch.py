"""Benchmark of `extract batch`, end to end: local HTTP sites -> fetch -> extract -> SQLite.

Serves the same kind of generated pages as tests/test_batch.py (mostly one clear claim each, plus slow
pages, 404/500s, a page that hangs past the timeout, duplicates, pages with no claims) from a separate
process, so the servers do not share the batch's GIL, spread over several sites (the fetcher serves one
request at a time per site). Then runs the batch at each concurrency into a fresh database and reports
pages/s. The extraction pipeline is warmed up first: its one-off start-up (loading spaCy) is reported
apart.

    python bench/batch.py                      # 200 pages, 8 sites, concurrency 1 and 16
    python bench/batch.py --pages 400 --sites 16 --concurrency 1 4 16 --processes 2
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"


def _serve(conn, pages: int, sites: int) -> None:
    sys.path.insert(0, str(TESTS))
    from test_batch import Sites, build_site, serve_site

    running = Sites(sites)
    site = build_site(pages, servers=sites)
    conn.send((serve_site(site, running.servers), {p.kind for p in site}))
    conn.recv()  # until the parent is done
    running.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--sites", type=int, default=8)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    ap.add_argument("--processes", type=int, default=0, help="also run with this many extraction processes")
    ap.add_argument("--timeout", type=float, default=1.0)
    args = ap.parse_args()

    from extractor.batch import BatchOptions, Item, run_batch

    started = time.perf_counter()
    from extractor.pipeline import extract_text

    extract_text("BPJS Ketenagakerjaan Cabang Kudus membayarkan klaim JHT sebesar Rp1 miliar.")
    print(f"pipeline start-up (once per process): {time.perf_counter() - started:.1f} s")

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    server = ctx.Process(target=_serve, args=(child, args.pages, args.sites), daemon=True)
    server.start()
    urls, kinds = parent.recv()
    items = [Item(u, "url") for u in urls]
    print(f"{len(urls)} pages on {args.sites} local sites ({', '.join(sorted(kinds))}); timeout {args.timeout} s, "
          "delay 0, retries 0")

    runs = [(c, 0) for c in args.concurrency]
    if args.processes:
        runs.append((max(args.concurrency), args.processes))
    print(f"{'concurrency':>11} {'extract':>12} {'seconds':>8} {'pages/s':>8} {'ok':>4} {'failed':>6} "
          f"{'dup':>4} {'claims':>6}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for i, (concurrency, processes) in enumerate(runs):
                options = BatchOptions(concurrency=concurrency, delay=0, timeout=args.timeout, retries=0,
                                       processes=processes)
                s = run_batch(Path(tmp) / f"run{i}.db", items, options)
                where = f"{processes} processes" if processes else "1 thread"
                print(f"{concurrency:>11} {where:>12} {s.seconds:>8.2f} {s.pages_per_second:>8.1f} {s.ok:>4} "
                      f"{s.failed:>6} {s.duplicate:>4} {s.claims:>6}")
    finally:
        parent.send("done")
        server.join(5)


if __name__ == "__main__":
    main()
