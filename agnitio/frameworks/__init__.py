"""Frameworks: read-only reference data — competence frameworks (8 key competences, ETS model, professional and
other competences) with English and Latvian titles, EQF levels, loaded from the JSON file shipped in `data/`; and ESCO
skills and occupations (models.py: the English file in `data/` is loaded by migration, other languages by
`manage.py esco_import`) with search, a side panel for forms and an API."""
