"""PAdES organisation seal with pyHanko.

Every organisation seals its PDFs with its own key and certificate: by default a P-256 key pair with a
certificate from the platform's own CA (`SealAuthority`, made on first use), or a PKCS#12 the organisation
uploaded (e.g. a qualified electronic seal). Private keys are stored encrypted (agnitio.core.keystore).

Signatures are PAdES baseline B-B (sub-filter ETSI.CAdES.detached); B-T when `AGNITIO_SEAL_TSA_URL` names a
timestamp authority (RFC 3161).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import threading
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .models import OrganisationSeal, SealAuthority

FIELD_NAME = "OrganisationSeal"
TRY_OUT_KEYWORD = "agnitio:try-out"  # documents.render puts it in the metadata of a Try Out document
DISPLAY_KEYWORD = "agnitio:display"  # ... and this one in a display that is no document (the credential summary)
_PLATFORM = "platform"
_lock = threading.Lock()
_signers: dict[str, signers.SimpleSigner] = {}  # by certificate fingerprint
_ca_cache: dict[str, tuple[x509.Certificate, ec.EllipticCurvePrivateKey]] = {}


@dataclass
class SealCheck:
    """What `pdf_seal_verify` found. `intact`: the seal is cryptographically valid and covers the whole file."""

    intact: bool
    signer: str = ""
    signed_at: datetime.datetime | None = None
    organisation_public_id: str | None = None
    errors: list[str] = field(default_factory=list)
    trusted: bool = False
    timestamped: bool = False
    subfilter: str = ""


# --- keys and certificates ------------------------------------------------------------------------------------

def _purpose(kind: str, ident: str) -> str:
    return f"seal:{kind}:{ident}"


def _key_der(key) -> bytes:
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def platform_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The platform CA certificate and key, created on first use (safe when two processes race).

    The decrypted key is cached per process, keyed by the stored certificate (one small query per call)."""
    from agnitio.core import keystore

    row = SealAuthority.objects.filter(name=_PLATFORM).first()
    if row is not None and row.certificate_pem in _ca_cache:
        return _ca_cache[row.certificate_pem]
    if row is None:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, "Agnitio Platform Seal CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Agnitio"),
        ])
        now = _now()
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=365 * 20))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        try:
            with transaction.atomic():
                row = SealAuthority.objects.create(
                    name=_PLATFORM, certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
                    private_key_encrypted=keystore.encrypt(_key_der(key), purpose=_purpose("ca", _PLATFORM)),
                )
        except IntegrityError:
            row = SealAuthority.objects.get(name=_PLATFORM)
    cert = x509.load_pem_x509_certificate(row.certificate_pem.encode())
    key = serialization.load_der_private_key(
        keystore.decrypt(row.private_key_encrypted, purpose=_purpose("ca", _PLATFORM)), password=None)
    _ca_cache[row.certificate_pem] = (cert, key)
    return cert, key


def platform_ca_pem() -> str:
    return platform_ca()[0].public_bytes(serialization.Encoding.PEM).decode()


def _org_name(organisation) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COMMON_NAME, (organisation.legal_name or str(organisation))[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, (organisation.legal_name or str(organisation))[:64]),
    ]
    country = str(organisation.country or "")
    if len(country) == 2:
        attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    if organisation.identifier:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, organisation.identifier[:64]))
    return x509.Name(attrs)


def _seal_row(*, organisation, source, cert: x509.Certificate, chain: list[x509.Certificate], key) -> OrganisationSeal:
    from agnitio.core import keystore

    fingerprint = _fingerprint(cert)
    return OrganisationSeal(
        organisation=organisation, source=source,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        chain_pem="".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in chain),
        private_key_encrypted=keystore.encrypt(_key_der(key), purpose=_purpose("org", fingerprint)),
        fingerprint_sha256=fingerprint, subject=cert.subject.rfc4514_string()[:500],
        issuer=cert.issuer.rfc4514_string()[:500], not_valid_after=cert.not_valid_after_utc,
    )


def platform_seal_build(*, organisation) -> OrganisationSeal:
    """A new (unsaved) platform-issued seal for the organisation: P-256 key, 3-year certificate from the CA."""
    ca_cert, ca_key = platform_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (
        x509.CertificateBuilder().subject_name(_org_name(organisation)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * 3))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return _seal_row(organisation=organisation, source=OrganisationSeal.Source.PLATFORM, cert=cert,
                     chain=[ca_cert], key=key)


def seal_get_or_create(*, organisation) -> OrganisationSeal:
    """The organisation's active seal; a platform-issued one is made the first time it is needed."""
    seal = OrganisationSeal.objects.filter(organisation=organisation, is_active=True).first()
    if seal is not None:
        return seal
    row = platform_seal_build(organisation=organisation)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # another process made it first
        return OrganisationSeal.objects.get(organisation=organisation, is_active=True)
    return row


def _load_certs(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode()) if pem.strip() else []


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _signer_for(seal: OrganisationSeal) -> signers.SimpleSigner:
    from agnitio.core import keystore

    cache_key = seal.fingerprint_sha256
    signer = _signers.get(cache_key)
    if signer is not None:
        return signer
    key_der = keystore.decrypt(seal.private_key_encrypted, purpose=_purpose("org", seal.fingerprint_sha256))
    cert = x509.load_pem_x509_certificate(seal.certificate_pem.encode())
    chain = _load_certs(seal.chain_pem)
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert), signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )
    with _lock:
        _signers[cache_key] = signer
    return signer


def _timestamper():
    url = getattr(settings, "AGNITIO_SEAL_TSA_URL", "")
    return HTTPTimeStamper(url, timeout=10) if url else None


# --- sealing and checking ----------------------------------------------------------------------------------------

class TryOutSealRefused(ValueError):
    """A Europass Try Out document is a trial: it is never sealed."""


class DisplaySealRefused(ValueError):
    """A display (the credential summary) only shows what a credential says: it is never sealed."""


def _pdf_keywords(pdf_bytes: bytes) -> str:
    """The keywords of the PDF's metadata (as documents.render writes them); "" when unreadable."""
    try:
        info = PdfFileReader(io.BytesIO(pdf_bytes), strict=False).trailer["/Info"]  # resolved, unlike .get
        return str(info.get("/Keywords", ""))
    except Exception:  # noqa: BLE001 - an unreadable PDF fails in the signer with its own message
        return ""


def pdf_is_try_out(pdf_bytes: bytes) -> bool:
    """Whether the PDF's metadata mark it as a Try Out document (its keywords, as documents.render writes them)."""
    return TRY_OUT_KEYWORD in _pdf_keywords(pdf_bytes)


def pdf_is_display(pdf_bytes: bytes) -> bool:
    """Whether the PDF's metadata mark it as a display of a kind that is never sealed (the credential summary)."""
    return DISPLAY_KEYWORD in _pdf_keywords(pdf_bytes)


def pdf_seal(*, organisation, pdf_bytes: bytes, timestamper=None, reason: str = "", location: str = "") -> bytes:
    """Seal the PDF with the organisation's seal (PAdES B-B, or B-T with a timestamp authority). A Try Out document
    (TryOutSealRefused) and a display such as the credential summary (DisplaySealRefused) are refused: whoever
    calls, they are never sealed."""
    keywords = _pdf_keywords(pdf_bytes)
    if TRY_OUT_KEYWORD in keywords:
        raise TryOutSealRefused("A Try Out document is never sealed.")
    if DISPLAY_KEYWORD in keywords:
        raise DisplaySealRefused("A display of a credential is not a document: it is never sealed.")
    seal = seal_get_or_create(organisation=organisation)
    signer = _signer_for(seal)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason or None, location=location or None, name=organisation.legal_name or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    timestamper = timestamper or _timestamper()
    # A platform seal (P-256, two certificates, no timestamp) fits well within 8 KiB; reserving it skips
    # pyHanko's dry-run signature that would otherwise estimate the size (half of the sealing time).
    reserved = 8192 if seal.source == OrganisationSeal.Source.PLATFORM and timestamper is None else None
    out = signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer, bytes_reserved=reserved)
    return out.getvalue()


def _trust_roots() -> list[asn1_x509.Certificate]:
    roots = [_asn1_cert(platform_ca()[0])]
    for pem in getattr(settings, "AGNITIO_SEAL_TRUST_ROOTS_PEM", []) or []:
        roots.extend(_asn1_cert(c) for c in _load_certs(pem))
    return roots


def pdf_seal_verify(*, pdf_bytes: bytes) -> SealCheck:
    """Check the PDF's organisation seal: intact (valid, covering the whole file), who sealed it, when, trust."""
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - any parse failure means "not a valid sealed PDF"
        return SealCheck(intact=False, errors=[f"The file cannot be read as a PDF: {exc}"])
    if not sigs:
        return SealCheck(intact=False, errors=["The PDF has no seal."])
    sig = sigs[-1]
    errors: list[str] = []
    try:
        context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail")
        status = validate_pdf_signature(sig, context)
    except Exception as exc:  # noqa: BLE001 - a damaged signature container is a failed check, not a crash
        return SealCheck(intact=False, errors=[f"The seal cannot be validated: {exc}"])
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not status.intact:
        errors.append("The document was changed after it was sealed.")
    if not status.valid:
        errors.append("The seal's signature is not valid.")
    if not whole:
        errors.append("The seal does not cover the whole file (something was added after sealing).")
    cert = status.signing_cert
    fingerprint = hashlib.sha256(cert.dump()).hexdigest() if cert is not None else ""
    seal = OrganisationSeal.objects.filter(fingerprint_sha256=fingerprint).select_related("organisation").first()
    trusted = bool(status.trusted) or seal is not None
    if not trusted:
        errors.append("The seal certificate is not from a known organisation or trusted authority.")
    signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
    return SealCheck(
        intact=bool(status.intact and status.valid and whole),
        signer=cert.subject.human_friendly if cert is not None else "",
        signed_at=signed_at,
        organisation_public_id=seal.organisation.public_id if seal else None,
        errors=errors, trusted=trusted, timestamped=status.timestamp_validity is not None,
        subfilter=str(sig.sig_object.get("/SubFilter", "")),
    )


def pkcs12_load(*, data: bytes, password: str):
    """Read and check a PKCS#12 seal: returns (key, certificate, chain). Raises ValueError with a reason."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError as exc:
        raise ValueError("wrong password or not a PKCS#12 file") from exc
    if key is None or cert is None:
        raise ValueError("the file must contain a private key and its certificate")
    if key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) != \
            cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
        raise ValueError("the private key does not belong to the certificate")
    now = timezone.now()
    if cert.not_valid_after_utc < now or cert.not_valid_before_utc > now:
        raise ValueError("the certificate is not valid today")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise ValueError("the certificate may not be used for signatures")
    except x509.ExtensionNotFound:
        pass
    return key, cert, list(extra or [])


def seal_build_uploaded(*, organisation, data: bytes, password: str) -> OrganisationSeal:
    key, cert, chain = pkcs12_load(data=data, password=password)
    return _seal_row(organisation=organisation, source=OrganisationSeal.Source.UPLOADED, cert=cert, chain=chain,
                     key=key)


__all__ = ["DisplaySealRefused", "SealCheck", "SigningError", "TryOutSealRefused", "pdf_is_display", "pdf_is_try_out",
           "pdf_seal", "pdf_seal_verify",
           "platform_ca_pem", "seal_get_or_create"]
