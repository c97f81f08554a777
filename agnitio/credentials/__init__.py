"""Trust layer: issued-credential records and numbers, issuer DIDs and keys, signed W3C VC 2.0 / Open Badges 3.0
credentials (eddsa-rdfc-2022), Bitstring Status Lists (revocation), public verification, the W3C VC API and the
learner wallet. `signing/` holds keys, the local JSON-LD document loader and proofs; `formats/` builds OB3, EDC and
status-list documents."""
