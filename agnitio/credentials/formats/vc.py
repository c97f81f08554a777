"""A posted W3C VC 2.0 credential (VC API) completed for signing: what was posted is kept as it is; the issuer adds
only what is missing (`id`, `validFrom`) and its `credentialStatus` entry (beside any the caller posted)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def credential_complete(*, document: dict, credential_id: str, status: dict) -> dict:
    """The unsigned credential: `document` (already checked by `vc_api`) plus id, validFrom and status."""
    credential = dict(document)
    credential.setdefault("id", credential_id)
    credential.setdefault("validFrom", timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    if "credentialStatus" in credential:  # the caller's own entries stay, ours is added beside them
        posted = credential["credentialStatus"]
        credential["credentialStatus"] = [*(posted if isinstance(posted, list) else [posted]), status]
    else:
        credential["credentialStatus"] = status
    return credential
