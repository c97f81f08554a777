"""Micro-credential pages, one module per resource: the provider's specifications, awards and imports, and the
public catalogue."""
