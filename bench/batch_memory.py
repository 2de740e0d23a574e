"""Peak memory of `extract batch` over local files: 1 000 and 10 000 documents, and whether it grows.

Each run gets fresh files in a temporary folder: the dev corpus texts (else the fixture texts) and the
fixture pages, each copy made unique by a tag in letters (a "(red/...)" credit line after a text; a word
at the end of an article paragraph and a suffix on the canonical URL of a page) so that none is stored
as a duplicate. Then `extract batch FOLDER --db FILE --quiet` runs as a child process. Its peak resident
set size comes from the kernel (wait4's ru_maxrss); RSS is also sampled while it runs, to show the curve.

    python bench/batch_memory.py [--counts 1000 10000] [--keep]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DEV_CORPUS, extract_command, machine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 400
MAX_GROWTH = 1.2  # the larger run's peak within 20% of the smaller's
TAG = "\x00TAG\x00"  # placeholder in an article template, replaced by each copy's tag


def letters(n: int) -> str:
    """n written in letters ("b", "ba" ...): a unique tag that the extractor does not read as a number."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = string.ascii_lowercase[r] + out
        if n == 0:
            return out


def sources() -> list[tuple[str, str]]:
    """(suffix, template) of the articles to copy; TAG in a template marks where a copy's tag goes."""
    texts = sorted(DEV_CORPUS.glob("*.txt")) if DEV_CORPUS.is_dir() else []
    if not texts:
        texts = [f for f in sorted((ROOT / "fixtures").rglob("*.txt")) if not f.name.endswith(".expected.txt")]
    pages = sorted(ROOT.glob("fixtures/*.html")) + sorted(ROOT.glob("fixtures/html/*.html"))
    unique = {f.read_text(encoding="utf-8"): f.suffix for f in texts + pages}  # a page may be in both folders
    out = []
    for content, suffix in unique.items():
        if suffix == ".html":
            template = page_template(content)
            if template is not None:
                out.append((suffix, template))
        else:
            out.append((suffix, content.rstrip("\n") + f"\n\n(red/{TAG})\n"))
    return out


def page_template(html: str) -> str | None:
    """The page with TAG after the end of one of its article paragraphs, and in its canonical URL (the
    batch stores copies of one URL, or of one text, as duplicates); None if our parser would not see it."""
    from extractor.parse import parse_html

    page = parse_html(html)
    if page.canonical_url:  # as written in the page: plain, and escaped inside JSON-LD
        for url in {page.canonical_url, page.canonical_url.replace("/", "\\/")}:
            html = html.replace(url, f"{url}-{TAG}")
    for paragraph in sorted(page.text.split("\n\n")[1:], key=len, reverse=True):
        for n in (40, 20, 12):
            at = html.find(paragraph[-n:])
            if at < 0:
                continue
            template = f"{html[:at + n]} Arsip {TAG}.{html[at + n:]}"
            check = parse_html(template.replace(TAG, "zzzz"))
            if "Arsip zzzz." in check.text and (check.canonical_url is None or "zzzz" in check.canonical_url):
                return template
    return None


def generate(folder: Path, count: int, articles: list[tuple[str, str]]) -> None:
    for i in range(count):
        suffix, template = articles[i % len(articles)]
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"article-{i:06d}{suffix}").write_text(template.replace(TAG, letters(i)), encoding="utf-8")


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def run(count: int, articles: list[tuple[str, str]], keep: bool) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"extractor-batch-{count}-"))
    try:
        inputs = work / "articles"
        inputs.mkdir()
        generate(inputs, count, articles)
        db = work / "claims.db"
        cmd = extract_command() + ["batch", str(inputs), "--db", str(db), "--quiet"]
        samples: list[tuple[float, int]] = []
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.25):
                kb = rss_kb(proc.pid)
                if kb is not None:
                    samples.append((time.perf_counter() - start, kb))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        with sqlite3.connect(db) as conn:
            statuses = dict(conn.execute("select status, count(*) from articles group by status").fetchall())
        return {"count": count, "peak_mb": usage.ru_maxrss / 1024, "seconds": seconds, "rc": proc.returncode,
                "statuses": statuses, "samples": samples, "stderr": stderr.decode(errors="replace")[-300:]}
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def curve(samples: list[tuple[float, int]]) -> str:
    """RSS at 10%, 25%, 50%, 75% and 100% of the run."""
    if not samples:
        return "no samples"
    picks = [samples[min(len(samples) - 1, int(len(samples) * f))] for f in (0.1, 0.25, 0.5, 0.75, 1.0)]
    return " ".join(f"{kb / 1024:.0f}" for _, kb in picks) + " MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counts", type=int, nargs="+", default=[1000, 10_000])
    ap.add_argument("--keep", action="store_true", help="keep the generated files and databases")
    args = ap.parse_args()
    articles = sources()
    results = [run(n, articles, args.keep) for n in args.counts]
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}; "
          f"{len(articles)} distinct articles, each copy made unique")
    for r in results:
        print(f"{r['count']:>6} documents: peak RSS {r['peak_mb']:.0f} MB, {r['seconds']:.1f} s "
              f"({r['count'] / r['seconds']:.0f} docs/s), exit {r['rc']}, {r['statuses']}; "
              f"RSS at 10/25/50/75/100% of the run: {curve(r['samples'])}")
        if r["rc"] not in (0, 1):
            print(f"  stderr: {r['stderr']}")
    small, large = results[0], results[-1]
    growth = large["peak_mb"] / small["peak_mb"]
    worst = max(r["peak_mb"] for r in results)
    verdict = "met" if growth <= MAX_GROWTH and worst < LIMIT_MB else "MISSED"
    print(f"batch memory: peak RSS {small['peak_mb']:.0f} MB at {small['count']}, {large['peak_mb']:.0f} MB at "
          f"{large['count']}, ratio {growth:.2f}; target ratio <= {MAX_GROWTH} and < {LIMIT_MB} MB: {verdict}")


if __name__ == "__main__":
    main()
