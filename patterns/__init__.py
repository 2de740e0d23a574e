"""Rule data: word lists (lexicon.yaml) and spaCy token patterns (*.jsonl)."""
