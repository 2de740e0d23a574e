"""Seeing the evidence: an article's figures highlighted in its text (show), a dataset report with charts
(report), and the character spans both draw from (spans)."""
