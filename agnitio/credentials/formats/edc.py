"""Which EDC/ELM mapping exports an issued document: a kind with a mapping of its own (micro-credentials: the
Annex I standard elements; Europass Mobility certificates: the stay as a learning activity directed by the host)
uses it; every other kind the generic one (`elm.edc_credential`)."""

from __future__ import annotations

from collections.abc import Callable

from . import elm, elm_microcredential, elm_mobility

EXPORTS: dict[str, Callable[[object], dict]] = {
    "microcredential": elm_microcredential.edc_microcredential,
    "europass_certificate": elm_mobility.edc_mobility_credential,
}


def edc_export(credential) -> dict:
    if credential.kind == "europass_certificate" and not (credential.achievement or {}).get("europass"):
        return elm.edc_credential(credential)  # issued before certificates carried the mobility (no stay to map)
    return EXPORTS.get(credential.kind, elm.edc_credential)(credential)
