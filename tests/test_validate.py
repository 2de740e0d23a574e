"""Sum and repeat checks: intervals from rounding and qualifiers, scenario fixtures, and property tests."""
import json
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from types import SimpleNamespace

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractor.cli import app
from extractor.extract.numbers import Number
from extractor.extract.periods import Period
from extractor.pipeline import extract_path
from extractor.validate.checks import Interval, interval, validate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CHECKS = FIXTURES / "checks"
runner = CliRunner()
MILIAR = Decimal(10) ** 9


# ---------------------------------------------------------------- intervals (docs/output.md rules)
def test_interval_rules():
    u = Decimal("0.1") * MILIAR
    x = Decimal("10.9") * MILIAR
    assert interval(x, u, "exact") == Interval(Decimal("10.85") * MILIAR, Decimal("10.95") * MILIAR)
    assert interval(x, u, "more_than") == Interval(x, x + u)
    assert interval(x, u, "almost") == Interval(x - u, x)
    assert interval(x, u, "about") == Interval(x * Decimal("0.95"), x * Decimal("1.05"))
    assert interval(Decimal(1501), Decimal(1), "exact").point


# ---------------------------------------------------------------- scenarios
def verdicts(path):
    doc = extract_path(str(path))
    return {(c.kind, c.what): c.verdict for c in doc.checks}, doc


def test_seed_article_adds_up():
    found, _ = verdicts(FIXTURES / "balipost-bpu-claims-2024.html")
    assert found == {("sum", "amount"): "consistent", ("sum", "cases"): "consistent"}


def test_parts_that_do_not_add_up():
    found, doc = verdicts(CHECKS / "parts-do-not-add-up.txt")
    assert found == {("sum", "amount"): "inconsistent", ("sum", "cases"): "inconsistent"}
    cases = next(c for c in doc.checks if c.what == "cases")
    assert cases.total == [4499, 4499] and cases.parts_sum == [1749, 1749]
    assert "1749" in cases.why


def test_headline_against_body():
    found, doc = verdicts(CHECKS / "headline-conflict.txt")
    assert found == {("repeat", "amount"): "inconsistent"}
    (rep,) = doc.checks
    assert rep.values == [402_000_000_000, 420_000_000_000]
    assert [c.amount for c in doc.claims] == [420_000_000_000]


def test_missing_part_is_unverifiable():
    found, doc = verdicts(CHECKS / "missing-part.txt")
    assert found[("sum", "cases")] == "unverifiable"
    assert "JHT" in next(c.why for c in doc.checks if c.what == "cases")


# ---------------------------------------------------------------- the check command
def test_check_exit_codes_and_json():
    assert runner.invoke(app, ["check", str(FIXTURES / "balipost-bpu-claims-2024.html")]).exit_code == 0
    assert runner.invoke(app, ["check", str(CHECKS / "parts-do-not-add-up.txt")]).exit_code == 1
    assert runner.invoke(app, ["check", str(CHECKS / "missing.txt")]).exit_code == 3  # README: 3, as in `file`
    out = runner.invoke(app, ["check", "--json", str(CHECKS / "headline-conflict.txt")])
    line = json.loads(out.stdout)
    assert line["checks"][0]["kind"] == "repeat" and out.exit_code == 1


def test_check_report_fits_80_columns():
    out = runner.invoke(app, ["check", str(FIXTURES / "balipost-bpu-claims-2024.html")], env={"COLUMNS": "80"})
    assert "consistent" in out.stdout
    assert max(len(line) for line in out.stdout.splitlines()) <= 80


# ---------------------------------------------------------------- property tests
PERIOD = Period(0, 0, "tahun 2023", "year", m1=1, m2=12, y1=2023, y2=2023)


def fig(value: Decimal, unit: Decimal, qualifier: str):
    return SimpleNamespace(number=Number(value, unit), qualifier=qualifier, text=str(value), start=0,
                           char_start=0, char_end=len(str(value)))


def raw(program, money):
    # complete: the article says the breakdown is whole ("terdiri dari"), so falling short is a finding
    return SimpleNamespace(program=program, detail=None, period=PERIOD, money=money, count=None, sent=0, start=0,
                           end=1, complete=True)


def write(true_value: Decimal, decimals: int, qualifier: str):
    """State a true amount (in rupiah) in miliar with some decimals, as an article would."""
    unit = Decimal(1).scaleb(-decimals) * MILIAR
    rounding = {"exact": ROUND_HALF_UP, "more_than": ROUND_FLOOR, "almost": ROUND_CEILING, "about": ROUND_HALF_UP}
    stated = (true_value / unit).quantize(Decimal(1), rounding=rounding[qualifier]) * unit
    assume(stated > 0)  # nobody writes "Rp0 miliar" for a payout
    if qualifier == "about":  # a truthful "sekitar" is within 5%
        assume(abs(stated - true_value) <= stated * Decimal("0.05"))
    return fig(stated, unit, qualifier)


amounts = st.integers(min_value=10**8, max_value=10**13).map(Decimal)
style = st.tuples(st.integers(min_value=0, max_value=3), st.sampled_from(["exact", "more_than", "almost", "about"]))


def check_of(total, parts):
    result = SimpleNamespace(raws=[raw("TOTAL", total)] + [raw(p, f) for p, f in zip(["JHT", "JKM", "JKK", "JP"], parts)],
                             conflicts=[])
    (check,) = validate(result)
    return check


@settings(max_examples=300, deadline=None)
@given(st.lists(amounts, min_size=2, max_size=4), st.lists(style, min_size=5, max_size=5))
def test_parts_that_truly_add_up_are_never_inconsistent(values, styles):
    total_value = sum(values)
    for value, (decimals, q) in zip(values, styles):
        assume(q != "almost" or value % (Decimal(1).scaleb(-decimals) * MILIAR) != 0)
    parts = [write(v, d, q) for v, (d, q) in zip(values, styles)]
    decimals, q = styles[-1]
    assume(q != "almost" or total_value % (Decimal(1).scaleb(-decimals) * MILIAR) != 0)
    total = write(total_value, decimals, q)
    assert check_of(total, parts).verdict == "consistent"


@settings(max_examples=300, deadline=None)
@given(st.lists(amounts, min_size=2, max_size=4), st.lists(style, min_size=4, max_size=4),
       st.integers(min_value=1, max_value=10**9), st.booleans())
def test_totals_perturbed_beyond_rounding_are_inconsistent(values, styles, extra, up):
    parts = [write(v, d, q) for v, (d, q) in zip(values, styles)]
    lo = sum(interval(p.number.value, p.number.unit, p.qualifier).lo for p in parts)
    hi = sum(interval(p.number.value, p.number.unit, p.qualifier).hi for p in parts)
    stated = hi + extra if up else lo - extra
    assume(stated > 0)
    total = fig(stated, Decimal(1), "exact")  # every digit written: exact
    assert check_of(total, parts).verdict == "inconsistent"


def test_offices_within_a_region():
    from extractor.pipeline import extract_text

    doc = extract_text("BPJS Ketenagakerjaan Kanwil Jawa Timur membayarkan klaim Rp 1,8 triliun sepanjang 2023. "
                       "Klaim di Cabang Surabaya Rungkut sebesar Rp 1 triliun, Cabang Malang sebesar Rp 500 miliar "
                       "dan Cabang Kediri sebesar Rp 300 miliar.")
    (check,) = doc.checks
    assert (check.kind, check.what, check.verdict) == ("sum", "amount", "consistent")
    assert check.parts == ["Surabaya Rungkut", "Malang", "Kediri"]


def test_districts_within_an_office_area():
    from extractor.pipeline import extract_text

    doc = extract_text("BPJS Ketenagakerjaan Cabang Klaten membayarkan klaim Rp60 miliar sepanjang 2023. "
                       "Klaim dari Kabupaten Klaten sebesar Rp35 miliar, disusul Kabupaten Boyolali sebesar "
                       "Rp15 miliar dan Kabupaten Sukoharjo sebesar Rp10 miliar.")
    assert [c.region for c in doc.claims[1:]] == ["Kabupaten Klaten", "Kabupaten Boyolali", "Kabupaten Sukoharjo"]
    (check,) = doc.checks  # three districts are three figures, not one figure stated three times
    assert (check.kind, check.what, check.verdict) == ("sum", "amount", "consistent")
    assert check.parts == ["Kabupaten Klaten", "Kabupaten Boyolali", "Kabupaten Sukoharjo"]


def test_a_program_split_by_province_is_checked_against_the_program():
    from extractor.pipeline import extract_text

    doc = extract_text("BPJS Ketenagakerjaan Kantor Wilayah Sumbagut membayarkan klaim JHT Rp1,5 triliun untuk "
                       "98.000 kasus sepanjang 2023. Menurut wilayahnya, klaim JHT di Sumut mencapai Rp1,1 triliun "
                       "untuk 71.000 kasus, sedangkan Aceh Rp400 miliar untuk 27.000 kasus.")
    assert [c.region for c in doc.claims] == ["Sumbagut", "Sumatera Utara", "Aceh"]
    assert {(c.what, c.verdict) for c in doc.checks} == {("amount", "consistent"), ("cases", "consistent")}
    assert doc.checks[0].parts == ["Sumatera Utara", "Aceh"]


def test_a_partial_breakdown_is_unverifiable_not_inconsistent():
    from extractor.pipeline import extract_text

    doc = extract_text("BPJS Ketenagakerjaan Cabang Pekalongan membayarkan klaim Rp100 miliar sepanjang 2023. "
                       "Sebagian besar di antaranya klaim JHT Rp60 miliar dan JKM Rp5 miliar.")
    assert [(c.kind, c.verdict) for c in doc.checks] == [("sum", "unverifiable")]


def test_a_breakdown_that_leaves_out_a_program_is_unverifiable_unless_it_says_it_is_whole():
    from extractor.pipeline import extract_text

    lead = "BPJS Ketenagakerjaan Cabang Binjai membayarkan klaim Rp100 miliar sepanjang 2023"
    ranked = extract_text(f"{lead}. Klaim JHT Rp80 miliar, diikuti JKM Rp9 miliar dan JP Rp1 miliar.")
    whole = extract_text(f"{lead} yang terdiri dari JHT Rp80 miliar, JKM Rp9 miliar dan JP Rp1 miliar.")
    every = extract_text(f"{lead}. Klaim didominasi JHT Rp80 miliar, disusul JKM Rp9 miliar, JKK Rp5 miliar "
                         "dan terakhir JP Rp1 miliar.")
    assert [c.verdict for c in ranked.checks] == ["unverifiable"]  # JKK may be the missing Rp10 miliar
    assert [c.verdict for c in whole.checks] == ["inconsistent"]
    assert [c.verdict for c in every.checks] == ["inconsistent"]  # all four programs named: nothing left out


def test_parts_stated_beyond_the_total_are_inconsistent_even_with_a_part_unstated():
    from extractor.pipeline import extract_text

    doc = extract_text("BPJS Ketenagakerjaan Cabang Garut membayarkan klaim Rp36 miliar untuk 2.650 kasus sepanjang "
                       "2023, terdiri dari JHT Rp30 miliar untuk 24.940 kasus, JKM Rp4 miliar untuk 310 kasus dan "
                       "JKK Rp2 miliar.")
    cases = next(c for c in doc.checks if c.what == "cases")
    assert cases.verdict == "inconsistent" and "JKK not stated" in cases.why


def test_programs_a_breakdown_names_without_figures_leave_the_sum_unverifiable():
    from extractor.pipeline import extract_text

    doc = extract_text("Sepanjang 2024 BPJS Ketenagakerjaan Cabang Tarakan membayar klaim Rp90 miliar. Klaim itu "
                       "terbagi atas klaim JHT, JKK, JKM dan JP. Terbanyak JHT sebesar Rp70 miliar.")
    (check,) = doc.checks
    assert check.verdict == "unverifiable" and set(check.parts) == {"JHT", "JKK", "JKM", "JP"}


def test_years_stated_one_by_one_are_checked_against_the_span_they_make_up():
    from extractor.pipeline import extract_text

    doc = extract_text("Jasa Raharja Cabang Bengkulu terus menyalurkan santunan. Pada tahun 2021 santunan tercatat "
                       "Rp30 miliar. Tahun 2022 naik menjadi Rp32 miliar. Tahun 2023 Rp35 miliar. Jumlah santunan "
                       "dari 2021 hingga 2023 mencapai Rp97 miliar.")
    (check,) = doc.checks
    assert check.parts == ["2021", "2022", "2023"] and check.verdict == "consistent"


def test_that_period_is_the_period_named_last():
    from extractor.pipeline import extract_text

    doc = extract_text("Jasa Raharja Cabang Bengkulu menyalurkan santunan Rp20 miliar pada semester I 2024. Dari 2021 "
                       "hingga 2023, santunan korban meninggal dunia Rp60 miliar. Total santunan dalam tiga tahun "
                       "tersebut mencapai Rp97 miliar.")
    total = next(c for c in doc.claims if c.amount == 97_000_000_000)
    assert (total.period_start, total.period_end) == ("2021-01-01", "2023-12-31")


def test_a_program_stated_once_with_its_reason_is_a_part_of_the_total():
    from extractor.pipeline import extract_text

    doc = extract_text("Taspen Kantor Cabang Garut membayarkan manfaat Rp100 miliar selama 2024. Manfaat pensiun dibayarkan "
                       "Rp80 miliar. THT dibayarkan bagi 310 ASN yang memasuki usia pensiun dengan nilai Rp15 miliar. "
                       "JKM tercatat Rp4 miliar dan JKK Rp1 miliar.")
    amount = next(c for c in doc.checks if c.what == "amount")
    assert amount.verdict == "consistent" and "JHT" in amount.parts


def test_lines_of_business_add_up_to_their_total():
    from extractor.pipeline import extract_text

    doc = extract_text("BPJS Kesehatan Cabang Semarang membayarkan klaim FKRTL sebesar Rp2,87 triliun sepanjang 2022. "
                       "Biaya tersebut terdiri atas klaim rawat jalan tingkat lanjutan (RJTL) sebesar Rp1,02 triliun "
                       "dan rawat inap tingkat lanjutan (RITL) sebesar Rp1,85 triliun.")
    assert [(c.kind, c.parts, c.verdict) for c in doc.checks] == [
        ("sum", ["rawat jalan tingkat lanjutan", "rawat inap tingkat lanjutan"], "consistent")]


def test_a_line_with_lines_of_its_own_is_checked_apart_from_the_total():
    from extractor.pipeline import extract_text

    doc = extract_text("BPJS Kesehatan Cabang Klaten membayarkan biaya pelayanan kesehatan Rp1,5 triliun sepanjang 2023. "
                       "Untuk FKRTL dibayarkan Rp1,2 triliun, terdiri atas rawat inap tingkat lanjutan Rp800 miliar "
                       "dan rawat jalan tingkat lanjutan Rp400 miliar. Adapun FKTP kapitasi Rp250 miliar dan "
                       "FKTP non-kapitasi Rp50 miliar.")
    assert sorted((c.verdict, len(c.parts)) for c in doc.checks) == [("consistent", 2), ("consistent", 3)]


def test_parts_are_checked_against_the_total_they_split_when_other_totals_are_stated():
    """A total, its programs, then totals of other things (by district): the programs are checked against
    the total stated before them that they can add up to."""
    from extractor.pipeline import extract_text

    text = ("BPJS Ketenagakerjaan Cabang Sukamaju sepanjang 2023 membayar klaim Rp50,5 miliar untuk 5.000 kasus. "
            "Pembayaran itu terdiri dari JHT Rp45 miliar untuk 4.000 kasus dan JKK Rp5,5 miliar untuk 1.000 kasus.\n\n"
            "Penerima terbanyak dari Kabupaten Talang dengan 2.100 peserta dengan total pembayaran Rp20,1 miliar, "
            "disusul Kabupaten Rawasari dengan 1.500 peserta dengan total pembayaran Rp14,2 miliar.")
    checks = [c for c in extract_text(text).checks if c.kind == "sum" and c.parts == ["JHT", "JKK"]]
    assert {(c.what, c.verdict, tuple(c.total)) for c in checks} == {
        ("amount", "consistent", (50_450_000_000, 50_550_000_000)), ("cases", "consistent", (5000, 5000))}


def test_a_program_split_by_reason_is_checked_against_the_programs_total():
    from extractor.pipeline import extract_text

    text = ("BPJS Ketenagakerjaan Cabang Sukamaju hingga Oktober 2024 membayar klaim JHT Rp30 miliar untuk "
            "3.000 kasus. Klaim JHT karena PHK sebanyak 1.800 kasus dengan nilai Rp18 miliar, karena pengunduran "
            "diri 1.000 kasus senilai Rp9 miliar, dan karena usia pensiun 200 kasus senilai Rp3 miliar.")
    doc = extract_text(text)
    assert {c.detail for c in doc.claims if c.program == "JHT"} == {None, "sebab PHK", "sebab mengundurkan diri",
                                                                  "sebab usia pensiun"}
    assert {(c.program, c.what, c.verdict) for c in doc.checks if c.kind == "sum"} == {
        ("JHT", "amount", "consistent"), ("JHT", "cases", "consistent")}


def test_scholarships_by_school_level_add_up_to_the_scholarships_paid():
    from extractor.pipeline import extract_text

    text = ("BPJS Ketenagakerjaan Cabang Sukamaju menyalurkan beasiswa Rp250 juta bagi 70 pelajar sepanjang 2024. "
            "Rinciannya, 40 pelajar SD Rp60 juta, 20 pelajar SMP Rp70 juta, dan 10 mahasiswa perguruan tinggi "
            "Rp120 juta.")
    doc = extract_text(text)
    assert sorted((c.detail or "", c.amount, c.cases) for c in doc.claims) == [
        ("", 250_000_000, 70), ("SD", 60_000_000, 40), ("SMP", 70_000_000, 20),
        ("perguruan tinggi", 120_000_000, 10)]
    assert {(c.what, c.verdict) for c in doc.checks if c.kind == "sum"} == {("amount", "consistent"),
                                                                         ("cases", "consistent")}


def test_jasa_raharja_santunan_types_and_other_benefits_add_up_to_the_santunan_paid():
    from extractor.pipeline import extract_text

    text = ("Jasa Raharja Cabang Sukamaju menyerahkan santunan Rp 2.105.500.000 sepanjang 2024, dengan rincian "
            "meninggal dunia Rp 1.200.000.000, luka-luka Rp 850.000.000, ambulance Rp 5.500.000 dan P3K "
            "Rp 50.000.000.")
    doc = extract_text(text)
    sums = [c for c in doc.checks if c.kind == "sum"]
    assert [(c.program, sorted(c.parts), c.verdict) for c in sums] == [
        ("SANTUNAN", sorted(["SANTUNAN_MD", "SANTUNAN_LL", "biaya ambulans", "biaya P3K"]), "consistent")]


def test_a_program_stated_once_per_segment_gives_one_part_per_segment():
    from extractor.pipeline import extract_text

    text = ("BPJS Ketenagakerjaan Cabang Sukamaju hingga Maret 2024 membayar klaim Rp20,5 miliar. Rinciannya, "
            "JHT Rp18 miliar, JKK penerima upah (PU) Rp2 miliar, dan JKK bukan penerima upah (BPU) Rp500 juta.")
    doc = extract_text(text)
    assert sorted((c.program, c.segment) for c in doc.claims if c.program == "JKK") == [("JKK", "BPU"), ("JKK", "PU")]
    (check,) = [c for c in doc.checks if c.kind == "sum"]
    assert (sorted(check.parts), check.verdict) == (["JHT", "JKK/BPU", "JKK/PU"], "consistent")
