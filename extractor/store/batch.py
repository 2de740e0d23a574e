"""Batch runner: many URLs and local files -> the claims database, concurrently, resumably.

Shape of a run: N fetch workers (asyncio, one AsyncFetcher with its robots.txt cache and per-host
politeness) pull inputs from one shared iterator; extraction, which is CPU work, runs off the event loop in
an executor so fetching keeps flowing; every result goes through a bounded queue to a single writer that
saves it in one transaction. Nothing an article needs is written before its transaction commits, so a run
killed at any point resumes with no duplicate row and no lost one: inputs already recorded are skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import signal
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from ..errors import ExtractorError, HTTPStatusError, InputError
from ..urls import public_url
from .database import ArticleRecord, Saved, Store, now_iso
from .inputs import FILE_SUFFIXES, Item, collect_items, normalize_url, read_url_list  # noqa: F401

@dataclass
class BatchOptions:
    concurrency: int = 8
    delay: float | None = None  # seconds between requests to one host; None: the fetch stage's default
    timeout: float | None = None  # total seconds per page; None: the fetch stage's default
    retries: int | None = None
    respect_robots: bool = True
    refresh: bool = False  # redo inputs already recorded
    retry_failed: bool = False  # redo inputs recorded as failed
    processes: int = 0  # extraction processes; 0: one extraction thread in this process
    max_bytes: int | None = None  # size cap on pages and files; None: the fetch stage's default


@dataclass
class BatchSummary:
    total: int = 0  # inputs given
    todo: int = 0  # inputs this run set out to process
    skipped: int = 0  # already recorded
    skipped_failed: int = 0  # of which recorded as failed
    ok: int = 0
    failed: int = 0
    duplicate: int = 0
    claims: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    delay: float = 0.0  # seconds between two requests to one host (the politeness delay)
    host_left: dict[str, int] = field(default_factory=dict)  # URLs still to fetch, per host
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.ok + self.failed + self.duplicate

    def eta(self, now: float | None = None) -> float | None:
        """Seconds until the run should be done: the pace so far, but never less than the politeness
        delay allows: n more pages from one host take at least n x delay, however fast the others go
        (early pages from many hosts are fast, and the pace alone would promise too much). None before
        anything is known."""
        left = self.todo - self.done
        if left <= 0:
            return 0.0
        elapsed = (time.monotonic() if now is None else now) - self.started
        pace = elapsed / self.done * left if self.done else None
        polite = max(self.host_left.values(), default=0) * self.delay
        if pace is None:
            return polite or None
        return max(pace, polite)

    @property
    def pages_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


class Reporter(Protocol):
    """What the CLI plugs in to show progress; called on the event loop thread."""

    def start(self, summary: BatchSummary) -> None: ...

    def saved(self, rec: ArticleRecord, saved: Saved, summary: BatchSummary) -> None: ...


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def extract_fetched(url: str, final_url: str, fetched_at: str | None, page,
                    warnings: list[str]) -> tuple[dict[str, Any], str | None, str, str]:
    """A fetched article's Page -> (output-contract dict, canonical URL, content hash, text); as `extract url`."""
    from ..models import Source
    from ..pipeline import extract_text

    doc = extract_text(page.text, source=Source(url=url, fetched_at=fetched_at, final_url=final_url), page=page)
    doc.warnings.extend(warnings)
    canonical = _canonical(doc.canonical_url, final_url) or normalize_url(final_url)
    return doc.as_dict(), canonical, content_hash(doc.text), doc.text


@dataclass
class _Step:
    value: Any
    done: bool


def _advance(gen, send) -> _Step:
    """One step of a generator, run on a worker thread: what it yields next, or what it returns."""
    try:
        return _Step(gen.send(send), False)
    except StopIteration as stop:
        return _Step(stop.value, True)


def extract_file(path: str, max_bytes: int | None = None) -> tuple[dict[str, Any], str | None, str, str]:
    """A local file -> (output-contract dict, canonical URL if the HTML names one, content hash, text)."""
    from ..pipeline import extract_path

    doc = extract_path(path, max_bytes=max_bytes)
    return doc.as_dict(), _canonical(doc.canonical_url, None), content_hash(doc.text), doc.text


def _canonical(href: str | None, base: str | None) -> str | None:
    """The page's own canonical URL, resolved against where it was fetched, if it is http(s)."""
    if not href:
        return None
    url = public_url(urljoin(base, href.strip()) if base else href.strip())
    return normalize_url(url) if urlsplit(url).scheme in ("http", "https") else None


def _init_process() -> None:
    # The parent handles Ctrl-C; workers just finish their task. Warm the pipeline up once per process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ..pipeline import extract_text

    extract_text("BPJS Ketenagakerjaan membayar klaim Rp1 miliar.")


def fetch_settings(options: BatchOptions):
    """FetchSettings from the batch options, leaving the fetch stage's defaults for what is not given."""
    from ..fetch import FetchSettings

    base = FetchSettings()
    names = {f.name for f in dataclasses.fields(base)}
    changes: dict[str, Any] = {}
    if options.timeout is not None:
        for name in ("connect_timeout", "read_timeout"):
            if name in names:
                changes[name] = min(getattr(base, name), options.timeout)
        changes["total_timeout" if "total_timeout" in names else "timeout"] = options.timeout
    if options.delay is not None:
        changes["min_delay"] = options.delay
    if options.retries is not None:
        changes["retries"] = options.retries
    if options.max_bytes is not None:
        changes["max_bytes"] = options.max_bytes
    if not options.respect_robots:
        changes["respect_robots"] = False
    return dataclasses.replace(base, **{k: v for k, v in changes.items() if k in names})


def run_batch(db: str | Path | Store, items: list[Item], options: BatchOptions | None = None,
              reporter: Reporter | None = None) -> BatchSummary:
    """Process items into the database at db; returns the summary (interrupted=True after Ctrl-C, with
    everything finished so far committed)."""
    options = options or BatchOptions()
    store = db if isinstance(db, Store) else Store.open(db)
    summary = BatchSummary(total=len(items))
    started = time.monotonic()
    try:
        recorded = {} if options.refresh else store.recorded()
        todo = []
        for item in items:
            status = recorded.get(item.key)
            if status is None or (status == "failed" and options.retry_failed):
                todo.append(item)
            else:
                summary.skipped += 1
                summary.skipped_failed += status == "failed"
        summary.todo = len(todo)
        settings = None
        if any(item.kind == "url" for item in todo):
            try:
                settings = fetch_settings(options)
            except ValueError as exc:  # FetchSettings validates its values
                raise InputError(f"invalid fetch option: {exc}") from exc
            summary.delay = float(getattr(settings, "min_delay", 0.0) or 0.0)
            for item in todo:
                if item.kind == "url":
                    host = _host(item.key)
                    summary.host_left[host] = summary.host_left.get(host, 0) + 1
        summary.started = time.monotonic()
        if reporter:
            reporter.start(summary)
        if todo:
            try:
                asyncio.run(_Run(store, options, reporter, summary).run(todo, settings))
            except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C, or SIGTERM (see _Run.run)
                summary.interrupted = True
    finally:
        summary.seconds = time.monotonic() - started
        if not isinstance(db, Store):
            store.close()
    return summary


class _Run:
    def __init__(self, store: Store, options: BatchOptions, reporter: Reporter | None, summary: BatchSummary):
        self.store = store
        self.options = options
        self.reporter = reporter
        self.summary = summary

    async def run(self, items: list[Item], settings) -> None:
        loop = asyncio.get_running_loop()
        main = asyncio.current_task()
        previous_sigterm = signal.getsignal(signal.SIGTERM)
        try:
            loop.add_signal_handler(signal.SIGTERM, main.cancel)  # stop like Ctrl-C: commits stay
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
            previous_sigterm = None
        self.extractor = self._extract_executor()
        # One writer thread: the only place the database is written during the run.
        self.writer_pool = ThreadPoolExecutor(1, thread_name_prefix="store-writer")
        # Page parsing for multi-page articles: off the event loop, and apart from the extraction pool
        # (which may be processes, and a generator cannot travel to another process).
        self.parse_pool = ThreadPoolExecutor(1, thread_name_prefix="parse")
        results: asyncio.Queue = asyncio.Queue(maxsize=max(4, 2 * self.options.concurrency))
        pending = iter(items)
        concurrency = max(1, self.options.concurrency)
        try:
            if settings is not None:
                from ..fetch import AsyncFetcher

                fetching = AsyncFetcher(settings, concurrency=concurrency)
            else:
                fetching = contextlib.nullcontext()
            async with fetching as fetcher:
                self.fetcher = fetcher
                writer = asyncio.create_task(self._write(results))
                work = asyncio.gather(*(self._work(pending, results) for _ in range(min(concurrency, len(items)))))
                try:
                    # If the writer dies (disk full ...) the workers would block on a full queue: stop.
                    await asyncio.wait({work, writer}, return_when=asyncio.FIRST_COMPLETED)
                    if writer.done():
                        writer.result()
                        raise RuntimeError("the database writer stopped early")
                    await work
                    await results.put(None)
                    await writer
                except BaseException:
                    work.cancel()
                    writer.cancel()
                    await asyncio.gather(work, writer, return_exceptions=True)
                    raise
        finally:
            if previous_sigterm is not None:
                loop.remove_signal_handler(signal.SIGTERM)
                signal.signal(signal.SIGTERM, previous_sigterm)
            # A transaction in flight in the writer thread completes (or never started): wait for it.
            self.writer_pool.shutdown(wait=True)
            self.extractor.shutdown(wait=True, cancel_futures=True)
            self.parse_pool.shutdown(wait=True, cancel_futures=True)

    def _extract_executor(self) -> Executor:
        if self.options.processes > 0:
            import multiprocessing

            # spawn, not fork: forking a process that runs an event loop and threads is unsafe.
            return ProcessPoolExecutor(self.options.processes, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_process)
        # One thread: extraction holds the GIL, so more threads would not extract faster.
        return ThreadPoolExecutor(1, thread_name_prefix="extract")

    async def _work(self, pending, results: asyncio.Queue) -> None:
        for item in pending:  # shared iterator: each item goes to exactly one worker
            rec = await self._process(item)
            await results.put(rec)

    async def _process(self, item: Item) -> ArticleRecord:
        loop = asyncio.get_running_loop()
        rec = ArticleRecord(input=item.key, kind=item.kind,
                            url=item.key if item.kind == "url" else None,
                            path=item.key if item.kind == "file" else None)
        try:
            if item.kind == "url":
                got = await self.fetcher.fetch(item.fetch_url or item.key)
                rec.final_url, rec.fetched_at, rec.http_status = got.final_url, got.fetched_at, got.status
                page, warnings = await self._pages(item.key, got)
                doc, rec.canonical_url, rec.content_hash, rec.text = await loop.run_in_executor(
                    self.extractor, extract_fetched, item.key, got.final_url, got.fetched_at, page,
                    list(got.notes) + warnings)
            else:
                doc, rec.canonical_url, rec.content_hash, rec.text = await loop.run_in_executor(
                    self.extractor, extract_file, item.key, self.options.max_bytes)
            rec.document = doc
        except ExtractorError as exc:
            rec.error, rec.error_code = str(exc), exc.code
            if isinstance(exc, HTTPStatusError):
                rec.http_status = exc.status
        except (asyncio.CancelledError, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug in one page must not stop the run: record it and carry on
            rec.error, rec.error_code = f"internal error: {exc.__class__.__name__}: {exc}", "internal"
        rec.processed_at = now_iso()
        return rec

    async def _pages(self, url: str, got):
        """All pages of a multi-page article, as `extract url` gets them: the shared page-following
        generator is stepped on the parse thread (parsing stays off the event loop), fetching stays async."""
        from ..pipeline import article_pages

        loop = asyncio.get_running_loop()
        pages = article_pages(url, got)
        send = None
        while True:
            step = await loop.run_in_executor(self.parse_pool, _advance, pages, send)
            if step.done:
                return step.value
            try:
                send = await self.fetcher.fetch(step.value)
            except ExtractorError as exc:
                send = exc

    async def _write(self, results: asyncio.Queue) -> None:
        loop = asyncio.get_running_loop()
        summary = self.summary
        while True:
            rec = await results.get()
            if rec is None:
                return
            saved = await loop.run_in_executor(self.writer_pool, self.store.save, rec)
            if rec.kind == "url" and summary.host_left.get(_host(rec.input)):
                summary.host_left[_host(rec.input)] -= 1
            if saved.status == "ok":
                summary.ok += 1
                summary.claims += saved.n_claims
            elif saved.status == "duplicate":
                summary.duplicate += 1
            else:
                summary.failed += 1
            if self.reporter:
                self.reporter.saved(rec, saved, summary)
