"""Frameworks: read-only reference data — competence frameworks (8 key competences, ETS model, professional and
other competences) with English and Latvian titles, EQF levels. Loaded from the JSON file shipped in `data/`."""
