"""Data-migration tests in the merged migration graph: go back to just before one migration, then always forward
again to the latest state of every app (a test that stopped half way would leave the schema broken for the tests
that run after it in the same process)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def applied_state() -> Apps:
    """The models as the database has them now: the state of exactly the applied migrations, every app."""
    loader = MigrationExecutor(connection).loader
    applied = sorted(key for key in loader.applied_migrations if key in loader.graph.nodes)
    return loader.project_state(applied).apps


@contextmanager
def before_migration(migration: tuple[str, str]) -> Iterator[Apps]:
    """Unapplies `migration` and everything that depends on it (in any app), nothing else, and yields the models of
    that database. Afterwards, whatever happened inside, migrates forward to the leaf nodes of all apps."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    applied = executor.loader.applied_migrations
    plan = [(graph.nodes[key], True) for key in graph.backwards_plan(migration) if key in applied]
    try:
        if plan:
            executor.migrate(sorted(parent.key for parent in graph.node_map[migration].parents), plan=plan)
        yield applied_state()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
