"""Rule data: extract/ (the lexicon and spaCy token patterns) and parse/ (boilerplate vocabularies)."""
