"""metadata.json for Datasette (`datasette claims.db -m metadata.json`): titles, column descriptions with
their units, default facets and full-text search on the claims database.

Units are written into the descriptions ("rupiah") rather than Datasette's "units" key: that key takes
Pint units, and Pint has no currency, so "IDR" there would break every page showing the column.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

CLAIM_COLUMNS = {
    "claim_id": "Stable id of the claim (the same figure of the same input keeps it across reruns)",
    "article_id": "Row id of the article (table articles)",
    "institution": "Institution paying out (BPJS Ketenagakerjaan, Jasa Raharja, Taspen ...)",
    "title": "Article headline", "published": "Publication date of the article (YYYY-MM-DD)",
    "site": "Outlet", "author": "Author, when the article names one", "url": "Where the article was read", "path": "Local file it was read from",
    "program": "Program code: TOTAL (all programs), JHT, JKM, JKK, JP, JKP, BEASISWA, SANTUNAN, SANTUNAN_*",
    "detail": "What the figure is about when narrower than the program",
    "amount": "Amount paid, in rupiah (integer; as published, with amount_qualifier)",
    "amount_low": "Lowest amount the published figure allows, in rupiah (when given)",
    "amount_high": "Highest amount the published figure allows, in rupiah (when given)",
    "amount_qualifier": "exact, more_than, about, almost ...: how the amount was stated",
    "amount_text": "The amount as written in the article",
    "cases": "Number of claims or cases paid (a count; see unit)",
    "cases_qualifier": "How the count was stated (exact, more_than ...)",
    "unit": "What was counted (kasus, klaim, peserta, korban ...)",
    "segment": "Membership segment (PU, BPU, Jakon ...)",
    "period_start": "First day of the period the figure covers (YYYY-MM-DD)",
    "period_end": "Last day of the period the figure covers (YYYY-MM-DD)",
    "period_text": "The period as written", "branch": "Branch office reporting", "region": "Province or region",
    "evidence": "The quote the figure was read from",
    "n_checks": "How many checks (sums, repeats) are about this claim",
    "check_verdict": "Worst verdict of those checks: inconsistent, unverifiable or consistent",
    "checks": "The checks about this claim: role, kind, what, verdict",
}

CHECK_COLUMNS = {
    "kind": "sum (do the parts add up to the total?) or repeat (is a figure stated twice the same?)",
    "what": "amount (rupiah) or cases (a count)",
    "verdict": "consistent, inconsistent or unverifiable", "why": "The arithmetic, in words",
    "parts": "Program codes of the parts (JSON)", "total": "Interval of the total (JSON, rupiah or count)",
    "parts_sum": "Interval of the parts' sum (JSON)", "period": "Period of the figures checked (start..end)",
}

FIGURE_COLUMNS = {
    "figure_id": "Stable id of the figure (a hash of its key: institution, program, detail, period, branch, "
                 "region, segment)",
    "institution": CLAIM_COLUMNS["institution"], "program": CLAIM_COLUMNS["program"],
    "detail": CLAIM_COLUMNS["detail"], "period_start": CLAIM_COLUMNS["period_start"],
    "period_end": CLAIM_COLUMNS["period_end"], "branch": CLAIM_COLUMNS["branch"], "region": CLAIM_COLUMNS["region"],
    "segment": CLAIM_COLUMNS["segment"],
    "amount": "The most precise amount any source states, in rupiah",
    "amount_low": "Lowest amount every agreeing source allows, in rupiah (the figure's precision)",
    "amount_high": "Highest amount every agreeing source allows, in rupiah (empty: no upper bound)",
    "amount_claim_id": "The claim stating the amount most precisely",
    "cases": "The most precise count any source states",
    "cases_low": "Lowest count every agreeing source allows", "cases_high": "Highest count every agreeing source allows",
    "cases_claim_id": "The claim stating the count most precisely",
    "agree": "1 when the sources agree, 0 for a cross-source conflict",
    "conflict": "Why the sources cannot agree (values that do not overlap, a count stated for another program)",
    "n_sources": "How many sources state the figure (a syndicated copy is one with its original)",
    "n_claims": "How many claims (statements) the figure groups",
    "claim_ids": "The claims the figure groups (space-separated; a list in JSON Lines and Parquet)",
}


def metadata(db_path: str | Path) -> dict[str, Any]:
    """The metadata document for the database at db_path (Datasette names a database by its file stem)."""
    claims_table = {k: v for k, v in CLAIM_COLUMNS.items() if k not in ("n_checks", "check_verdict", "checks")}
    facets = ["institution", "program", "region"]
    return {
        "title": "Social-security claim payouts reported in Indonesian news",
        "description": "Claim figures read from news articles by `extract batch`: one row per published "
                       "figure, with its article and the checks of whether the figures add up. Amounts are "
                       "rupiah; sum only TOTAL rows (a total and its parts are the same money).",
        "databases": {Path(db_path).stem: {"tables": {
            "claims_full": {"description": "One row per claim with its article and the checks about it",
                            "columns": CLAIM_COLUMNS, "facets": facets + ["check_verdict"],
                            "sort_desc": "amount"},
            "claims": {"description": "Claims as stored (joins articles on article_id)", "columns": claims_table,
                       "facets": ["program", "region"], "fts_table": "claims_fts", "fts_pk": "id"},
            "checks": {"description": "Checks of the published figures, per article", "columns": CHECK_COLUMNS,
                       "facets": ["verdict", "kind"]},
            "check_claims": {"description": "Which claims each check is about (role total, part or value)"},
            "figures": {"description": "One row per published figure, however many articles state it "
                                       "(`extract reconcile`)", "columns": FIGURE_COLUMNS,
                        "facets": ["program", "agree"]},
            "figure_claims": {"description": "Which claims each figure groups, and the source each counts as"},
            "articles": {"description": "Every input processed, with its status and clean text",
                         "facets": ["status", "institution", "site"], "fts_table": "articles_fts",
                         "fts_pk": "id"},
        }}},
    }
