"""The field reference: the JSON Schema (draft 2020-12) of the document `extract file/url` prints for an
article, and the same schema rendered as Markdown (docs/fields.md).

One source for both, so the documentation cannot drift from the code: tests validate every golden output
against the schema (a field the schema does not describe fails them), and fail when docs/fields.md is not
what `render_markdown()` gives. Code lists (programs, figure roles, units, institutions, segments) are read
from patterns/extract/lexicon.yaml, so a code added there shows up here; a program code without a meaning
below fails tests/test_schema.py.
"""

from __future__ import annotations

from typing import Any

from .bounds import UNIT_CLASSES

SCHEMA_ID = "urn:extractor:schema:document"  # a name, not an address: nothing is published anywhere
REGENERATE = "extract schema --markdown > docs/fields.md"  # (or python -m extractor.schema)

PROGRAMS = {  # the output contract's program codes (lexicon program_codes.all)
    "TOTAL": "all programs together (the institution's total), or a figure no program is named for",
    "JHT": "Jaminan Hari Tua: old-age savings paid out",
    "JKM": "Jaminan Kematian: death benefit",
    "JKK": "Jaminan Kecelakaan Kerja: work-accident benefit",
    "JP": "Jaminan Pensiun: pension",
    "JKP": "Jaminan Kehilangan Pekerjaan: job-loss benefit",
    "BEASISWA": "scholarships for the children of JKK/JKM cases (paid out of those benefits, never a part of a total)",
    "SANTUNAN": "Jasa Raharja's compensation, all kinds together",
    "SANTUNAN_MD": "compensation for victims who died (meninggal dunia)",
    "SANTUNAN_LL": "compensation for injured victims: medical care (luka-luka)",
    "SANTUNAN_CT": "compensation for permanent disability (cacat tetap)",
    "SANTUNAN_PK": "burial costs (biaya penguburan)",
}

QUALIFIERS = {  # the qualifier words of lexicon section qualifiers, by meaning; the interval each implies
    "exact": "as written; a rounded figure (\"Rp10,9 miliar\") is within half a unit of its last digit",
    "more_than": "\"lebih (dari)\", \"di atas\": at least the figure, below it plus one unit of its last digit",
    "almost": "\"hampir\", \"nyaris\", \"mendekati\": below the figure, by less than one unit of its last digit",
    "about": "\"sekitar\", \"kurang lebih\", \"kisaran\": within 5% of the figure",
    "at_least": "\"sedikitnya\", \"minimal\", \"tidak kurang dari\": the figure or more, no upper bound",
    "less_than": "\"kurang dari\", \"di bawah\": below the figure",
    "at_most": "\"hingga\", \"maksimal\", \"paling banyak\": the figure or less",
}

NULL_STR = {"type": ["string", "null"]}
SPAN = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2,
        "description": "[start, end) character offsets into the article text (`extract text` prints that text)"}
BOUND = {"type": ["number", "null"]}
INTERVAL = {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 2, "maxItems": 2}


def _codes(values: dict[str, str], what: str) -> dict[str, Any]:
    """An enumeration whose every value has its meaning (JSON Schema: oneOf of const + description)."""
    return {"description": what, "oneOf": [{"const": k, "description": v} for k, v in values.items()]}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "oneOf": [*schema["oneOf"], {"type": "null", "description": "not stated / not known"}]}


def _obj(properties: dict[str, dict], description: str, required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties,
            "required": list(properties) if required is None else required, "additionalProperties": False}


def _lexicon() -> dict[str, Any]:
    from .extract.lexicon import lexicon

    lex = lexicon()
    return {key: lex.section(key) for key in ("program_codes", "figure_roles", "units", "institutions", "segments")}


def document_schema() -> dict[str, Any]:
    """The JSON Schema of one article's output document (Document.as_dict)."""
    lex = _lexicon()
    missing = [c for c in lex["program_codes"]["all"] if c not in PROGRAMS]
    if missing:
        raise ValueError(f"program codes without a meaning in extractor/schema.py PROGRAMS: {missing}")
    programs = _codes({c: PROGRAMS[c] for c in lex["program_codes"]["all"]}, "the benefit program paid out")
    qualifier = _codes(QUALIFIERS, "how the figure is qualified in the text")
    units = lex["units"]
    claim = _obj({
        "program": programs,
        "detail": {**NULL_STR, "description": "a split of the program (JHT: the reason for claiming, BEASISWA: the "
                   "school level) or, for institutions without program codes, the line of business (asuransi jiwa)"},
        "amount": {"type": ["integer", "null"], "description": "the amount paid, in rupiah, as stated (scale words "
                   "applied: \"Rp41,07 miliar\" is 41070000000); null when only a count is stated"},
        "amount_qualifier": _nullable(qualifier),
        "amount_text": {**NULL_STR, "description": "the amount as written, with its qualifier"},
        "amount_low": {**BOUND, "description": "the lowest amount the text allows, from the rounding and the "
                       "qualifier (\"Rp10,9 miliar\": 10850000000, \"lebih dari Rp41 miliar\": 41000000000, "
                       "\"sekitar\": 5% below); equal to amount_high when every digit is written out"},
        "amount_high": {**BOUND, "description": "the upper end of that interval (\"Rp10,9 miliar\": 10950000000, "
                        "\"lebih dari Rp41 miliar\": 42000000000); null when there is none (\"sedikitnya\"). The "
                        "true amount is at or above amount_low and below amount_high (at most it, for an exact or "
                        "\"sekitar\" figure): the interval the sum checks use"},
        "cases": {"type": ["integer", "null"], "description": "the number counted (cases, claims, people: see "
                  "unit and unit_class); null when only an amount is stated"},
        "cases_qualifier": _nullable(qualifier),
        "cases_low": {**BOUND, "description": "the lowest count the text allows, as amount_low"},
        "cases_high": {**BOUND, "description": "the upper end of the count's interval, as amount_high"},
        "unit": {**NULL_STR, "description": "the noun counted after the number, lower case but for abbreviations like ASN (kasus, klaim, peserta, "
                 "ahli waris ...; lexicon units: claim " + ", ".join(units["claim"]) + "; person "
                 + ", ".join(units["person"]) + "); \"kasus\" when none is written"},
        "unit_class": _nullable(_codes(UNIT_CLASSES, "what kind of thing cases counts, so counts of different "
                                       "things are never added up: compare or sum cases only within one class")),
        "segment": _nullable(_codes({k: ", ".join(v) for k, v in lex["segments"].items()},
                                    "the group of workers the claim is about, with the phrases that name it")),
        "period_start": {**NULL_STR, "format": "date", "description": "first day of the period paid in, YYYY-MM-DD"},
        "period_end": {**NULL_STR, "format": "date", "description": "last day of the period paid in, YYYY-MM-DD"},
        "period_text": {**NULL_STR, "description": "the period as written (\"Januari sampai Juni 2024\")"},
        "branch": {**NULL_STR, "description": "the office the figure is for (\"Bali Denpasar\"), null for the "
                   "institution as a whole"},
        "region": {**NULL_STR, "description": "the province or region of the branch or the article"},
        "evidence": {"type": "string", "description": "the text the claim was read from (a quote of the article)"},
        "span": {**SPAN, "description": "where evidence is: " + SPAN["description"]},
    }, "one published claim figure: an amount paid and/or a count, for one program, period and office")
    roles = lex["figure_roles"]
    figure = _obj({
        "text": {"type": "string", "description": "the figure as written"},
        "value": {"type": "number", "description": "its value, scale applied (rupiah for money)"},
        "role": {"description": "why it is not a claim (lexicon figure_roles); a count of something other than "
                 "claims or people has the noun counted as its role (\"5 program\": program, \"3 tahun\": tahun)",
                 "anyOf": [{"const": k, "description": v} for k, v in roles.items()]
                 + [{"type": "string", "description": "the noun counted (lexicon units: other "
                     + ", ".join(units["other"]) + ")"}]},
        "span": SPAN,
    }, "a number in the article that is not a claim figure, with the reason")
    check = _obj({
        "kind": {"description": "what is checked", "oneOf": [
            {"const": "sum", "description": "do the parts (programs) add up to the total stated for the same period?"},
            {"const": "repeat", "description": "is a figure stated twice (headline and body ...) the same?"}]},
        "what": {"enum": ["amount", "cases"], "description": "which figures: amounts or counts"},
        "program": {"type": "string", "description": "the total's program (sum) or the figure's (repeat)"},
        "parts": {"type": ["array", "null"], "items": {"type": "string"}, "description": "sum: the parts' programs"},
        "total": {**INTERVAL, "description": "sum: the total's interval [low, high)"},
        "parts_sum": {**INTERVAL, "description": "sum: the interval of the parts added up; null when unverifiable"},
        "values": {"type": ["array", "null"], "items": {"type": "number"},
                   "description": "repeat: the values stated (headline first)"},
        "verdict": {"description": "the outcome", "oneOf": [
            {"const": "consistent", "description": "the intervals meet: the figures can all be true"},
            {"const": "inconsistent", "description": "they cannot all be true: a typo, or figures of different things"},
            {"const": "unverifiable", "description": "not enough is stated to tell"}]},
        "why": {"type": "string", "description": "the arithmetic, in words"},
        "period": {**NULL_STR, "description": "START..END of the figures' period, null when none is stated"},
        "gap": {"type": ["object", "null"], "additionalProperties": False, "description":
                "sum: the parts' sum minus the total as written, and the interval rounding allows for it "
                "(rupiah or cases; a null bound: none)",
                "properties": {"value": {"type": "number", "description": "the sum minus the total, as written"},
                               "low": {**BOUND, "description": "the smallest gap rounding allows"},
                               "high": {**BOUND, "description": "the largest gap rounding allows"}}},
        "likely": {"description": "sum: who is likely at fault when the figures do not add up", "oneOf": [
            {"const": "article", "description": "the published figures cannot add up"},
            {"const": "extraction", "description": "a part was linked across sentences, sits on a comparison's "
             "side or near a figure set aside: the reader should look"},
            {"type": "null", "description": "consistent: nobody"}]},
        "likely_why": {**NULL_STR, "description": "why `likely` says so"},
        "evidence": {"type": ["array", "null"], "description": "the figures compared, where they are in the text",
                     "items": {"type": "object", "additionalProperties": False, "properties": {
                         "role": {"enum": ["total", "part", "statement"], "description": "what the figure is here"},
                         "name": {"type": "string", "description": "the part's or statement's name"},
                         "start": {"type": "integer", "minimum": 0, "description": "character offset of its start"},
                         "end": {"type": "integer", "minimum": 0, "description": "character offset of its end"},
                         "text": {"type": "string", "description": "the figure as written"},
                         "sentence": {"type": ["integer", "null"],
                                      "description": "its sentence, counted from 1 (the headline first)"}}}},
    }, "a consistency check of the article's own figures", required=["kind", "what", "program", "verdict", "why"])
    source = _obj({
        "url": {**NULL_STR, "description": "the address asked for (credentials removed), or --url / the sidecar's url"},
        "path": {**NULL_STR, "description": "the local file read; null for a URL or stdin"},
        "fetched_at": {**NULL_STR, "description": "when the page was fetched, ISO 8601 UTC; null for a local file"},
        "final_url": {**NULL_STR, "description": "the address after redirects"},
    }, "where the article came from")
    fields = {
        "source": source,
        "title": {**NULL_STR, "description": "the headline: the sidecar's title, the page's metadata, or "
                  "(plain text) the first line that reads as one"},
        "published": {**NULL_STR, "format": "date", "description": "publication date, YYYY-MM-DD: --published, "
                      "the sidecar, or the page's metadata; dates periods stated without a year"},
        "site": {**NULL_STR, "description": "the site or publication: --site, the sidecar, the page's metadata, "
                 "or the host name"},
        "author": {**NULL_STR, "description": "the byline from the page's metadata"},
        "canonical_url": {**NULL_STR, "description": "the page's own canonical address (link rel=canonical, "
                          "og:url), http(s) only; used to find the same article twice in a dataset"},
        "institution": _nullable(_codes({k: "; ".join(v) for k, v in lex["institutions"].items()},
                                        "the paying institution the article is about, with the names it goes by")),
        "claims": {"type": "array", "items": claim, "description": "the claim figures, one per published figure"},
        "checks": {"type": "array", "items": check, "description": "do the figures add up and agree?"},
        "figures": {"type": "array", "items": figure, "description": "every other number, with its role"},
        "warnings": {"type": "array", "items": {"type": "string"}, "description": "what went wrong but did not "
                     "stop the article (a continuation page skipped ...)"},
        "explain": {"type": "array", "items": {"type": "object"}, "description": "only with --explain: per "
                    "claim, the sentence, other sentences stating it, spans, patterns and linking rules"},
        "text": {"type": "string", "description": "only with --with-text: the clean article text that every "
                 "`span` (and explain/check offset) indexes, as `extract text` prints it"},
        "error": {"type": "string", "description": "only for an input that failed (`extract file`): the message; "
                  "the document then holds source and empty lists alone"},
    }
    optional = {"explain", "error", "text"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "extractor article document",
        "description": "What `extract file` / `extract url` print for one article (one JSON Lines line each): "
                       "the claim figures it publishes, checked. Amounts are rupiah.",
        "type": "object",
        "properties": fields,
        "required": ["source", "claims", "checks", "figures", "warnings"],
        "additionalProperties": False,
        # a failed input has source, error and the empty lists; every other document has every field
        "if": {"required": ["error"]},
        "else": {"required": [k for k in fields if k not in optional]},
    }


def render_markdown(schema: dict[str, Any] | None = None) -> str:
    """The schema as a Markdown field reference (docs/fields.md)."""
    schema = schema or document_schema()
    out = ["# Output fields", "",
           f"<!-- generated from extractor/schema.py: do not edit; regenerate with `{REGENERATE}` -->", "",
           "The JSON Schema itself: `extract schema` (draft 2020-12). Every field is always present (null when "
           "not stated) unless marked optional.", ""]
    _render_object(out, "Document", schema, schema["properties"])
    return "\n".join(out).rstrip() + "\n"


def _render_object(out: list[str], name: str, schema: dict, props: dict) -> None:
    out += [f"## {name}", "", schema["description"], "", "| field | type | meaning |", "|---|---|---|"]
    nested: list[tuple[str, dict]] = []
    for key, prop in props.items():
        inner = prop["items"] if prop.get("type") == "array" and "properties" in prop.get("items", {}) else prop
        if "properties" in inner and inner is not schema:
            nested.append((f"{name}.{key}" if inner is prop else f"{name}.{key}[]", inner))
        optional = " (optional)" if key not in schema.get("required", []) and key not in _always(schema) else ""
        out.append(f"| `{key}`{optional} | {_type(prop)} | {_cell(prop.get('description', ''))} |")
    out.append("")
    for key, prop in props.items():
        codes = prop.get("oneOf") or prop.get("anyOf")
        if codes and any("const" in c for c in codes):
            out += [f"`{name}.{key}` values:", ""]
            out += [f"- `{c['const']}`: {c['description']}" if "const" in c
                    else f"- `null`: {c['description']}" if c.get("type") == "null" else f"- any other: {c['description']}"
                    for c in codes]
            out.append("")
    for sub_name, sub in nested:
        _render_object(out, sub_name, sub, sub["properties"])


def _always(schema: dict) -> list[str]:
    return schema.get("else", {}).get("required", [])


def _type(prop: dict) -> str:
    kinds = prop.get("type")
    if kinds is None:
        kinds = sorted({c.get("type", "string") if "const" not in c else "string"
                        for c in prop.get("oneOf", prop.get("anyOf", []))})
        if "enum" in prop:
            kinds = ["string"]
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if prop.get("type") == "array" or "array" in kinds and "items" in prop:
        item = prop["items"]
        inner = "object" if "properties" in item else "/".join(_listify(item.get("type", "any")))
        kinds = [f"array of {inner}" if k == "array" else k for k in kinds]
    return " or ".join(dict.fromkeys(kinds)) + (f" ({prop['format']})" if "format" in prop else "")


def _listify(kinds) -> list[str]:
    return [kinds] if isinstance(kinds, str) else list(kinds)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_markdown())
