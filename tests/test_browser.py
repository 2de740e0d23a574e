"""The show page and the dataset report in a real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright; `playwright install` is never run): no console errors, the seed claims highlighted, the chart
drawn, and a hostile page's text shown as text, never run."""
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_HTML = FIXTURES / "balipost-bpu-claims-2024.html"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium): browser tests skipped", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")


def run_cli(*args):
    code = "from extractor.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path):
    """The file opened in a fresh page; (page, console errors, dialogs) as they happen."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors, dialogs


def test_show_page_highlights_the_four_seed_claims(browser, tmp_path):
    out = tmp_path / "seed.html"
    result = run_cli("show", str(SEED_HTML), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page, errors, _ = open_page(browser, out)
    for i in range(4):  # each claim's amount and count highlighted, linked to the claim
        assert page.locator(f'.article .m.amount[data-claims~="{i}"]').count() >= 1
        assert page.locator(f'.article .m.cases[data-claims~="{i}"]').count() >= 1
    assert page.locator(".article .m.amount").all_inner_texts() == \
        ["Rp41,07 miliar", "Rp32 miliar", "Rp231 juta", "Rp 8 miliar"]
    page.locator('tr.claim-row[data-claims="2"]').hover()  # the JHT row lights up its words
    lit = page.locator(".article .m.on").all_inner_texts()
    assert "Rp231 juta" in lit and "260 kasus" in lit and "Jaminan Hari Tua (JHT)" in lit
    assert "Januari sampai Juni 2024" in lit and "Rp32 miliar" not in lit
    assert "JHT" in page.locator(".status").inner_text()
    shot = tmp_path / "show.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert errors == []
    page.close()


def test_report_draws_its_chart(browser, tmp_path):
    db = tmp_path / "claims.db"
    batch = run_cli("batch", *map(str, sorted((FIXTURES / "html").glob("*.html"))), "--db", str(db))
    assert batch.returncode in (0, 1), batch.stderr
    out = tmp_path / "report.html"
    assert run_cli("report", "--db", str(db), "-o", str(out)).returncode == 0
    page, errors, _ = open_page(browser, out)
    assert page.locator(".chart svg path").count() > 10
    box = page.locator(".chart svg").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert errors == []
    link = page.locator("table.flagged a").first  # an inconsistent total opens its article's show page
    link.click()
    page.wait_for_load_state("load")
    assert "_files/" in page.url and page.locator(".article .m.amount").count() >= 1
    assert errors == []
    page.close()


def test_hostile_text_is_shown_not_run(browser, tmp_path):
    from test_render import HOSTILE

    hostile = tmp_path / "hostile.html"
    hostile.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "hostile-show.html"
    assert run_cli("show", str(hostile), "-o", str(out)).returncode == 0
    page, errors, dialogs = open_page(browser, out)
    page.locator(".article .m").first.click()  # our script runs; theirs must not
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2  # ours: the data block and the linking script
    text = page.locator(".article").inner_text()
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(2)>' in text
    assert "<script>alert(1)</script>" in page.title()
    assert errors == []
    page.close()


def test_notebook_views_work_side_by_side(browser, tmp_path):
    """Two Document._repr_html_ views in one page (a notebook): each lights up its own claims only."""
    from extractor.pipeline import extract_path

    view = extract_path(str(SEED_HTML))._repr_html_()
    out = tmp_path / "notebook.html"
    out.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{view}{view}</body></html>",
                   encoding="utf-8")
    page, errors, _ = open_page(browser, out)
    page.locator(".extractor-show").nth(1).locator('tr.claim-row[data-claims="1"]').hover()
    assert page.locator(".extractor-show").nth(0).locator(".m.on").count() == 0
    assert "Rp32 miliar" in page.locator(".extractor-show").nth(1).locator(".m.on").all_inner_texts()
    assert errors == []
    page.close()
