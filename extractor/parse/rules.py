"""The parse stage's rule data (patterns/parse/boilerplate.yaml), checked and compiled once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..errors import PatternError

RULES_FILE = "boilerplate.yaml"


@dataclass(frozen=True)
class BoilerplateRules:
    drop_tags: tuple[str, ...]
    structural_tags: frozenset[str]
    negative: re.Pattern
    positive: re.Pattern
    prefix: re.Pattern
    line: re.Pattern
    teaser: re.Pattern
    page_params: frozenset[str]
    page_path: re.Pattern
    hidden_classes: frozenset[str]  # whole class names that hide an element
    shown_by: re.Pattern  # a class that shows it again at some screen width
    hidden_attributes: tuple[tuple[str, str], ...]  # (attribute, value) pairs that hide an element


def _fragments_regex(fragments: Iterable[str]) -> re.Pattern:
    """Whole-token matcher for class/id fragments: tokens are split at spaces, "-" and "_".

    A fragment of six letters or more also matches as the start of a token ("relatedposts",
    "commentlist", "contentx"); shorter ones would catch too much ("ad" in "address", "tag" in "tagdiv").
    """
    alts = []
    for f in sorted(fragments, key=len, reverse=True):
        alt = re.escape(f.lower()).replace(r"\-", "[-_]+")
        alts.append(alt + ("[a-z0-9]*" if len(f) >= 6 else "s?"))
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(alts) + r")(?=$|[\s_-])")


def _phrases_regex(phrases: Iterable[str]) -> re.Pattern:
    alts = sorted((r"\s+".join(map(re.escape, p.split())) for p in phrases), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(alts) + r")(?![^\W\d_])", re.I)


@lru_cache(maxsize=1)
def boilerplate_rules() -> BoilerplateRules:
    """Load patterns/parse/boilerplate.yaml once, check its shape, and compile it."""
    from importlib import resources

    where = f"patterns/parse/{RULES_FILE}"
    try:
        raw = resources.files("extractor.patterns").joinpath("parse", RULES_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise PatternError(f"rule file {where} is missing", hint="reinstall the package") from exc
    return _compile_rules(raw, where)


def _compile_rules(raw: str, where: str) -> BoilerplateRules:
    import yaml

    try:
        root = yaml.compose(raw, Loader=yaml.SafeLoader)
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}:" if mark else ""
        raise PatternError(f"{where}:{line} not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise PatternError(f"{where}: expected a mapping at the top level")

    def strings(key: str, node: dict = data, path: str = "") -> list[str]:
        value = node.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise PatternError(f"{where}: '{path}{key}' must be a non-empty list of strings")
        return value

    lists = {key: strings(key) for key in ("drop_tags", "structural_tags", "negative_classes",
                                            "positive_classes", "line_prefixes", "line_patterns",
                                            "teaser_labels")}
    pager = data.get("pager")
    if not isinstance(pager, dict):
        raise PatternError(f"{where}: 'pager' must be a mapping with 'params' and 'path_words'")
    line_nodes = next((v for k, v in root.value if k.value == "line_patterns"), None)
    compiled = []
    for i, pattern in enumerate(lists["line_patterns"]):
        try:
            compiled.append(re.compile(pattern, re.I))
        except re.error as exc:
            line = line_nodes.value[i].start_mark.line + 1 if line_nodes is not None else "?"
            raise PatternError(f"{where}: line {line}: bad regex {pattern!r}: {exc}") from exc
    path_words = "|".join(map(re.escape, strings("path_words", pager, "pager.")))
    hidden = data.get("hidden")
    attributes = hidden.get("attributes") if isinstance(hidden, dict) else None
    if not isinstance(attributes, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                   for k, v in attributes.items()):
        raise PatternError(f"{where}: 'hidden' must be a mapping with 'classes', 'shown_by' and "
                           "'attributes' (attribute: value)")
    classes, shown_by = strings("classes", hidden, "hidden."), strings("shown_by", hidden, "hidden.")
    try:
        shown = re.compile("|".join(f"(?:{p})" for p in shown_by), re.I)
    except re.error as exc:
        raise PatternError(f"{where}: 'hidden.shown_by': bad regex: {exc}") from exc
    return BoilerplateRules(
        drop_tags=tuple(lists["drop_tags"]),
        structural_tags=frozenset(lists["structural_tags"]),
        negative=_fragments_regex(lists["negative_classes"]),
        positive=_fragments_regex(lists["positive_classes"]),
        prefix=_phrases_regex(lists["line_prefixes"]),
        line=re.compile("|".join(f"(?:{p.pattern})" for p in compiled), re.I),
        teaser=_phrases_regex(lists["teaser_labels"]),
        page_params=frozenset(p.lower() for p in strings("params", pager, "pager.")),
        page_path=re.compile(r"/(?:(?:" + path_words + r")/)?(\d{1,2})$", re.I),
        hidden_classes=frozenset(c.lower() for c in classes),
        shown_by=shown,
        hidden_attributes=tuple((k.lower(), v.lower()) for k, v in attributes.items()),
    )
