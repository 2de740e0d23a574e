"""extractor: claim-payout figures from Indonesian news, extracted, checked and collected.

Library use::

    from extractor import extract_text
    doc = extract_text("... membayarkan klaim Rp41,07 miliar lebih untuk 1.501 kasus ...")
    doc.as_dict()["claims"]
"""
__version__ = "0.1.0"

__all__ = ["__version__", "compiled", "extract_text", "extract_html", "extract_url", "extract_path"]


def compiled() -> bool:
    """Whether the extract stage runs compiled (mypyc, see setup.py) rather than as plain Python."""
    from .extract import claims

    return not claims.__file__.endswith(".py")


def __getattr__(name):  # lazy: importing the package must stay cheap (no spaCy at import time)
    if name in {"extract_text", "extract_html", "extract_url", "extract_path"}:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
