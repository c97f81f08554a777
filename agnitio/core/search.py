"""Text search keys shared by the lists: what a stored "search" column holds and what a query is turned into.

`search_key("Anna Bērziņa")` → "anna berzina": case-folded, diacritics removed (ā→a, ņ→n, ß→ss), spaces collapsed.
Lists store the key of a name in a column of its own (written by the service that writes the name) and compare the
key of the query with it, so the search is case- and diacritic-insensitive the same way on PostgreSQL and SQLite
(SQLite's LOWER() and LIKE fold ASCII letters only) and can be indexed (on PostgreSQL a trigram GIN index answers
`contains`; see the credentials migration 0010 for the pattern).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def search_key(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped).strip()
