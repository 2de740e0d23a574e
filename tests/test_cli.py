"""The command line, through typer's runner and through a real subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import __version__
from extractor.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_HTML = FIXTURES / "balipost-bpu-claims-2024.html"
SEED_TEXT = FIXTURES / "balipost-bpu-claims-2024.txt"
GOLDEN = FIXTURES / "golden"
runner = CliRunner()

SEED_CLAIMS = {  # program: (amount, cases)
    "TOTAL": (41_070_000_000, 1501),
    "JHT": (231_000_000, 260),
    "JKM": (32_000_000_000, 772),
    "JKK": (8_000_000_000, 469),
}


def run_cli(*args, stdin: str | None = None):
    """The installed console script, as a user runs it."""
    code = "from extractor.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, input=stdin,
                          timeout=120)


@pytest.mark.parametrize("path", [SEED_HTML, SEED_TEXT], ids=["html", "text"])
def test_seed_article_gives_the_four_gold_claims(path):
    result = runner.invoke(app, ["file", str(path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    claims = {c["program"]: c for c in doc["claims"]}
    assert len(doc["claims"]) == 4
    for program, (amount, cases) in SEED_CLAIMS.items():
        c = claims[program]
        assert (c["amount"], c["cases"]) == (amount, cases)
        assert c["amount_qualifier"] == "more_than" and c["cases_qualifier"] == "exact"
        assert c["segment"] == "BPU" and c["unit"] == "kasus"
        assert (c["period_start"], c["period_end"]) == ("2024-01-01", "2024-06-30")
        assert c["branch"] == "Bali Denpasar"
        if path.suffix == ".txt":  # spans point into the article text
            start, end = c["span"]
            assert path.read_text()[start:end] == c["evidence"]
    sums = {(c["kind"], c["what"]): c["verdict"] for c in doc["checks"]}
    assert sums == {("sum", "amount"): "consistent", ("sum", "cases"): "consistent"}
    assert doc["institution"] == "BPJS Ketenagakerjaan"


def test_sidebar_and_related_headlines_are_not_extracted():
    doc = json.loads(runner.invoke(app, ["file", str(SEED_HTML)]).stdout)
    amounts = {c["amount"] for c in doc["claims"]} | {f["value"] for f in doc["figures"]}
    for teaser in (12_500_000_000, 1_200_000_000_000, 42_000_000, 16_800, 5_000_000_000, 3_400_000_000_000, 80_000):
        assert teaser not in amounts
    assert doc["title"] == "Klaim Jamsostek Pekerja BPU di Bali Tembus Rp41 Miliar Lebih"
    assert doc["published"] == "2024-07-15"


@pytest.mark.parametrize("path", [SEED_HTML, SEED_TEXT], ids=["html", "text"])
def test_golden_output(path):
    """The whole document, minus what changes from run to run; REGEN_GOLDEN=1 rewrites it on purpose."""
    doc = json.loads(runner.invoke(app, ["file", str(path)]).stdout)
    doc.pop("source")
    golden = GOLDEN / f"{path.name}.json"
    if os.environ.get("REGEN_GOLDEN") or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    assert doc == json.loads(golden.read_text())


def test_json_lines_in_argument_order_and_a_line_for_a_failure(tmp_path):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["file", str(SEED_TEXT), str(missing), str(SEED_HTML)])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["source"]["path"] for x in lines] == [str(SEED_TEXT), str(missing), str(SEED_HTML)]
    assert "error" in lines[1] and "no such file" in lines[1]["error"]
    assert result.exit_code != 0


def test_stdin_dash():
    proc = run_cli("file", "-", stdin=SEED_TEXT.read_text())
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["claims"]) == 4


def test_pretty_indents():
    result = runner.invoke(app, ["file", "--pretty", str(SEED_TEXT)])
    assert result.stdout.startswith("{\n  ")


def test_explain_shows_sentence_spans_and_patterns():
    doc = json.loads(runner.invoke(app, ["file", "--explain", str(SEED_TEXT)]).stdout)
    assert len(doc["explain"]) == len(doc["claims"])
    first = doc["explain"][0]
    assert "Rp41,07 miliar" in first["sentence"] and first["patterns"] and first["spans"]


def test_version_and_help():
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"extract {__version__}"
    out = runner.invoke(app, ["--help"]).stdout
    assert "Example" in out and "extract file" in out


def test_every_command_has_help_with_an_example():
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help and "xample" in command.help, f"{name} has no example in its help"


def _bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.txt").write_text("   \n\n ")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (tmp_path / "folder").mkdir()
    return {
        "missing file": (["file", str(tmp_path / "nope.txt")], "no such file"),
        "directory": (["file", str(tmp_path / "folder")], "directory"),
        "binary": (["file", str(tmp_path / "binary.txt")], "binary"),
        "empty": (["file", str(tmp_path / "empty.txt")], "empty"),
        "blank": (["file", str(tmp_path / "blank.txt")], "empty"),
        "malformed url": (["url", "ht!tp:/nowhere"], "URL"),
        "file url": (["url", "file:///etc/passwd"], "http"),
        "unreachable host": (["url", "http://127.0.0.1:9/article"], "127.0.0.1"),
    }


def test_bad_input_gives_one_line_and_nonzero_exit(tmp_path):
    for name, (args, needle) in _bad_inputs(tmp_path).items():
        proc = run_cli(*args)
        err = proc.stderr.strip()
        assert proc.returncode != 0, name
        assert "Traceback" not in proc.stderr, name
        assert len(err.splitlines()) == 1 and needle in err, f"{name}: {err!r}"
