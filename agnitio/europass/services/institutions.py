"""Registration of a sending institution (seed 002: once, name + valid e-mail, a confirmation link valid 48 hours
that can be sent again), its base data, its up to three additional users, and the NEC."""

from __future__ import annotations

import datetime
import re
import secrets
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.core.permissions import require
from agnitio.core.services import audit_record, model_update
from agnitio.core.tokens import token_hash
from agnitio.core.validators import EMAIL_MAX_LENGTH
from agnitio.invitations.addresses import normalise_address, user_has_verified_address
from agnitio.notifications.services import email_queue

from ..choices import DocumentLanguage
from ..invitation_kinds import INSTITUTION_USER
from ..models import Institution, InstitutionRegistration, InstitutionUser, NationalCentre
from ._common import clean_text, validation_messages

REGISTRATION_VALID = datetime.timedelta(hours=48)
# One answer for a link that does not exist, was used, was replaced by a newer one, or was sent to another address
# than the signed-in account's: the page does not say which.
INVALID_LINK = _("This confirmation link is not valid (it was used or replaced by a newer one).")
INSTITUTION_FIELDS = ["contact_person", "postal_address", "language"]
ORGANISATION_FIELDS = ["legal_name", "short_name", "country", "address", "website", "email", "phone", "identifier"]


def name_key(name: str) -> str:
    """The name that decides "the same institution": case, accents, punctuation, quotes and spacing ignored."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _mask(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def _duplicate_error(institution: Institution) -> ApplicationError:
    contact = institution.contact_person or _mask(institution.organisation.email)
    return ApplicationError(
        _("%(name)s is already registered: an institution registers only once. Ask its contact person "
          "(%(contact)s) to add you as one of its users, or write to the Nacionālais Europass centrs.")
        % {"name": institution.organisation.legal_name, "contact": contact}, code="duplicate")


def _send_link(registration: InstitutionRegistration, token: str) -> None:
    email_queue(to=registration.email, template="europass/email/registration", language=registration.language,
                context={"name": registration.name, "expires_at": registration.expires_at,
                         "url": settings.SITE_URL + reverse("europass:register_confirm", args=[token])},
                related=registration)


@transaction.atomic
def institution_register(*, name: str, email: str, language: str, now: datetime.datetime | None = None
                         ) -> InstitutionRegistration:
    """Anyone: register an institution by name and e-mail; the confirmation link goes to that address."""
    now = now or timezone.now()
    name = clean_text(name, label=_("institution name"), max_length=255)
    key = name_key(name)
    if not key:
        raise ApplicationError(_("Enter the institution's name."), code="name")
    email = normalise_address(email)
    try:
        validate_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError as exc:
        raise ApplicationError(_("Enter a valid e-mail address: the confirmation link is sent there."),
                               code="email") from exc
    if language not in DocumentLanguage.values:
        language = DocumentLanguage.LV
    existing = Institution.objects.select_related("organisation").filter(name_key=key).first()
    if existing is not None:
        raise _duplicate_error(existing)
    pending = InstitutionRegistration.objects.filter(name_key=key, confirmed_at__isnull=True, expires_at__gt=now)
    if pending.exists():
        raise ApplicationError(
            _("A confirmation link for %(name)s was already sent and is still valid. Look for it in the inbox (and "
              "the spam folder) of the address it was sent to, or ask for it to be sent again.") % {"name": name},
            code="pending")
    token = secrets.token_urlsafe(32)
    registration = InstitutionRegistration.objects.create(
        name=name, name_key=key, email=email, language=language, token_hash=token_hash(token),
        expires_at=now + REGISTRATION_VALID)
    audit_record(actor=None, action=AuditEvent.Action.CREATE, target=registration,
                 changes={"name": [None, name], "email": [None, email]}, verb="institution registration")
    _send_link(registration, token)
    return registration


@transaction.atomic
def institution_registration_resend(*, email: str, now: datetime.datetime | None = None) -> int:
    """Anyone: a new 48-hour link for every unconfirmed registration of `email` (the old links stop working).
    Returns how many were sent; the page says the same whatever the number (no one learns who registered)."""
    now = now or timezone.now()
    email = normalise_address(email)
    sent = 0
    for registration in InstitutionRegistration.objects.select_for_update().filter(email=email,
                                                                                   confirmed_at__isnull=True):
        if Institution.objects.filter(name_key=registration.name_key).exists():
            continue
        token = secrets.token_urlsafe(32)
        registration.token_hash, registration.expires_at = token_hash(token), now + REGISTRATION_VALID
        registration.sent_count += 1
        registration.save(update_fields=["token_hash", "expires_at", "sent_count", "updated_at"])
        audit_record(actor=None, action=AuditEvent.Action.UPDATE, target=registration,
                     changes={"sent_count": [registration.sent_count - 1, registration.sent_count]},
                     verb="registration link sent again")
        _send_link(registration, token)
        sent += 1
    return sent


def registration_for_token(*, token: str, actor=None, now: datetime.datetime | None = None
                           ) -> InstitutionRegistration:
    """The unconfirmed registration of a link that is still valid; otherwise an error saying what to do.
    With a signed-in `actor`, the link is valid only for the address it was sent to (one of the actor's confirmed
    addresses, as for invitations): for any other account it is answered like a link that does not exist."""
    now = now or timezone.now()
    registration = InstitutionRegistration.objects.filter(token_hash=token_hash(token or "")).first()
    if registration is None or registration.confirmed_at is not None:
        raise NotFound(INVALID_LINK)
    if registration.expires_at <= now:
        raise ApplicationError(_("This confirmation link has expired (links are valid for 48 hours). Have a new "
                                 "one sent to the same address below, or on the registration page."), code="expired")
    if getattr(actor, "is_authenticated", False) and not user_has_verified_address(actor, registration.email):
        raise NotFound(INVALID_LINK)
    return registration


@transaction.atomic
def institution_registration_confirm(*, actor, token: str, data: dict, now: datetime.datetime | None = None
                                     ) -> Institution:
    """The signed-in person who opened a valid link, holding the address it was sent to confirmed, creates the
    institution (an organisation they own, with its Europass data). `data`: country, address, contact_person,
    postal_address (the base data, editable later); the name and address are the registration's."""
    from agnitio.organisations.services import organisation_create

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in or create your account first."))
    registration = registration_for_token(token=token, actor=actor, now=now)
    registration = InstitutionRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.confirmed_at is not None or registration.token_hash != token_hash(token):  # since the look-up
        raise NotFound(INVALID_LINK)
    existing = Institution.objects.select_related("organisation").filter(name_key=registration.name_key).first()
    if existing is not None:
        raise _duplicate_error(existing)
    organisation = organisation_create(actor=actor, data={
        "legal_name": registration.name, "email": registration.email, "country": data.get("country") or "LV",
        "address": data.get("address", ""), "phone": data.get("phone", ""),
    })
    try:
        with transaction.atomic():
            institution = Institution(organisation=organisation, name_key=registration.name_key,
                                      contact_person=data.get("contact_person", ""),
                                      postal_address=data.get("postal_address", ""), language=registration.language)
            institution.full_clean()
            institution.save()
    except IntegrityError:
        raise _duplicate_error(Institution.objects.get(name_key=registration.name_key)) from None
    except ValidationError as exc:
        raise ApplicationError(_("Check the institution's data: %(errors)s")
                               % {"errors": validation_messages(exc)}) from exc
    registration.confirmed_at, registration.institution = now or timezone.now(), institution
    registration.save(update_fields=["confirmed_at", "institution", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=institution, organisation=organisation,
                 changes={"name": [None, registration.name]}, verb="institution registered")
    return institution


@transaction.atomic
def institution_update(*, actor, institution: Institution, data: dict) -> dict:
    """Owners and admins: the base data shown as the sending institution on every document."""
    from agnitio.organisations.services import organisation_update

    require(actor, "europass.change_institution", institution, visible="europass.view_institution",
            message=_("Only the institution's owners and admins can change its data."))
    changes: dict = {}
    org_data = {field: data[field] for field in ORGANISATION_FIELDS if field in data}
    if "legal_name" in org_data:
        key = name_key(org_data["legal_name"])
        if Institution.objects.filter(name_key=key).exclude(pk=institution.pk).exists():
            raise _duplicate_error(Institution.objects.select_related("organisation").get(name_key=key))
    if org_data:
        changes.update(organisation_update(actor=actor, organisation=institution.organisation, data=org_data))
        if "legal_name" in changes:
            institution.name_key = name_key(institution.organisation.legal_name)
            institution.save(update_fields=["name_key", "updated_at"])
    own = model_update(instance=institution, fields=INSTITUTION_FIELDS, data=data)
    if own:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, target=institution,
                     organisation=institution.organisation, changes=own)
    return {**changes, **own}


@transaction.atomic
def institution_user_invite(*, actor, institution: Institution, email: str, full_name: str, language: str
                            ) -> InstitutionUser:
    """Owners and admins: invite one of the (at most three) additional users; each gets their own sign-in."""
    from agnitio.invitations.services import invitation_send

    require(actor, "europass.manage_institution_users", institution, visible="europass.view_institution",
            message=_("Only the institution's owners and admins can add users."))
    Institution.objects.select_for_update().get(pk=institution.pk)  # one cap check at a time
    email = normalise_address(email)
    current = InstitutionUser.objects.filter(institution=institution).exclude(status=InstitutionUser.Status.REMOVED)
    if current.filter(email=email).exists():
        raise ApplicationError(_("%(email)s is already one of the institution's users.") % {"email": email},
                               code="duplicate")
    if current.count() >= InstitutionUser.MAX_ADDITIONAL:
        raise ApplicationError(_("An institution has at most three additional users. Remove one to add another."),
                               code="cap")
    row = InstitutionUser(institution=institution, email=email, full_name=" ".join(full_name.split()))
    try:
        row.full_clean()
    except ValidationError as exc:
        field = next(iter(getattr(exc, "message_dict", {}) or {"email": None}))
        raise ApplicationError(validation_messages(exc), code=field if field in ("email", "full_name") else "invalid"
                               ) from exc
    row.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=row, organisation=institution.organisation,
                 changes={"email": [None, email]}, verb="additional user invited")
    invitation_send(actor=actor, kind=INSTITUTION_USER, organisation=institution.organisation, target=row,
                    email=email, full_name=row.full_name or email, language=language)
    return row


@transaction.atomic
def institution_user_remove(*, actor, row: InstitutionUser) -> None:
    """Owners and admins: withdraw an additional user — the invitation and every role it led to in the institution
    (the membership of its organisation, whatever its role now: an additional user made an owner stays no owner).
    The organisations' rules hold: only an owner removes an owner, and the last owner is never removed (nothing
    changes then). Audited: the membership's revocation and the user's removal."""
    from agnitio.invitations.services import invitation_void
    from agnitio.organisations.selectors import membership_list
    from agnitio.organisations.services import membership_revoke

    institution = row.institution
    require(actor, "europass.manage_institution_users", institution, visible="europass.view_institution",
            message=_("Only the institution's owners and admins can remove users."))
    row = InstitutionUser.objects.select_for_update().get(pk=row.pk)
    if row.status == InstitutionUser.Status.REMOVED:
        return
    changes: dict = {"status": [row.status, InstitutionUser.Status.REMOVED]}
    if row.user_id is not None:
        membership = membership_list(actor=actor, organisation=institution.organisation).filter(
            user_id=row.user_id).first()
        if membership is not None:
            try:
                membership_revoke(actor=actor, membership=membership)
            except ApplicationError as error:
                if error.code != "last_owner":
                    raise
                raise ApplicationError(
                    _("%(name)s is the institution's only owner and cannot be removed. Make another user an owner "
                      "first (the organisation's Members page), then remove %(name)s.")
                    % {"name": membership.user.display_name}, code="last_owner") from error
            changes["role"] = [membership.role, None]
    invitation_void(actor=actor, target=row, kind=INSTITUTION_USER)
    row.status = InstitutionUser.Status.REMOVED
    row.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.REVOKE, target=row, organisation=institution.organisation,
                 changes=changes, verb="additional user removed")


@transaction.atomic
def national_centre_create(*, actor, organisation, country: str, display_name: str) -> NationalCentre:
    """Platform staff (or the demo/setup command, actor None): name the organisation that acts as a country's
    Nacionālais Europass centrs."""
    if actor is not None and not getattr(actor, "is_staff", False):
        raise NotFound()
    centre = NationalCentre(organisation=organisation, country=country, display_name=display_name)
    centre.full_clean()
    centre.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=centre, organisation=organisation,
                 changes={"country": [None, country]}, verb="national Europass centre named")
    return centre
