"""Keys (Ed25519, Multikey, encrypted at rest), the offline JSON-LD document loader and Data Integrity proofs."""
