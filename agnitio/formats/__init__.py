"""Date formats, one per language (settings.FORMAT_MODULE_PATH), so every page shows a date the same way.

Latvian: the numeric form "30.11.2026" -- it reads right inside any sentence ("derīgs līdz 30.11.2026"), where the
long form would need the month in another case ("līdz 30. novembrim", not "novembris").
English: "30 November 2026", unambiguous for readers on either side of the Atlantic.
Only display formats are set here; what a form accepts (DATE_INPUT_FORMATS) stays Django's.
"""
