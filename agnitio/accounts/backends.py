"""Authentication backends: Django's and allauth's, with the user of a session loaded by a prepared query.

Every signed-in request loads its user (`django.contrib.auth.get_user` → the backend's `get_user`); building and
compiling `User.objects.get(pk=…)` cost most of that request's floor. The query here is compiled once per
connection (`core.prepared`, ADR 0019) and otherwise the same: the whole row read on every request (so a changed
password — the session hash — or a blocked account, `is_active` off, takes effect on the very next request), and
`user_can_authenticate` decides as before. Authentication itself (passwords, allauth's e-mail log-in) is unchanged.
When CurrentOrganisationMiddleware loads the request's user, the row comes with the current memberships in one
query (`organisations.selectors.user_read_with_memberships`): the same whole row, read in the same request.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthAuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from agnitio.core.prepared import PreparedQuery
from agnitio.organisations.selectors import memberships_read_none, user_read_with_memberships

_BIGINT = 2**63


def _user_by_pk(pk: int):
    # What ModelBackend.get_user asks (`_default_manager.get(pk=…)`: no ordering), at most two rows.
    return get_user_model()._default_manager.filter(pk=pk).order_by()[:2]


USER_BY_PK = PreparedQuery(_user_by_pk, markers={"pk": -7_318_046_211}, name="accounts.user_by_pk")


class PreparedGetUserMixin:
    def get_user(self, user_id):
        if type(user_id) is not int:  # another primary key type: the ORM's way
            return super().get_user(user_id)  # type: ignore[misc]
        if not -_BIGINT <= user_id < _BIGINT:  # the ORM answers "no such user" for a value no column can hold
            return None
        read, user = user_read_with_memberships(user_id=user_id)  # with the current memberships, in one query
        if user is None:
            user = USER_BY_PK.one(pk=user_id)
            if read and user is not None:
                memberships_read_none(user=user)
        return user if user is not None and self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(PreparedGetUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(PreparedGetUserMixin, AllauthAuthenticationBackend):
    pass


# The backends sessions named before these replaced them (ADR 0019): a session keeps the path of the backend that
# signed it in, and Django signs out a session whose path is no longer in AUTHENTICATION_BACKENDS
# (accounts.middleware.RenamedBackendMiddleware gives such a session the new path).
RENAMED = {"django.contrib.auth.backends.ModelBackend": "agnitio.accounts.backends.ModelBackend",
           "allauth.account.auth_backends.AuthenticationBackend": "agnitio.accounts.backends.AuthenticationBackend"}

