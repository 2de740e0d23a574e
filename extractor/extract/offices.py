"""Offices and regions: the branch an article is about ("Cabang Bali Denpasar"), the office named in a clause,
and the province a branch lies in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .labels import Label
from .lexicon import lexicon
from .mentions import Mention, Rules
from .tokenizer import Doc


def _name_after(r: Rules, doc: Doc, i: int, inst_spans: list[tuple[int, int]]) -> tuple[str, ...]:
    """The capitalised words naming an office, after "Cabang" or the institution's name."""
    words: list[str] = []
    texts, lowers = doc.words, doc.lowers
    while i < len(texts) and len(words) < 3:
        text, lower = texts[i], lowers[i]
        if text.isspace():
            i += 1
            continue
        if not words:
            span = next((sp for sp in inst_spans if sp[0] == i), None)
            if span:  # "Kantor Cabang BPJS Ketenagakerjaan Kudus": skip the institution's name
                i = span[1]
                continue
            if text == ")" or lower in ("kota", "kabupaten", "kab", "pt", "persero", "(", "bpjs"):
                i += 1
                continue
        if not text[:1].isupper() or lower in r.branch_stop or not text.isalpha() or lower in r.currency:
            break
        words.append(text)
        i += 1
    return tuple(words)


@dataclass
class Offices:
    """Office names in an article: the one it is about, and the name written after each "Cabang"."""

    main: str | None
    at_head: dict[int, str]  # token index of a "Cabang" head -> the office it names


def find_offices(r: Rules, doc: Doc, mentions: list[Mention], provincial_branches: bool = False) -> Offices:
    inst_spans = [(m.start, m.end) for m in mentions if m.label == Label.INST]
    abbreviations = set(lexicon().section("branch", "abbreviations"))
    heads = {}
    candidates: list[tuple[tuple[str, ...], int]] = []
    for h in (m for m in mentions if m.label == Label.BRANCH):
        if doc.words[h.start][:1].isupper() or doc.lowers[h.start] in abbreviations:
            name = _name_after(r, doc, h.end, inst_spans)
            if name:
                heads[h.start] = name
                candidates.append((name, 2))
    for a, b in inst_spans:
        name = _name_after(r, doc, b, inst_spans)
        if name:
            candidates.append((name, 1))
    candidates, heads = _full_province_names(candidates, heads)
    scores: dict[tuple[str, ...], int] = {}
    for name, weight in candidates:
        for k in range(1, len(name) + 1):
            scores[name[:k]] = scores.get(name[:k], 0) + weight

    def trimmed(name: tuple[str, ...]) -> str:
        """Drop what follows the part of a name that other mentions share ("Bali Denpasar Cep Nandi")."""
        top = max(scores[name[:k]] for k in range(1, len(name) + 1))
        best = [name[:k] for k in range(1, len(name) + 1) if scores[name[:k]] == top]
        return " ".join(best[-1])  # the longest: the prefixes come shortest first

    main = None
    if scores:
        best = max(scores, key=lambda k: (scores[k], len(k)))
        if scores[best] >= 2:
            main = " ".join(best)
        # "BPJS Ketenagakerjaan Riau", never "Cabang Riau": the province's regional office, not a branch
        if main and not provincial_branches and main.lower() in _province_names() \
                and not any(name[:len(best)] == best for name in heads.values()):
            main = None
    at_head = {}
    for i, name in heads.items():
        office = trimmed(name)
        # "Pekanbaru Cabang Panam" and "Cabang Pekanbaru Panam" name one office: the article's
        family = [set(n) for n, _ in candidates if main and n[0] == main.split()[0]]
        if main and any(set(office.split()) <= words for words in family):
            office = main
        at_head[i] = office
    return Offices(main=main, at_head=at_head)


@lru_cache(maxsize=1)
def _province_names() -> frozenset[str]:
    """Every name of a province, lower case, not those that are a city's ("makassar")."""
    cities = {str(c).lower() for c in lexicon().section("region_cities")}
    return frozenset(alias for alias in _region_by_alias() if alias not in cities)


@lru_cache(maxsize=1)
def _region_by_alias() -> dict[str, str]:
    """Every name of a region, lower case ("kalbar", "kalimantan barat") -> the region."""
    return {str(a).lower(): region for region, words in lexicon().section("regions").items() for a in words}


def _full_province_names(candidates, heads):
    """ "Cabang Kalimantan Barat" and "Jasa Raharja Kalbar" in one article: one office, named in full."""
    aliases = _region_by_alias()

    def lead(name: tuple[str, ...]) -> tuple[int, str | None]:
        for k in range(len(name), 0, -1):
            region = aliases.get(" ".join(name[:k]).lower())
            if region:
                return k, region
        return 0, None

    named_in_full = {region for name, _ in candidates for k, region in [lead(name)]
                     if region and " ".join(name[:k]).lower() == region.lower()}

    def full(name: tuple[str, ...]) -> tuple[str, ...]:
        k, region = lead(name)
        return tuple(region.split()) + name[k:] if region is not None and region in named_in_full else name

    return [(full(n), w) for n, w in candidates], {i: full(n) for i, n in heads.items()}


def first_region(mentions: list[Mention]) -> str | None:
    """The first place the article names."""
    return next((m.value for m in mentions if m.label == Label.REGION), None)


def region_of(branch: str | None, first_named: str | None) -> str | None:
    """The province an office lies in (its name begins with a place we know), else the first place named."""
    return (_region_of_office(branch) if branch else None) or first_named


@lru_cache(maxsize=1024)
def _region_of_office(branch: str) -> str | None:
    words = branch.lower().split()
    for name, aliases in lexicon().section("regions").items():
        if any(words[:len(a.split())] == a.split() for a in map(str.lower, map(str, aliases))):
            return name
    return None


@lru_cache(maxsize=1)
def _area_heads() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon().section("branch")["area_heads"])


def area_before(doc: Doc, start: int, end: int, mentions: list[Mention]) -> str | None:
    """The district, city or province named in a claim's clause before its figure ("dari Kabupaten Pati
    sebesar Rp24,39 miliar", "masyarakat Kota Palopo dengan ... Rp8,8 miliar", "di wilayah Jateng mencapai
    Rp2,42 triliun, sedangkan DIY hanya Rp303,96 miliar"): the last one, a district as written."""
    heads = _area_heads()
    province = next((m for m in reversed(mentions) if m.label == Label.REGION and start <= m.start < end
                     and _introduces_place(doc, m.start, start)), None)
    for i in range(end - 1, province.start if province else start - 1, -1):
        head = doc[i].lower_.rstrip(".")
        if head not in heads or not doc[i].text[:1].isupper():
            continue
        j = i + 1 + (i + 1 < len(doc) and doc[i + 1].text == ".")  # "Kab. Sidrap", "Kabupaten. Enrekang"
        name = []
        while j < end and len(name) < 3 and doc[j].is_alpha and doc[j].text[:1].isupper():
            name.append(doc[j].text)
            j += 1
        if name:
            return " ".join(["Kabupaten" if head == "kab" else head.capitalize(), *name])
    return province.value if province else None


@lru_cache(maxsize=1)
def _place_openers() -> tuple[frozenset[str], frozenset[str]]:
    branch = lexicon().section("branch")
    return (frozenset(str(w).lower() for w in branch["place_openers"]),
            frozenset(str(w).lower() for w in branch["wilayah_heads"]))


def _introduces_place(doc: Doc, at: int, clause_start: int) -> bool:
    """A province named as the place of a figure, not as part of an office's name ("Kantor Wilayah Jawa
    Tengah": a capitalised head, or an office head before it)."""
    if at == clause_start:
        return True
    openers, office_heads = _place_openers()
    before = doc[at - 1]
    if before.lower_ not in openers or (before.lower_ in office_heads and not before.is_lower):
        return False
    return at < 2 or f"{doc[at - 2].lower_} {before.lower_}" not in office_heads
