import datetime
import io
import re
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.test import override_settings

from agnitio.core import keystore
from agnitio.core.errors import ApplicationError, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.documents.models import OrganisationSeal, SealAuthority
from agnitio.documents.sample import youthpass_sample
from agnitio.documents.seal import pdf_seal, pdf_seal_verify, platform_ca_pem
from agnitio.documents.services import document_render, seal_reset, seal_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def plain_pdf():
    return document_render(kind="youthpass", data=youthpass_sample(holder="Anna Bērziņa"), languages=["lv", "en"])


@pytest.fixture
def sealed(organisation, plain_pdf):
    return pdf_seal(organisation=organisation, pdf_bytes=plain_pdf)


def _pdfsig(pdf: bytes, tmp_path, *, trust_ca: bool) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = ["pdfsig"]
    if trust_ca:
        if shutil.which("certutil") is None:
            pytest.fail("certutil is missing: install Debian's libnss3-tools (make system-deps)")
        nss = tmp_path / "nss"
        nss.mkdir(exist_ok=True)
        ca = tmp_path / "ca.pem"
        ca.write_text(platform_ca_pem())
        subprocess.run(["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"], check=True, capture_output=True)
        subprocess.run(["certutil", "-A", "-n", "agnitio-ca", "-t", "C,C,C", "-i", str(ca), "-d", f"sql:{nss}"],
                       check=True, capture_output=True)
        args += ["-nssdir", f"sql:{nss}"]
    res = subprocess.run([*args, str(path)], capture_output=True, text=True)
    return res.stdout + res.stderr


def test_sealed_pdf_validates_with_pyhanko(organisation, sealed):
    check = pdf_seal_verify(pdf_bytes=sealed)
    assert check.intact, check.errors
    assert check.trusted and check.errors == []
    assert check.organisation_public_id == organisation.public_id
    assert "Biedrība Jaunatnes Tilts" in check.signer
    assert check.subfilter == "/ETSI.CAdES.detached"
    assert check.signed_at is not None and not check.timestamped


def test_sealed_pdf_validates_with_pdfsig_and_the_ca_trusted(sealed, tmp_path):
    out = _pdfsig(sealed, tmp_path, trust_ca=True)
    assert "Signature Type: ETSI.CAdES.detached" in out, out
    assert "Signature Validation: Signature is Valid." in out, out
    assert "Certificate Validation: Certificate is Trusted." in out, out
    assert "Total document signed" in out, out


def test_pdfsig_without_the_ca_still_finds_the_signature_valid_but_issuer_unknown(sealed, tmp_path):
    out = _pdfsig(sealed, tmp_path, trust_ca=False)
    assert "Signature Validation: Signature is Valid." in out, out
    assert "Certificate is Trusted" not in out


def _byte_range(pdf: bytes) -> list[int]:
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    return [int(x) for x in m.groups()]


@pytest.mark.parametrize("where", ["start", "middle", "end_of_first_range", "second_range"])
def test_changing_any_signed_byte_breaks_both_validators(sealed, tmp_path, where):
    a, b, c, d = _byte_range(sealed)
    offset = {"start": 20, "middle": a + b // 2, "end_of_first_range": a + b - 2, "second_range": c + d // 2}[where]
    if where == "middle":
        offset = b // 2
    tampered = bytearray(sealed)
    tampered[offset] = (tampered[offset] + 1) % 256 if tampered[offset] not in b"\r\n" else ord(" ")
    tampered = bytes(tampered)
    assert tampered != sealed
    check = pdf_seal_verify(pdf_bytes=tampered)
    assert not check.intact and check.errors
    out = _pdfsig(tampered, tmp_path, trust_ca=True)
    assert "Signature Validation: Signature is Valid." not in out, out


def test_content_added_after_sealing_is_reported(sealed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(sealed))
    w.root["/Lang"] = generic.TextStringObject("en")
    w.update_root()
    out = io.BytesIO()
    w.write(out)
    check = pdf_seal_verify(pdf_bytes=out.getvalue())
    assert not check.intact
    assert any("whole file" in e for e in check.errors)


def test_unsealed_or_garbage_is_not_intact(plain_pdf):
    assert not pdf_seal_verify(pdf_bytes=plain_pdf).intact
    assert not pdf_seal_verify(pdf_bytes=b"not a pdf").intact


def test_keys_are_encrypted_at_rest(organisation, sealed):
    seal = OrganisationSeal.objects.get(organisation=organisation, is_active=True)
    blob = bytes(seal.private_key_encrypted)
    assert blob.startswith(b"gAAAAA") and b"-----BEGIN" not in blob  # a Fernet token of the one key store
    ca = SealAuthority.objects.get(name="platform")
    der = keystore.decrypt(ca.private_key_encrypted, purpose="seal:ca:platform")
    assert der not in bytes(ca.private_key_encrypted)
    with override_settings(AGNITIO_KEY_ENCRYPTION_KEY="another key", AGNITIO_KEY_ENCRYPTION_OLD_KEYS=[]), \
            pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(blob, purpose=f"seal:org:{seal.fingerprint_sha256}")
    with pytest.raises(keystore.KeyDecryptionError):  # the purpose is sealed inside the token
        keystore.decrypt(blob, purpose="seal:org:someone-else")


def test_key_encryption_key_can_be_rotated(settings):
    blob = keystore.encrypt(b"secret key bytes", purpose="p")
    old = settings.AGNITIO_KEY_ENCRYPTION_KEY
    settings.AGNITIO_KEY_ENCRYPTION_KEY = "the new key"
    settings.AGNITIO_KEY_ENCRYPTION_OLD_KEYS = [old]
    assert keystore.decrypt(blob, purpose="p") == b"secret key bytes"
    rotated = keystore.reencrypt(blob, purpose="p")
    settings.AGNITIO_KEY_ENCRYPTION_OLD_KEYS = []
    assert keystore.decrypt(rotated, purpose="p") == b"secret key bytes"
    with pytest.raises(keystore.KeyDecryptionError):
        keystore.decrypt(blob, purpose="p")


def test_each_organisation_has_its_own_seal(organisation, other_organisation, plain_pdf):
    a = pdf_seal_verify(pdf_bytes=pdf_seal(organisation=organisation, pdf_bytes=plain_pdf))
    b = pdf_seal_verify(pdf_bytes=pdf_seal(organisation=other_organisation, pdf_bytes=plain_pdf))
    assert a.intact and b.intact
    assert a.organisation_public_id == organisation.public_id
    assert b.organisation_public_id == other_organisation.public_id
    assert OrganisationSeal.objects.filter(is_active=True).count() == 2


def test_b_t_with_a_timestamp_authority(organisation, plain_pdf):
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy TSA is RSA-only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    tsa = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
    )
    sealed = pdf_seal(organisation=organisation, pdf_bytes=plain_pdf, timestamper=tsa)
    check = pdf_seal_verify(pdf_bytes=sealed)
    assert check.intact and check.timestamped
    assert abs((check.signed_at - now).total_seconds()) < 120


# --- uploaded PKCS#12 seals ------------------------------------------------------------------------------------

def _make_p12(password: bytes | None = b"s3cret-pass", *, expired=False, cn="Biedrība Jaunatnes Tilts (QSeal)"):
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Qualified CA")])
    now = datetime.datetime.now(datetime.UTC)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(10).not_valid_before(now - datetime.timedelta(days=10))
          .not_valid_after(now + datetime.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    end = now - datetime.timedelta(days=1) if expired else now + datetime.timedelta(days=300)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(11)
            .not_valid_before(now - datetime.timedelta(days=5)).not_valid_after(end)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    enc = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return pkcs12.serialize_key_and_certificates(b"seal", key, cert, [ca], enc), ca


def test_admin_uploads_a_pkcs12_seal_and_it_is_used(organisation, owner, plain_pdf):
    pdf_seal(organisation=organisation, pdf_bytes=plain_pdf)  # a platform seal exists first
    data, _ca = _make_p12()
    row = seal_upload(actor=owner, organisation=organisation, pkcs12=data, password="s3cret-pass")
    assert row.source == "uploaded" and row.is_active
    assert OrganisationSeal.objects.filter(organisation=organisation, is_active=True).get() == row
    check = pdf_seal_verify(pdf_bytes=pdf_seal(organisation=organisation, pdf_bytes=plain_pdf))
    assert check.intact and "QSeal" in check.signer
    assert check.organisation_public_id == organisation.public_id
    assert AuditEvent.objects.filter(object_id=row.public_id, verb="seal uploaded").exists()
    # and back to a platform seal
    new = seal_reset(actor=owner, organisation=organisation)
    assert new.source == "platform" and not OrganisationSeal.objects.get(pk=row.pk).is_active


@pytest.mark.parametrize("case", ["wrong_password", "expired", "garbage"])
def test_bad_pkcs12_is_refused_and_nothing_changes(organisation, owner, plain_pdf, case):
    pdf_seal(organisation=organisation, pdf_bytes=plain_pdf)
    before = list(OrganisationSeal.objects.values_list("pk", "is_active"))
    data, _ = _make_p12(expired=(case == "expired"))
    if case == "garbage":
        data = b"0" * 100
    with pytest.raises(ApplicationError):
        seal_upload(actor=owner, organisation=organisation, pkcs12=data,
                    password="wrong" if case == "wrong_password" else "s3cret-pass")
    assert list(OrganisationSeal.objects.values_list("pk", "is_active")) == before


def test_editor_and_outsider_may_not_change_the_seal(organisation, editor, outsider, plain_pdf):
    pdf_seal(organisation=organisation, pdf_bytes=plain_pdf)
    before = list(OrganisationSeal.objects.values_list("pk", "is_active"))
    audit_before = AuditEvent.objects.count()
    data, _ = _make_p12()
    for actor in (editor, outsider):
        with pytest.raises(PermissionDenied):
            seal_upload(actor=actor, organisation=organisation, pkcs12=data, password="s3cret-pass")
        with pytest.raises(PermissionDenied):
            seal_reset(actor=actor, organisation=organisation)
    assert list(OrganisationSeal.objects.values_list("pk", "is_active")) == before
    assert AuditEvent.objects.count() == audit_before


def test_seal_page_for_admin_only(client, organisation, owner, editor):
    client.force_login(editor)
    assert client.get("/documents/seal/").status_code == 404
    client.force_login(owner)
    page = client.get("/documents/seal/")
    assert page.status_code == 200
    assert b"PKCS#12" in page.content


def test_seal_upload_through_the_page(client, organisation, owner, editor):
    data, _ = _make_p12()
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    r = client.post("/documents/seal/", {"pkcs12": SimpleUploadedFile("s.p12", data), "password": "s3cret-pass"})
    assert r.status_code == 404 and not OrganisationSeal.objects.exists()
    client.force_login(owner)
    r = client.post("/documents/seal/", {"pkcs12": SimpleUploadedFile("s.p12", data), "password": "nope"})
    assert r.status_code == 200 and "not accepted" in r.content.decode()
    assert not OrganisationSeal.objects.exists()
    r = client.post("/documents/seal/", {"pkcs12": SimpleUploadedFile("s.p12", data), "password": "s3cret-pass"})
    assert r.status_code == 302
    assert OrganisationSeal.objects.get(organisation=organisation, is_active=True).source == "uploaded"


def test_ca_certificate_is_public(client):
    r = client.get("/documents/seal/ca.pem")
    assert r.status_code == 200 and b"BEGIN CERTIFICATE" in r.content


def test_the_61st_seal_upload_in_an_hour_is_refused_and_nothing_changes(client, organisation, owner, editor):
    # a seal file is an upload like any other: per account and hour (AGNITIO_UPLOAD_RATE_LIMIT, 60/h by default)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agnitio.core.testing import spend_upload_budget

    data, _ = _make_p12()
    client.force_login(editor)  # not allowed: a 404 before any budget is counted or spent
    spend_upload_budget(editor, group="documents.seal", uses=60)
    assert client.post("/documents/seal/", {"pkcs12": SimpleUploadedFile("s.p12", data),
                                            "password": "s3cret-pass"}).status_code == 404
    client.force_login(owner)
    spend_upload_budget(owner, group="documents.seal", uses=59)
    r = client.post("/documents/seal/", {"pkcs12": SimpleUploadedFile("s.p12", data), "password": "s3cret-pass"})
    assert r.status_code == 302  # the 60th
    used = OrganisationSeal.objects.get(organisation=organisation, is_active=True)
    seals = OrganisationSeal.objects.filter(organisation=organisation).count()
    other, _ = _make_p12(cn="Another seal")
    r = client.post("/documents/seal/", {"pkcs12": SimpleUploadedFile("s.p12", other), "password": "s3cret-pass"})
    assert r.status_code == 429 and 0 < int(r["Retry-After"]) <= 3600
    assert "uploaded too many files" in r.content.decode()
    assert OrganisationSeal.objects.get(organisation=organisation, is_active=True) == used
    assert OrganisationSeal.objects.filter(organisation=organisation).count() == seals
