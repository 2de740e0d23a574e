"""The linking model (its one description is the docstring of extractor/extract/context.py): one row per named rule, with the phrasing
it covers, checked through `--explain`'s per-claim rule names. The texts are written for these tests."""
import pytest

from extractor.extract.context import PROGRAM_RULES, TOTAL_RULE
from extractor.pipeline import extract_text

# (rule name, slot, text, the claim it must produce as (program, amount, cases))
ROWS = [
    ("named in the clause", "program",
     "BPJS Ketenagakerjaan membayarkan klaim JKM Rp3,2 miliar kepada 75 ahli waris.",
     ("JKM", 3_200_000_000, 75)),
    ("named earlier in the sentence", "program",
     "BPJS Ketenagakerjaan menyalurkan beasiswa bagi 40 anak peserta yang meninggal Rp60 juta, 22 anak peserta "
     "yang cacat Rp44 juta, dan 9 anak lainnya Rp108 juta.",
     ("BEASISWA", 108_000_000, 9)),
    ("a total word after the program named", "program",
     "Santunan bagi korban luka-luka mencapai 40 persen dari total dana yang disalurkan Jasa Raharja Jambi "
     "sepanjang 2024, yakni sebesar Rp85 miliar.",
     ("SANTUNAN", 85_000_000_000, None)),
    ("restates a figure stated before (itu, tersebut)", "program, as restated",
     "BPJS Ketenagakerjaan Cabang Sleman membayarkan klaim Rp40 miliar. Klaim JKK juga naik. Dari jumlah Rp40 miliar "
     "itu, klaim JKK Rp2 miliar.",
     ("TOTAL", 40_000_000_000, None)),
    ("named by the sentence before", "program",
     "Klaim Jaminan Kecelakaan Kerja di Kota Bekasi juga meningkat. Tercatat 1.204 kasus senilai Rp12 miliar.",
     ("JKK", 12_000_000_000, 1204)),
    ("split of the program just stated", "program",
     "BPJS Ketenagakerjaan mencatat 310 kasus Jaminan Kecelakaan Kerja (JKK) senilai Rp9 miliar. "
     "Dari jumlah itu, 12 kasus di antaranya meninggal dunia.",
     ("JKK", None, 12)),
    ("program the passage is about", "program",
     "Menurut dia, klaim JHT terus naik sejak awal tahun. Pada Maret klaim yang dibayarkan mencapai Rp40,5 miliar "
     "(3.120 peserta), dan April naik menjadi Rp44 miliar (3.302 peserta).",
     ("JHT", 44_000_000_000, 3302)),
    (TOTAL_RULE, "program",
     "Klaim JHT terus naik sejak awal tahun. Secara keseluruhan, BPJS Ketenagakerjaan membayarkan klaim Rp90 miliar.",
     ("TOTAL", 90_000_000_000, None)),
    ("same clause", "partner",
     "BPJS Ketenagakerjaan memproses 2.310 klaim dengan nilai Rp30,5 miliar.",
     ("TOTAL", 30_500_000_000, 2310)),
    ("amount and count in adjacent sentences", "partner",
     "BPJS Ketenagakerjaan Cabang Kendari membayarkan klaim Rp18,2 miliar. Klaim tersebut diajukan oleh 1.930 peserta.",
     ("TOTAL", 18_200_000_000, 1930)),
    ("amount and count in adjacent sentences", "partner",
     "BPJS Ketenagakerjaan Sulsel membayarkan klaim Rp1,2 triliun. \"Total kasusnya mencapai 95.120,\" kata dia.",
     ("TOTAL", 1_200_000_000_000, 95_120)),
    ("stated in the sentence", "period",
     "Sepanjang 2023 BPJS Ketenagakerjaan membayarkan klaim Rp18,2 miliar.",
     ("TOTAL", 18_200_000_000, None)),
    ("stated before (running period)", "period",
     "Sepanjang 2023 BPJS Ketenagakerjaan membayarkan klaim Rp18,2 miliar. Klaim JHT menyumbang Rp15 miliar.",
     ("JHT", 15_000_000_000, None)),
    ("named in the clause", "branch",
     "BPJS Ketenagakerjaan Cabang Kendari membayarkan klaim Rp18,2 miliar.",
     ("TOTAL", 18_200_000_000, None)),
]


def _why(text, expected):
    doc = extract_text(text, explain=True)
    for claim, row in zip(doc.claims, doc.explain):
        if (claim.program, claim.amount, claim.cases) == expected:
            return row["rules"]
    pytest.fail(f"no claim {expected} in {[(c.program, c.amount, c.cases) for c in doc.claims]}")


@pytest.mark.parametrize("rule, slot, text, expected", ROWS, ids=[f"{s}: {r}" for r, s, _, _ in ROWS])
def test_each_rule_names_itself_on_the_claims_it_makes(rule, slot, text, expected):
    assert _why(text, expected)[slot] == rule


def test_every_program_rule_has_a_row():
    assert {r.name for r in PROGRAM_RULES} | {TOTAL_RULE} <= {rule for rule, slot, _, _ in ROWS if slot.startswith("program")}


def test_a_total_word_ends_the_passage_topic():
    doc = extract_text("Klaim JHT naik sejak Januari. Pada Januari klaim mencapai Rp12 miliar. "
                       "Adapun total klaim seluruh program pada Januari Rp20 miliar.")
    assert [(c.program, c.amount) for c in doc.claims] == [("JHT", 12_000_000_000), ("TOTAL", 20_000_000_000)]


def test_a_headline_program_does_not_govern_the_lead():
    doc = extract_text("Klaim JHT di Kota Batu Rp80 M\n\nBPJS Ketenagakerjaan Cabang Batu membayarkan klaim Rp95 miliar "
                       "sepanjang 2024. Dari jumlah itu, klaim JHT Rp80 miliar.")
    assert ("TOTAL", 95_000_000_000) in [(c.program, c.amount) for c in doc.claims]


def test_a_list_in_brackets_after_a_claim_sentence():
    # items "Month (amount, count)": the comma inside the brackets does not split the item, and the list needs
    # no word of claiming because the sentence before stated claims
    doc = extract_text("Klaim JHT naik sejak awal tahun. Pada Mei klaim naik menjadi Rp97,7 miliar (8.857 peserta). "
                       "Antara lain, Juni (Rp105,2 miliar, 9.040 peserta) dan Juli (Rp111 miliar, 9.749 peserta).")
    assert [(c.program, c.amount, c.cases) for c in doc.claims] == [
        ("JHT", 97_700_000_000, 8857), ("JHT", 105_200_000_000, 9040), ("JHT", 111_000_000_000, 9749)]


def test_a_caption_before_the_dateline_does_not_set_the_topic():
    doc = extract_text("Klaim BPJS Ketenagakerjaan Kota Batu Naik\n\nPeserta mengurus klaim JHT di kantor cabang. (Foto: Dok)\n\n"
                       "BATU - BPJS Ketenagakerjaan Cabang Batu membayarkan klaim Rp95 miliar sepanjang 2024.")
    assert [(c.program, c.amount) for c in doc.claims] == [("TOTAL", 95_000_000_000)]


def test_a_type_named_after_its_amount_replaces_the_generic_word():
    doc = extract_text("Jasa Raharja menyalurkan santunan Rp2 triliun. Dari porsi santunan itu, Rp1,2 triliun disalurkan "
                       "kepada korban yang meninggal dunia dan Rp800 miliar untuk korban luka-luka.")
    assert [(c.program, c.amount) for c in doc.claims] == [
        ("SANTUNAN", 2_000_000_000_000), ("SANTUNAN_MD", 1_200_000_000_000), ("SANTUNAN_LL", 800_000_000_000)]


def test_this_year_in_a_half_year_story_is_the_story_period():
    # "klaim tahun ini terdiri dari ..." after a lead about semester I: the half year so far, not all of it
    doc = extract_text("BPJS Ketenagakerjaan Cabang Dumai membayarkan klaim Rp90 miliar selama semester I 2024. "
                       "Klaim tahun ini terdiri dari JHT Rp80 miliar dan JKM Rp10 miliar.")
    assert {(c.program, c.period_start, c.period_end) for c in doc.claims} == {
        ("TOTAL", "2024-01-01", "2024-06-30"), ("JHT", "2024-01-01", "2024-06-30"),
        ("JKM", "2024-01-01", "2024-06-30")}
    assert [c.verdict for c in doc.checks] == ["consistent"]


def test_from_one_level_to_another_compares_with_the_year_before():
    # "naik ... dari Rp A menjadi Rp B": A is the same period a year back, B the story's own
    doc = extract_text("Sepanjang 2024 Jasa Raharja menyalurkan santunan korban meninggal dunia Rp1,2 triliun. "
                       "Santunan korban luka-luka juga naik 20 persen dari Rp500 miliar menjadi Rp600 miliar.")
    assert {(c.amount, c.period_start) for c in doc.claims} == {
        (1_200_000_000_000, "2024-01-01"), (500_000_000_000, "2023-01-01"), (600_000_000_000, "2024-01-01")}


def test_a_step_from_the_item_before_is_not_a_year_back():
    doc = extract_text("Pada Juli 2024 klaim JKM di Cabang Tegal tercatat 30 kasus. Klaim JKK dari sebelumnya "
                       "12 kasus meningkat menjadi 19 kasus.")
    assert {c.period_start for c in doc.claims} == {"2024-07-01"}


def test_a_publishing_stamp_dates_the_story():
    # no published date given: "tahun lalu" counts back from the stamp, not from the latest year named
    doc = extract_text("Rabu, 06 Mar 2024 09:15 WIB\nJasa Raharja mencatat santunan Rp2 triliun sepanjang tahun "
                       "lalu, naik dibandingkan 2021.")
    assert [(c.amount, c.period_start) for c in doc.claims] == [(2_000_000_000_000, "2023-01-01")]


def test_a_figure_compared_takes_the_period_named_nearest_before_it():
    doc = extract_text("Sepanjang 2024 Jasa Raharja membayarkan santunan Rp3 triliun, naik 5 persen dari tahun 2023, "
                       "dan naik 9 persen dari tahun 2022 yang tercatat Rp2,75 triliun.")
    assert ("2022-01-01", "2022-12-31") in {(c.period_start, c.period_end) for c in doc.claims
                                            if c.amount == 2_750_000_000_000}


@pytest.mark.parametrize("text, branch, region", [
    # a province's name alone, twice and never after "Cabang": the regional office, above the branches
    ("BPJS Ketenagakerjaan Sulsel Bayar Klaim Rp1 Triliun\n\nMAKASSAR - BPJS Ketenagakerjaan Sulsel membayarkan "
     "klaim Rp1 triliun sepanjang 2024.", None, "Sulawesi Selatan"),
    # a city's name: the branch there
    ("BPJS Ketenagakerjaan Makassar Bayar Klaim Rp300 Miliar\n\nBPJS Ketenagakerjaan Makassar membayarkan klaim "
     "Rp300 miliar sepanjang 2024.", "Makassar", "Sulawesi Selatan"),
    # Jasa Raharja's branches serve a province and are named by it
    ("Jasa Raharja Jabar Salurkan Santunan Rp90 Miliar\n\nJasa Raharja Jabar menyalurkan santunan Rp90 miliar "
     "sepanjang 2024.", "Jabar", "Jawa Barat"),
])
def test_an_office_named_by_a_province_is_regional_unless_the_institution_branches_by_province(text, branch, region):
    (claim,) = extract_text(text).claims
    assert (claim.branch, claim.region) == (branch, region)


def test_each_level_has_the_month_on_its_side_of_menjadi():
    doc = extract_text("Sepanjang 2024 klaim JHT di BPJS Ketenagakerjaan Cabang Kudus terus naik. Pada bulan Mei tercatat "
                       "2.100 kasus dan meningkat menjadi 2.450 kasus pada bulan Juni.")
    assert [(c.cases, c.period_start) for c in doc.claims] == [(2100, "2024-05-01"), (2450, "2024-06-01")]


def test_a_rough_restatement_pointing_back_gives_its_count_to_the_exact_figure():
    text = ("BPJS Ketenagakerjaan Cabang Jambi membayarkan klaim Rp412.775.300.150 selama 2023. \"Klaim sekitar "
            "Rp370 miliar itu diterima oleh 31.204 peserta,\" kata dia.")
    doc = extract_text(text, explain=True)
    assert [(c.amount, c.cases) for c in doc.claims] == [(412_775_300_150, 31_204)]
    assert [(c.kind, c.verdict) for c in doc.checks] == [("repeat", "inconsistent")]  # the two amounts disagree
    assert doc.explain[0]["rules"]["partner"] == "a rough restatement pointing back (itu) gave the count"


def test_a_list_of_programs_sentence_by_sentence_sets_no_passage_topic():
    doc = extract_text("Sepanjang 2024 klaim JKK di Cabang Gianyar Rp20 miliar untuk 410 kasus. Klaim JKM tercatat "
                       "Rp9 miliar untuk 96 kasus. Selanjutnya JP dibayarkan Rp3 miliar untuk 302 kasus. \"Kasus "
                       "tertinggi pada Juli 2024 yakni sebanyak 1.376 kasus, didominasi JHT 1.100 kasus,\" ujarnya.")
    assert [(c.program, c.cases) for c in doc.claims][-2:] == [("TOTAL", 1376), ("JHT", 1100)]


def test_bpjs_ketenagakerjaan_pays_santunan_kematian_from_jkm_and_treatment_from_jkk():
    doc = extract_text("BPJS Ketenagakerjaan Cabang Dumai membayarkan santunan kematian dan biaya pengobatan sebesar "
                       "Rp3,2 miliar kepada 9 korban kebakaran pabrik. Total pembayaran manfaat kepada para korban "
                       "tersebut sebesar Rp3.214.560.000.")
    assert [(c.program, c.detail, c.amount, c.cases) for c in doc.claims] == [
        ("TOTAL", "JKM dan JKK", 3_214_560_000, 9)]  # the two programs' figure, restated to the rupiah
