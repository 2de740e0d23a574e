"""Load the rule data in patterns/ once, validate it, and hand it out as plain Python lookups.

patterns/extract/lexicon.yaml holds the Indonesian words (scale words, qualifiers, units, programs, months ...);
patterns/extract/figures.jsonl holds spaCy token patterns whose "@name" values are filled from the lexicon.

Parsing the YAML costs about 0.1 s of every start-up, so the validated lexicon is kept in a user cache
directory (see cache_dir) keyed by the file's content and the code that reads it: a changed rule file is
read and validated again, an unchanged one is loaded from the cache in about a millisecond.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..cache import cache_key, cache_load, cache_store, module_stamp, source_of
from ..errors import PatternError
from .lexicon_schema import validate



@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]
    scale: dict[str, int]
    money_only_scale: frozenset[str]
    currency: frozenset[str]
    number_words: dict[str, int]
    word_multipliers: dict[str, int]
    percent: frozenset[str]
    months: dict[str, int]
    restatement: frozenset[str]

    def section(self, *keys: str) -> Any:
        node: Any = self.raw
        for k in keys:
            node = node[k]
        return node


def _read(name: str) -> str:
    try:
        return resources.files("extractor.patterns").joinpath("extract", name).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise PatternError(f"rule file patterns/extract/{name} is missing", hint="reinstall the package") from exc


@dataclass(frozen=True)
class Coding:
    """How one institution's figures are coded (lexicon: institution_coding)."""

    own_codes: bool  # the contract gives it program codes; else TOTAL with the line of business in detail
    total: str  # its "all programs together" code
    victim_types: bool  # its victim words name programs (santunan types)
    provincial_branches: bool = False  # its branches are named by provinces ("Jasa Raharja Jabar")


@dataclass(frozen=True)
class ProgramCodes:
    """The contract's program codes and what kind each is (lexicon: program_codes)."""

    all: frozenset[str]
    totals: frozenset[str]  # "all programs together": a total, never a part
    never_parts: frozenset[str]  # never a part of the total beside them
    core: frozenset[str]  # named by every whole breakdown by program


@lru_cache(maxsize=1)
def program_codes() -> ProgramCodes:
    codes = lexicon().raw["program_codes"]
    return ProgramCodes(all=frozenset(codes["all"]), totals=frozenset(codes["totals"]),
                        never_parts=frozenset(codes["never_parts"]), core=frozenset(codes["core"]))


def totals() -> frozenset[str]:
    """The codes of totals ("all programs together"), which are never a part."""
    return program_codes().totals


@lru_cache(maxsize=16)
def coding(institution: str | None) -> Coding:
    table = lexicon().raw["institution_coding"]
    entry = table.get(institution or "", table["default"])
    return Coding(own_codes=entry["own_codes"], total=entry["total"], victim_types=entry["victim_types"],
                  provincial_branches=entry.get("provincial_branches", False))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    text = _read("lexicon.yaml")
    key = cache_key(text, source_of(__file__), module_stamp("yaml"))
    data = cache_load("lexicon", key)
    if not isinstance(data, dict):
        data = _parse_lexicon(text)
        cache_store("lexicon", key, data)
    nums = data["numbers"]
    return Lexicon(
        raw=data,
        scale={str(k).lower(): int(v) for k, v in nums["scale"].items()},
        money_only_scale=frozenset(str(x).lower() for x in nums.get("money_only_scale", [])),
        currency=frozenset(str(x).lower() for x in nums["currency"]),
        number_words={str(k).lower(): int(v) for k, v in nums["words"].items()},
        word_multipliers={str(k).lower(): int(v) for k, v in nums.get("word_multipliers", {}).items()},
        percent=frozenset(str(x).lower() for x in nums.get("percent", [])),
        months={str(k).lower(): int(v) for k, v in data["periods"]["months"].items()},
        restatement=frozenset(str(x).lower() for x in nums.get("restatement", [])),
    )


def _parse_lexicon(text: str) -> dict:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PatternError(f"patterns/extract/lexicon.yaml is not valid YAML: {exc}".replace("\n", " ")) from exc
    if not isinstance(data, dict):
        raise PatternError("patterns/extract/lexicon.yaml must be a mapping")
    validate(data)
    return data


def _fill(value: Any, lex: Lexicon, where: str) -> Any:
    """Replace "@name" placeholders in a token pattern by the lexicon list they name."""
    if isinstance(value, str) and value.startswith("@"):
        lists = {"@currency": sorted(lex.currency), "@scale": sorted(lex.scale),
                 "@number_words": sorted(set(lex.number_words) | set(lex.word_multipliers)),
                 "@percent": sorted(lex.percent)}
        if value not in lists:
            raise PatternError(f"{where}: unknown placeholder {value}", hint=f"use one of {sorted(lists)}")
        return lists[value]
    if isinstance(value, dict):
        return {k: _fill(v, lex, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, lex, where) for v in value]
    return value


@lru_cache(maxsize=None)
def token_patterns(name: str = "figures.jsonl") -> tuple[dict, ...]:
    """Token patterns from a JSONL file: one {"label", "id", "pattern"} per line."""
    lex = lexicon()
    out = []
    for lineno, line in enumerate(_read(name).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"patterns/{name}:{lineno}"
        try:
            entry = json.loads(line)
        except ValueError as exc:
            raise PatternError(f"{where}: not valid JSON ({exc})") from exc
        if not isinstance(entry, dict) or not {"label", "id", "pattern"} <= set(entry):
            raise PatternError(f"{where}: each line needs label, id and pattern")
        if not isinstance(entry["pattern"], list) or not entry["pattern"]:
            raise PatternError(f"{where}: pattern must be a non-empty list of token specs")
        entry["pattern"] = _fill(entry["pattern"], lex, where)
        entry["where"] = where
        out.append(entry)
    return tuple(out)
