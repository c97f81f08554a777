"""Micro-credentials (DOMAIN D5, seed 004): providers' specifications with the EU standard elements of Annex I
(draft → published, immutable once published, new versions), the public catalogue (HTML, ELM JSON-LD learning
opportunities and per-provider datasets), issuing awards to learners one by one or from a spreadsheet through the
credentials layer, and the evidence attached to awards."""
