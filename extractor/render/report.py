"""The dataset report: one static, offline HTML page over a claims database (`extract report --db`).

Counts by institution, program, year, region and outlet; a chart of claim amounts and case counts by
program over time; the inconsistent totals and the conflicting figures, each linking to the article's
show page (written beside the report, in REPORT_files/); the articles that failed. Read with plain SQL.
The show pages are drawn from the article text the database keeps (articles.text), extracted again with
explain so the figures' words can be found: extraction is deterministic, so the claims are the ones stored.
"""
from __future__ import annotations

import html
import sqlite3
from pathlib import Path

from ..store.query import CLAIM_DATE
from .charts import time_series_svg
from .show import CSS as SHOW_CSS

CSS = SHOW_CSS + """
main{padding:16px 20px;max-width:1200px}
.counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px;align-items:start}
.chart svg{max-width:100%;height:auto;background:#fff;border:1px solid #ddd}
"""

# (heading, SQL giving rows of (name, count)); a claim's year is its period's, else the publication's
COUNTS = (
    ("Institution", "SELECT coalesce(institution, '(not stated)'), count(*) FROM articles WHERE status = 'ok' "
                    "GROUP BY 1 ORDER BY 2 DESC, 1"),
    ("Program", "SELECT program, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC, 1"),
    ("Year", f"SELECT coalesce(substr({CLAIM_DATE}, 1, 4), '(no date)'), count(*) FROM claims c "
             "JOIN articles a ON a.id = c.article_id GROUP BY 1 ORDER BY 1"),
    ("Region", "SELECT coalesce(region, '(not stated)'), count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC, 1"),
    ("Outlet", "SELECT coalesce(site, '(not stated)'), count(*) FROM articles WHERE status = 'ok' "
               "GROUP BY 1 ORDER BY 2 DESC, 1"),
)


def write_report(conn: sqlite3.Connection, out: Path) -> tuple[int, int]:
    """Write the report to `out` and the show pages it links to beside it; (articles linked, pages written)."""
    files = out.with_name(out.stem + "_files")
    flagged = _flagged_checks(conn)
    linked = sorted({row["article_id"] for row in flagged})
    pages = _write_show_pages(conn, linked, files)
    series = conn.execute(f"SELECT {CLAIM_DATE}, c.program, c.amount, c.cases FROM claims c "
                          "JOIN articles a ON a.id = c.article_id").fetchall()
    totals = conn.execute("SELECT status, count(*) FROM articles GROUP BY 1").fetchall()
    summary = ", ".join(f"{n} {html.escape(status)}" for status, n in totals)
    body = [f"<header><h1>Claims dataset report</h1><div class=\"meta\">{html.escape(out.name)}: articles "
            f"{summary}; {conn.execute('SELECT count(*) FROM claims').fetchone()[0]} claims</div></header><main>",
            "<h2>Counts</h2><div class=\"counts\">",
            *(_count_table(heading, conn.execute(sql).fetchall(), "articles" if heading in ("Institution", "Outlet")
                           else "claims") for heading, sql in COUNTS),
            "</div><h2>Over time</h2><div class=\"chart\">", time_series_svg([tuple(r) for r in series]), "</div>",
            _checks_section("Inconsistent totals", [r for r in flagged if r["kind"] == "sum"], pages),
            _checks_section("Conflicting figures (one figure stated differently)",
                            [r for r in flagged if r["kind"] != "sum"], pages),
            _errors_section(conn), "</main>"]
    out.write_text("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; img-src data:\"><title>Claims dataset report</title>"
                   f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n", encoding="utf-8")
    return len(linked), len(pages)


def _flagged_checks(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    conn.row_factory = sqlite3.Row
    return conn.execute(
        "SELECT k.article_id, k.kind, k.what, k.program, k.why, k.period, a.title, a.site, a.published, "
        "coalesce(a.url, a.path, a.input) AS source FROM checks k JOIN articles a ON a.id = k.article_id "
        "WHERE k.verdict = 'inconsistent' ORDER BY a.published, k.article_id, k.idx").fetchall()


def _write_show_pages(conn: sqlite3.Connection, article_ids: list[int], files: Path) -> dict[int, str]:
    """Each article's show page in files/<id>.html; {article id: link relative to the report}."""
    from ..models import Page, Source
    from ..pipeline import extract_text
    from .show import render_page

    links: dict[int, str] = {}
    for article_id in article_ids:
        row = conn.execute("SELECT text, title, published, site, url, path FROM articles WHERE id = ?",
                           (article_id,)).fetchone()
        if row is None or not row["text"]:
            continue  # a version-1 database kept no text: the check is listed without a page
        page = Page(text=row["text"], title=row["title"], published=row["published"], site=row["site"])
        doc = extract_text(row["text"], source=Source(url=row["url"], path=row["path"]), page=page, explain=True)
        files.mkdir(parents=True, exist_ok=True)
        (files / f"{article_id}.html").write_text(render_page(doc), encoding="utf-8")
        links[article_id] = f"{files.name}/{article_id}.html"
    return links


def _count_table(heading: str, rows: list, what: str) -> str:
    body = "".join(f"<tr><td>{html.escape(str(name))}</td><td>{n}</td></tr>" for name, n in rows)
    return (f"<table class=\"count\"><tr><th>{html.escape(heading)}</th><th>{what}</th></tr>"
            f"{body or '<tr><td colspan=2>none</td></tr>'}</table>")


def _checks_section(heading: str, rows: list[sqlite3.Row], pages: dict[int, str]) -> str:
    items = []
    for r in rows:
        title = html.escape(r["title"] or r["source"] or f"article {r['article_id']}")
        link = pages.get(r["article_id"])
        name = f"<a href=\"{html.escape(link)}\">{title}</a>" if link else title
        figure = f"{r['what']}, {r['program'] or ''}"
        items.append(f"<tr><td>{name}</td><td>{html.escape(r['site'] or '')}</td>"
                     f"<td>{html.escape(r['published'] or '')}</td>"
                     f"<td>{html.escape(figure)}</td><td>{html.escape(r['why'] or '')}</td></tr>")
    body = "".join(items) or "<tr><td colspan=5>none</td></tr>"
    return (f"<h2>{html.escape(heading)} ({len(rows)})</h2><table class=\"flagged\"><tr><th>article</th>"
            f"<th>outlet</th><th>published</th><th>figure</th><th>arithmetic</th></tr>{body}</table>")


def _errors_section(conn: sqlite3.Connection) -> str:
    rows = conn.execute("SELECT input, error_code, error FROM articles WHERE status = 'failed' ORDER BY id").fetchall()
    body = "".join(f"<tr><td>{html.escape(r[0])}</td><td>{html.escape(r[1] or '')}</td>"
                   f"<td>{html.escape(r[2] or '')}</td></tr>" for r in rows) or "<tr><td colspan=3>none</td></tr>"
    return (f"<h2>Articles with errors ({len(rows)})</h2><table class=\"errors\"><tr><th>input</th><th>code</th>"
            f"<th>error</th></tr>{body}</table>")
