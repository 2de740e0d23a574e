"""Validate stage: a Result -> checks. Do the published parts add up to the total? Is a figure stated twice
the same? Every figure is an interval from its stated precision and qualifier, so rounding and "lebih" are
respected.
"""
from .checks import validate

__all__ = ["validate"]
