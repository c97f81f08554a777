"""Random public identifiers: what URLs and APIs show instead of database keys."""

import secrets


def new_public_id() -> str:
    """22 URL-safe characters (128 random bits)."""
    return secrets.token_urlsafe(16)
