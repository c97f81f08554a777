"""Issued credentials, their numbers, issuer keys, status lists and the learner wallet."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from agnitio.core.models import BaseModel


class IssuerKey(BaseModel):
    """An Ed25519 key of an issuer DID. `organisation` empty = the platform's own DID (`/.well-known/did.json`).

    Rotation marks the old key inactive but keeps it in the DID document, so credentials signed with it still
    verify. The private key is stored encrypted (see `signing.keys`)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="issuer_keys",
    )
    key_id = models.CharField(_("key id"), max_length=32)
    public_key_multibase = models.CharField(_("public key (Multikey)"), max_length=64)
    private_key_encrypted = models.TextField(editable=False)
    is_active = models.BooleanField(_("signs new credentials"), default=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["organisation_id", "created_at", "id"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key_id"], name="uniq_issuer_key_id"),
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(is_active=True), name="uniq_active_issuer_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or 'platform'} #{self.key_id}"


class CredentialKind(models.TextChoices):
    YOUTHPASS = "youthpass", _("Youthpass certificate")
    EUROPASS_AGREEMENT = "europass_agreement", _("Europass Mobility agreement")
    EUROPASS_CERTIFICATE = "europass_certificate", _("Europass Mobility certificate")
    MICROCREDENTIAL = "microcredential", _("Micro-credential")


class NumberCounter(models.Model):
    """Last number handed out per kind and year, incremented in the database (`numbering`). On SQLite every number
    comes from here; on PostgreSQL numbers come from a sequence per kind and year, which starts after this row's
    value when one exists (numbers handed out before the sequences), and the row is no longer written."""

    kind = models.CharField(max_length=32, choices=CredentialKind.choices)
    year = models.PositiveIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="uniq_number_counter")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.value}"


class StatusList(BaseModel):
    """A Bitstring Status List of one organisation for one purpose; `credential` is the signed
    BitstringStatusListCredential as served, re-signed whenever a bit changes."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="status_lists",
    )
    purpose = models.CharField(max_length=16, default="revocation")
    length = models.PositiveIntegerField(default=131072)
    bits = models.BinaryField()
    # Positions handed out (one bit each, same layout as `bits`), so an index is reserved the moment it is taken
    # (`services.status_index_allocate`), even before the credential that uses it is stored.
    allocated = models.BinaryField(default=bytes)
    next_index = models.PositiveIntegerField(default=0)  # how many positions are taken (they are random, not in order)
    credential = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")
        constraints = [models.UniqueConstraint(fields=["organisation", "purpose"], name="uniq_status_list")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.purpose}"


class IssuedCredential(BaseModel):
    """One issued document: its number, holder, issuer, PDF and signed credential."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")
        SUPERSEDED = "superseded", _("superseded")

    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("issuing organisation"), on_delete=models.PROTECT,
        related_name="issued_credentials",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CredentialKind.choices)
    number = models.CharField(_("number"), max_length=32, unique=True)  # register number; never opens a public page
    code = models.CharField(_("verification code"), max_length=19, unique=True)  # random, see numbering.code_generate
    holder_name = models.CharField(_("holder's name"), max_length=255)
    # core.search.search_key(holder_name), written with it by the services; what the issued list's search compares.
    holder_name_search = models.CharField(max_length=255, blank=True, editable=False)
    # Stored normalised (agnitio.core.emails.email_normalise; the check constraint below): the wallet matches it with a
    # plain IN on the holder's normalised confirmed addresses, served by credential_holder_issued_idx.
    holder_email = models.EmailField(_("holder's e-mail"), blank=True)
    issued_on = models.DateField(_("date of issue"))
    place = models.CharField(_("place of issue"), max_length=255, blank=True)
    languages = models.JSONField(_("languages"), default=list)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    achievement = models.JSONField(_("achievement"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    supersedes = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    credential_uid = models.CharField(_("credential id"), max_length=100, unique=True)
    credential = models.JSONField(_("signed credential"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="credentials/pdf/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    status_index = models.PositiveIntegerField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    # What the document was issued for (e.g. a Youthpass project). Access follows it: a member who cannot open
    # the source does not see the document (selectors.issued_credential_list). Empty: the whole organisation.
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # Pushed by the VC API: a holder with no relation to the organisation sees it as "offered" until they accept.
    offered_via_api = models.BooleanField(_("issued through the VC API"), default=False)
    holder_decision = models.CharField(
        _("holder's decision"), max_length=16, blank=True,
        choices=[("accepted", _("accepted")), ("declined", _("declined"))],
    )
    holder_decision_at = models.DateTimeField(_("holder decided"), null=True, blank=True)
    # The holder asked for erasure: name, e-mail, stored PDF and the credential's subject are gone; the number,
    # status, PDF hash and status entry stay so the document the holder keeps still verifies.
    holder_erased_at = models.DateTimeField(_("holder's data erased"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("issued credential")
        verbose_name_plural = _("issued credentials")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "status_index"], name="uniq_status_entry"),
            models.CheckConstraint(condition=models.Q(holder_email=Lower("holder_email")),
                                   name="credential_holder_email_lower"),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="credential_source_idx"),
            # Keyset pages of an organisation's issued list (newest first: scanned backwards) — core.pagination.
            models.Index(fields=["organisation", "issued_on", "id"], name="credential_org_issued_idx"),
            # The wallet: a holder's documents, newest first (also serves look-ups by holder_email alone).
            models.Index(fields=["holder_email", "issued_on", "id"], name="credential_holder_issued_idx"),
            # The wallet's offers (pushed by the VC API, selectors._offers_of): the few rows of a holder that are
            # offers, without reading their thousands of others (a partial index of offers only).
            models.Index(fields=["holder_email", "issued_on", "id"], condition=models.Q(offered_via_api=True),
                         name="credential_holder_offer_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        """The public verification page (what the QR code on the PDF points to): by the random code."""
        from django.urls import reverse

        return reverse("credentials:verify_code", args=[self.code])

    @property
    def state(self) -> str:
        """valid / expired / revoked / superseded (as verification.credential_status and the lists' filter say)."""
        from django.utils import timezone

        return self.state_of(status=self.status, valid_until=self.valid_until, today=timezone.localdate())

    @classmethod
    def state_of(cls, *, status: str, valid_until: datetime.date | None, today: datetime.date) -> str:
        """`state` of a document with this status and end of validity, on `today` (a list asks once per page)."""
        return "expired" if status == cls.Status.VALID and valid_until and valid_until < today else status

    @classmethod
    def state_labels(cls) -> dict[str, str]:
        """What `state_display` says for each state, in the active language."""
        return {**{value: str(label) for value, label in cls.Status.choices}, "expired": str(_("expired"))}

    @property
    def state_display(self) -> str:
        return _("expired") if self.state == "expired" else self.get_status_display()

    @property
    def verification_url(self) -> str:
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def json_url(self) -> str:
        from django.urls import reverse

        return reverse("credentials:issued_json", args=[self.public_id])

    @property
    def pdf_url(self) -> str:
        from django.urls import reverse

        return reverse("credentials:issued_pdf", args=[self.public_id]) if self.pdf else ""


class ShareLink(BaseModel):
    """A holder's link that shows one credential (with the holder's name) until it expires or is revoked.

    Only the SHA-256 of the link's secret is stored (`agnitio.core.tokens.token_hash`): the link itself is shown
    once, when it is made, and a copy of the database opens no link."""

    credential = models.ForeignKey(IssuedCredential, on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self) -> str:
        return f"{self.credential} → {self.expires_at:%Y-%m-%d}"


class WalletItem(BaseModel):
    """A credential from another issuer that the holder stored in their wallet after it verified."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_items")
    issuer_id = models.CharField(_("issuer"), max_length=500)
    issuer_name = models.CharField(_("issuer"), max_length=255, blank=True)
    name = models.CharField(_("name"), max_length=500, blank=True)
    credential = models.JSONField(_("credential"))
    verified_at = models.DateTimeField(_("verified"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stored credential")
        verbose_name_plural = _("stored credentials")

    def __str__(self) -> str:
        return self.name or self.issuer_id
