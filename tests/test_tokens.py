"""The plain-Python tokenizer and matchers give exactly what spaCy gives with the same rules.

spaCy is the reference: the same affix rules and special cases in spaCy's Tokenizer, the same token patterns
in spaCy's Matcher (greedy="LONGEST"), the same phrases in spaCy's PhraseMatcher(attr="LOWER").
"""
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.errors import PatternError
from extractor.extract.matcher import PatternSyntaxError, TokenMatcher
from extractor.extract.indonesian import spacy_pipeline, tokenizer
from extractor.parse import parse_html
from extractor.extract.mentions import rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def reference():
    """spaCy's tokenizer, Matcher and PhraseMatcher, loaded with exactly what our rules hold."""
    from spacy.matcher import Matcher, PhraseMatcher

    nlp = spacy_pipeline()
    r = rules()
    matcher = Matcher(nlp.vocab, validate=True)
    for key, pattern in r.matcher.added:
        matcher.add(key, [pattern], greedy="LONGEST")
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, phrase in r.phrases.added:
        doc = nlp.make_doc(phrase)
        if len(doc):
            phrases.add(label, [doc])

    def run(text):
        doc = nlp(text)
        tokens = [(t.text, t.idx, bool(t.whitespace_)) for t in doc]
        found = {(nlp.vocab.strings[k], a, b) for k, a, b in matcher(doc)}
        phrased = {(nlp.vocab.strings[k], a, b) for k, a, b in phrases(doc)}
        return tokens, found, phrased

    return run


def ours(text):
    r = rules()
    doc = r.tokenize(text)
    tokens = list(zip(doc.words, doc.starts, doc.spaces))
    return tokens, set(r.matcher(doc)), set(r.phrases(doc))


def article_texts():
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.txt"))]
    texts += [parse_html(p.read_text(encoding="utf-8")).text for p in sorted(FIXTURES.rglob("*.html"))]
    return texts


def test_same_tokens_and_matches_as_spacy_on_every_fixture(reference):
    texts = article_texts()
    assert len(texts) > 20
    for text in texts:
        expected_tokens, expected_figures, expected_phrases = reference(text)
        tokens, figures, phrases = ours(text)
        assert tokens == expected_tokens
        assert figures == expected_figures
        assert phrases == expected_phrases


# text made of what trips tokenizers: numerals with dots and commas, currency, brackets, quotes, dashes,
# abbreviations, URLs, line breaks and runs of spaces
PIECES = ["Rp", "Rp.", "rp", "Rp.2.500.000", "41,07", "1.501", "miliar", "juta", "Rp41,07", "(JHT)", "BPJS",
          "klaim", "kasus", "lebih", "dari", "satu", "dua", "ribu", "luka-luka", "s.d.", "No.", "2024", "3/4",
          "-5", "%", "per", "bulan", "Januari-Juni", "“", "”", '"', "'", ".", ",", ":", ";", "(", ")", "-", "—",
          "www.bpjsketenagakerjaan.go.id", "https://a.id/x?y=1", "Rp 488, 6 Miliar", "Kab.", "santunan", "rupiah"]
SPACES = [" ", " ", " ", "", "\n", "\n\n", "  ", "\t", " \n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SPACES)), max_size=25))
def test_same_as_spacy_on_generated_text(reference, parts):
    text = "".join(piece + space for piece, space in parts)
    assert ours(text) == reference(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("aZ9.,-/()%\"'“”Rp \n\t:;!?")), max_size=40))
def test_same_as_spacy_on_punctuation_soup(reference, text):
    assert ours(text) == reference(text)


def test_tokens_know_where_they_are():
    doc = tokenizer()("Klaim Rp41,07 miliar  untuk\n1.501 kasus.")
    assert doc.words == ["Klaim", "Rp", "41,07", "miliar", " ", "untuk", "\n", "1.501", "kasus", "."]
    assert [doc.text[s:doc.end_char(i)] for i, s in enumerate(doc.starts)] == doc.words
    assert doc[1:4].text == "Rp41,07 miliar"
    assert doc.char_span(9, 11).text == "41,07"  # expands to whole tokens
    assert doc.char_span(7, 9).text == "Rp41,07"
    assert doc.char_span(200, 300) is None


def test_unsupported_pattern_is_refused_with_its_line(monkeypatch):
    with pytest.raises(PatternSyntaxError, match="unsupported token attribute POS"):
        TokenMatcher().add("X|y", [{"POS": "NOUN"}])
    with pytest.raises(PatternSyntaxError, match="operator"):
        TokenMatcher().add("X|y", [{"LOWER": "rp", "OP": "!"}])

    from extractor.extract import lexicon as lexmod
    from extractor.extract import mentions as rules_module

    real = lexmod._read
    monkeypatch.setattr(lexmod, "_read", lambda name: '{"label": "MONEY", "id": "a", "pattern": [{"TAG": "X"}]}\n'
                        if name == "figures.jsonl" else real(name))
    lexmod.token_patterns.cache_clear()
    try:
        with pytest.raises(PatternError, match=r"figures.jsonl:1: unsupported token attribute TAG"):
            rules_module.Rules()
    finally:
        lexmod.token_patterns.cache_clear()
