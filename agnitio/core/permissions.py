"""Asking a permission: the one way services, selectors, views and API endpoints check what an actor may do.

Every permission is named `<app>.<verb>_<thing>` and registered once, with its predicate, in the app's `rules.py`
(django-rules). Nothing else calls the predicates. The registry is asked directly (not `user.has_perm`) so that
Django's "an active superuser has every permission" shortcut never opens an organisation's data to platform staff.

"Not found" and "not allowed" are the same answer unless the actor may see the object: `require(...)` raises
`NotFound`; with `visible=` (a lesser permission, e.g. `organisations.view_organisation`), someone who may see the
object but not do this gets `PermissionDenied(message)`.
"""

from __future__ import annotations

import rules
from django.core.exceptions import ImproperlyConfigured

from .errors import NotFound, PermissionDenied


def allowed(actor, perm: str, obj=None) -> bool:
    """Whether `actor` has the named permission on `obj` (for templates' flags and filters)."""
    if not rules.perm_exists(perm):
        raise ImproperlyConfigured(f"Unknown permission {perm!r}: register it in the app's rules.py.")
    return actor is not None and rules.has_perm(perm, actor, obj)


def require(actor, perm: str, obj=None, *, visible: str | None = None, hide: bool = True, message=None) -> None:
    """Raise unless `actor` has `perm` on `obj`: NotFound, or PermissionDenied(message) when the actor has the
    `visible` permission, or always PermissionDenied(message) with `hide=False` (where the object's existence is
    no secret to the caller, e.g. the organisation they chose to work in)."""
    if allowed(actor, perm, obj):
        return
    if not hide or (visible is not None and allowed(actor, visible, obj)):
        raise PermissionDenied(message)
    raise NotFound()
