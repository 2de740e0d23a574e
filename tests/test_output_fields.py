"""Issue 16's output fields and CLI: claim intervals and unit classes, metadata for local files (options and
NAME.meta.json), --pretty over several files, usage lines, exit codes. User-visible behaviour runs the CLI
as a subprocess."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor import extract_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_HTML = FIXTURES / "balipost-bpu-claims-2024.html"
SEED_TEXT = FIXTURES / "balipost-bpu-claims-2024.txt"
BPJS = "BPJS Ketenagakerjaan membayarkan klaim "


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-c", "from extractor.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.mark.parametrize("sentence, amount_bounds, cases_bounds, unit_class", [
    ("Jaminan Hari Tua (JHT) sebesar Rp10,9 miliar kepada 1.200 peserta.", (10_850_000_000, 10_950_000_000),
     (1200, 1200), "people"),
    ("JKM sekitar Rp100 juta kepada 25 ahli waris.", (95_000_000, 105_000_000), (25, 25), "heirs"),
    ("JKK sedikitnya Rp5 miliar untuk sekitar 300 kasus.", (5_000_000_000, None), (285, 315), "cases"),
    ("JHT hampir Rp2,5 miliar untuk 120 klaim.", (2_400_000_000, 2_500_000_000), (120, 120), "claims"),
    ("JP sebesar Rp1.234.567 kepada 3 penerima.", (1_234_567, 1_234_567), (3, 3), "people"),
], ids=["rounded", "about-heirs", "at-least", "almost-claims", "exact"])
def test_claim_intervals_follow_rounding_and_qualifier(sentence, amount_bounds, cases_bounds, unit_class):
    (claim,) = extract_text(BPJS + sentence).as_dict()["claims"]
    assert (claim["amount_low"], claim["amount_high"]) == amount_bounds
    assert (claim["cases_low"], claim["cases_high"]) == cases_bounds
    assert claim["unit_class"] == unit_class


def test_seed_intervals_are_the_ones_the_sum_check_uses():
    doc = extract_text(SEED_TEXT.read_text()).as_dict()
    total = next(c for c in doc["claims"] if c["program"] == "TOTAL")
    assert (total["amount_low"], total["amount_high"]) == (41_070_000_000, 41_080_000_000)  # "lebih dari Rp41,07 miliar"
    check = next(c for c in doc["checks"] if c["kind"] == "sum" and c["what"] == "amount")
    assert check["total"] == [total["amount_low"], total["amount_high"]]


def test_a_claim_without_a_count_has_no_unit_class():
    claims = extract_text(BPJS + "JHT sebesar Rp3 miliar.").as_dict()["claims"]
    assert claims and all(c["cases"] is None and c["unit_class"] is None and c["cases_low"] is None for c in claims)


def test_author_and_canonical_url_reach_the_output():
    doc = json.loads(run_cli("file", SEED_HTML).stdout)
    assert doc["author"] and doc["canonical_url"].startswith("https://www.balipost.com/")


def test_metadata_options_for_a_local_text(tmp_path):
    proc = run_cli("file", SEED_TEXT, "--url", "https://example.com/a", "--published", "2024-07-15",
                   "--site", "Bali Post")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["source"]["url"] == "https://example.com/a" and doc["source"]["path"] == str(SEED_TEXT)
    assert (doc["published"], doc["site"]) == ("2024-07-15", "Bali Post")


def test_a_sidecar_gives_metadata_and_the_options_win(tmp_path):
    article = tmp_path / "artikel.txt"
    article.write_text(SEED_TEXT.read_text())
    (tmp_path / "artikel.meta.json").write_text(json.dumps(
        {"url": "https://example.com/x", "title": "Judul", "published": "2024-07-16", "site": "Situs"}))
    doc = json.loads(run_cli("file", article).stdout)
    assert (doc["source"]["url"], doc["title"], doc["published"], doc["site"]) == \
        ("https://example.com/x", "Judul", "2024-07-16", "Situs")
    doc = json.loads(run_cli("file", article, "--published", "2024-08-01", "--site", "Lain").stdout)
    assert (doc["title"], doc["published"], doc["site"]) == ("Judul", "2024-08-01", "Lain")
    # the full-name sidecar comes first
    (tmp_path / "artikel.txt.meta.json").write_text(json.dumps({"title": "Judul lengkap"}))
    assert json.loads(run_cli("file", article).stdout)["title"] == "Judul lengkap"
    check = run_cli("check", "--json", article)  # check reads it too (it needs only to not fail)
    assert check.returncode == 0, check.stderr


def test_a_sidecar_overrides_the_pages_own_metadata(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(SEED_HTML.read_text())
    (tmp_path / "page.html.meta.json").write_text(json.dumps({"published": "2024-07-20", "site": None}))
    doc = json.loads(run_cli("file", page).stdout)
    assert doc["published"] == "2024-07-20" and doc["site"]  # null keeps the page's own


def test_a_sidecar_from_another_tool_is_read_for_the_keys_we_know(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(SEED_TEXT.read_text())
    (tmp_path / "a.meta.json").write_text(json.dumps({"id": "a", "language": "id", "truncated": True,
                                                      "site": "contoh.co.id"}))
    proc = run_cli("file", article)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["site"] == "contoh.co.id"


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a readable JSON file"),
    ('["a"]', "must hold a JSON object"),
    ('{"published": "15 Juli 2024"}', "not a date written YYYY-MM-DD"),
    ('{"url": "ftp://example.com"}', "not an http(s) address"),
    ('{"title": 5}', "must be a string"),
])
def test_a_bad_sidecar_is_bad_local_input(tmp_path, content, message):
    article = tmp_path / "a.txt"
    article.write_text(SEED_TEXT.read_text())
    (tmp_path / "a.txt.meta.json").write_text(content)
    proc = run_cli("file", article)
    assert proc.returncode == 3 and message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert "error" in json.loads(proc.stdout)


@pytest.mark.parametrize("command", ["file", "check"])
@pytest.mark.parametrize("args, message", [
    (["--published", "2024-13-01"], "--published: '2024-13-01' is not a date written YYYY-MM-DD"),
    (["--published", "yesterday"], "--published: 'yesterday' is not a date"),
    (["--url", "example.com"], "--url: 'example.com' is not an http(s) address"),
])
def test_bad_metadata_options_are_one_line_and_exit_2(command, args, message):
    proc = run_cli(command, SEED_TEXT, *args)
    assert proc.returncode == 2 and proc.stderr.startswith(f"error: {message}") and proc.stdout == "", proc.stderr
    assert proc.stderr.count("\n") == 1


def test_url_names_one_article_only():
    proc = run_cli("file", SEED_TEXT, SEED_HTML, "--url", "https://example.com/a")
    assert proc.returncode == 2 and "several inputs" in proc.stderr


def test_pretty_over_several_files_is_one_json_array(tmp_path):
    proc = run_cli("file", "--pretty", SEED_TEXT, tmp_path / "missing.txt", SEED_HTML)
    docs = json.loads(proc.stdout)
    assert isinstance(docs, list) and [d["source"]["path"] for d in docs] == \
        [str(SEED_TEXT), str(tmp_path / "missing.txt"), str(SEED_HTML)]
    assert "error" in docs[1] and proc.returncode == 3
    one = run_cli("file", "--pretty", SEED_TEXT)
    assert isinstance(json.loads(one.stdout), dict) and one.stdout.startswith("{\n  ")


@pytest.mark.parametrize("command, usage", [
    ("file", " file [OPTIONS] PATH...\n"),
    ("check", " check [OPTIONS] URL|PATH...\n"),
    ("url", " url [OPTIONS] URL\n"),
    ("text", " text [OPTIONS] URL|PATH\n"),
    ("schema", " schema [OPTIONS]\n"),
])
def test_usage_lines_read_as_written(command, usage):
    out = run_cli(command, "--help").stdout
    first = out.splitlines()[0] + "\n"
    assert first.startswith("Usage: ") and first.endswith(usage), first  # (the program name is python's here)
    assert "<list[str]>" not in out and "<str>" not in out and "{" not in out.splitlines()[0]


def test_a_missing_file_is_exit_3_in_file_and_check(tmp_path):
    missing = tmp_path / "missing.txt"
    for command in ("file", "check"):
        proc = run_cli(command, missing)
        assert proc.returncode == 3 and proc.stderr == f"error: {missing}: no such file\n", (command, proc.stderr)
    # an inconsistent article beside a failed one: the failure's code wins, as in `file`
    proc = run_cli("check", FIXTURES / "checks" / "parts-do-not-add-up.txt", missing)
    assert proc.returncode == 3
