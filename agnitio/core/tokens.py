"""Secret tokens in links and API keys: only their hash is stored."""

import hashlib


def token_hash(token: str) -> str:
    """SHA-256 of the whole token. Tokens are long random strings, so a fast hash is the right tool."""
    return hashlib.sha256(token.encode()).hexdigest()
