"""Sample documents of a kind made through the app that owns the kind (`manage.py credential_sample`): a domain app
registers a maker in its `AppConfig.ready`, so the trust layer never imports it::

    sample_maker_register("microcredential", make)   # make(*, membership, holder_email) -> IssuedCredential

A kind without a maker is issued from the command's fixed sample achievement."""

from __future__ import annotations

from collections.abc import Callable

_MAKERS: dict[str, Callable[..., object]] = {}


def sample_maker_register(kind: str, maker: Callable[..., object]) -> None:
    _MAKERS[kind] = maker


def sample_maker_get(kind: str) -> Callable[..., object] | None:
    return _MAKERS.get(kind)
