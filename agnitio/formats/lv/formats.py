# See agnitio/formats/__init__.py: one date form for Latvian pages.
DATE_FORMAT = SHORT_DATE_FORMAT = "d.m.Y."
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "d.m.Y. H:i"
TIME_FORMAT = "H:i"
