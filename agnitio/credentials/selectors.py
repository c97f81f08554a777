"""Reads of the trust layer, limited to what the actor may see ("not found" = "not allowed")."""

from __future__ import annotations

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


def wallet_credential_list(*, actor) -> QuerySet[IssuedCredential]:
    emails = wallet_emails(user=actor)
    if not emails:
        return IssuedCredential.objects.none()
    return IssuedCredential.objects.filter(holder_email__in=emails).select_related("organisation")


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
