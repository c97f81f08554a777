"""Moved to `agnitio.invitations.addresses` (the one definition). These names stay importable only until
`youthpass` is ported to the invitations app (issue 10, point 1, phase 2); new code imports the new module."""

from agnitio.invitations.addresses import (  # noqa: F401
    address_changed,
    invitation_address_problem,
    normalise_address,
    stash_invited_address,
    user_has_verified_address,
)
