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
RERANK = 150  # candidates of the typo tier scored in full
WORD_TIER_CAP = 400  # candidates of tiers 3 and 4 scored (the shortest labels: the closest to the query)
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

    def _word_matches(self, word: str, *, prefix: bool) -> dict[str, float]:
        """Vocabulary words matching one query word with a weight: 1 the same word, 0.95 a word it starts (for the
        last word of the query, still being typed, and words of four letters or more), < 0.9 a similar word."""
        matches: dict[str, float] = {}
        if prefix:
            for position in self._prefixed(self.words, word, PREFIX_WORDS):
                candidate = self.words[position]
                matches[candidate] = 1.0 if candidate == word else 0.95
        elif word in self.pref_post:
            matches[word] = 1.0
        if len(word) >= 4:
            for candidate, score, _pos in process.extract(word, self.words, scorer=Indel.normalized_similarity,
                                                          limit=FUZZY_WORDS, score_cutoff=FUZZY_CUTOFF / 100):
                matches.setdefault(candidate, 0.9 * score)
        return matches

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

        # Tiers 3-5: word by word. A tier is computed only while the better ones have fewer than `limit` hits.
        words = list(dict.fromkeys(words_of(key)))[:MAX_QUERY_WORDS]
        if not words or len(key) < 2 or self._enough(hits, limit):  # one letter: whole labels only
            return self._ranked(hits, limit)
        matched = [self._word_matches(word, prefix=position == len(words) - 1 or len(word) >= 4)
                   for position, word in enumerate(words)]
        strict_pref: list[set[int]] = []
        strict_any: list[set[int]] = []
        for matches in matched:
            direct = [candidate for candidate, weight in matches.items() if weight >= 0.95]
            pref = set().union(*(self.pref_post[c] for c in direct))
            strict_pref.append(pref)
            strict_any.append(pref.union(*(self.alt_post[c] for c in direct)))
        all_pref = set.intersection(*strict_pref)
        if kind is not None:
            all_pref = {i for i in all_pref if self.kinds[i] == kind}
        for index in sorted(all_pref, key=lambda i: len(self.pref[i]))[:WORD_TIER_CAP]:
            keep(Hit(index, 3, fuzz.ratio(key, self.pref[index]), -1))
        if self._enough(hits, limit):
            return self._ranked(hits, limit)
        all_alt = set.intersection(*strict_any) - all_pref
        if kind is not None:
            all_alt = {i for i in all_alt if self.kinds[i] == kind}
        for index in sorted(all_alt, key=lambda i: len(self.pref[i]))[:WORD_TIER_CAP]:
            keep(Hit(index, 4, *self._best_alt(key, index)))
        if self._enough(hits, limit):
            return self._ranked(hits, limit)

        # Tier 5: how many words matched and how well (the sum of each word's best weight in the concept).
        scores: dict[int, float] = {}
        for matches in matched:
            best: dict[int, float] = {}
            for candidate, weight in matches.items():
                for index in self.pref_post[candidate]:
                    if weight > best.get(index, 0.0):
                        best[index] = weight
                alt_weight = weight * ALT_WEIGHT
                for index in self.alt_post[candidate]:
                    if alt_weight > best.get(index, 0.0):
                        best[index] = alt_weight
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
            pref_score = fuzz.token_set_ratio(key, self.pref[index])
            keep(Hit(index, 5, 100 * coverage * 0.7 + max(pref_score, alt_score) * 0.3,
                     -1 if pref_score >= alt_score else alt_position))
        return self._ranked(hits, limit)

    @staticmethod
    def _enough(hits: dict[int, Hit], limit: int) -> bool:
        return len(hits) >= limit

    def _best_alt(self, key: str, index: int) -> tuple[float, int]:
        alts = self.alts[index]
        if not alts:
            return 0.0, -1
        found = process.extractOne(key, alts, scorer=fuzz.token_set_ratio)
        return (float(found[1]), found[2]) if found else (0.0, -1)

    def _ranked(self, hits: dict[int, Hit], limit: int) -> list[Hit]:
        ranked = sorted(hits.values(), key=lambda h: (h.tier, -h.score, len(self.pref[h.index]), self.pref[h.index]))
        return ranked[:limit]
