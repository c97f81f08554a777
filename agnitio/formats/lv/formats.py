# See agnitio/formats/__init__.py: one date form for Latvian pages. No closing dot after the year: the date often
# ends a sentence ("izsniegts 01.06.2026."), where a second dot would double it.
DATE_FORMAT = SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
