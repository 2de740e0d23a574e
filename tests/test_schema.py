"""The field reference (issue 16): `extract schema` validates every output, and docs/fields.md is its rendering."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from extractor.schema import PROGRAMS, REGENERATE, document_schema, render_markdown

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DOCS = ROOT / "docs" / "fields.md"


def run_cli(*args):
    return subprocess.run([sys.executable, "-c", "from extractor.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def validator():
    proc = run_cli("schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def problems(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("golden", sorted((FIXTURES / "golden").glob("*.json")), ids=lambda p: p.name)
def test_every_golden_output_is_valid(validator, golden):
    doc = json.loads(golden.read_text())
    doc["source"] = {"url": None, "path": str(golden), "fetched_at": None, "final_url": None}  # (not kept)
    assert not problems(validator, doc)


def test_a_fresh_extract_of_every_fixture_is_valid(validator):
    paths = sorted(str(p) for p in FIXTURES.rglob("*") if p.suffix in (".html", ".txt") and p.is_file())
    proc = run_cli("file", *paths)
    docs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(docs) == len(paths) > 20
    bad = {d["source"]["path"]: p for d in docs if (p := problems(validator, d))}
    assert not bad
    # --explain, and the line of a failed input, are documents too
    explained = json.loads(run_cli("file", "--explain", paths[0]).stdout)
    assert "explain" in explained and not problems(validator, explained)
    failed = json.loads(run_cli("file", str(FIXTURES / "no-such-file.txt")).stdout)
    assert "error" in failed and not problems(validator, failed)


def test_the_schema_rejects_what_it_does_not_describe(validator):
    doc = json.loads((FIXTURES / "golden" / "balipost-bpu-claims-2024.txt.json").read_text())
    doc["source"] = {"url": None, "path": None, "fetched_at": None, "final_url": None}
    doc["claims"][0]["surprise"] = 1
    assert problems(validator, doc)
    doc["claims"][0].pop("surprise")
    doc["claims"][0]["program"] = "NOPE"
    assert problems(validator, doc)
    doc["claims"][0]["program"] = "TOTAL"
    doc.pop("title")  # a document that did not fail has every field
    assert problems(validator, doc)


def test_every_field_role_unit_class_and_code_has_a_description():
    from extractor.extract.lexicon import lexicon

    schema = document_schema()

    def walk(node, where):
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                assert prop.get("description"), f"{where}.{key} has no description"
            for key in ("oneOf", "anyOf"):
                for option in node.get(key, []):
                    assert option.get("description"), f"{where}: {option} has no description"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(schema, "document")
    claim = schema["properties"]["claims"]["items"]["properties"]
    figure = schema["properties"]["figures"]["items"]["properties"]
    roles = {o.get("const") for o in figure["role"]["anyOf"]}
    assert set(lexicon().section("figure_roles")) <= roles
    assert {o.get("const") for o in claim["unit_class"]["oneOf"]} == {"cases", "claims", "people", "heirs", "other", None}
    assert set(lexicon().section("program_codes")["all"]) == set(PROGRAMS)


def test_docs_fields_md_is_the_rendered_schema():
    assert DOCS.exists(), f"docs/fields.md is missing: run `{REGENERATE}`"
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), \
        f"docs/fields.md is stale (the schema in extractor/schema.py changed): run `{REGENERATE}` and commit it"


def test_markdown_names_every_field_and_code():
    text = render_markdown()
    for field in ("amount_low", "amount_high", "cases_low", "cases_high", "unit_class", "author", "canonical_url"):
        assert f"`{field}`" in text
    for code in ("`JKM`", "`heirs`", "`participants`", "`more_than`"):
        assert code in text
    assert run_cli("schema", "--markdown").stdout == text
