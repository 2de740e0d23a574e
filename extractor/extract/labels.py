"""What a mention or a figure pattern is: the labels code may compare, one name each.

The lexicon's categories declare their label (patterns/extract/lexicon.yaml: `labels`, checked against this
list on load); code compares `m.label == Label.PROG`, never a string, so a renamed label fails on import or
load instead of silently matching nothing.
"""

from __future__ import annotations


class Label:
    """The closed list of labels. A class of str constants rather than an enum.Enum: an Enum member lookup
    costs about 100 ns in CPython 3.11, and the linking rules compare labels some 10^5 times per second."""

    # figure patterns (figures.jsonl)
    MONEY = "MONEY"
    NUMBER = "NUMBER"
    # phrases (lexicon.yaml)
    INST = "INST"  # an institution's name
    PROG = "PROG"  # a program's name
    SANT = "SANT"  # a santunan (victim) type, where the institution's victim types name programs
    SPLIT = "SPLIT"  # a split of one program: a reason for claiming JHT, a school level of a scholarship
    SEG = "SEG"  # a participant segment
    LOB = "LOB"  # a line of business (insurers, BPJS Kesehatan)
    REGION = "REGION"  # a province or place
    BRANCH = "BRANCH"  # an office head ("Kantor Cabang")
    OUTCOME = "OUTCOME"  # how a JKK/JKM case ended
    QB = "QB"  # a qualifier before a figure
    QA = "QA"  # a qualifier after a figure
    UNIT_CLAIM = "UNIT_CLAIM"  # the noun counted: claims, cases
    UNIT_PERSON = "UNIT_PERSON"  # people
    UNIT_OTHER = "UNIT_OTHER"  # anything else
    CUE = "CUE"  # a word of claiming or paying
    NOTCLAIM = "NOTCLAIM"  # a word that makes a figure something else (iuran, target ...)
    RATE = "RATE"  # "per bulan" after a figure
    COMPARE = "COMPARE"  # opens a comparison
    FROM = "FROM"  # "dari" after a change word: opens a comparison
    NIL = "NIL"  # nothing was paid
    SEP = "SEP"  # splits a sentence into clauses
    BLOCK = "BLOCK"  # keeps a count from the program named after it
    MONEYCUE = "MONEYCUE"  # before an amount ("sebesar")
    COUNTCUE = "COUNTCUE"  # before a count ("sebanyak")
    COUNTHEAD = "COUNTHEAD"  # a word of how many before the noun counted ("jumlah klaim 7.693")
    ANAPHORA = "ANAPHORA"  # points back ("itu", "tersebut")
    ASIDE = "ASIDE"  # opens a clause about something beside the subject ("selain")
    TOTALCUE = "TOTALCUE"  # a second amount after it is the total ("total klaim")
    DISTRIB = "DISTRIB"  # "masing-masing"
    PARTIAL = "PARTIAL"  # the parts listed are not all ("di antaranya")
    LEVEL = "LEVEL"  # after a change word, the figure is the new level ("menjadi")
    AGGREGATE = "AGGREGATE"  # "all programs together"
    COPULA = "COPULA"  # "adalah", "yakni"


ALL_LABELS = frozenset(value for name, value in vars(Label).items() if name.isupper())
UNITS = frozenset({Label.UNIT_CLAIM, Label.UNIT_PERSON, Label.UNIT_OTHER})


def unit_kind(label: str) -> str:
    """ "UNIT_PERSON" -> "person": the kind of noun a count counts."""
    return label[len("UNIT_"):].lower()
