"""Reads of the trust layer, limited to what the actor may see ("not found" = "not allowed")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet
from django.utils import timezone

from agnitio.core.errors import NotFound
from agnitio.core.tokens import token_hash
from agnitio.organisations.rules import is_org_admin

from . import rules as credential_rules
from .models import IssuedCredential, IssuerKey, ShareLink, WalletItem


def wallet_emails(*, user) -> set[str]:
    """The holder's confirmed e-mail addresses (lower case); unconfirmed ones never open a wallet."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)}


def _addressed_to(actor) -> QuerySet[IssuedCredential]:
    emails = wallet_emails(user=actor)
    if not emails:
        return IssuedCredential.objects.none()
    return IssuedCredential.objects.filter(holder_email__in=emails).select_related("organisation")


def holder_related_organisation_ids(*, user) -> set[int]:
    """Organisations the person has a relation with: a membership, or a participation linked to their account."""
    from agnitio.organisations.models import Membership
    from agnitio.youthpass.selectors import participation_organisation_ids

    if not getattr(user, "is_authenticated", False):
        return set()
    ids = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    ids |= participation_organisation_ids(user=user)
    return ids


def _offer_q(related: set[int]) -> Q:
    """Pushed by the VC API by an organisation the holder has no relation with, and not yet accepted."""
    return Q(offered_via_api=True) & ~Q(holder_decision="accepted") & ~Q(organisation_id__in=related)


def wallet_credential_list(*, actor) -> QuerySet[IssuedCredential]:
    """The holder's documents: issued to their confirmed addresses, less offers they have not accepted (point 12)."""
    addressed = _addressed_to(actor)
    if not addressed.query.is_empty():
        addressed = addressed.exclude(_offer_q(holder_related_organisation_ids(user=actor)))
    return addressed


def wallet_offer_list(*, actor) -> QuerySet[IssuedCredential]:
    """Credentials offered to the holder that wait for their answer (declined ones are no longer shown)."""
    addressed = _addressed_to(actor)
    if addressed.query.is_empty():
        return addressed
    return addressed.filter(_offer_q(holder_related_organisation_ids(user=actor))).exclude(holder_decision="declined")


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
        from agnitio.organisations.models import Organisation

        from .dids import organisation_public_id_from_did

        public_id = organisation_public_id_from_did(issuer_id)
        organisation = Organisation.objects.filter(public_id=public_id).first() if public_id else None
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
    return Q(source_type__isnull=True) | Q(
        source_type=project_type, source_id__in=project_ids_visible_to(actor=actor, organisation=organisation))


def issued_credential_list(*, actor, organisation) -> QuerySet[IssuedCredential]:
    if not credential_rules.can_view_issued(actor, organisation):
        raise NotFound()
    credentials = IssuedCredential.objects.filter(organisation=organisation)
    if is_org_admin(actor, organisation):
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
