"""The registry of invitation kinds: what an invitation of each kind means, who may manage it, what accepting does.

Each app registers its kinds in its ``AppConfig.ready``::

    kinds.register(InvitationKind(name="organisation_member", label=_("organisation member"), accept=..., ...))

The invitations app stays ignorant of the objects invited to; a kind supplies every kind-specific step.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InvitationKind:
    """What is kind-specific about an invitation.

    - ``accept(*, invitation, user)`` grants what the invitation is for, inside the accepting transaction, and
      returns the granted object (audited as the grant); it raises ``ApplicationError`` to refuse.
    - ``may_manage(actor, obj)`` says whether ``actor`` may send (``obj`` is the target), resend or revoke (``obj``
      is the invitation).
    - ``describe(invitation)`` is one sentence of what the invitee is invited to (page and e-mail, in the active
      language); ``subject(invitation)`` the e-mail's subject.
    - ``check_send(*, actor, organisation, target, email, payload)`` refuses an invitation before it is made
      (unknown role, already a member, …); optional.
    - ``accepted_url(request, result)`` where the invitee goes after accepting (may add a message); optional.
    - ``manage_url(invitation)`` where the organiser goes back to after a resend or revoke.
    - ``expiry()`` how long a link is valid.
    - ``one_per_target``: a new invitation for the same target revokes the open one (a person has one address).
    """

    name: str
    label: Any
    accept: Callable[..., Any]
    may_manage: Callable[[Any, Any], bool]
    describe: Callable[[Any], str]
    subject: Callable[[Any], str]
    manage_url: Callable[[Any], str]
    expiry: Callable[[], datetime.timedelta]
    check_send: Callable[..., None] | None = None
    accepted_url: Callable[[Any, Any], str] | None = None
    email_template: str = "invitations/email/invitation"
    one_per_target: bool = False


_KINDS: dict[str, InvitationKind] = {}


def register(kind: InvitationKind) -> InvitationKind:
    """Register `kind` (once per name; registering the same definition again, as a reloaded app does, is a no-op)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"invitation kind {kind.name!r} is already registered")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> InvitationKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown invitation kind {name!r}") from None


def names() -> list[str]:
    return sorted(_KINDS)


def target_of(obj: Any) -> Any:
    """The target row when `obj` is an invitation, otherwise `obj` itself (a kind's hooks get the invitation, or the
    target when it is being sent)."""
    from .models import Invitation

    return obj.target if isinstance(obj, Invitation) else obj
