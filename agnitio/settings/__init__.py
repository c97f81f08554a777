"""Settings modules: base (shared, env-driven), local (laptop), test, production."""
