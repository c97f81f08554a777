"""RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024) over pyld's RDF datasets.

pyld's `URDNA2015` is the same algorithm, but it serialises quads with pyld's N-Quads writer, which leaves the
control characters U+0000–U+0008, U+000B, U+000C, U+000E–U+001F and U+007F raw inside literals. RDFC-1.0 writes
them (and `" \\ \\b \\t \\n \\f \\r`) escaped — in the output *and* in the quads it hashes to label blank nodes
(Hash First Degree Quads), so a raw writer gives other verifiers different bytes to check. `RDFC10` below is
pyld's algorithm with the canonical writer in both places, the input treated as a set of quads (duplicates
dropped), a choice of hash (SHA-256 default, SHA-384 for the test suite) and RDFC-1.0's bound on the work
a "poison" dataset may cause (as Digital Bazaar's `rdf-canonize`: Hash N-Degree Quads may run at most as many
times as there are blank nodes without a unique first-degree hash). It also returns the issued-identifier map.

`parse_nquads` reads N-Quads with every escape of the grammar (pyld's parser knows only a few); the
W3C test suite (`agnitio/credentials/tests/test_rdfc10.py`) uses it."""

from __future__ import annotations

import hashlib
import re

from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class CanonicalizationError(Exception):
    """The dataset cannot be canonicalised (too much work: a poison graph)."""


# ----------------------------------------------------------------------------------- canonical N-Quads

_LITERAL_SPECIAL = re.compile('[\x00-\x1f"\\\\\x7f]')
_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
# Characters not allowed inside an IRIREF; rdf-canonize writes them as UCHAR too.
_IRI_SPECIAL = re.compile('[\x00-\x20<>"{}|^`\\\\]')


def _literal_char(match: re.Match) -> str:
    char = match.group()
    return _ECHAR.get(char) or f"\\u{ord(char):04X}"


def _iri_char(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04X}"


def escape_literal(value: str) -> str:
    """A literal's lexical form as RDFC-1.0's canonical N-Quads write it (ECHAR where one exists, else \\uXXXX)."""
    return _LITERAL_SPECIAL.sub(_literal_char, value)


def escape_iri(value: str) -> str:
    return _IRI_SPECIAL.sub(_iri_char, value)


def _term(term: dict) -> str:
    kind = term["type"]
    if kind == "IRI":
        return "<" + escape_iri(term["value"]) + ">"
    if kind == "blank node":
        return term["value"]
    text = '"' + escape_literal(term["value"]) + '"'
    datatype = term.get("datatype") or XSD_STRING
    if datatype == RDF_LANGSTRING and term.get("language"):
        return text + "@" + term["language"]
    if datatype != XSD_STRING:
        return text + "^^<" + escape_iri(datatype) + ">"
    return text


def serialize_quad(quad: dict) -> str:
    """One quad (pyld's {subject, predicate, object, name?}) as a canonical N-Quads line."""
    line = _term(quad["subject"]) + " " + _term(quad["predicate"]) + " " + _term(quad["object"])
    name = quad.get("name")
    if name is not None:
        line += " " + _term(name)
    return line + " .\n"


# --------------------------------------------------------------------------------------- the algorithm


def _key(term: dict) -> tuple:
    return term["type"], term["value"], term.get("datatype"), term.get("language")


def _quads(dataset: dict) -> list[dict]:
    """pyld's {graph name: [triples]} as a list of distinct quads (an RDF dataset is a set). The terms are shared
    with the dataset, never modified."""
    quads, seen = [], set()
    for graph_name, triples in dataset.items():
        name = None
        if graph_name != "@default":
            name = {"type": "blank node" if graph_name.startswith("_:") else "IRI", "value": graph_name}
        for triple in triples:
            key = (_key(triple["subject"]), triple["predicate"]["value"], _key(triple["object"]), graph_name)
            if key in seen:
                continue
            seen.add(key)
            quad = {"subject": triple["subject"], "predicate": triple["predicate"], "object": triple["object"]}
            if name is not None:
                quad["name"] = name
            quads.append(quad)
    return quads


class RDFC10(URDNA2015):
    """RDFC-1.0 on a list of quads; `canonicalize` returns (canonical N-Quads, issued identifiers map)."""

    def __init__(self, *, hash_algorithm: str = "sha256", max_work_factor: int = 1):
        super().__init__()
        self._new_hash = {"sha256": hashlib.sha256, "sha384": hashlib.sha384}[hash_algorithm.lower()]
        self.max_work_factor = max_work_factor
        self.remaining_deep_iterations = 0

    def create_hash(self):
        return self._new_hash()

    def main(self, dataset, options):  # pyld's entry point, kept usable with the canonical writer
        return self.canonicalize(_quads(dataset))[0]

    def canonicalize(self, quads: list[dict]) -> tuple[str, dict[str, str]]:
        # 2) blank node to quads map
        for quad in quads:
            self.quads.append(quad)
            for key, component in quad.items():
                if key != "predicate" and component["type"] == "blank node":
                    self.blank_node_info.setdefault(component["value"], {"quads": []})["quads"].append(quad)

        # 3–5) first-degree hashes; a hash shared by no other blank node gets its canonical identifier now
        hash_to_blank_nodes: dict[str, list[str]] = {}
        for id_ in self.blank_node_info:
            hash_to_blank_nodes.setdefault(self.hash_first_degree_quads(id_), []).append(id_)
        non_unique = []
        for _hash, id_list in sorted(hash_to_blank_nodes.items()):
            if len(id_list) > 1:
                non_unique.append(id_list)
            else:
                self.canonical_issuer.get_id(id_list[0])

        # the poison-graph bound (as rdf-canonize): n-degree hashing may run once per non-unique blank node
        self.remaining_deep_iterations = sum(len(ids) for ids in non_unique) ** self.max_work_factor

        # 6) the others, by Hash N-Degree Quads
        for id_list in non_unique:
            hash_path_list = []
            for id_ in id_list:
                if self.canonical_issuer.has_id(id_):
                    continue
                issuer = IdentifierIssuer("_:b")
                issuer.get_id(id_)
                hash_path_list.append(self.hash_n_degree_quads(id_, issuer))
            for result in sorted(hash_path_list, key=lambda r: r["hash"]):
                for existing in result["issuer"].order:
                    self.canonical_issuer.get_id(existing)

        # 7) relabel and write
        lines = []
        for quad in self.quads:
            relabelled = {}
            for key, component in quad.items():
                if key != "predicate" and component["type"] == "blank node":
                    component = {"type": "blank node", "value": self.canonical_issuer.get_id(component["value"])}
                relabelled[key] = component
            lines.append(serialize_quad(relabelled))
        lines.sort()
        issued = {old[2:]: new[2:] for old, new in self.canonical_issuer.existing.items()}
        return "".join(lines), issued

    def hash_first_degree_quads(self, id_):
        info = self.blank_node_info[id_]
        if "hash" in info:
            return info["hash"]
        nquads = []
        for quad in info["quads"]:
            copy = {}
            for key, component in quad.items():
                if key != "predicate" and component["type"] == "blank node":
                    component = {"type": "blank node", "value": "_:a" if component["value"] == id_ else "_:z"}
                copy[key] = component
            nquads.append(serialize_quad(copy))
        nquads.sort()
        info["hash"] = self.hash_nquads(nquads)
        return info["hash"]

    def hash_n_degree_quads(self, id_, issuer):
        if self.remaining_deep_iterations <= 0:
            raise CanonicalizationError("The dataset needs too much work to canonicalise (a poison graph).")
        self.remaining_deep_iterations -= 1
        return super().hash_n_degree_quads(id_, issuer)


def canonicalize_dataset(dataset: dict, *, hash_algorithm: str = "sha256") -> tuple[str, dict[str, str]]:
    """RDFC-1.0 of pyld's RDF dataset: (canonical N-Quads, issued identifiers map without `_:`)."""
    return RDFC10(hash_algorithm=hash_algorithm).canonicalize(_quads(dataset))


# ---------------------------------------------------------------------------------------- N-Quads reader

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRIREF = r"<((?:[^\x00-\x20<>\"{}|^`\\]|" + _UCHAR + r")*)>"
_PN = r"A-Za-z0-9_\u00C0-\U000EFFFF"
_BNODE = r"(_:[" + _PN + r"](?:[" + _PN + r".\-\u00B7]*[" + _PN + r"\-\u00B7])?)"
_STRING = r'"((?:[^"\\\n\r]|\\[tbnrf"\'\\]|' + _UCHAR + r')*)"'
_LANG = r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
_WS = r"[ \t]*"
_QUAD = re.compile(
    "^" + _WS + "(?:" + _IRIREF + "|" + _BNODE + ")" + _WS + _IRIREF + _WS
    + "(?:" + _IRIREF + "|" + _BNODE + "|" + _STRING + "(?:" + _WS + r"\^\^" + _WS + _IRIREF + "|" + _LANG + ")?)"
    + _WS + "(?:(?:" + _IRIREF + "|" + _BNODE + ")" + _WS + ")?" + r"\." + _WS + "(?:#.*)?$"
)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf\"'\\]))")
_ECHAR_VALUE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(value: str) -> str:
    def char(match: re.Match) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _ECHAR_VALUE[match.group(3)]

    return _ESCAPE.sub(char, value) if "\\" in value else value


def parse_nquads(text: str) -> dict:
    """N-Quads (RDF 1.1 grammar, all escapes) as pyld's dataset {graph name or '@default': [triples]}."""
    dataset: dict[str, list] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _QUAD.match(line)
        if match is None:
            raise ValueError(f"Invalid N-Quads line {number}: {line!r}")
        (s_iri, s_bnode, predicate, o_iri, o_bnode, o_literal, o_datatype, o_language,
         g_iri, g_bnode) = match.groups()
        subject = {"type": "IRI", "value": _unescape(s_iri)} if s_iri is not None else \
            {"type": "blank node", "value": s_bnode}
        if o_iri is not None:
            obj = {"type": "IRI", "value": _unescape(o_iri)}
        elif o_bnode is not None:
            obj = {"type": "blank node", "value": o_bnode}
        else:
            obj = {"type": "literal", "value": _unescape(o_literal)}
            if o_language is not None:
                obj["datatype"], obj["language"] = RDF_LANGSTRING, o_language
            else:
                obj["datatype"] = _unescape(o_datatype) if o_datatype is not None else XSD_STRING
        name = "@default"
        if g_iri is not None:
            name = _unescape(g_iri)
        elif g_bnode is not None:
            name = g_bnode
        dataset.setdefault(name, []).append(
            {"subject": subject, "predicate": {"type": "IRI", "value": _unescape(predicate)}, "object": obj})
    return dataset
