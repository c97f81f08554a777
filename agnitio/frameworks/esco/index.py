"""In-memory search index of one language's ESCO concepts (about 17,000 in English), built from the database.

Ranking, best first:
  0. the preferred label is the query;            1. the preferred label starts with the query;
  2. an alternative label is or starts with it;   3. every word of the query starts a word of the preferred label;
  4. ... of an alternative label;                 5. typo-tolerant: words matched with RapidFuzz (Indel similarity
     against the vocabulary of label words), concepts ranked by how well and how many of the query's words match.
Within a tier: the closer label (RapidFuzz ratio), then the shorter one. Labels are compared as
`core.search.search_key` keys (case-folded, without diacritics), so "nurse", "Nurse" and "nursé" are the same.

The index holds keys and database ids only; the caller reads the rows it shows (one query).
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from agnitio.core.search import search_key

_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 8
PREFIX_WORDS = 300  # vocabulary words a query word may expand to by prefix
FUZZY_WORDS = 12  # ... and by similarity
FUZZY_CUTOFF = 75  # Indel normalised similarity × 100: "nurce"/"nurse" 80, "skils"/"skills" 91
RERANK = 300  # candidates of the typo tier scored in full
WHOLE_PREFIX = 1000  # labels starting with the query scored (a one-letter query matches thousands)
ALT_WEIGHT = 0.85


def words_of(key: str) -> list[str]:
    return _WORD.findall(key)


def label_key(text: str) -> str:
    """`core.search.search_key`, with a fast path for plain ASCII labels (most of ESCO in English)."""
    if text.isascii():
        return " ".join(text.casefold().split())
    return search_key(text)


@dataclass
class Hit:
    index: int  # position in the index, see `EscoIndex.ids`
    tier: int
    score: float
    matched_alt: int  # position of the matched alternative label in `alts[index]`, or -1


class EscoIndex:
    def __init__(self, rows) -> None:
        """`rows`: (id, kind, preferred label, alternative labels as one newline-separated string)."""
        self.ids: array = array("q")
        self.kinds: list[str] = []
        self.pref: list[str] = []
        self.alts: list[tuple[str, ...]] = []
        pref_post: dict[str, set[int]] = {}
        alt_post: dict[str, set[int]] = {}
        for position, (pk, kind, label, alt_text) in enumerate(rows):
            self.ids.append(pk)
            self.kinds.append(kind)
            key = label_key(label)
            alts = tuple(dict.fromkeys(k for k in (label_key(a) for a in (alt_text or "").split("\n")) if k))
            self.pref.append(key)
            self.alts.append(alts)
            for word in words_of(key):
                pref_post.setdefault(word, set()).add(position)
            for alt in alts:
                for word in words_of(alt):
                    alt_post.setdefault(word, set()).add(position)
        self.words: list[str] = sorted(set(pref_post) | set(alt_post))
        empty = array("i")
        self.pref_post = {w: array("i", sorted(pref_post.get(w, ()))) if w in pref_post else empty for w in self.words}
        self.alt_post = {w: array("i", sorted(alt_post.get(w, ()))) if w in alt_post else empty for w in self.words}
        self.sorted_pref = sorted(range(len(self.pref)), key=self.pref.__getitem__)
        self._pref_keys = [self.pref[i] for i in self.sorted_pref]
        alt_pairs = sorted((alt, i) for i, alts in enumerate(self.alts) for alt in alts)
        self._alt_keys = [alt for alt, _i in alt_pairs]
        self._alt_owner = array("i", [i for _alt, i in alt_pairs])

    def __len__(self) -> int:
        return len(self.ids)

    # --- word matching -------------------------------------------------------------------------------------------
    def _prefixed(self, keys: list[str], prefix: str, cap: int) -> range:
        start = bisect.bisect_left(keys, prefix)
        end = bisect.bisect_left(keys, prefix + "\uffff", lo=start)
        return range(start, min(end, start + cap))

    def _word_matches(self, word: str) -> tuple[dict[str, float], bool]:
        """Vocabulary words matching one query word with a weight (1 exact, 0.95 prefix, < 0.9 similar), and
        whether any match was exact or by prefix."""
        matches: dict[str, float] = {}
        for position in self._prefixed(self.words, word, PREFIX_WORDS):
            candidate = self.words[position]
            matches[candidate] = 1.0 if candidate == word else 0.95
        direct = bool(matches)
        if len(word) >= 4:
            for candidate, score, _pos in process.extract(word, self.words, scorer=Indel.normalized_similarity,
                                                          limit=FUZZY_WORDS, score_cutoff=FUZZY_CUTOFF / 100):
                matches.setdefault(candidate, 0.9 * score)
        return matches, direct

    # --- search ------------------------------------------------------------------------------------------------
    def search(self, query: str, *, kind: str | None = None, limit: int = 20) -> list[Hit]:
        key = label_key(query)
        if not key or limit <= 0:
            return []
        hits: dict[int, Hit] = {}

        def keep(hit: Hit) -> None:
            if kind is not None and self.kinds[hit.index] != kind:
                return
            old = hits.get(hit.index)
            if old is None or (hit.tier, -hit.score) < (old.tier, -old.score):
                hits[hit.index] = hit

        # Tiers 0-2: the whole query against whole labels (sorted keys, binary search).
        for position in self._prefixed(self._pref_keys, key, WHOLE_PREFIX):
            index = self.sorted_pref[position]
            keep(Hit(index, 0 if self.pref[index] == key else 1, fuzz.ratio(key, self.pref[index]), -1))
        for position in self._prefixed(self._alt_keys, key, WHOLE_PREFIX):
            index = self._alt_owner[position]
            alt = self._alt_keys[position]
            keep(Hit(index, 2, fuzz.ratio(key, alt), self.alts[index].index(alt)))

        # Tiers 3-5: word by word.
        words = list(dict.fromkeys(words_of(key)))[:MAX_QUERY_WORDS]
        if not words or len(key) < 2:  # one letter: whole labels starting with it only
            return self._ranked(hits, limit)
        per_word: list[dict[int, float]] = []
        strict_pref: list[set[int]] = []
        strict_alt: list[set[int]] = []
        for word in words:
            matches, _direct = self._word_matches(word)
            best: dict[int, float] = {}
            pref_direct: set[int] = set()
            alt_direct: set[int] = set()
            for candidate, weight in matches.items():
                for index in self.pref_post[candidate]:
                    if weight > best.get(index, 0.0):
                        best[index] = weight
                    if weight >= 0.95:
                        pref_direct.add(index)
                alt_weight = weight * ALT_WEIGHT
                for index in self.alt_post[candidate]:
                    if alt_weight > best.get(index, 0.0):
                        best[index] = alt_weight
                    if weight >= 0.95:
                        alt_direct.add(index)
            per_word.append(best)
            strict_pref.append(pref_direct)
            strict_alt.append(alt_direct)

        all_pref = set.intersection(*strict_pref) if strict_pref else set()
        for index in all_pref:
            keep(Hit(index, 3, fuzz.token_set_ratio(key, self.pref[index]), -1))
        all_alt = (set.intersection(*[p | a for p, a in zip(strict_pref, strict_alt, strict=True)]) - all_pref
                   if strict_alt else set())
        for index in all_alt:
            keep(Hit(index, 4, *self._best_alt(key, index)))

        # Tier 5: how many words matched and how well (the average weight over the query's words).
        scores: dict[int, float] = {}
        for best in per_word:
            for index, weight in best.items():
                scores[index] = scores.get(index, 0.0) + weight
        if kind is not None:
            scores = {i: s for i, s in scores.items() if self.kinds[i] == kind}
        top = sorted(scores.items(), key=lambda item: -item[1])[:RERANK]
        for index, total in top:
            if index in hits:
                continue
            coverage = total / len(words)
            alt_score, alt_position = self._best_alt(key, index)
            label_score = max(fuzz.token_set_ratio(key, self.pref[index]), alt_score)
            keep(Hit(index, 5, 100 * coverage * 0.7 + label_score * 0.3,
                     -1 if fuzz.token_set_ratio(key, self.pref[index]) >= alt_score else alt_position))
        return self._ranked(hits, limit)

    def _best_alt(self, key: str, index: int) -> tuple[float, int]:
        alts = self.alts[index]
        if not alts:
            return 0.0, -1
        found = process.extractOne(key, alts, scorer=fuzz.token_set_ratio)
        return (float(found[1]), found[2]) if found else (0.0, -1)

    def _ranked(self, hits: dict[int, Hit], limit: int) -> list[Hit]:
        ranked = sorted(hits.values(), key=lambda h: (h.tier, -h.score, len(self.pref[h.index]), self.pref[h.index]))
        return ranked[:limit]
