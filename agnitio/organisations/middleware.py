"""The current organisation of a signed-in user, re-read from the database on every request.

`request.organisation` (or None), `request.membership` (or None) and `request.other_organisations` (whether the
user is a member of another organisation too, so the navigation offers to switch) — in one query whatever the
number of memberships: the wanted membership (or the first by name) and at most one more. The choice is kept in
the session by public id only, so a revoked membership stops working on the very next request. The full list of a
person's organisations is on the "My organisations" page (the chooser), one page at a time.

It also clears the organisation scope (`access.organisation_scope_set`) before and after every request, so the
restriction a bound API token sets never outlives its request (threads are reused).
Role checks (`access.role_in`) for the current organisation answer from the membership read here
(`access.roles_remember`); a role elsewhere is read once per request.
"""

from __future__ import annotations

SESSION_KEY = "agnitio_organisation"


class CurrentOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .access import organisation_scope_set

        organisation_scope_set(None)
        try:
            return self._call(request)
        finally:
            organisation_scope_set(None)

    def _call(self, request):
        from .access import roles_remember
        from .selectors import membership_current_for_user, memberships_read_with_user

        request.organisation = None
        request.membership = None
        request.other_organisations = False
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        wanted = session.get(SESSION_KEY) if session is not None else None
        with memberships_read_with_user(wanted=wanted):  # the user, if first loaded now, with its memberships
            signed_in = user is not None and user.is_authenticated
        if signed_in:
            current, others = membership_current_for_user(user=user, wanted=wanted)
            roles_remember(user, [current] if current is not None else [])
            if current is not None:
                request.membership = current
                request.organisation = current.organisation
                request.other_organisations = others
        return self.get_response(request)
