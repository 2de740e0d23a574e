"""Checks you can act on (issue 16): the gap, the evidence spans, the likely fault, and the report of
`extract check` (per file, gap in words, short amounts, the sentences compared, --lang id, escaping)."""
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from extractor.cli.report import short_amount
from extractor.extract.numbers import Number
from extractor.pipeline import extract_path, extract_text
from extractor.validate.evidence import gap_of, likely

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOT_ADDING_UP = FIXTURES / "checks" / "parts-do-not-add-up.txt"
SEED = FIXTURES / "balipost-bpu-claims-2024.html"
D = Decimal


def run_check(*args):
    code = "from extractor.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, "check", *args], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, COLUMNS="200"))


def fig(value, start=0, end=5, text="Rp1"):
    return SimpleNamespace(number=Number(D(value), D(1)), char_start=start, char_end=end, start=0, text=text)


# ---------------------------------------------------------------- gap
def test_gap_is_parts_minus_total_with_the_interval_rounding_allows():
    gap = gap_of(fig(100), [fig(60), fig(30)], D(95), D(105), D(88), D(92))
    assert gap == {"value": -10, "low": 88 - 105, "high": 92 - 95}


def test_an_unbounded_end_has_no_gap_bound():
    gap = gap_of(fig(100), [fig(60), fig(30)], D(100), D("1e30"), D(90), D(90))
    assert gap["low"] is None and gap["high"] == -10


def test_gap_of_a_published_article():
    doc = extract_path(str(NOT_ADDING_UP))
    amount = next(c for c in doc.checks if c.what == "amount")
    assert amount.gap == {"value": -11_300_000_000, "low": -11_500_000_000, "high": -11_100_000_000}
    cases = next(c for c in doc.checks if c.what == "cases")
    assert cases.gap == {"value": 1749 - 4499, "low": -2750, "high": -2750}  # every digit written: exact


# ---------------------------------------------------------------- evidence spans
def test_evidence_spans_point_at_the_figures_in_the_text():
    doc = extract_path(str(NOT_ADDING_UP))
    text = NOT_ADDING_UP.read_text()
    for check in doc.checks:
        roles = [e["role"] for e in check.evidence]
        assert roles == ["total"] + ["part"] * len(check.parts)
        for e in check.evidence:
            assert text[e["start"]:e["end"]] == e["text"]
    amount = next(c for c in doc.checks if c.what == "amount")
    assert [e["text"] for e in amount.evidence] == ["Rp51,6 miliar", "Rp35,4 miliar", "Rp3,6 miliar", "Rp1,3 miliar"]
    assert [e["sentence"] for e in amount.evidence] == [1, 2, 3, 3]


def test_a_repeat_check_has_the_spans_of_both_statements():
    path = FIXTURES / "checks" / "headline-conflict.txt"
    (check,) = extract_path(str(path)).checks
    text = path.read_text()
    assert [(e["role"], text[e["start"]:e["end"]]) for e in check.evidence] == [
        ("statement", "Rp402 Miliar"), ("statement", "Rp420 miliar")]


def test_a_count_joined_from_the_next_sentence_is_placed_in_that_sentence():
    doc = extract_path(str(SEED))
    cases = next(c for c in doc.checks if c.what == "cases")
    assert cases.evidence[0]["text"] == "1.501 kasus" and cases.evidence[0]["sentence"] == 2


# ---------------------------------------------------------------- likely
def test_published_figures_that_cannot_add_up_are_the_articles_fault():
    for check in extract_path(str(NOT_ADDING_UP)).checks:
        assert check.likely == "article" and "cannot add up" in check.likely_why


def test_consistent_checks_blame_nothing():
    for check in extract_path(str(SEED)).checks:
        assert check.verdict == "consistent" and check.likely is None and check.likely_why is None


def test_a_part_near_a_figure_set_aside_points_at_the_extraction():
    doc = extract_text("BPJS Ketenagakerjaan Cabang Sukamaju membayar klaim Rp50 miliar sepanjang 2023. Rinciannya "
                       "JHT Rp30 miliar dan JKK Rp5 miliar, sementara iuran yang terkumpul Rp70 miliar.")
    (check,) = doc.checks
    assert check.verdict == "inconsistent" and check.likely == "extraction"
    assert check.likely_why == "JKK is near a figure read as contribution (Rp70 miliar)"


def test_a_part_linked_across_sentences_points_at_the_extraction():
    doc = extract_text("BPJS Ketenagakerjaan Cabang Sukamaju membayar klaim Rp50 miliar untuk 900 kasus sepanjang "
                       "2023. Klaim JHT Rp30 miliar untuk 500 kasus. Klaim JKK Rp10 miliar. Klaim JKK itu berasal "
                       "dari 100 kasus.")
    cases = next(c for c in doc.checks if c.what == "cases")
    assert cases.likely == "extraction" and cases.likely_why.startswith("JKK was linked across sentences")
    amount = next(c for c in doc.checks if c.what == "amount")  # the amounts are each in their own clause
    assert amount.likely == "article"


def test_likely_ranks_linking_before_nearness():
    near = SimpleNamespace(span=(10, 15), role="target", text="Rp9")
    clause = SimpleNamespace(why={"partner": "same clause"}, start=0, end=1, sent=0)
    across = SimpleNamespace(why={"partner": "amount and count in adjacent sentences"}, start=0, end=1, sent=0)
    joined = SimpleNamespace(number=None, char_start=50, char_end=55, start=7, text="9")
    assert likely("inconsistent", [("JHT", clause, fig(1, 0, 5)), ("JKM", across, joined)], [near]) == (
        "extraction", "JKM was linked across sentences (amount and count in adjacent sentences)")
    assert likely("inconsistent", [("JHT", clause, fig(1, 0, 5))], [near])[1].startswith("JHT is near")
    assert likely("unverifiable", [("JHT", clause, fig(1, 100, 105))], [near]) == (
        "article", "the article does not state every part")


def test_the_scorers_fields_keep_their_meaning():
    (amount, cases) = extract_path(str(NOT_ADDING_UP)).checks
    d = amount.as_dict()
    assert list(d)[:9] == ["kind", "what", "program", "parts", "total", "parts_sum", "verdict", "why", "period"]
    assert (d["kind"], d["what"], d["program"], d["verdict"]) == ("sum", "amount", "TOTAL", "inconsistent")


# ---------------------------------------------------------------- the report
def test_short_amounts():
    assert short_amount(41_070_000_000, 41_080_000_000, "amount") == "Rp41,07–41,08 miliar"
    assert short_amount(11_300_000_000, 11_300_000_000, "amount") == "Rp11,3 miliar"
    assert short_amount(231_000_000, 231_000_000, "amount") == "Rp231 juta"
    assert short_amount(1501, 1501, "cases", "id") == "1.501 kasus"
    assert short_amount(2750, 2750, "cases") == "2.750 cases"
    assert short_amount(100, None, "cases") == "100–∞ cases"


def test_report_heads_each_file_with_its_name_and_says_the_gap():
    proc = run_check(str(SEED), str(NOT_ADDING_UP))
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    lines = out.splitlines()
    # the file name is the heading, the article's title under it
    assert lines[:2] == [str(SEED), "Klaim Jamsostek Pekerja BPU di Bali Tembus Rp41 Miliar Lebih"]
    assert str(NOT_ADDING_UP) in lines
    assert "Rp11,3 miliar unexplained" in out and "2.750 cases unexplained" in out
    assert "total Rp41,07–41,08 miliar" in out
    assert "likely the article" in out
    assert "compared: TOTAL Rp51,6 miliar (sentence 2); JHT Rp35,4 miliar (sentence 3)" in out


def test_report_in_indonesian():
    out = run_check("--lang", "id", str(NOT_ADDING_UP)).stdout
    assert "TIDAK KONSISTEN" in out and "Rp11,3 miliar tidak terjelaskan" in out
    assert "dibandingkan:" in out and "kalimat 2" in out and "kemungkinan artikelnya" in out


def test_parts_exceeding_the_total_are_said_so(tmp_path):
    path = tmp_path / "over.txt"
    path.write_text("BPJS Ketenagakerjaan Cabang Sukamaju membayar klaim Rp50 miliar sepanjang 2023. "
                    "Rinciannya JHT Rp40 miliar dan JKK Rp20 miliar.")
    proc = run_check(str(path))
    assert proc.returncode == 1 and "parts exceed the total by Rp10 miliar" in proc.stdout
    assert "rincian melebihi total sebesar Rp10 miliar" in run_check("--lang", "id", str(path)).stdout


def test_a_bad_lang_is_one_line_and_exit_2():
    proc = run_check("--lang", "fr", str(SEED))
    assert proc.returncode == 2 and proc.stderr.strip() == "error: --lang: must be en or id, got fr"


def test_report_escapes_page_text_and_file_names(tmp_path):
    path = tmp_path / "a[link=https:evil.example]b\x1b[31m.txt"
    path.write_text(NOT_ADDING_UP.read_text())
    proc = run_check(str(path))
    assert "[link=https:evil.example]" in proc.stdout  # shown as text, not made a link
    assert "\x1b" not in proc.stdout


def test_json_output_carries_the_new_fields():
    line = json.loads(run_check("--json", str(NOT_ADDING_UP)).stdout)
    check = line["checks"][0]
    assert check["gap"]["value"] == -11_300_000_000 and check["likely"] == "article"
    assert check["evidence"][0] == {"role": "total", "name": "TOTAL", "start": 140, "end": 153,
                                    "text": "Rp51,6 miliar", "sentence": 1}
