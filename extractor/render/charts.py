"""Charts for the dataset report: matplotlib (Agg backend) drawn to SVG, inlined in the page.

Text stays text in the SVG (svg.fonttype none), so no font is embedded or fetched: the browser draws the
labels with its own sans-serif."""
from __future__ import annotations

import io
from collections import defaultdict
from datetime import date


class ChartsUnavailable(Exception):
    """matplotlib is not installed (it is the `report` extra)."""


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ChartsUnavailable("extract report needs matplotlib: pip install 'extractor[report]'") from None
    matplotlib.use("Agg")  # no display: draw to files only
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "extractor"  # the same data gives the same SVG
    import matplotlib.pyplot as plt

    return plt


def require_charts() -> None:
    """Raise ChartsUnavailable now, before any work, when the charts cannot be drawn."""
    _pyplot()


def time_series_svg(rows: list[tuple[str, str, float | None, float | None]], *, top: int = 8) -> str:
    """Claim amounts and case counts by program over time, as one inline <svg>: rows are
    (date YYYY-MM-DD, program, amount, cases); the `top` programs with the most claims are drawn."""
    plt = _pyplot()
    by_program: dict[str, list[tuple[date, float | None, float | None]]] = defaultdict(list)
    for day, program, amount, cases in rows:
        try:
            when = date.fromisoformat(day[:10])
        except (TypeError, ValueError):
            continue
        by_program[program].append((when, amount, cases))
    programs = sorted(by_program, key=lambda p: (-len(by_program[p]), p))[:top]
    fig, (amounts, counts) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    for program in programs:
        points = sorted(by_program[program], key=lambda p: p[0])
        for axis, column in ((amounts, 1), (counts, 2)):
            shown = [(p[0], p[column] / (1e9 if column == 1 else 1)) for p in points if p[column]]
            if shown:
                axis.plot([d for d, _ in shown], [v for _, v in shown], marker="o", label=program)
    amounts.set_ylabel("amount (Rp miliar)")
    counts.set_ylabel("cases")
    for axis in (amounts, counts):
        axis.set_yscale("symlog")  # totals and small programs in one picture
        axis.grid(alpha=0.3)
    amounts.set_title("Claim amounts and case counts by program (claim period's end date)")
    if programs:
        amounts.legend(fontsize=8, ncol=4)
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg"):]  # the XML prologue and doctype have no place inside HTML
