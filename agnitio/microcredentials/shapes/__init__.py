"""The LOQ application profile's shapes, loaded for pySHACL (see README.md for the two rewritten patterns)."""

from __future__ import annotations

from pathlib import Path

LOQ_SHAPES = Path(__file__).resolve().parent / "LOQ-constraints.ttl"


def loq_shapes_text() -> str:
    text = LOQ_SHAPES.read_text(encoding="utf-8")
    return (text.replace('"^(?i)(http|https):', '"(?i)^(http|https):')
            .replace("\\\\p{L}\\\\p{Nl}\\\\p{Nd}", "\\\\w"))


def loq_shapes():
    from rdflib import Graph

    return Graph().parse(data=loq_shapes_text(), format="turtle")
