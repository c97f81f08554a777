"""Reads about organisations. Every selector returns only what the actor may see; not found = not allowed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db.models import Case, Exists, IntegerField, Min, OuterRef, QuerySet, Subquery, Value, When

from agnitio.core.errors import NotFound
from agnitio.core.models import AuditEvent
from agnitio.core.pagination import DEFAULT_SIZE
from agnitio.core.permissions import allowed
from agnitio.core.prepared import PreparedQuery

from .access import in_scope, memberships_of, organisation_scope
from .models import Membership, Organisation, Signatory, SignatureImage


def membership_list_for_user(*, user) -> QuerySet[Membership]:
    """The user's memberships with their organisations (one query), by organisation name."""
    return (
        memberships_of(user)
        .select_related("organisation")
        .order_by(*OWN_MEMBERSHIP_ORDER)
    )


OWN_MEMBERSHIP_ORDER = ("organisation__legal_name", "organisation__id", "id")  # "my organisations", by name


def _memberships_of_user(user_id: int, wanted: str | None = None, *, related: tuple[str, ...] = ("organisation",)):
    """The user's first two memberships by name — the one in organisation `wanted` first, when given — with the
    `related` rows read along (the builder of the prepared queries below)."""
    memberships = Membership.objects.filter(user_id=user_id).select_related(*related)
    if wanted is None:
        return memberships.order_by(*OWN_MEMBERSHIP_ORDER)[:2]
    return memberships.alias(
        _not_wanted=Case(When(organisation__public_id=wanted, then=Value(0)), default=Value(1))
    ).order_by("_not_wanted", *OWN_MEMBERSHIP_ORDER)[:2]


# Every signed-in request asks (CurrentOrganisationMiddleware): compiled once per connection (core.prepared), the
# rows read from the database each time — a removed membership is gone on the very next request.
_CURRENT = PreparedQuery(_memberships_of_user, markers={"user_id": -7_318_046_211},
                         name="organisations.membership_current")
_CURRENT_WANTED = PreparedQuery(_memberships_of_user,
                                markers={"user_id": -7_318_046_211, "wanted": "\u2063membership-wanted\u2063"},
                                name="organisations.membership_current_wanted")


DASHBOARD_ORGANISATIONS = 10  # the home page names this many; "My organisations" lists them all, page by page


def _memberships_of_user_dashboard(user_id: int):
    return Membership.objects.filter(user_id=user_id).select_related("organisation").order_by(
        *OWN_MEMBERSHIP_ORDER)[:DASHBOARD_ORGANISATIONS + 1]


# The home page of everyone in more than one organisation names them: compiled once per connection, like the
# current membership's query; read from the database each time.
_DASHBOARD = PreparedQuery(_memberships_of_user_dashboard, markers={"user_id": -7_318_046_218},
                           name="organisations.membership_dashboard")


def membership_list_for_dashboard(*, user) -> list[Membership]:
    """The first DASHBOARD_ORGANISATIONS + 1 of `membership_list_for_user(user=user)` (one more, to know whether
    there are others)."""
    if (organisation_scope() is not None or type(getattr(user, "pk", None)) is not int
            or not getattr(user, "is_authenticated", False)):  # a scoped request, or no user: the ORM's way
        return list(membership_list_for_user(user=user)[:DASHBOARD_ORGANISATIONS + 1])
    return _DASHBOARD.list(user_id=user.pk)


def membership_current_for_user(*, user, wanted: str | None) -> tuple[Membership | None, bool]:
    """The membership the user works in — the one in the organisation with public id `wanted` if they are a member
    of it, otherwise their first by name (None if they have none) — and whether they have another one. One query
    reading at most two rows, however many organisations the person belongs to (every signed-in page asks) — or
    none, when the request's user was read together with these rows (`user_read_with_memberships`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None, False
    read = getattr(user, MEMBERSHIPS_READ_ATTRIBUTE, None)
    if read is not None:
        delattr(user, MEMBERSHIPS_READ_ATTRIBUTE)  # read for this question once, in this request
        read_wanted, rows = read
        if read_wanted == wanted and organisation_scope() is None:
            return (rows[0] if rows else None), len(rows) > 1
    if organisation_scope() is not None or type(user.pk) is not int:  # a scoped API request: the ORM's way
        qs = membership_list_for_user(user=user)
        if wanted:
            qs = qs.alias(_not_wanted=Case(When(organisation__public_id=wanted, then=Value(0)), default=Value(1))
                          ).order_by("_not_wanted", *OWN_MEMBERSHIP_ORDER)
        rows = list(qs[:2])
    elif wanted:  # as the CharField lookup would take it
        rows = _CURRENT_WANTED.list(user_id=user.pk, wanted=str(wanted))
    else:
        rows = _CURRENT.list(user_id=user.pk)
    return (rows[0] if rows else None), len(rows) > 1


# --- the request's user and its current memberships in one query
#
# CurrentOrganisationMiddleware is where a signed-in request first needs its user, and it then needs the current
# membership: while it loads the user (`memberships_read_with_user`), the authentication backend asks
# `user_read_with_memberships`, which reads the same two membership rows as membership_current_for_user with the
# user's row joined (the whole row, as the backend's own query reads it) — one query instead of two. The rows are
# left on that request's user object for membership_current_for_user, which takes them once. Everything is read
# from the database in this request, as before: a blocked account, a changed password or a removed membership
# still takes effect on the very next request. A person without a membership gets no row: the backend reads the
# user alone, as before, and the empty answer is left the same way.

MEMBERSHIPS_READ_ATTRIBUTE = "_agnitio_memberships_read"
_loading: ContextVar[tuple[str | None] | None] = ContextVar("agnitio_memberships_loading", default=None)


_memberships_with_user = partial(_memberships_of_user, related=("organisation", "user"))
_WITH_USER = PreparedQuery(_memberships_with_user, markers={"user_id": -7_318_046_211},
                           name="organisations.membership_current_with_user")
_WITH_USER_WANTED = PreparedQuery(_memberships_with_user,
                                  markers={"user_id": -7_318_046_211, "wanted": "\u2063membership-wanted\u2063"},
                                  name="organisations.membership_current_with_user_wanted")


@contextmanager
def memberships_read_with_user(*, wanted: str | None) -> Iterator[None]:
    """While the request's user is loaded: let the backend read the user with the memberships `wanted` selects."""
    token = _loading.set((wanted,))
    try:
        yield
    finally:
        _loading.reset(token)


def user_read_with_memberships(*, user_id: int) -> tuple[bool, object | None]:
    """(whether the memberships were read, the user read with them). (False, None) outside
    `memberships_read_with_user` or in a scoped request; (True, None) when the user has no membership (or no such
    user): the caller reads the user alone and gives it to `memberships_read_none`."""
    loading = _loading.get()
    if loading is None or organisation_scope() is not None:
        return False, None
    (wanted,) = loading
    # as membership_current_for_user asks
    rows = _WITH_USER_WANTED.list(user_id=user_id, wanted=str(wanted)) if wanted else _WITH_USER.list(
        user_id=user_id)
    if not rows:
        return True, None
    user = rows[0].user
    setattr(user, MEMBERSHIPS_READ_ATTRIBUTE, (wanted, rows))
    return True, user


def memberships_read_none(*, user) -> None:
    """`user_read_with_memberships` found no membership of this user: membership_current_for_user need not ask."""
    loading = _loading.get()
    if loading is not None:
        setattr(user, MEMBERSHIPS_READ_ATTRIBUTE, (loading[0], []))


def organisation_public(*, public_id: str) -> Organisation | None:
    """The organisation with this public id, for what is public about it (its DID document, status lists, issuer
    identity on a verification page) — no actor, so the caller shows nothing else of it. None if there is none."""
    return Organisation.objects.filter(public_id=public_id).first() if public_id else None


def organisation_ids_of_member(*, user) -> set[int]:
    """Ids of all organisations `user` is a member of — the person's own relations (e.g. for their wallet), so
    regardless of a request's organisation scope."""
    return set(organisation_ids_of_member_query(user=user).values_list("organisation_id", flat=True))


def organisation_ids_of_member_query(*, user) -> QuerySet:
    """organisation_ids_of_member as a subquery (`organisation_id__in=...`), read by the query that uses it."""
    return Membership.objects.filter(user=user).values("organisation_id")


def organisation_admin_user_ids(*, organisation_id: int) -> QuerySet:
    """The ids of the organisation's owners and admins (for notices sent to them by the domain apps)."""
    return Membership.objects.filter(organisation_id=organisation_id, role__in=Membership.ADMIN_ROLES).values(
        "user_id")


def organisations_owned_only_by(*, user) -> list[Organisation]:
    """The organisations whose only owner is `user` (they would be left without one if the person left)."""
    return [m.organisation for m in Membership.objects.filter(user=user, role="owner").select_related("organisation")
            if Membership.objects.filter(organisation=m.organisation, role="owner").count() <= 1]


def organisation_list(*, actor) -> QuerySet[Organisation]:
    if not getattr(actor, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=memberships_of(actor).values("organisation_id")).order_by(
        "legal_name", "id")


def organisation_get(*, actor, public_id: str, membership: Membership | None = None) -> Organisation:
    """The organisation if the actor is its member; otherwise NotFound. `membership`: one of the actor's memberships
    read in this request (`request.membership`, CurrentOrganisationMiddleware): when it is in this organisation,
    it answers without another query."""
    if (membership is not None and membership.user_id == getattr(actor, "pk", None)
            and membership.organisation.public_id == public_id and in_scope(membership.organisation)):
        return membership.organisation
    organisation = organisation_list(actor=actor).filter(public_id=public_id).first()
    if organisation is None:
        raise NotFound()
    return organisation


def organisation_get_for_admin(*, actor, public_id: str, membership: Membership | None = None) -> Organisation:
    """The organisation if the actor is its owner or admin; otherwise NotFound. `membership`: as organisation_get."""
    organisation = organisation_get(actor=actor, public_id=public_id, membership=membership)
    if not allowed(actor, "organisations.change_organisation", organisation):
        raise NotFound()
    return organisation


def membership_get(*, actor, organisation) -> Membership:
    """The actor's own membership in the organisation; NotFound if they are not a member."""
    if not getattr(actor, "is_authenticated", False) or organisation is None:
        raise NotFound()
    membership = (
        memberships_of(actor).filter(organisation=organisation).select_related("organisation", "user").first()
    )
    if membership is None:
        raise NotFound()
    return membership


def membership_list(*, actor, organisation) -> QuerySet[Membership]:
    """Members of the organisation (any member may see who else is in it)."""
    if not allowed(actor, "organisations.view_organisation", organisation):
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by(*MEMBER_ORDER)
    )


MEMBER_ORDER = ("user__full_name", "user__email", "id")  # the member list, by name (core.pagination)
# What a row of the member list shows (organisations.rows.member_rows): `membership_list(...).only(*...)`.
MEMBER_ROW_FIELDS = ("id", "public_id", "created_at", "organisation_id", "user_id", "role", "user__id",
                     "user__full_name", "user__email")


def member_first_page_rows(organisation_id: int) -> QuerySet[Membership]:
    """The rows `keyset_page(membership_list(...).only(*MEMBER_ROW_FIELDS), ordering=MEMBER_ORDER)` asks for the
    first page (one more than the default size)."""
    return (Membership.objects.filter(organisation_id=organisation_id).select_related("user")
            .only(*MEMBER_ROW_FIELDS).order_by(*MEMBER_ORDER)[:DEFAULT_SIZE + 1])


# The member list's first page is what every member opens: compiled once per connection (core.prepared, ADR 0019),
# the rows read from the database each time (a removed member is gone on the next request).
_MEMBER_FIRST_PAGE = PreparedQuery(member_first_page_rows, markers={"organisation_id": -7_318_046_215},
                                   name="organisations.member_first_page")


def member_first_page(*, actor, organisation) -> list[Membership]:
    """The member list's first page (and one more row) as `member_first_page_rows`; none for a non-member, as
    `membership_list`."""
    if not allowed(actor, "organisations.view_organisation", organisation):
        return []
    return _MEMBER_FIRST_PAGE.list(organisation_id=organisation.pk)


class _RowCount(Subquery):
    """The number of rows of a queryset as a scalar subquery — `(SELECT COUNT(*) FROM (<its SQL>) _count)`, what
    core.selectors.counts asks for each count — so that several counts can be annotations of one model query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet) -> None:
        super().__init__(queryset.order_by().values("pk"))


def _overview_counts(organisation_id: int) -> QuerySet[Organisation]:
    """The organisation overview's numbers, as annotations of its row: members, signatories, active images."""
    return Organisation.objects.filter(pk=organisation_id).only("id").annotate(
        member_count=_RowCount(Membership.objects.filter(organisation_id=organisation_id)),
        signatory_count=_RowCount(Signatory.objects.filter(organisation_id=organisation_id)),
        signature_count=_RowCount(SignatureImage.objects.filter(organisation_id=organisation_id, is_active=True)))


def _dashboard_counts(organisation_id: int) -> QuerySet[Organisation]:
    """The home page's next steps' numbers: active signatories, default signature and stamp, members."""
    defaults = SignatureImage.objects.filter(organisation_id=organisation_id, is_active=True, is_default=True)
    return Organisation.objects.filter(pk=organisation_id).only("id").annotate(
        signatory_count=_RowCount(Signatory.objects.filter(organisation_id=organisation_id, is_active=True)),
        signatures=_RowCount(defaults.filter(kind=SignatureImage.Kind.SIGNATURE)),
        stamps=_RowCount(defaults.filter(kind=SignatureImage.Kind.STAMP)),
        member_count=_RowCount(Membership.objects.filter(organisation_id=organisation_id)))


# Every organisation's overview and every admin's home page ask these numbers: compiled once per connection
# (core.prepared, ADR 0019), counted by the database each time.
_OVERVIEW_COUNTS = PreparedQuery(_overview_counts, markers={"organisation_id": -7_318_046_216},
                                 name="organisations.overview_counts")
_DASHBOARD_COUNTS = PreparedQuery(_dashboard_counts, markers={"organisation_id": -7_318_046_217},
                                  name="organisations.dashboard_counts")
OVERVIEW_COUNTS = ("member_count", "signatory_count", "signature_count")
DASHBOARD_COUNTS = ("signatory_count", "signatures", "stamps", "member_count")


def _counted(prepared: PreparedQuery, names: tuple[str, ...], organisation) -> dict[str, int]:
    row = prepared.one(organisation_id=organisation.pk)
    return {name: getattr(row, name) if row is not None else 0 for name in names}


def organisation_overview_counts(*, actor, organisation) -> dict[str, int]:
    """How many members, signatories and active signatures and stamps the organisation has (one query); zeros for
    anyone who may not see it, as the lists' selectors answer."""
    if not allowed(actor, "organisations.view_organisation", organisation):
        return dict.fromkeys(OVERVIEW_COUNTS, 0)
    return _counted(_OVERVIEW_COUNTS, OVERVIEW_COUNTS, organisation)


def dashboard_step_counts(*, actor, organisation) -> dict[str, int]:
    """The numbers behind an admin's next steps on the home page (one query): active signatories, default
    signatures, default stamps, members; zeros for anyone who may not change the organisation."""
    if not allowed(actor, "organisations.change_organisation", organisation):
        return dict.fromkeys(DASHBOARD_COUNTS, 0)
    return _counted(_DASHBOARD_COUNTS, DASHBOARD_COUNTS, organisation)


def membership_get_in(*, actor, organisation, public_id: str) -> Membership:
    membership = membership_list(actor=actor, organisation=organisation).filter(public_id=public_id).first()
    if membership is None:
        raise NotFound()
    return membership


def signatory_list(*, actor, organisation, active_only: bool = False) -> QuerySet[Signatory]:
    if not allowed(actor, "organisations.view_organisation", organisation):
        return Signatory.objects.none()
    qs = Signatory.objects.filter(organisation=organisation)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("full_name", "id")


def signatory_get(*, actor, organisation, public_id: str) -> Signatory:
    signatory = signatory_list(actor=actor, organisation=organisation).filter(public_id=public_id).first()
    if signatory is None:
        raise NotFound()
    return signatory


def signature_list(*, actor, organisation) -> QuerySet[SignatureImage]:
    if not allowed(actor, "organisations.view_organisation", organisation):
        return SignatureImage.objects.none()
    return SignatureImage.objects.filter(organisation=organisation).select_related("signatory")


SIGNATURE_ORDER = ("kind", "-is_default", "-created_at", "-id")  # the model's ordering, made unique


def signature_get(*, actor, organisation, public_id: str) -> SignatureImage:
    signature = signature_list(actor=actor, organisation=organisation).filter(public_id=public_id).first()
    if signature is None:
        raise NotFound()
    return signature


def signature_default(*, organisation, kind: str) -> SignatureImage | None:
    """The organisation's active default signature or stamp (processed image present), or None.

    For document rendering: no actor, the caller has already checked access to the organisation.
    """
    return (
        SignatureImage.objects.filter(organisation=organisation, kind=kind, is_default=True, is_active=True)
        .exclude(image_cropped="")
        .select_related("signatory")
        .first()
    )


def audit_event_list(
    *, actor, organisation, object_type: str = "", object_id: str = "", person: str = ""
) -> QuerySet[AuditEvent]:
    """The organisation's history for its admins, newest first, filtered by object and/or person (public id)."""
    if not allowed(actor, "organisations.view_audit", organisation):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(organisation=organisation)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    if person:
        qs = qs.filter(actor__public_id=person)
    return qs.order_by(*AUDIT_ORDER)


# The history's filter form asks for the object types and the people of the organisation's history every time the
# page opens, and its first page of events (no filter, no cursor, the default size) is what an admin opens first:
# compiled once per connection (core.prepared, ADR 0019), the rows read from the database each time. The tests
# (organisations/tests/test_prepared_pages.py) compare the SQL and the rows with the plain ORM's.


def _audit_types_first_events(organisation_id: int) -> QuerySet[AuditEvent]:
    """One event per object type of the organisation's history (the first), by object type: the object types
    `SELECT DISTINCT object_type ... ORDER BY object_type` gives, as model rows (what core.prepared can prepare)."""
    firsts = (AuditEvent.objects.filter(organisation_id=organisation_id).order_by().values("object_type")
              .annotate(first=Min("id")).values("first"))
    return AuditEvent.objects.filter(pk__in=firsts).only("object_type").order_by("object_type")


def _audit_people_users(organisation_id: int) -> QuerySet:
    """Everyone who appears as actor in the organisation's history, by name and address, with `outside_label`:
    None for a member, for someone outside the organisation (a Europass host or participant) the address the
    organisation gave them, as its history names them (audit_record's actor_label of their newest event) — never
    their account's name and address. One query, however many people."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    events = AuditEvent.objects.filter(organisation_id=organisation_id, actor__isnull=False)
    outside = Case(
        When(Exists(Membership.objects.filter(organisation_id=organisation_id, user=OuterRef("pk"))),
             then=Value(None)),
        default=Subquery(events.filter(actor=OuterRef("pk")).order_by("-id").values("actor_label")[:1]))
    return (User.objects.filter(pk__in=events.values("actor_id")).annotate(outside_label=outside)
            .only("public_id", "full_name", "email").order_by("full_name", "email"))


def audit_events_first_page_rows(organisation_id: int) -> QuerySet[AuditEvent]:
    """The rows `keyset_page(audit_event_list(...), ordering=AUDIT_ORDER)` asks for the first page (one more than
    the default size, to know whether another page follows) when no filter is given."""
    return AuditEvent.objects.filter(organisation_id=organisation_id).order_by(*AUDIT_ORDER)[:DEFAULT_SIZE + 1]


AUDIT_ORDER = ("-created_at", "-id")  # the history, newest first (core.pagination)
_ORGANISATION_MARKER = -7_318_046_212
_AUDIT_TYPES = PreparedQuery(_audit_types_first_events, markers={"organisation_id": _ORGANISATION_MARKER},
                             name="organisations.audit_object_types")
_AUDIT_PEOPLE = PreparedQuery(_audit_people_users, markers={"organisation_id": _ORGANISATION_MARKER},
                              name="organisations.audit_people")
_AUDIT_FIRST_PAGE = PreparedQuery(audit_events_first_page_rows, markers={"organisation_id": _ORGANISATION_MARKER},
                                  name="organisations.audit_first_page")


def audit_object_types(*, actor, organisation) -> list[str]:
    """The object types in the organisation's history, sorted, each once (for its admins; none for anyone else)."""
    if not allowed(actor, "organisations.view_audit", organisation):
        return []
    return [event.object_type for event in _AUDIT_TYPES.list(organisation_id=organisation.pk)]


def audit_people(*, actor, organisation) -> list[tuple[str, str]]:
    """(public id, label) of everyone who appears as actor in the organisation's history (for its admins; none for
    anyone else): a member by name and address, someone outside by the address the organisation gave them."""
    if not allowed(actor, "organisations.view_audit", organisation):
        return []
    return [(user.public_id, user.outside_label if user.outside_label is not None
             else user.full_name and f"{user.full_name} <{user.email}>" or user.email)
            for user in _AUDIT_PEOPLE.list(organisation_id=organisation.pk)]


def audit_event_first_page(*, actor, organisation) -> list[AuditEvent]:
    """The rows of the history's first page without filters (`audit_events_first_page_rows`); none for anyone who
    may not see the history, as `audit_event_list`."""
    if not allowed(actor, "organisations.view_audit", organisation):
        return []
    return _AUDIT_FIRST_PAGE.list(organisation_id=organisation.pk)
