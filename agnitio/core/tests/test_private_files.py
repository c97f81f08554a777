"""No personal file is public by path (issue 8, point 3), on both storage back-ends.

Every kind of personal file — issued certificate PDFs, imported tables, signature and stamp images, document
jobs' PDFs and ZIPs — is made through the real services, then:
- asked for by path (`/media/…` here; the object's plain URL on S3): never served;
- asked for through its view: not found for other people, served to the right person — streamed with
  `nosniff` and `Cache-Control: private` from the file system, or a redirect to a signed S3 URL that expires
  within five minutes.
Logos are the only public files: re-encoded, under random names, in the public storage.

S3 is moto's S3 server, started in this process on 127.0.0.1 at a random port (no network).
"""

from __future__ import annotations

import io
import secrets
import urllib.parse
from pathlib import Path

import boto3
import pytest
import requests
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from agnitio.core.storage import is_local, public_storage
from agnitio.documents.sample import youthpass_sample
from agnitio.organisations import images
from agnitio.organisations import services as org_services
from agnitio.organisations.models import SignatureImage
from agnitio.settings.base import s3_storages
from agnitio.youthpass import services as yp_services
from agnitio.youthpass.services import certificates
from agnitio.youthpass.services.imports import participant_import_upload
from agnitio.youthpass.tests.conftest import accepted, activity, learner, participant
from agnitio.youthpass.tests.test_certificates import ready, signatories

# the Youthpass fixtures this module uses
__all__ = ["accepted", "activity", "learner", "participant", "ready", "signatories"]

pytestmark = pytest.mark.django_db


def _png(width=120, height=60, colour=(20, 60, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def moto_s3():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, monkeypatch):
    """The storages as settings define them: local folders, or (the same settings code as production with
    AWS_STORAGE_BUCKET_NAME) S3 against moto."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("moto_s3")
        for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                           "AWS_DEFAULT_REGION": "us-east-1"}.items():
            monkeypatch.setenv(key, value)
        bucket = f"agnitio-{secrets.token_hex(6)}"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
        settings.STORAGES = {**settings.STORAGES, **s3_storages(bucket=bucket, endpoint_url=endpoint,
                                                                 region="us-east-1")}
        assert not is_local(default_storage) and not is_local(public_storage())
    else:
        assert is_local(default_storage) and is_local(public_storage())
    return request.param


@pytest.fixture
def personal_files(backend, owner, organisation, ready, learner, django_capture_on_commit_callbacks):
    """One file of every personal kind, made by the real services: {kind: (FieldFile, view URL, who may)}."""
    credential = certificates.certificate_issue(actor=owner, participant=ready)
    signature = org_services.signature_upload(
        actor=owner, organisation=organisation, kind=SignatureImage.Kind.SIGNATURE, label="Paraksts",
        checked=images.process_upload(SimpleUploadedFile("sig.png", _png()), purpose="signature"))
    signature = org_services.signature_crop(actor=owner, signature=signature, box=None, variant="transparent")
    table = participant_import_upload(
        actor=owner, project=ready.project, filename="dalibnieki.csv",
        data="Vārds;Uzvārds;E-pasts\nAnna;Bērziņa;anna@example.org\n".encode())
    from agnitio.documents import services as doc_services

    with django_capture_on_commit_callbacks(execute=True):
        job = doc_services.job_start(actor=owner, organisation=organisation, kind="youthpass", languages="lv",
                                     items=[youthpass_sample(number="YP-PRIV-1", holder="Dalībnieks Ķēniņš",
                                                             images=False)], title="Privāti")
    job.refresh_from_db()
    item = job.items.get()
    org, sig = organisation.public_id, signature.public_id
    return {
        "certificate (organisation)": (credential.pdf, f"/credentials/{credential.public_id}/document.pdf", owner),
        "certificate (wallet)": (credential.pdf, f"/wallet/{credential.public_id}/document.pdf", learner),
        "certificate (project)": (credential.pdf, f"/youthpass/p/{ready.project.public_id}/participants/"
                                                  f"{ready.public_id}/certificate.pdf", owner),
        "signature original": (signature.original, f"/organisations/{org}/signatures/{sig}/original.png", owner),
        "signature cropped": (signature.image_cropped, f"/organisations/{org}/signatures/{sig}/cropped.png", owner),
        "document job ZIP": (job.result, f"/documents/jobs/{job.public_id}/download/", owner),
        "document job PDF": (item.file, f"/documents/jobs/{job.public_id}/documents/1/", owner),
        "imported table": (table.file, None, None),
    }


def _object_url(field_file) -> str:
    """The object's plain (unsigned) address in the bucket."""
    storage = field_file.storage
    return f"{storage.endpoint_url}/{storage.bucket_name}/{urllib.parse.quote(field_file.name)}"


def test_no_personal_file_is_served_by_path(personal_files, client, outsider, backend, settings):
    client.force_login(outsider)
    for kind, (field_file, _url, _who) in personal_files.items():
        assert field_file and default_storage.exists(field_file.name), kind
        name = field_file.name
        for path in (f"/media/{name}", f"/media/private/{name}", f"/media/public/{name}",
                     f"/media/public/../private/{name}", f"/media/public/../{name}"):
            for asker in (client, client.__class__()):
                assert asker.get(path).status_code == 404, (kind, path)
        if backend == "local":
            assert Path(default_storage.path(name)).is_relative_to(Path(settings.MEDIA_ROOT) / "private"), kind
        else:
            assert requests.get(_object_url(field_file), timeout=10).status_code == 403, kind
    pdf = personal_files["certificate (organisation)"][0].name
    assert pdf.startswith("credentials/pdf/")  # the old public address of the reproduction
    assert client.get(f"/media/{pdf}").status_code == 404


def test_revoked_certificate_is_not_served_by_path_either(personal_files, client, owner):
    from agnitio.credentials.models import IssuedCredential
    from agnitio.credentials.services import credential_revoke

    field_file = personal_files["certificate (organisation)"][0]
    credential = IssuedCredential.objects.get(pdf=field_file.name)
    credential_revoke(actor=owner, credential=credential, reason="Kļūda vārdā")
    assert client.get(f"/media/{field_file.name}").status_code == 404


def _fetch(response, backend) -> bytes:
    if backend == "local":
        return b"".join(response.streaming_content)
    assert response.status_code == 302
    location = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert 0 < int(query["X-Amz-Expires"][0]) <= 300  # a signed URL of at most five minutes
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200
    disposition = query["response-content-disposition"][0]
    assert fetched.headers["Content-Disposition"] == disposition
    return fetched.content


def test_each_personal_file_only_through_its_view_to_who_may_see_it(personal_files, client, outsider, editor,
                                                                    backend):
    for kind, (field_file, url, who) in personal_files.items():
        if url is None:
            continue  # an imported table is never downloaded again; only read by the import itself
        assert client.get(url).status_code in (302, 404), kind  # anonymous: to the sign-in page, or not found
        if client.get(url).status_code == 302:
            assert "/accounts/login/" in client.get(url)["Location"], kind
        for stranger in (outsider,):
            client.force_login(stranger)
            assert client.get(url).status_code == 404, (kind, stranger)
        client.force_login(who)
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", kind
        assert response["Cache-Control"].startswith("private"), kind
        if backend == "local":
            assert response.status_code == 200, kind
            assert response["Content-Disposition"], kind
        with field_file.open("rb") as handle:
            expected = handle.read()
        assert _fetch(response, backend) == expected, kind
        client.logout()


def test_an_editor_without_the_project_gets_none_of_its_certificate(personal_files, client, editor):
    """Point 4 as seen from the files: an organisation member who cannot open the project."""
    client.force_login(editor)
    for kind in ("certificate (organisation)", "certificate (project)"):
        assert client.get(personal_files[kind][1]).status_code == 404, kind


def test_logos_are_public_reencoded_under_random_names(backend, owner, organisation, project, client):
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 10, 10)).save(jpeg, format="JPEG")
    org_services.organisation_update(
        actor=owner, organisation=organisation, data={},
        logo=images.process_upload(SimpleUploadedFile("our logo.jpg", jpeg.getvalue()), purpose="logo"))
    yp_services.project_update(actor=owner, project=project, data={
        "logo": images.process_upload(SimpleUploadedFile("evil.png", _png()), purpose="logo")})
    organisation.refresh_from_db()
    project.refresh_from_db()
    for logo, extension, content_type in ((organisation.logo, "jpg", "image/jpeg"),
                                          (project.logo, "png", "image/png")):
        assert logo.storage is public_storage() or logo.storage._wrapped is public_storage()._wrapped
        stem = logo.name.rsplit("/", 1)[-1]
        assert stem.endswith(f".{extension}") and "logo" not in stem and "evil" not in stem
        assert len(stem.split(".")[0]) >= 20  # random
        url = logo.url
        if backend == "local":
            assert url.startswith("/media/public/")
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == content_type
            assert response["X-Content-Type-Options"] == "nosniff"
            body = b"".join(response.streaming_content)
        else:
            response = requests.get(url, timeout=10)
            assert response.status_code == 200 and "X-Amz-Signature" not in url
            body = response.content
        assert Image.open(io.BytesIO(body)).format == {"jpg": "JPEG", "png": "PNG"}[extension]
    # the private storage does not hold them
    assert not default_storage.exists(organisation.logo.name)


def test_public_media_serves_only_images_from_the_public_folder(settings, client):
    storage = public_storage()
    html = storage.save("youthpass/logos/evil.html", io.BytesIO(b"<script>alert(1)</script>"))
    assert client.get(f"/media/public/{html}").status_code == 404  # only .png/.jpg, as images
    private = default_storage.save("credentials/pdf/2026/YP-2026-000001.pdf", io.BytesIO(b"%PDF-1.7 secret"))
    for path in (f"/media/public/../private/{private}", f"/media/public/%2e%2e/private/{private}",
                 f"/media/{private}", f"/media/private/{private}"):
        assert client.get(path).status_code == 404, path
