"""Reads of the trust layer, limited to what the actor may see ("not found" = "not allowed")."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone

from agnitio.core.emails import email_q, emails_normalise, verified_emails
from agnitio.core.errors import NotFound
from agnitio.core.pagination import DEFAULT_SIZE
from agnitio.core.permissions import allowed, require
from agnitio.core.prepared import PreparedQuery
from agnitio.core.tokens import token_hash

from .models import IssuedCredential, IssuerKey, ShareLink, WalletItem


def _addressed_to(emails: set[str]) -> QuerySet[IssuedCredential]:
    """`holder_email` is stored normalised (credential_issue, migration 0010, a check constraint): a plain IN on the
    normalised addresses, served by credential_holder_issued_idx."""
    if not emails:
        return IssuedCredential.objects.none()
    return IssuedCredential.objects.filter(email_q("holder_email", emails)).select_related("organisation")


def holder_related_q(*, user) -> Q:
    """Documents of organisations the person has a relation with: a membership, or a participation linked to their
    account (subqueries, read by the query that uses them)."""
    from agnitio.organisations.selectors import organisation_ids_of_member_query
    from agnitio.youthpass.selectors import participation_organisation_ids_query

    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return (Q(organisation_id__in=organisation_ids_of_member_query(user=user))
            | Q(organisation_id__in=participation_organisation_ids_query(user=user)))


def _offer_q(related: Q) -> Q:
    """Pushed by the VC API by an organisation the holder has no relation with (`related`), and not yet accepted."""
    return Q(offered_via_api=True) & ~Q(holder_decision="accepted") & ~related


def _holder(actor) -> tuple[set[str], Q]:
    """The holder's confirmed addresses and which organisations they have a relation with (holder_related_q)."""
    emails = verified_emails(actor)  # unconfirmed addresses never open a wallet
    return emails, holder_related_q(user=actor)


def _credentials_of(emails: set[str], related: Q) -> QuerySet[IssuedCredential]:
    addressed = _addressed_to(emails)
    return addressed if not emails else addressed.exclude(_offer_q(related))


def _offers_of(emails: set[str], related: Q) -> QuerySet[IssuedCredential]:
    addressed = _addressed_to(emails)
    return addressed if not emails else addressed.filter(_offer_q(related)).exclude(holder_decision="declined")


def wallet_credential_list(*, actor) -> QuerySet[IssuedCredential]:
    """The holder's documents: issued to their confirmed addresses, less offers they have not accepted (point 12)."""
    return _credentials_of(*_holder(actor))


def wallet_offer_list(*, actor) -> QuerySet[IssuedCredential]:
    """Credentials offered to the holder that wait for their answer (declined ones are no longer shown)."""
    return _offers_of(*_holder(actor))


def wallet_offer_get(*, actor, public_id: str) -> IssuedCredential:
    credential = wallet_offer_list(actor=actor).filter(public_id=public_id).first()
    if credential is None:
        raise NotFound()
    return credential


@dataclass(frozen=True)
class IssuerIdentity:
    """Whether the platform (the national agency's staff) confirmed who an issuer is; public."""

    verified: bool
    verified_on: datetime.date | None = None
    known: bool = True  # False: the issuer is not an organisation of this platform


def issuer_identity(*, organisation=None, issuer_id: str = "") -> IssuerIdentity:
    """The issuer identity of an organisation, or of a credential's issuer DID when it is one of ours."""
    if organisation is None and issuer_id:
        from agnitio.organisations.selectors import organisation_public

        from .dids import organisation_public_id_from_did

        public_id = organisation_public_id_from_did(issuer_id)
        organisation = organisation_public(public_id=public_id) if isinstance(public_id, str) else None
    if organisation is None:
        return IssuerIdentity(verified=False, known=False)
    verified_at = organisation.identity_verified_at
    return IssuerIdentity(verified=verified_at is not None,
                          verified_on=timezone.localdate(verified_at) if verified_at else None)


def wallet_credential_get(*, actor, public_id: str) -> IssuedCredential:
    credential = wallet_credential_list(actor=actor).filter(public_id=public_id).first()
    if credential is None:
        raise NotFound()
    return credential


def wallet_item_list(*, actor) -> QuerySet[WalletItem]:
    if not getattr(actor, "is_authenticated", False):
        return WalletItem.objects.none()
    return WalletItem.objects.filter(user=actor)


def wallet_item_get(*, actor, public_id: str) -> WalletItem:
    item = wallet_item_list(actor=actor).filter(public_id=public_id).first()
    if item is None:
        raise NotFound()
    return item


def share_link_list(*, actor, credential: IssuedCredential) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(credential=credential, created_by=actor)


def share_link_get(*, actor, public_id: str) -> ShareLink:
    link = ShareLink.objects.filter(public_id=public_id, created_by=actor).select_related("credential").first()
    if link is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    return link


def share_link_open(*, token: str) -> ShareLink:
    """A share link anyone holding it may open; expired or revoked links are not found."""
    link = (ShareLink.objects.filter(token_hash=token_hash(token or ""), revoked_at__isnull=True,
                                     expires_at__gt=timezone.now())
            .select_related("credential__organisation").first())
    if link is None:
        raise NotFound()
    return link


def _visible_sources(*, actor, organisation) -> Q:
    """Documents issued for something (a source) are visible to whoever may open that source; documents without
    one to every member. A source of a kind not listed here is visible to owners and admins only."""
    from django.contrib.contenttypes.models import ContentType

    from agnitio.youthpass.selectors import project_ids_visible_to

    project_type = ContentType.objects.get_by_natural_key("youthpass", "project")
    # a Europass mobility document is open to every member of its sending institution (the organisation)
    mobility_type = ContentType.objects.get_by_natural_key("europass", "mobilitydocument")
    return Q(source_type__isnull=True) | Q(source_type=mobility_type) | Q(
        source_type=project_type, source_id__in=project_ids_visible_to(actor=actor, organisation=organisation))


def issued_credential_for_source(*, source) -> IssuedCredential | None:
    """The newest credential issued for `source` (e.g. one Europass mobility certificate) that no later one
    supersedes, or None. For the domain app that owns the source and has checked the actor."""
    from django.contrib.contenttypes.models import ContentType

    return (IssuedCredential.objects.filter(source_type=ContentType.objects.get_for_model(source),
                                            source_id=source.pk, superseded_by__isnull=True)
            .select_related("organisation").order_by("-id").first())


def issued_credential_list(*, actor, organisation) -> QuerySet[IssuedCredential]:
    require(actor, "credentials.view_credential", organisation)
    credentials = IssuedCredential.objects.filter(organisation=organisation)
    if allowed(actor, "credentials.view_all_credentials", organisation):
        return credentials
    return credentials.filter(_visible_sources(actor=actor, organisation=organisation))


def issued_credential_get(*, actor, public_id: str) -> IssuedCredential:
    credential = IssuedCredential.objects.select_related("organisation").filter(public_id=public_id).first()
    if credential is None or not issued_credential_list(actor=actor, organisation=credential.organisation).filter(
            pk=credential.pk).exists():
        raise NotFound()
    return credential


def issuer_key_list(*, organisation) -> QuerySet[IssuerKey]:
    """Public: every key of an issuer DID, active and retired (what its DID document lists)."""
    return IssuerKey.objects.filter(organisation=organisation).order_by("created_at", "id")


def _issuer_keys_listed(organisation_id: int) -> QuerySet[IssuerKey]:
    return issuer_key_list(organisation=organisation_id).only("key_id", "is_active", "retired_at")


_KEYS_LISTED = PreparedQuery(_issuer_keys_listed, markers={"organisation_id": -7_318_046_229},
                             name="credentials.issuer_keys_listed")


def issuer_key_summaries(*, organisation) -> list[IssuerKey]:
    """issuer_key_list with what the issued list shows of each key (its id, whether it is active, when it was
    retired), from a prepared query (the issued list's page asks every time; ADR 0019)."""
    if type(organisation.pk) is not int:
        return list(issuer_key_list(organisation=organisation).only("key_id", "is_active", "retired_at"))
    return _KEYS_LISTED.list(organisation_id=organisation.pk)


# ------------------------------------------------------------------------------------------- list pages

# Keyset order of both lists (core.pagination): newest first, ties on the date broken by id. Indexed by
# (organisation, issued_on, id) and (holder_email, issued_on, id).
LIST_ORDER = ("-issued_on", "-id")
STATES = ("valid", "expired", "revoked", "superseded")  # as verification.credential_status names them

# What the list pages show: never the signed credential (`credential`, kilobytes each) nor the PDF's contents.
_ISSUED_LIST_FIELDS = ("id", "public_id", "organisation_id", "kind", "number", "code", "holder_name", "issued_on",
                       "valid_until", "status", "revocation_reason", "pdf")
# The wallet shows the achievement's name only: read as `achievement_name` (_wallet_summaries), not the whole JSON.
_WALLET_LIST_FIELDS = ("id", "public_id", "organisation_id", "kind", "code", "issued_on", "valid_until", "status",
                       "organisation__id", "organisation__public_id", "organisation__legal_name",
                       "organisation__identity_verified_at")
# The wallet's table of documents shows of the issuer only its name and whether its identity is verified: read as
# annotations (`issuer_legal_name`, `issuer_verified_at`; _wallet_rows_of) rather than an Organisation per row,
# which cost more CPU to build than the rest of the row.
_WALLET_ROW_FIELDS = ("id", "public_id", "organisation_id", "kind", "code", "issued_on", "valid_until", "status")


@dataclass(frozen=True)
class CredentialFilters:
    """A list's search: `text` is a verification code (read as tolerantly as the verify page does), a register
    number, or part of the holder's name (issued list) / the document's or issuer's name (wallet)."""

    text: str = ""
    project_id: int | None = None  # a Youthpass project's pk, from issued_project_choices (visible to the actor)
    issued_from: datetime.date | None = None
    issued_to: datetime.date | None = None
    kind: str = ""
    state: str = ""


def _state_q(state: str) -> Q:
    today = timezone.localdate()
    current = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    return {
        "valid": Q(status=IssuedCredential.Status.VALID) & current,
        "expired": Q(status=IssuedCredential.Status.VALID, valid_until__lt=today),
        "revoked": Q(status=IssuedCredential.Status.REVOKED),
        "superseded": Q(status=IssuedCredential.Status.SUPERSEDED),
    }.get(state, Q())


def _text_q(text: str, *, name_q) -> Q:
    from agnitio.core.search import search_key

    from .numbering import code_normalise, number_is_valid, number_normalise

    code = code_normalise(text)
    if code is not None:
        return Q(code=code)
    number = number_normalise(text)
    if number_is_valid(number):
        return Q(number=number)
    key = search_key(text)
    return name_q(key, text) if key else Q()


def _filtered(credentials: QuerySet[IssuedCredential], filters: CredentialFilters, *, name_q) -> QuerySet:
    if filters.text.strip():
        credentials = credentials.filter(_text_q(filters.text.strip(), name_q=name_q))
    if filters.project_id is not None:
        from django.contrib.contenttypes.models import ContentType

        credentials = credentials.filter(source_type=ContentType.objects.get_by_natural_key("youthpass", "project"),
                                         source_id=filters.project_id)
    if filters.issued_from:
        credentials = credentials.filter(issued_on__gte=filters.issued_from)
    if filters.issued_to:
        credentials = credentials.filter(issued_on__lte=filters.issued_to)
    if filters.kind:
        credentials = credentials.filter(kind=filters.kind)
    if filters.state:
        credentials = credentials.filter(_state_q(filters.state))
    return credentials


def issued_credential_search(*, actor, organisation,
                             filters: CredentialFilters = CredentialFilters()) -> QuerySet[IssuedCredential]:
    """The organisation's issued documents the actor may see, searched and filtered, with only the columns the
    list shows. Holder names are matched on `holder_name_search` (core.search.search_key: any part of the name,
    case and diacritics ignored; a trigram index on PostgreSQL). Unordered: paginate with LIST_ORDER."""
    credentials = issued_credential_list(actor=actor, organisation=organisation).only(*_ISSUED_LIST_FIELDS)
    return _filtered(credentials, filters, name_q=lambda key, text: Q(holder_name_search__contains=key))


def _issued_first_page(organisation_id: int) -> QuerySet[IssuedCredential]:
    """issued_credential_search without filters for an actor who sees every document, as keyset_page reads its
    first page (LIST_ORDER, one row more than the default size)."""
    return (IssuedCredential.objects.filter(organisation=organisation_id).only(*_ISSUED_LIST_FIELDS)
            .order_by(*LIST_ORDER)[:DEFAULT_SIZE + 1])


# The list's most asked page — the first, without a search — compiled once per connection (ADR 0019).
_ISSUED_FIRST = PreparedQuery(_issued_first_page, markers={"organisation_id": -7_318_046_219},
                              name="credentials.issued_first_page")


def issued_credential_first_rows(*, actor, organisation, size: int) -> list[IssuedCredential] | None:
    """The first page of issued_credential_search without filters — `size` + 1 rows at most, in LIST_ORDER — read by
    a prepared query when the actor sees every document of the organisation and the page has the default size;
    None otherwise: read the queryset (core.pagination.keyset_page's `first`)."""
    require(actor, "credentials.view_credential", organisation)
    if (size != DEFAULT_SIZE or type(organisation.pk) is not int
            or not allowed(actor, "credentials.view_all_credentials", organisation)):
        return None
    return _ISSUED_FIRST.list(organisation_id=organisation.pk)


def issued_project_choices(*, actor, organisation) -> list[tuple[int, str, str]]:
    """(pk, public_id, title) of the organisation's projects the actor may open: the issued list's project filter."""
    from agnitio.youthpass.selectors import project_choices

    return project_choices(actor=actor, organisation=organisation)


def wallet_credential_search(*, actor, filters: CredentialFilters = CredentialFilters()) -> QuerySet[IssuedCredential]:
    """The holder's documents (wallet_credential_list), searched and filtered, with only what the wallet's table
    shows (_wallet_rows_of): `text` matches a code, a number, or part of the document's or the issuer's name.
    Unordered: use LIST_ORDER."""
    return _searched(wallet_credential_list(actor=actor), filters)


def _wallet_summaries(credentials: QuerySet[IssuedCredential]) -> QuerySet[IssuedCredential]:
    """Only what the wallet lists: the columns of _WALLET_LIST_FIELDS and `achievement_name` (text, or None)."""
    return credentials.only(*_WALLET_LIST_FIELDS).annotate(achievement_name=KT("achievement__name"))


def _wallet_rows_of(credentials: QuerySet[IssuedCredential]) -> QuerySet[IssuedCredential]:
    """Only what the wallet's table shows: the columns of _WALLET_ROW_FIELDS, `achievement_name` (text, or None),
    and the issuer's `issuer_legal_name` and `issuer_verified_at` (its organisation's legal_name and
    identity_verified_at; the organisation itself is not read: select_related(None) undoes _addressed_to's)."""
    return credentials.select_related(None).only(*_WALLET_ROW_FIELDS).annotate(
        achievement_name=KT("achievement__name"), issuer_legal_name=F("organisation__legal_name"),
        issuer_verified_at=F("organisation__identity_verified_at"))


def _searched(credentials: QuerySet[IssuedCredential], filters: CredentialFilters) -> QuerySet[IssuedCredential]:
    return _filtered(_wallet_rows_of(credentials), filters, name_q=lambda key, text: (
        Q(achievement__name__icontains=text) | Q(organisation__legal_name__icontains=text)))


def wallet_offer_summaries(*, actor) -> QuerySet[IssuedCredential]:
    """The offers (wallet_offer_list) with only what the wallet page shows of them."""
    return _wallet_summaries(wallet_offer_list(actor=actor)).order_by(*LIST_ORDER)


def wallet_item_summaries(*, actor) -> QuerySet[WalletItem]:
    """Stored credentials of other issuers without their JSON (what the wallet page lists)."""
    return wallet_item_list(actor=actor).defer("credential")


def _person(user_id: int):
    """The account with this id, as a query's value (its id is all a filter reads)."""
    from django.contrib.auth import get_user_model

    return get_user_model()(pk=user_id)


def _wallet_first_page(email: str, user_id: int) -> QuerySet[IssuedCredential]:
    """wallet_page's credentials without filters for a holder with one confirmed address, as keyset_page reads
    its first page (LIST_ORDER, one row more than the default size)."""
    related = holder_related_q(user=_person(user_id))
    return _searched(_credentials_of({email}, related), CredentialFilters()).order_by(
        *LIST_ORDER)[:DEFAULT_SIZE + 1]


def _wallet_offers(email: str, user_id: int) -> QuerySet[IssuedCredential]:
    return _wallet_summaries(_offers_of({email}, holder_related_q(user=_person(user_id)))).order_by(*LIST_ORDER)


def _wallet_items(user_id: int) -> QuerySet[WalletItem]:
    return wallet_item_summaries(actor=_person(user_id))


def _confirmed_addresses(user_id: int):
    """core.emails.verified_emails' query as model rows (core.prepared prepares no `values_list`): the person's
    confirmed `EmailAddress` rows, only their address read."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=_person(user_id), verified=True).only("email")


# The wallet page of a holder with one confirmed address (nearly everyone) asks the same three queries each time:
# compiled once per connection (ADR 0019). Markers: an address as email_normalise leaves it, an id no row has.
_EMAIL_MARKER, _USER_MARKER = "\u2063wallet-holder@prepared.invalid\u2063", -7_318_046_223
_WALLET_FIRST = PreparedQuery(_wallet_first_page, markers={"email": _EMAIL_MARKER, "user_id": _USER_MARKER},
                              name="credentials.wallet_first_page")
_WALLET_OFFERS = PreparedQuery(_wallet_offers, markers={"email": _EMAIL_MARKER, "user_id": _USER_MARKER},
                               name="credentials.wallet_offers")
_WALLET_ITEMS = PreparedQuery(_wallet_items, markers={"user_id": _USER_MARKER}, name="credentials.wallet_items")
_CONFIRMED_ADDRESSES = PreparedQuery(_confirmed_addresses, markers={"user_id": _USER_MARKER},
                                     name="credentials.wallet_confirmed_addresses")


def _wallet_emails(actor) -> set[str]:
    """verified_emails(actor), for a signed-in person with an integer id from a prepared query."""
    if not getattr(actor, "is_authenticated", False) or type(getattr(actor, "pk", None)) is not int:
        return verified_emails(actor)
    return emails_normalise(address.email for address in _CONFIRMED_ADDRESSES.list(user_id=actor.pk))


class WalletPage:
    """What the wallet page lists — wallet_credential_search, wallet_offer_summaries, wallet_item_summaries — with
    the holder's addresses read once for all three (each alone reads them again). Each list is built when it is
    first read; for a holder with one confirmed address the offers, the stored credentials and the first page of
    the documents without a search (`first`) come from prepared queries: the same rows as the querysets."""

    def __init__(self, *, actor, filters: CredentialFilters = CredentialFilters()) -> None:
        self._actor, self._filters = actor, filters
        self._emails = _wallet_emails(actor)  # unconfirmed addresses never open a wallet
        self.has_confirmed_email = bool(self._emails)
        self._prepared = len(self._emails) == 1 and type(getattr(actor, "pk", None)) is int

    @functools.cached_property
    def _related(self) -> Q:
        return holder_related_q(user=self._actor)

    @functools.cached_property
    def credentials(self) -> QuerySet[IssuedCredential]:
        """Searched and filtered, unordered (use LIST_ORDER)."""
        return _searched(_credentials_of(self._emails, self._related), self._filters)

    @functools.cached_property
    def offers(self) -> QuerySet[IssuedCredential] | list[IssuedCredential]:
        if self._prepared:
            return _WALLET_OFFERS.list(email=next(iter(self._emails)), user_id=self._actor.pk)
        return _wallet_summaries(_offers_of(self._emails, self._related)).order_by(*LIST_ORDER)

    @functools.cached_property
    def items(self) -> QuerySet[WalletItem] | list[WalletItem]:
        if self._prepared:
            return _WALLET_ITEMS.list(user_id=self._actor.pk)
        return wallet_item_summaries(actor=self._actor)

    def first(self, size: int) -> list[IssuedCredential] | None:
        """The first page of `credentials` (`size` + 1 rows at most, LIST_ORDER) from a prepared query when there is
        no search and the page has the default size; None otherwise (core.pagination.keyset_page's `first`)."""
        if not self._prepared or size != DEFAULT_SIZE or self._filters != CredentialFilters():
            return None
        return _WALLET_FIRST.list(email=next(iter(self._emails)), user_id=self._actor.pk)


def wallet_page(*, actor, filters: CredentialFilters = CredentialFilters()) -> WalletPage:
    """What the wallet page lists (WalletPage), for the holder `actor`."""
    return WalletPage(actor=actor, filters=filters)


# --- a person's data (their export and erasure, agnitio.accounts.privacy) ---------------------------------------

def credential_is_current(credential: IssuedCredential | None) -> bool:
    """Whether a document is in force: neither revoked nor superseded (for the apps that issued it)."""
    return credential is not None and credential.status == IssuedCredential.Status.VALID


def holder_credential_list(*, emails: set[str], ids: list[int]) -> QuerySet[IssuedCredential]:
    """Documents issued to a person: addressed to one of their confirmed `emails` (whatever their case: compared
    normalised, core.emails), or with one of `ids` (e.g. the certificates of their participations), oldest first."""
    query = Q(pk__in=ids) | email_q("holder_email", emails)
    return IssuedCredential.objects.filter(query).select_related("organisation").order_by("issued_on", "id")


def share_links_created_by(*, user) -> QuerySet[ShareLink]:
    """The share links the person made, with their documents."""
    return ShareLink.objects.filter(created_by=user).select_related("credential")
