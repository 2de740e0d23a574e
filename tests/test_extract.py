"""How Indonesian news states claim figures: one row per phrasing, written for these tests.

Each row is (id, text, expected claims as (program, amount, amount_qualifier, cases, cases_qualifier), and
optionally other expectations). Rows are grouped by what they exercise.
"""
import pytest

from extractor.pipeline import extract_text


def claims_of(text):
    doc = extract_text(text)
    return [(c.program, c.amount, c.amount_qualifier, c.cases, c.cases_qualifier) for c in doc.claims], doc


MONEY = [
    ("rp-decimal-miliar", "BPJS Ketenagakerjaan membayarkan klaim Rp41,07 miliar.", [("TOTAL", 41_070_000_000, "exact", None, None)]),
    ("rp-space-miliar-lebih", "BPJS Ketenagakerjaan membayarkan klaim sebesar Rp 8 miliar lebih.", [("TOTAL", 8_000_000_000, "more_than", None, None)]),
    ("rp-headline-M", "Klaim BPJS Ketenagakerjaan Rp419,1 M", [("TOTAL", 419_100_000_000, "exact", None, None)]),
    ("rp-T-triliun", "BPJS Ketenagakerjaan membayarkan klaim Rp 3,08 T.", [("TOTAL", 3_080_000_000_000, "exact", None, None)]),
    ("rp-triliun", "BPJS Ketenagakerjaan membayarkan klaim Rp3,08 triliun.", [("TOTAL", 3_080_000_000_000, "exact", None, None)]),
    ("rp-grouped", "BPJS Ketenagakerjaan membayarkan klaim Rp2.500.000 kepada ahli waris.", [("TOTAL", 2_500_000, "exact", None, None)]),
    ("rp-juta", "BPJS Ketenagakerjaan membayarkan klaim Rp 2,5 juta.", [("TOTAL", 2_500_000, "exact", None, None)]),
    ("milyar", "BPJS Ketenagakerjaan membayarkan klaim Rp63 Milyar.", [("TOTAL", 63_000_000_000, "exact", None, None)]),
    ("rp-dot", "BPJS Ketenagakerjaan membayarkan klaim Rp. 5 juta.", [("TOTAL", 5_000_000, "exact", None, None)]),
    ("idr", "BPJS Ketenagakerjaan membayarkan klaim senilai IDR 2,5 juta.", [("TOTAL", 2_500_000, "exact", None, None)]),
    ("spaced-decimal", "BPJS Ketenagakerjaan menyalurkan klaim Rp 488, 6 Miliar.", [("TOTAL", 488_600_000_000, "exact", None, None)]),
    ("bare-juta-after-sebesar", "BPJS Ketenagakerjaan menyerahkan beasiswa dengan jumlah sebesar 576 juta.", [("BEASISWA", 576_000_000, "exact", None, None)]),
    ("rp-capitals", "BPJS Ketenagakerjaan membayarkan klaim RP37,6 juta.", [("TOTAL", 37_600_000, "exact", None, None)]),
    ("restated-to-the-rupiah-in-brackets", "BPJS Ketenagakerjaan membayarkan klaim Rp12,4 miliar lebih (Rp12.431.220.500) kepada peserta.", [("TOTAL", 12_431_220_500, "exact", None, None)]),
    ("restated-precisely-after-atau-tepatnya", "BPJS Ketenagakerjaan membayarkan klaim Rp1,2 triliun lebih atau tepatnya Rp1.214,5 miliar.", [("TOTAL", 1_214_500_000_000, "exact", None, None)]),
    ("count-with-english-grouping", "BPJS Ketenagakerjaan membayarkan klaim JHT Rp40,2 miliar dari 12,703 kasus.", [("JHT", 40_200_000_000, "exact", 12_703, "exact")]),
    ("thousands-grouped-with-commas", "BPJS Ketenagakerjaan membayarkan klaim Jaminan Kematian sebesar Rp 2.150,000,000,- kepada ahli waris.", [("JKM", 2_150_000_000, "exact", None, None)]),
    ("amount-glued-to-a-bracket", "BPJS Ketenagakerjaan membayar klaim Jaminan Kecelakaan Kerja (JKK)Rp12.480.500 kepada ahli waris.", [("JKK", 12_480_500, "exact", None, None)]),
    ("words-glued-by-a-dot", "PT Asabri telah menyalurkan.dana santunan.sebesar Rp12 miliar kepada ahli waris prajurit.", [("TOTAL", 12_000_000_000, "exact", None, None)]),
    ("cents", "BPJS Ketenagakerjaan membayarkan klaim JKP senilai Rp121.253.531,90.", [("JKP", 121_253_532, "exact", None, None)]),
]

QUALIFIERS = [
    ("lebih-dari", "Klaim BPJS Ketenagakerjaan mencapai lebih dari Rp5 miliar.", [("TOTAL", 5_000_000_000, "more_than", None, None)]),
    ("di-atas", "Klaim BPJS Ketenagakerjaan di atas Rp5 miliar.", [("TOTAL", 5_000_000_000, "more_than", None, None)]),
    ("sekitar", "Klaim BPJS Ketenagakerjaan yang dibayarkan sekitar Rp5 miliar.", [("TOTAL", 5_000_000_000, "about", None, None)]),
    ("kurang-lebih", "Klaim BPJS Ketenagakerjaan dibayarkan kurang lebih Rp5 miliar.", [("TOTAL", 5_000_000_000, "about", None, None)]),
    ("hampir", "Klaim BPJS Ketenagakerjaan yang dibayarkan hampir Rp5 miliar.", [("TOTAL", 5_000_000_000, "almost", None, None)]),
    ("nyaris", "Klaim BPJS Ketenagakerjaan yang dibayarkan nyaris Rp5 miliar.", [("TOTAL", 5_000_000_000, "almost", None, None)]),
    ("sedikitnya", "Klaim BPJS Ketenagakerjaan yang dibayarkan sedikitnya Rp5 miliar.", [("TOTAL", 5_000_000_000, "at_least", None, None)]),
    ("minimal", "Klaim BPJS Ketenagakerjaan yang dibayarkan minimal Rp5 miliar.", [("TOTAL", 5_000_000_000, "at_least", None, None)]),
    ("kurang-dari", "Klaim BPJS Ketenagakerjaan yang dibayarkan kurang dari Rp5 miliar.", [("TOTAL", 5_000_000_000, "less_than", None, None)]),
    ("hingga", "BPJS Ketenagakerjaan Bayar Klaim Hingga Rp 5 miliar", [("TOTAL", 5_000_000_000, "at_most", None, None)]),
    ("lebih-after", "Klaim BPJS Ketenagakerjaan yang dibayarkan Rp5 miliar lebih.", [("TOTAL", 5_000_000_000, "more_than", None, None)]),
    ("mencapai-exact", "Klaim BPJS Ketenagakerjaan yang dibayarkan mencapai Rp5 miliar.", [("TOTAL", 5_000_000_000, "exact", None, None)]),
    ("count-sekitar", "Klaim JHT BPJS Ketenagakerjaan karena PHK ada sekitar 3.070 kasus.", [("JHT", None, None, 3070, "about")]),
    ("lebih-comparative-is-not-a-qualifier", "Klaim JHT BPJS Ketenagakerjaan Rp5 miliar lebih besar dari tahun lalu.", [("JHT", 5_000_000_000, "exact", None, None)]),
]

COUNTS_AND_PROGRAMS = [
    ("count-after-amount", "Klaim Jaminan Hari Tua (JHT) BPJS Ketenagakerjaan sebesar Rp231 juta untuk 260 kasus.", [("JHT", 231_000_000, "exact", 260, "exact")]),
    ("count-before-program", "BPJS Ketenagakerjaan membayarkan 4.107 klaim jaminan pensiun (JP) sejumlah Rp4,5 miliar.", [("JP", 4_500_000_000, "exact", 4107, "exact")]),
    ("count-ribu", "BPJS Ketenagakerjaan membayarkan klaim JHT kepada 18 ribu peserta senilai Rp90 miliar.", [("JHT", 90_000_000_000, "exact", 18_000, "exact")]),
    ("count-noun-before-number", "Klaim Jaminan Hari Tua (JHT) BPJS Ketenagakerjaan sebesar Rp 5.120.400.000,- dengan jumlah klaim 812.", [("JHT", 5_120_400_000, "exact", 812, "exact")]),
    ("count-total-peserta-before-number", "BPJS Ketenagakerjaan membayar klaim JKK senilai Rp1,2 miliar dengan total peserta 97 orang.", [("JKK", 1_200_000_000, "exact", 97, "exact")]),
    ("count-total-word-between-number-and-noun", "BPJS Ketenagakerjaan membayar klaim Rp 52 miliar sepanjang 2023 untuk 4.410 total klaim.", [("TOTAL", 52_000_000_000, "exact", 4410, "exact")]),
    ("year-before-total-klaim-is-not-a-count", "BPJS Ketenagakerjaan mencatat pada bulan Maret 2021 total klaim yang dibayarkan sebanyak 2.150 kasus dengan nominal Rp21,5 miliar.", [("TOTAL", 21_500_000_000, "exact", 2150, "exact")]),
    ("two-programs-then-one-figure-is-their-total", "BPJS Ketenagakerjaan menyerahkan manfaat JKK dan JHT senilai Rp312 juta kepada ahli waris peserta.", [("TOTAL", 312_000_000, "exact", None, None)]),
    ("year-after-pada-is-not-a-count", "BPJS Ketenagakerjaan mencatat pada 2021 klaim Jaminan Kematian (JKM) sebesar Rp1,9 triliun.", [("JKM", 1_900_000_000_000, "exact", None, None)]),
    ("three-programs-then-one-figure-is-their-total", "PT Taspen mencatat pembayaran klaim Tabungan Hari Tua (THT), Jaminan Kecelakaan Kerja (JKK), dan Jaminan Kematian (JKM) sepanjang 2024 sebesar Rp15,2 triliun.", [("TOTAL", 15_200_000_000_000, "exact", None, None)]),
    ("selain-itu-does-not-set-a-program-aside", "BPJS Ketenagakerjaan membayar klaim JHT Rp9 miliar. Selain itu, BPJS Ketenagakerjaan menyalurkan beasiswa Rp1,2 miliar kepada 150 anak.", [("JHT", 9_000_000_000, "exact", None, None), ("BEASISWA", 1_200_000_000, "exact", 150, "exact")]),
    ("a-totals-name-ends-the-passage-topic", "Jasa Raharja menyerahkan santunan cacat tetap Rp6,1 miliar. Menurut jenis kendaraan, korban sepeda motor menerima santunan terbesar, disusul korban mobil pribadi Rp120 miliar.", [("SANTUNAN_CT", 6_100_000_000, "exact", None, None), ("SANTUNAN", 120_000_000_000, "exact", None, None)]),
    ("received-benefits-is-a-claim-word", "Selain itu, terdapat 185 anak pekerja yang menerima manfaat beasiswa pendidikan dari BPJS Ketenagakerjaan.", [("BEASISWA", None, None, 185, "exact")]),
    ("paying-after-a-word-of-membership", "Asosiasi Asuransi Jiwa Indonesia (AAJI) melaporkan 55 perusahaan asuransi yang tergabung dalam lembaganya membayar klaim Rp 80,2 triliun.", [("TOTAL", 80_200_000_000_000, "exact", None, None)]),
    ("lines-of-business-counted-are-not-cases", "AAUI mencatat klaim asuransi umum Rp20,1 triliun; dari 13 lini usaha, sebanyak 6 lini bisnis mengalami kenaikan klaim.", [("TOTAL", 20_100_000_000_000, "exact", None, None)]),
    ("count-word", "Klaim jaminan kecelakaan kerja BPJS Ketenagakerjaan sebanyak enam kasus.", [("JKK", None, None, 6, "exact")]),
    ("bare-count-after-sebanyak", "Klaim Jaminan Kematian BPJS Ketenagakerjaan sebanyak 196 sebesar Rp3,6 miliar.", [("JKM", 3_600_000_000, "exact", 196, "exact")]),
    ("program-names", "BPJS Ketenagakerjaan membayarkan klaim Jaminan Hari Tua Rp10 miliar, Jaminan Kematian Rp2 miliar, Jaminan Kecelakaan Kerja Rp1 miliar, Jaminan Pensiun Rp500 juta dan Jaminan Kehilangan Pekerjaan Rp100 juta.",
     [("JHT", 10_000_000_000, "exact", None, None), ("JKM", 2_000_000_000, "exact", None, None), ("JKK", 1_000_000_000, "exact", None, None), ("JP", 500_000_000, "exact", None, None), ("JKP", 100_000_000, "exact", None, None)]),
    ("masing-masing", "BPJamsostek membayarkan klaim JHT dan JKM masing-masing sebesar Rp5 miliar dan Rp3 miliar.",
     [("JHT", 5_000_000_000, "exact", None, None), ("JKM", 3_000_000_000, "exact", None, None)]),
    ("amount-then-count-next-sentence", "BPJS Ketenagakerjaan membayarkan klaim Rp41,07 miliar. Klaim itu untuk 1.501 kasus.", [("TOTAL", 41_070_000_000, "exact", 1501, "exact")]),
    ("program-after-amount", "BPJS Ketenagakerjaan telah menyalurkan Rp4,5 miliar klaim program Jaminan Kematian (JKM).", [("JKM", 4_500_000_000, "exact", None, None)]),
    ("total-after-breakdown", "Klaim BPJS Ketenagakerjaan terdiri atas JHT senilai Rp41,7 miliar dan JKP Rp204 juta dengan total klaim sebesar Rp59,83 miliar.",
     [("JHT", 41_700_000_000, "exact", None, None), ("JKP", 204_000_000, "exact", None, None), ("TOTAL", 59_830_000_000, "exact", None, None)]),
    ("selain-names-something-else", "Selain membayarkan JHT, BPJS Ketenagakerjaan juga mencairkan uang senilai Rp 23 miliar untuk 5.183 orang yang mengalami kecelakaan kerja.", [("JKK", 23_000_000_000, "exact", 5183, "exact")]),
    ("count-of-filings", "BPJS Ketenagakerjaan memproses 5.210 pengajuan dengan nilai klaim Rp48,2 miliar.", [("TOTAL", 48_200_000_000, "exact", 5210, "exact")]),
    ("amount-from-total-filings", "BPJS Ketenagakerjaan membayarkan klaim Rp12,4 miliar dari total 1.350 permohonan klaim.", [("TOTAL", 12_400_000_000, "exact", 1350, "exact")]),
    ("count-of-pupils", "BPJS Ketenagakerjaan menyalurkan beasiswa Rp240 juta untuk 65 pelajar.", [("BEASISWA", 240_000_000, "exact", 65, "exact")]),
    ("change-to-new-level", "Klaim JHT BPJS Ketenagakerjaan pada Februari meningkat menjadi Rp13 miliar.", [("JHT", 13_000_000_000, "exact", None, None)]),
    ("amount-for-listed-programs", "BPJS Ketenagakerjaan membayarkan klaim Rp41,6 miliar untuk empat program yakni Jaminan Hari Tua (JHT), Jaminan Kematian (JKM), dan Jaminan Pensiun (JP).", [("TOTAL", 41_600_000_000, "exact", None, None)]),
    ("amount-then-programs-listed", "BPJS Ketenagakerjaan membayarkan klaim Rp9 miliar meliputi JHT, JKM dan JKK.", [("TOTAL", 9_000_000_000, "exact", None, None)]),
    ("amount-program-count", "Dari jumlah itu, Rp1,9 triliun dibayarkan untuk jaminan hari tua sebanyak 183.864 kasus.", [("JHT", 1_900_000_000_000, "exact", 183_864, "exact")]),
    ("kinds-counted-are-not-cases", "BPJS Ketenagakerjaan membayarkan klaim Rp2,19 triliun untuk 4 macam jaminan.", [("TOTAL", 2_190_000_000_000, "exact", None, None)]),
    ("taspen-tabungan-hari-tua", "Taspen membayarkan klaim tabungan hari tua Rp 1,2 triliun kepada 20 ribu pensiunan.", [("JHT", 1_200_000_000_000, "exact", 20_000, "exact")]),
]

NOT_CLAIMS = [
    ("iuran", "Iuran peserta BPU BPJS Ketenagakerjaan mulai Rp16.800 per bulan.", "contribution"),
    ("participants", "Jumlah peserta BPJS Ketenagakerjaan mencapai 102 ribu peserta.", "participants"),
    ("companies", "Sebanyak 2.600 perusahaan sudah terdaftar di BPJS Ketenagakerjaan.", "perusahaan"),
    ("target", "Target penerimaan iuran BPJS Ketenagakerjaan tahun ini Rp 5 triliun.", "target"),
    ("per-person-cap", "Manfaat beasiswa BPJS Ketenagakerjaan dengan nilai maksimal mencapai Rp 174 juta.", "per_person_cap"),
    ("funds", "Dana kelolaan BPJS Ketenagakerjaan mencapai Rp240 miliar.", "funds_under_management"),
    ("change-by-an-amount", "Klaim JHT BPJS Ketenagakerjaan naik Rp2 miliar dibanding tahun lalu.", "change"),
    ("percent", "Klaim BPJS Ketenagakerjaan naik 40 persen.", None),
    ("rate", "Rata-rata klaim JHT itu di atas 10 ribu peserta setiap bulan.", "rate"),
]


def _run(rows):
    return pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in rows], ids=[i for i, *_ in rows])


@_run(MONEY)
def test_money(text, expected):
    assert claims_of(text)[0] == expected


@_run(QUALIFIERS)
def test_qualifiers(text, expected):
    assert claims_of(text)[0] == expected


@_run(COUNTS_AND_PROGRAMS)
def test_counts_and_programs(text, expected):
    assert claims_of(text)[0] == expected


@_run(NOT_CLAIMS)
def test_not_claims(text, expected):
    claims, doc = claims_of(text)
    assert claims == []
    if expected:
        assert expected in {f.role for f in doc.figures}


def test_jasa_raharja_santunan_named_by_what_it_pays_for():
    claims, _ = claims_of("Jasa Raharja Jawa Timur menyalurkan santunan Rp90 miliar. Untuk santunan kematian Rp60 miliar "
                          "dan santunan perawatan Rp30 miliar.")
    assert [(c[0], c[1]) for c in claims] == [("SANTUNAN", 90_000_000_000), ("SANTUNAN_MD", 60_000_000_000),
                                              ("SANTUNAN_LL", 30_000_000_000)]


def test_jasa_raharja_santunan_by_victim_type():
    text = ("Jasa Raharja Cabang Jawa Timur menyalurkan santunan sepanjang 2019 mencapai Rp 3,08 T. "
            "Santunan korban meninggal dunia sebesar Rp 2 triliun, luka-luka Rp 1 triliun dan biaya penguburan Rp 80 miliar.")
    claims, doc = claims_of(text)
    assert [c[0] for c in claims] == ["SANTUNAN", "SANTUNAN_MD", "SANTUNAN_LL", "SANTUNAN_PK"]
    assert doc.institution == "Jasa Raharja"
    assert {(c.kind, c.verdict) for c in doc.checks} == {("sum", "consistent")}


def test_teaser_lines_are_not_read():
    text = ("BPJS Ketenagakerjaan Cabang Palu membayarkan klaim Rp5 miliar pada 2021.\n\n"
            "Baca juga: BPJAMSOSTEK bayar klaim peserta Rp178,3 miliar selama 2020\n\nIa berharap peserta terlindungi.")
    assert [c[1] for c in claims_of(text)[0]] == [5_000_000_000]


def test_nil_is_not_a_claim():
    assert claims_of("Klaim JKP BPJS Ketenagakerjaan Rp0 pada 2023.")[0] == []


class TestContext:
    def test_period_stated_once_governs_what_follows(self):
        doc = extract_text("Pada Januari sampai Juni 2024, klaim BPJS Ketenagakerjaan mencapai Rp41 miliar. "
                           "Klaim JHT sebesar Rp20 miliar.")
        assert {(c.period_start, c.period_end) for c in doc.claims} == {("2024-01-01", "2024-06-30")}

    def test_comparison_period_does_not_carry(self):
        doc = extract_text("Klaim BPJS Ketenagakerjaan hingga Maret 2024 sebesar Rp63 miliar. Pada periode yang sama "
                           "tahun 2023, realisasi klaim mencapai Rp68,1 miliar. Klaim JHT sebesar Rp57 miliar.")
        periods = [(c.program, c.amount, c.period_start, c.period_end) for c in doc.claims]
        assert periods == [("TOTAL", 63_000_000_000, "2024-01-01", "2024-03-31"),
                           ("TOTAL", 68_100_000_000, "2023-01-01", "2023-03-31"),
                           ("JHT", 57_000_000_000, "2024-01-01", "2024-03-31")]

    def test_branch_and_segment(self):
        doc = extract_text("Kepala BPJamsostek Cabang Bali Denpasar Cep Nandi mengatakan klaim pekerja bukan penerima "
                           "upah (BPU) mencapai Rp41 miliar. Cabang Bali Denpasar terus bekerja.")
        (c,) = doc.claims
        assert (c.branch, c.segment, c.region) == ("Bali Denpasar", "BPU", "Bali")

    def test_both_segments_means_none(self):
        doc = extract_text("Klaim BPJS Ketenagakerjaan dibayarkan kepada peserta Penerima Upah (PU) maupun Bukan "
                           "Penerima Upah (BPU) sebesar Rp5 miliar.")
        assert doc.claims[0].segment is None

    def test_headline_restating_body_is_one_claim(self):
        doc = extract_text("BPJS Ketenagakerjaan Bayar Klaim Rp9 Miliar\n\nBPJS Ketenagakerjaan membayarkan klaim "
                           "sebesar Rp9.992.502.613 pada 2023.")
        assert [(c.amount, c.period_start) for c in doc.claims] == [(9_992_502_613, "2023-01-01")]
        assert [c for c in doc.checks if c.kind == "repeat"] == []

    def test_headline_conflicting_with_body_is_flagged(self):
        doc = extract_text("BPJS Ketenagakerjaan Bayar Klaim Rp402 Miliar\n\nBPJS Ketenagakerjaan membayarkan klaim "
                           "sebesar Rp420 miliar pada 2023.")
        (rep,) = [c for c in doc.checks if c.kind == "repeat"]
        assert rep.verdict == "inconsistent" and rep.values == [402_000_000_000, 420_000_000_000]


SENTENCE_TOPIC = [
    ("wage-subsidy", "Bantuan Subsidi Upah (BSU) sebesar Rp 600 ribu disalurkan kepada 12 juta pekerja.", "wage_subsidy"),
    ("housing-loan", "BPJS Ketenagakerjaan menyalurkan dana program Manfaat Layanan Tambahan (MLT) perumahan sebesar Rp 1,5 triliun.", "housing_loan"),
    ("forecast", "BPJS Ketenagakerjaan menargetkan pembayaran klaim tahun depan mencapai Rp 60 triliun.", "target"),
    ("change", "Klaim JHT BPJS Ketenagakerjaan meningkat Rp 5 miliar dibanding tahun lalu.", "change"),
]


@_run(SENTENCE_TOPIC)
def test_paying_verbs_do_not_make_subsidies_claims(text, expected):
    claims, doc = claims_of(text)
    assert claims == []
    assert expected in {f.role for f in doc.figures}


def test_increase_then_new_level():
    claims, doc = claims_of("Klaim JHT BPJS Ketenagakerjaan meningkat Rp 5 miliar dibanding tahun lalu menjadi Rp 20 miliar.")
    assert claims == [("JHT", 20_000_000_000, "exact", None, None)]


OTHER_INSTITUTIONS = [
    ("bpjs-kesehatan", "BPJS Kesehatan Cabang Bogor membayarkan klaim ke fasilitas kesehatan sebesar Rp1,2 triliun sepanjang 2022.",
     "BPJS Kesehatan", ("TOTAL", "fasilitas kesehatan", 1_200_000_000_000)),
    ("bpjs-kesehatan-line-of-business-names-the-payment", "Menurut Kepala BPJS Kesehatan Cabang Bogor, biaya untuk rawat inap tingkat lanjutan mencapai Rp640 miliar.",
     "BPJS Kesehatan", ("TOTAL", "rawat inap tingkat lanjutan", 640_000_000_000)),
    ("bpjs-kesehatan-capitation-is-a-payment", "BPJS Kesehatan Cabang Bogor menyalurkan dana kapitasi Rp88,5 miliar kepada puskesmas dan klinik pratama.",
     "BPJS Kesehatan", ("TOTAL", "FKTP kapitasi", 88_500_000_000)),
    ("aaji", "Asosiasi Asuransi Jiwa Indonesia (AAJI) mencatat pembayaran klaim asuransi jiwa Rp 37,47 triliun pada kuartal I 2023.",
     "AAJI", ("TOTAL", "asuransi jiwa", 37_470_000_000_000)),
    ("taspen-tht", "PT Taspen (Persero) Kantor Cabang Medan membayarkan Tabungan Hari Tua (THT) sebesar Rp 250 miliar kepada 5.000 ASN.",
     "Taspen", ("JHT", None, 250_000_000_000)),
]


@pytest.mark.parametrize("text,institution,expected", [(t, i, e) for _, t, i, e in OTHER_INSTITUTIONS],
                         ids=[r[0] for r in OTHER_INSTITUTIONS])
def test_other_institutions(text, institution, expected):
    doc = extract_text(text)
    assert doc.institution == institution
    assert [(c.program, c.detail, c.amount) for c in doc.claims] == [expected]


def test_offices_named_in_their_clauses():
    doc = extract_text("BPJS Ketenagakerjaan Kanwil Jawa Timur membayarkan klaim Rp 5 triliun sepanjang 2023. "
                       "Klaim di Cabang Surabaya Rungkut sebesar Rp 1 triliun, Cabang Malang sebesar Rp 500 miliar "
                       "dan Cabang Kediri sebesar Rp 300 miliar.")
    assert [(c.amount, c.branch) for c in doc.claims] == [
        (5_000_000_000_000, None), (1_000_000_000_000, "Surabaya Rungkut"), (500_000_000_000, "Malang"),
        (300_000_000_000, "Kediri")]
    assert [c for c in doc.checks if c.kind == "repeat"] == []


BENEFIT_LEVELS = [
    ("entitled", "Jika peserta meninggal dunia, ahli waris berhak atas santunan JKM sebesar Rp42 juta.", "per_person"),
    ("per-victim", "Korban meninggal dunia mendapat santunan Rp50 juta per korban, sedangkan biaya penguburan Rp4 juta.", "per_person"),
    ("every-heir", "Setiap ahli waris korban meninggal dunia menerima santunan Rp50 juta dari Jasa Raharja.", "per_person"),
    ("levels", "Besaran santunan untuk korban meninggal dunia saat ini Rp25 juta dan biaya penguburan Rp2 juta.", "per_person"),
    ("fund-of-a-program", "Dana kelolaan program JHT secara nasional telah menembus Rp460 triliun.", "funds_under_management"),
    ("projection", "Untuk 2024, pihaknya memproyeksikan pembayaran klaim akan mencapai Rp400 miliar.", "target"),
]


@_run(BENEFIT_LEVELS)
def test_benefit_levels_and_forecasts_are_not_claims(text, expected):
    claims, doc = claims_of(text)
    assert claims == []
    assert expected in {f.role for f in doc.figures}


def test_hard_wrapped_lines_are_read_as_one_sentence():
    from extractor.extract.sentences import unwrap

    text = ("BPJS Ketenagakerjaan membayarkan klaim JHT sebanyak 71.204 kasus dengan nilai\n"
            "Rp1,04 triliun. Jaminan Kecelakaan Kerja (JKK) sebanyak\n9.877 kasus senilai Rp61,3\nmiliar.")
    assert len(unwrap(text)) == len(text)
    claims, doc = claims_of(text)
    assert claims == [("JHT", 1_040_000_000_000, "exact", 71_204, "exact"),
                      ("JKK", 61_300_000_000, "exact", 9_877, "exact")]
    c = doc.claims[1]
    assert text[c.span[0]:c.span[1]] == c.evidence  # spans point into the text as given


def test_a_split_by_outcome_of_the_program_just_stated():
    claims, doc = claims_of("Untuk program Jaminan Kecelakaan Kerja (JKK), BPJS Ketenagakerjaan mencatat 702 kasus "
                            "dengan nilai klaim Rp6,4 miliar. Dari jumlah itu, 14 kasus mengakibatkan peserta "
                            "meninggal dunia dan 23 kasus cacat.")
    assert [(c.program, c.detail, c.cases) for c in doc.claims] == [
        ("JKK", None, 702), ("JKK", "meninggal dunia", 14), ("JKK", "cacat", 23)]


def test_a_list_of_offices_after_a_regional_total():
    doc = extract_text("BPJS Ketenagakerjaan Kanwil Sumbagsel membayarkan klaim Rp2,13 triliun sepanjang 2021. "
                       "Kantor Cabang Palembang mencatat klaim terbesar, yakni Rp612,4 miliar. Posisi berikutnya "
                       "ditempati Kantor Cabang Bandar Lampung dengan Rp455,1 miliar, disusul Jambi Rp301,8 miliar.")
    assert [(c.amount, c.branch) for c in doc.claims] == [
        (2_130_000_000_000, None), (612_400_000_000, "Palembang"), (455_100_000_000, "Bandar Lampung"),
        (301_800_000_000, "Jambi")]
    (check,) = doc.checks
    assert check.verdict == "unverifiable"  # falls short, and a region's offices are seldom all listed


def test_tokenizer_cache_starts_afresh_in_long_runs_and_claims_do_not_change(monkeypatch):
    """Long runs keep flat memory: the tokenizer's chunk cache is emptied past its limit; claims stay the same."""
    import extractor.extract.tokenizer as tokens_module
    from extractor.extract.indonesian import tokenizer

    text = "BPJS Ketenagakerjaan membayarkan klaim JHT Rp5 miliar untuk 1.234 kasus pada 2023."
    before = claims_of(text)[0]
    monkeypatch.setattr(tokens_module, "CACHE_LIMIT", 5)
    after = [claims_of(text)[0] for _ in range(5)]
    claims_of(" ".join(f"kata{i}" for i in range(20)))  # new chunks: the cache fills and starts afresh
    assert len(tokenizer()._cache) <= 5
    assert after == [before] * 5


def test_output_dicts_carry_every_field():
    """as_dict is written out by hand (for speed): a field added to Claim or Source must reach the output."""
    from dataclasses import fields

    from extractor.models import Claim, Document, Source

    assert set(Claim(program="JHT").as_dict()) == {f.name for f in fields(Claim)}
    source = Document(source=Source(), text="").as_dict()["source"]
    assert set(source) == {f.name for f in fields(Source)}


def test_comparisons_grow_linearly_with_the_figures_of_a_text(monkeypatch):
    """A long page costs time in proportion to its figures: merging compares a statement only with
    statements that could be the same figure, not with every earlier one (counted, not timed)."""
    from extractor.extract import merge

    compared = []
    real = merge._same_figure
    monkeypatch.setattr(merge, "_same_figure", lambda *a: compared.append(1) or real(*a))

    def comparisons(n: int) -> int:
        compared.clear()
        text = " ".join(f"Klaim JHT Rp{i} miliar untuk {i} kasus." for i in range(1, n + 1))
        assert len(extract_text(text).claims) == n
        return len(compared)

    assert comparisons(2000) <= 4 * 1.5 * max(comparisons(500), 1)


def test_a_quotation_left_open_ends_with_its_paragraph():
    """A missing closing quote mark must not make the rest of the article speech, where a period stated
    does not govern the figures after it."""
    text = ("BPJS Ketenagakerjaan Cabang Sukamaju terus memperluas layanan klaim.\n\n"
            "\"Kami ingin setiap peserta terlayani dengan cepat, ujarnya.\n\n"
            "Sampai dengan Mei 2024 BPJS Ketenagakerjaan Cabang Sukamaju telah membayarkan 1.200 klaim dengan total "
            "Rp10 miliar. Pembayaran tersebut terdiri dari 1.000 klaim JHT sebesar Rp8 miliar dan 200 klaim JKM "
            "sebesar Rp2 miliar.")
    doc = extract_text(text)
    periods = {c.program: (c.period_start, c.period_end) for c in doc.claims}
    assert periods == {p: ("2024-01-01", "2024-05-31") for p in ("TOTAL", "JHT", "JKM")}
    assert [c.verdict for c in doc.checks if c.kind == "sum"] == ["consistent", "consistent"]


def test_offices_listed_by_their_kcp_abbreviation_add_up_to_the_region():
    text = ("BPJS Ketenagakerjaan di Sukamaju membayar klaim Rp 50,5 miliar untuk 5.100 klaim sepanjang 2023. "
            "Rinciannya, Kantor Cabang Sukamaju Rp 40,2 miliar dengan 4.000 klaim, KCP Talang Rp 6,1 miliar dengan "
            "700 klaim, dan KCP Rawasari Rp 4,2 miliar dengan 400 klaim.")
    doc = extract_text(text)
    assert {c.branch for c in doc.claims} == {None, "Sukamaju", "Talang", "Rawasari"}
    assert {(c.what, c.verdict) for c in doc.checks if c.kind == "sum"} == {("amount", "consistent"),
                                                                         ("cases", "consistent")}


def test_a_change_from_an_earlier_year_is_a_comparison_whose_year_does_not_carry_on():
    text = ("Jasa Raharja membayar santunan Rp 1,5 triliun pada enam bulan pertama 2024. Angka itu naik 4,2% dari "
            "tahun 2023 yang tercatat Rp 1,44 triliun. Santunan korban meninggal dunia Rp 800 miliar.")
    doc = extract_text(text)
    periods = {c.amount: (c.period_start, c.period_end) for c in doc.claims}
    assert periods[1_500_000_000_000] == periods[800_000_000_000] == ("2024-01-01", "2024-06-30")
    assert periods[1_440_000_000_000][0].startswith("2023")


def test_without_a_date_the_latest_year_named_is_the_articles():
    """'tahun ini' in a text with no dateline: the year of the report, not of the comparison it makes."""
    text = ("BPJS Ketenagakerjaan membayar klaim JHT Rp 2 triliun pada semester I tahun ini, naik dibanding "
            "semester I 2022 dan semester I 2021. Klaim itu untuk 80.000 kasus pada 2023.")
    doc = extract_text(text)
    assert (doc.claims[0].period_start, doc.claims[0].period_end) == ("2023-01-01", "2023-06-30")


def test_every_tahun_lalu_is_the_year_before_the_articles():
    """'tahun lalu' said three times is one year, not three steps back from the last period stated."""
    text = ("Makassar, Senin (9/1/2017) - BPJS Ketenagakerjaan Cabang Sukamaju membayar klaim Rp90 miliar "
            "sepanjang tahun lalu.\n\nKlaim terbesar sepanjang tahun lalu berasal dari program JHT yang mencapai "
            "Rp80 miliar.\n\nUntuk klaim JHT sepanjang tahun lalu bahkan mencapai 9.100 kasus.")
    doc = extract_text(text)
    assert {(c.period_start, c.period_end) for c in doc.claims} == {("2016-01-01", "2016-12-31")}
    assert ("JHT", 80_000_000_000, 9100) in {(c.program, c.amount, c.cases) for c in doc.claims}


def test_figures_after_dengan_rincian_are_the_parts_and_the_count_before_is_the_totals():
    text = ("BPJS Ketenagakerjaan Cabang Sukamaju hingga Mei 2024 membayar klaim senilai Rp120,5 Miliar. "
            "Pembayaran klaim tersebut dari 9.870 kasus dengan rincian nominal sebesar Rp110 Miliar untuk 8.020 "
            "kasus Jaminan Hari Tua (JHT), selanjutnya Rp10,5 Miliar untuk 1.850 kasus Jaminan Kecelakaan Kerja (JKK).")
    claims, doc = claims_of(text)
    assert sorted(claims) == sorted([("TOTAL", 120_500_000_000, "exact", 9870, "exact"),
                                     ("JHT", 110_000_000_000, "exact", 8020, "exact"),
                                     ("JKK", 10_500_000_000, "exact", 1850, "exact")])
    assert {(c.what, c.verdict) for c in doc.checks} == {("amount", "consistent"), ("cases", "consistent")}


def test_a_sentence_glued_to_the_one_before_is_still_its_own():
    """'tahun lalu.Dari data ...' (no space after the full stop): the comparison's period stays in its sentence."""
    text = ("Jasa Raharja Cabang Sukamaju menyerahkan santunan Rp 2,1 miliar hingga April 2024. Angka itu turun "
            "8 persen dibandingkan periode yang sama tahun lalu.Dari data tercatat, santunan korban meninggal "
            "dunia Rp 1,2 miliar.")
    doc = extract_text(text)
    assert {(c.program, c.period_start, c.period_end) for c in doc.claims} == {
        ("SANTUNAN", "2024-01-01", "2024-04-30"), ("SANTUNAN_MD", "2024-01-01", "2024-04-30")}
    assert all("\n" not in c.evidence for c in doc.claims)


def test_a_read_also_line_does_not_take_the_next_line_with_it():
    text = ("BPJS Ketenagakerjaan Cabang Sukamaju membayar klaim JHT Rp80 miliar sepanjang 2024.\n"
            "Baca juga: Klaim BPJS Ketenagakerjaan naik, ini penyebabnya\n"
            "Sementara klaim Jaminan Kematian (JKM) nilainya sebesar Rp12,5 miliar atau 9,4 persen.")
    claims, _ = claims_of(text)
    assert ("JKM", 12_500_000_000, "exact", None, None) in claims


@pytest.mark.parametrize("text,branch", [
    ("PT Jasa Raharja Perwakilan Sukamaju menyerahkan santunan Rp 1,2 miliar hingga April 2024.", "Sukamaju"),
    ("Jasa Raharja perwakilan Sukamaju telah menyalurkan santunan Rp 1,2 miliar.", "Sukamaju"),
    ("BPJS Ketenagakerjaan Cabang Perintis Rawasari membayar klaim Rp 9,1 miliar hingga Agustus 2024.", "Rawasari"),
    ("BPJS Ketenagakerjaan Cabang Sukamaju Bayarkan Klaim Rp 40 Miliar\n\nBPJS Ketenagakerjaan Cabang Sukamaju "
     "membayarkan klaim Rp 40 miliar sepanjang 2024.", "Sukamaju"),
], ids=["perwakilan", "perwakilan-lower-case", "cabang-perintis", "headline-verb-ends-the-name"])
def test_office_names(text, branch):
    assert {c.branch for c in extract_text(text).claims} == {branch}


def test_the_same_months_of_another_year():
    """'di tahun sebelumnya yakni 2023 pada periode bulan yang sama': the running months, in that year."""
    text = ("Jasa Raharja Cabang Sukamaju dari Januari hingga April 2024 menyerahkan santunan Rp 3,4 miliar.\n\n"
            "Kemudian penyerahan santunan di tahun sebelumnya yakni 2023 pada periode bulan yang sama sebesar "
            "Rp 5,1 miliar.")
    doc = extract_text(text)
    assert {(c.amount, c.period_start, c.period_end) for c in doc.claims} == {
        (3_400_000_000, "2024-01-01", "2024-04-30"), (5_100_000_000, "2023-01-01", "2023-04-30")}


def test_a_comparisons_same_period_takes_the_months_of_the_side_before_it():
    text = ("BPJS Ketenagakerjaan mencatat pada triwulan I tahun 2024 ada 9.100 kasus JHT yang dibayarkan dengan nilai "
            "Rp71 miliar, tidak jauh berbeda dengan periode yang sama pada tahun 2023, sebesar 8.500 kasus dengan nilai "
            "Rp66 miliar.")
    doc = extract_text(text)
    assert {(c.amount, c.period_start, c.period_end) for c in doc.claims} == {
        (71_000_000_000, "2024-01-01", "2024-03-31"), (66_000_000_000, "2023-01-01", "2023-03-31")}


def test_a_look_back_at_last_year_does_not_move_the_story_there():
    text = ("Jasa Raharja Cabang Sukamaju mencatat santunan sepanjang 2024 mencapai Rp120 miliar. Angka itu naik "
            "dibanding tahun sebelumnya. Pada 2023, santunan yang dibayarkan tercatat Rp110 miliar.\n\n"
            "Santunan meninggal dunia Rp80 miliar dan luka-luka Rp40 miliar.")
    doc = extract_text(text)
    periods = {c.amount: c.period_start for c in doc.claims}
    assert periods == {120_000_000_000: "2024-01-01", 110_000_000_000: "2023-01-01",
                       80_000_000_000: "2024-01-01", 40_000_000_000: "2024-01-01"}
