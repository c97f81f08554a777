"""Core: base model (timestamps, random public id), application errors, audit events, health check, layout."""
