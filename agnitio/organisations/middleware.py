"""The current organisation of a signed-in user, re-read from the database on every request.

`request.organisation` (or None), `request.membership` (or None) and `request.memberships` (all of the
user's memberships, organisations joined, in one query). The choice is kept in the session by public id
only, so a revoked membership stops working on the very next request.

It also clears the organisation scope (`access.organisation_scope_set`) before and after every request, so the
restriction a bound API token sets never outlives its request (threads are reused).
Role checks (`access.role_in`) for the rest of the request answer from these memberships
(`access.roles_remember`).
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
        from .selectors import membership_list_for_user

        request.organisation = None
        request.membership = None
        request.memberships = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = list(membership_list_for_user(user=user))
            request.memberships = memberships
            roles_remember(user, memberships)  # role checks later in this request need no query of their own
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organisation.public_id == wanted), None)
            if current is None and memberships:
                current = memberships[0]
            if current is not None:
                request.membership = current
                request.organisation = current.organisation
        return self.get_response(request)
