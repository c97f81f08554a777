"""API keys: personal API tokens (hashed at rest, optionally bound to one organisation) and the bearer auth."""
