"""Seeing the evidence without a browser: file --with-text, the spaCy component, Document._repr_html_,
the show page's escaping, and the show/report commands on bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_HTML = FIXTURES / "balipost-bpu-claims-2024.html"
SEED_TEXT = FIXTURES / "balipost-bpu-claims-2024.txt"
HOSTILE = ('<html><head><title>Klaim &lt;script&gt;alert(1)&lt;/script&gt;</title></head><body><article>'
           '<h1>Klaim JHT &lt;script&gt;alert(1)&lt;/script&gt;</h1>'
           '<p>BPJS Ketenagakerjaan Cabang Medan membayar klaim Jaminan Hari Tua (JHT) senilai Rp12 miliar '
           'bagi 300 kasus &lt;script&gt;alert(1)&lt;/script&gt; sepanjang Januari sampai Maret 2024.</p>'
           '<p>Peserta menulis "&gt;&lt;img src=x onerror=alert(2)&gt; di formulir pengajuan klaim.</p>'
           '</article></body></html>')


def run_cli(*args):
    code = "from extractor.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def test_with_text_lets_every_span_be_resolved():
    result = run_cli("file", "--with-text", "--explain", str(SEED_HTML))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    text = doc["text"]
    assert len(doc["claims"]) == 4
    for claim in doc["claims"]:
        start, end = claim["span"]
        assert text[start:end] == claim["evidence"]
    for figure in doc["figures"]:
        assert text[figure["span"][0]:figure["span"][1]] == figure["text"]
    for entry in doc["explain"]:
        for start, end, words in entry["spans"]:
            assert text[start:end] == words
    assert "text" not in json.loads(run_cli("file", str(SEED_HTML)).stdout)  # only when asked


def test_spacy_component_gives_the_claims_of_extract_file():
    spacy = pytest.importorskip("spacy")
    from spacy import displacy

    nlp = spacy.blank("id")
    nlp.add_pipe("claim_figures")  # found through the entry point
    text = SEED_TEXT.read_text(encoding="utf-8")
    doc = nlp(text)
    expected = json.loads(run_cli("file", str(SEED_TEXT)).stdout)["claims"]
    assert doc._.claims == expected
    assert [s.label_ for s in doc.spans["claims"]] == [c["program"] for c in expected]
    for span, claim in zip(doc.spans["claims"], expected):
        assert claim["evidence"] in span.text
    labels = {s.label_ for s in doc.spans["figures"]}
    assert {"amount", "cases", "program", "period"} <= labels
    markup = displacy.render(doc, style="span", options={"spans_key": "claims"})
    for program in ("TOTAL", "JKM", "JHT", "JKK"):
        assert program in markup
    assert "772" in markup and "senilai" in markup  # (the tokenizer splits "Rp32" in two)


def test_document_repr_html_highlights_the_claims():
    from extractor.pipeline import extract_path

    page = extract_path(str(SEED_HTML))._repr_html_()
    for i in range(4):
        assert f'class="m amount ev" data-claims="{i}"' in page
    assert "Rp231 juta" in page and "<script" in page


def test_show_page_escapes_page_text(tmp_path):
    hostile = tmp_path / "hostile.html"
    hostile.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "page.html"
    result = run_cli("show", str(hostile), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 2  # our JSON data block and our script, nothing else


def test_show_in_the_terminal_prints_the_text_and_claims():
    result = run_cli("show", str(SEED_HTML))
    assert result.returncode == 0, result.stderr
    assert "Jaminan Kematian" in result.stdout and "Rp231 juta lebih" in result.stdout


@pytest.mark.parametrize("args, code, words", [
    (["show", "missing.html"], 3, "no such file"),
    (["show", str(SEED_HTML), "-o", "/no/such/dir/page.html"], 3, "no such folder"),
    (["show", str(SEED_HTML), "--open"], 2, "--open"),
    (["report", "--db", "missing.db"], 13, "no such database"),
])
def test_bad_input_is_one_line_and_non_zero(tmp_path, args, code, words):
    result = run_cli(*args)
    assert result.returncode == code
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_report_of_a_batch_database(tmp_path):
    pytest.importorskip("matplotlib")
    db = tmp_path / "claims.db"
    batch = run_cli("batch", *map(str, sorted((FIXTURES / "html").glob("*.html"))), "--db", str(db))
    assert batch.returncode in (0, 1), batch.stderr
    out = tmp_path / "report.html"
    result = run_cli("report", "--db", str(db), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "<path" in page
    assert "Inconsistent totals" in page and "Articles with errors" in page
    links = list((tmp_path / "report_files").glob("*.html"))
    assert links and all(f'href="report_files/{p.name}"' in page for p in links)


def test_report_without_matplotlib_says_how_to_install_it(tmp_path):
    code = "import sys; sys.modules['matplotlib'] = None; from extractor.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", code, "report", "--db", "claims.db"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: extract report needs matplotlib: pip install 'extractor[report]'"
