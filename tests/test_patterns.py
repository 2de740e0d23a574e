"""The rule files in patterns/: they load, they are validated, and a broken file fails loudly with its line."""
import pytest

from extractor.extract import lexicon as lexmod
from extractor.errors import PatternError
from extractor.extract.lexicon import lexicon, program_codes, token_patterns
from extractor.extract.lexicon_schema import QUALIFIERS


@pytest.fixture
def rule_files(monkeypatch):
    """Swap in rule-file contents for one test; the caches are cleared before and after."""
    files = {}
    real = lexmod._read

    def fake_read(name):
        return files[name] if name in files else real(name)

    monkeypatch.setattr(lexmod, "_read", fake_read)
    lexmod.lexicon.cache_clear()
    lexmod.token_patterns.cache_clear()
    yield files
    lexmod.lexicon.cache_clear()
    lexmod.token_patterns.cache_clear()


def test_shipped_rules_load():
    lex = lexicon()
    assert lex.scale["miliar"] == lex.scale["milyar"] == 10**9
    assert set(lex.section("programs")) | set(lex.section("santunan")) <= program_codes().all
    assert {p["label"] for p in token_patterns()} == {"MONEY", "NUMBER"}


def test_every_qualifier_maps_to_the_contract(rule_files):
    for where in ("before", "after"):
        for phrase, q in lexicon().section("qualifiers", where).items():
            assert q in QUALIFIERS, phrase


def test_broken_yaml_names_the_file(rule_files):
    rule_files["lexicon.yaml"] = "numbers: [unclosed\n"
    with pytest.raises(PatternError, match="patterns/extract/lexicon.yaml"):
        lexicon()


def test_unknown_qualifier_is_refused(rule_files):
    import yaml

    data = yaml.safe_load(lexmod.resources.files("extractor.patterns").joinpath("extract", "lexicon.yaml").read_text())
    data["qualifiers"]["before"]["kira-kira"] = "roughly"
    rule_files["lexicon.yaml"] = yaml.safe_dump(data)
    with pytest.raises(PatternError, match="kira-kira"):
        lexicon()


def test_program_outside_the_closed_list_is_refused(rule_files):
    import yaml

    data = yaml.safe_load(lexmod.resources.files("extractor.patterns").joinpath("extract", "lexicon.yaml").read_text())
    data["programs"]["JKN"] = ["jaminan kesehatan nasional"]
    rule_files["lexicon.yaml"] = yaml.safe_dump(data)
    with pytest.raises(PatternError, match="JKN"):
        lexicon()


def test_bad_jsonl_line_names_file_and_line(rule_files):
    rule_files["figures.jsonl"] = ('// comment\n{"label": "MONEY", "id": "a", "pattern": [{"LOWER": "rp"}]}\n'
                                   '{"label": "MONEY", "id": "b", "pattern": [\n')
    with pytest.raises(PatternError, match=r"figures.jsonl:3"):
        token_patterns()


def test_unknown_placeholder_is_refused(rule_files):
    rule_files["figures.jsonl"] = '{"label": "MONEY", "id": "a", "pattern": [{"LOWER": {"IN": "@nope"}}]}\n'
    with pytest.raises(PatternError, match="@nope"):
        token_patterns()


def test_missing_keys_are_refused(rule_files):
    rule_files["figures.jsonl"] = '{"label": "MONEY", "pattern": [{"LOWER": "rp"}]}\n'
    with pytest.raises(PatternError, match="label, id and pattern"):
        token_patterns()


def test_rule_cache_follows_the_rule_files(rule_files, tmp_path, monkeypatch):
    """The validated lexicon is cached between runs, keyed by the file contents: an edit is never stale."""
    import yaml

    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path))
    assert lexicon().scale["juta"] == 10**6
    assert list(tmp_path.glob("*.marshal"))  # stored for the next run
    data = yaml.safe_load(lexmod.resources.files("extractor.patterns").joinpath("extract", "lexicon.yaml").read_text())
    data["numbers"]["scale"]["jeti"] = 10**6
    rule_files["lexicon.yaml"] = yaml.safe_dump(data)
    lexmod.lexicon.cache_clear()
    assert lexicon().scale["jeti"] == 10**6  # the edited file, not the cached copy
    for cached in tmp_path.glob("*.marshal"):
        cached.write_bytes(b"not marshal data")
    lexmod.lexicon.cache_clear()
    assert lexicon().scale["jeti"] == 10**6  # a corrupt cache is ignored


def _shipped_lexicon() -> dict:
    import yaml

    return yaml.safe_load(lexmod.resources.files("extractor.patterns").joinpath("extract", "lexicon.yaml").read_text())


def _mutated(edit):
    data = _shipped_lexicon()
    edit(data)
    import yaml

    return yaml.safe_dump(data)


@pytest.mark.parametrize("edit,message", [
    (lambda d: d.update(anaphoras=d.pop("anaphora")), "unknown section 'anaphoras'"),
    (lambda d: d.pop("count_heads"), "missing section 'count_heads'"),
    (lambda d: d["labels"].update(anaphora="POINTER"), "unknown label 'POINTER'"),
    (lambda d: d["cues"]["not_claim"].update(iuran="contributon"), "unknown role 'contributon'"),
    (lambda d: d["institution_coding"]["Jasa Raharja"].update(total="SANTUNAN_ALL"), "'SANTUNAN_ALL' is not a program code"),
    (lambda d: d["institution_coding"].update(Askrindo=d["institution_coding"]["default"]), "'Askrindo', which is not in institutions"),
], ids=["renamed-section", "missing-section", "unknown-label", "misspelt-role", "unknown-total-code", "unknown-institution"])
def test_a_broken_lexicon_names_what_is_wrong(rule_files, edit, message):
    rule_files["lexicon.yaml"] = _mutated(edit)
    with pytest.raises(PatternError, match=message):
        lexicon()


def test_an_institution_is_added_in_the_rule_data_alone(rule_files):
    """A new insurer with program codes of its own and a total code: lexicon entries, no Python."""
    def add(d):
        d["institutions"]["Askrindo"] = ["askrindo"]
        d["institution_coding"]["Askrindo"] = {"own_codes": True, "total": "TOTAL", "victim_types": False}
        d["programs"]["JKM"].append("klaim kematian askrindo")
    rule_files["lexicon.yaml"] = _mutated(add)
    from extractor.extract import lexicon as lx
    from extractor.extract import mentions

    lx.coding.cache_clear(), lx.program_codes.cache_clear(), mentions.rules.cache_clear()
    try:
        from extractor.pipeline import extract_text

        doc = extract_text("Askrindo membayar klaim kematian askrindo Rp2 miliar untuk 40 kasus.")
        assert doc.institution == "Askrindo"
        assert [(c.program, c.amount, c.cases) for c in doc.claims] == [("JKM", 2_000_000_000, 40)]
    finally:
        lx.coding.cache_clear(), lx.program_codes.cache_clear(), mentions.rules.cache_clear()
