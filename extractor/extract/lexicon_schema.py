"""The lexicon's schema: every section the extract stage reads, its type, and the closed lists values come from.

Checked once when the YAML is parsed (the validated result is cached), so a renamed section, a misspelt label,
role, qualifier, segment or program code is a one-line error naming it, not a crash or a silent miss.
"""

from __future__ import annotations

from typing import Any

from ..errors import PatternError
from .labels import ALL_LABELS

WHERE = "patterns/extract/lexicon.yaml"
QUALIFIERS = {"exact", "more_than", "at_least", "about", "almost", "less_than", "at_most"}  # the output contract's
SEGMENTS = {"BPU", "PU", "PMI", "JAKON"}  # the output contract's

SCHEMA: list[tuple[str, type]] = [
    ("numbers.scale", dict), ("numbers.money_only_scale", list), ("numbers.currency", list),
    ("numbers.restatement", list), ("numbers.words", dict), ("numbers.word_multipliers", dict),
    ("numbers.percent", list), ("qualifiers.before", dict), ("qualifiers.after", dict),
    ("qualifiers.money_only", list), ("units.claim", list), ("units.person", list), ("units.other", list),
    ("institutions", dict), ("lines_of_business", dict), ("programs", dict), ("santunan", dict),
    ("program_codes", dict), ("institution_coding", dict), ("benefit_words", dict), ("splits", dict), ("segments", dict),
    ("cues.claim_strong", list), ("cues.claim", list), ("cues.not_claim", dict), ("cues.roles_a_payment_overrides", list), ("cues.rate_after", list),
    ("cues.comparison", list), ("cues.change_from", list), ("cues.step_from_before", list), ("cues.nil", list), ("periods.months", dict),
    ("periods.range_joiners", list), ("periods.year_parts", dict), ("periods.roman", dict),
    ("periods.this_year", list), ("periods.year_openers", list), ("periods.last_year", list), ("branch.heads", list),
    ("branch.abbreviations", list), ("branch.stop", list), ("branch.wilayah_heads", list),
    ("branch.area_heads", list), ("branch.place_openers", list), ("regions", dict), ("region_cities", list),
    ("clauses.separators", list), ("clauses.count_program_blockers", list), ("money_cues", list),
    ("count_cues", list), ("count_heads", list), ("comparatives", list), ("anaphora", list), ("aside", list),
    ("total_cues", list), ("aggregate", list), ("boilerplate_lines", list), ("distributive", list),
    ("copulas", list), ("abbreviations", list), ("partial", list), ("complete", list), ("levels", list), ("outcomes", dict),
    ("labels", dict), ("figure_roles", dict),
]


def _require(data: dict, path: str, kind: type) -> Any:
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise PatternError(f"{WHERE}: missing section '{path}'")
        node = node[key]
    if not isinstance(node, kind):
        raise PatternError(f"{WHERE}: '{path}' must be a {kind.__name__}")
    return node


def validate(data: dict) -> None:
    """Every section the code reads, with its type, and every value that must be one of a closed list."""
    unknown = sorted(set(data) - {path.split(".")[0] for path, _ in SCHEMA})
    if unknown:
        raise PatternError(f"{WHERE}: unknown section '{unknown[0]}'", hint="a section the code does not read is a typo")
    for path, kind in SCHEMA:
        _require(data, path, kind)
    for where in ("before", "after"):
        for phrase, q in data["qualifiers"][where].items():
            if q not in QUALIFIERS:
                raise PatternError(f"{WHERE}: qualifier '{phrase}' maps to unknown '{q}'",
                                   hint=f"use one of {sorted(QUALIFIERS)}")
    _validate_codes(data)
    _validate_labels_and_roles(data)
    for code in data["segments"]:
        if code not in SEGMENTS:
            raise PatternError(f"{WHERE}: segment '{code}' is not one of {sorted(SEGMENTS)}")


def _validate_codes(data: dict) -> None:
    """Program codes and institution coding: every code used is one of program_codes.all."""
    where = WHERE
    _require(data, "program_codes", dict)
    known = set(_require(data, "program_codes.all", list))
    used = [("program_codes.totals", c) for c in _require(data, "program_codes.totals", list)]
    used += [("program_codes.never_parts", c) for c in _require(data, "program_codes.never_parts", list)]
    used += [("program_codes.core", c) for c in _require(data, "program_codes.core", list)]
    used += [("splits", code) for code in _require(data, "splits", dict)]
    used += [(section, c) for section in ("programs", "santunan") for c in data[section]]
    table = _require(data, "institution_coding", dict)
    if "default" not in table:
        raise PatternError(f"{where}: institution_coding needs a 'default' entry")
    for name, entry in table.items():
        if name != "default" and name not in data["institutions"]:
            raise PatternError(f"{where}: institution_coding names '{name}', which is not in institutions")
        if not isinstance(entry, dict) or not {"own_codes", "total", "victim_types"} <= set(entry) \
                or not set(entry) <= {"own_codes", "total", "victim_types", "provincial_branches"} \
                or not all(isinstance(v, bool) for k, v in entry.items() if k != "total"):
            raise PatternError(f"{where}: institution_coding.{name} needs own_codes and victim_types "
                               "(true/false) and total (a code); provincial_branches (true/false) may follow")
        used.append((f"institution_coding.{name}.total", entry["total"]))
    for path, code in used:
        if code not in known:
            raise PatternError(f"{where}: {path}: '{code}' is not a program code",
                               hint="program_codes.all lists the codes of the output contract")




def _validate_labels_and_roles(data: dict) -> None:
    for path, label in data["labels"].items():
        if label not in ALL_LABELS:
            raise PatternError(f"{WHERE}: labels.{path}: unknown label '{label}'",
                               hint="extractor/extract/labels.py lists the labels")
        _require(data, path, list)
    roles = data["figure_roles"]
    for phrase, role in data["cues"]["not_claim"].items():
        if role not in roles:
            raise PatternError(f"{WHERE}: cues.not_claim: '{phrase}' has unknown role '{role}'",
                               hint="declare it in figure_roles")
