"""Every uploaded image is re-encoded without metadata (issue 8, point 5): `images.process_upload` is the one path.

A JPEG carrying GPS in EXIF, XMP, an ICC profile and a comment goes in through each upload form (organisation
logo, project logo, signature/stamp); what is stored — and what ends up in a certificate PDF — has none of it,
is named at random with the extension of the re-encoded format. HTML, SVG and polyglots are refused, or (an
image with a page glued to it) only the pixels survive; a project logo named evil.html is never served as HTML.
"""

from __future__ import annotations

import io

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from agnitio.organisations import images
from agnitio.organisations.models import SignatureImage
from agnitio.youthpass.models import Project
from agnitio.youthpass.services import certificates
from agnitio.youthpass.tests.conftest import accepted, activity, learner, participant
from agnitio.youthpass.tests.test_certificates import ready, signatories

# the Youthpass fixtures this module uses
__all__ = ["accepted", "activity", "learner", "participant", "ready", "signatories"]

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>'


def gps_jpeg(width=320, height=200) -> bytes:
    """A photo as a phone makes it: GPS position in EXIF, XMP with the same, an ICC profile and a comment."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    for x in range(0, width, 16):
        image.putpixel((x, height // 2), (250, 250, 0))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (56.0, 56.0, 58.56)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (24.0, 6.0, 23.64)
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
           b'exif:GPSLatitude="56.9496N"/></rdf:RDF></x:xmpmeta>')
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, xmp=xmp, icc_profile=icc, comment=b"Secret comment")
    return out.getvalue()


def assert_clean(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), "EXIF kept"
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo), "GPS kept"
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"):
        assert key not in image.info, key
    for marker in (b"Exif\x00\x00", b"ns.adobe.com/xap", b"56.9496N", b"Secret comment", b"PhoneCo"):
        assert marker not in data, marker


def test_the_photo_used_here_really_carries_gps():
    """Control: the fixture has what the stored copies must not."""
    image = Image.open(io.BytesIO(gps_jpeg()))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert "icc_profile" in image.info and "comment" in image.info and b"56.9496N" in gps_jpeg()


@pytest.mark.parametrize("purpose", ["logo", "signature"])
def test_process_upload_strips_all_metadata(purpose):
    checked = images.process_upload(SimpleUploadedFile("IMG_0001.JPG", gps_jpeg()), purpose=purpose)
    assert_clean(checked.content)
    stored = checked.file()
    assert stored.name.endswith(f".{checked.extension}") and "IMG" not in stored.name
    assert Image.open(io.BytesIO(checked.content)).format == {"png": "PNG", "jpg": "JPEG"}[checked.extension]


def test_png_text_chunks_and_icc_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Secret comment")
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta exif:GPSLatitude="56.9496N"/>')
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=info, icc_profile=icc)
    checked = images.process_upload(SimpleUploadedFile("a.png", out.getvalue()), purpose="logo")
    assert checked.extension == "png"
    assert_clean(checked.content)


@pytest.mark.parametrize("name,data", [
    ("evil.html", HTML),
    ("logo.svg", SVG),
    ("logo.png", SVG),  # an SVG disguised by its name
    ("logo.gif", b"GIF89a" + HTML),  # a GIF/HTML polyglot
    ("logo.jpg", b"\xff\xd8\xff\xe0" + HTML),  # a JPEG header in front of a page
    ("logo.png", b"\x89PNG\r\n\x1a\n" + HTML),  # a PNG signature in front of a page
])
@pytest.mark.parametrize("purpose", ["logo", "signature"])
def test_what_is_not_an_image_is_refused_with_a_translated_message(name, data, purpose):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with pytest.raises(ValidationError) as error:
        images.process_upload(SimpleUploadedFile(name, data), purpose=purpose)
    assert "image" in " ".join(error.value.messages)
    with translation.override("lv"), pytest.raises(ValidationError) as error:
        images.process_upload(SimpleUploadedFile(name, data), purpose=purpose)
    assert "attēl" in " ".join(error.value.messages)  # said in Latvian


def test_an_image_with_a_page_glued_on_keeps_only_its_pixels():
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 200, 10)).save(out, format="PNG")
    checked = images.process_upload(SimpleUploadedFile("evil.html", out.getvalue() + HTML), purpose="logo")
    assert HTML not in checked.content and b"<script" not in checked.content
    assert checked.file().name.endswith(".png") and "evil" not in checked.file().name


def test_a_decompression_bomb_is_refused_from_its_header(settings):
    settings.ORGANISATION_LOGO_MAX_PIXELS = 1_000_000
    out = io.BytesIO()
    Image.new("1", (4000, 4000)).save(out, format="PNG")  # 16 Mpx in a few kB
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="million pixels"):
        images.process_upload(SimpleUploadedFile("bomb.png", out.getvalue()), purpose="logo")


def _edit_project(client, project, upload):
    return client.post(reverse("youthpass:project_edit", args=[project.public_id]), {
        "grant_number": project.grant_number, "programme": "erasmus_youth", "project_type": "youth_workers_mobility",
        "title": "Jauniešu līdzdalība", "description": "Apraksts", "aims": "", "start_date": "2026-05-01",
        "end_date": "2026-05-31", "venue": "Cēsis", "logo_upload": upload})


def test_project_logo_from_the_form_is_reencoded_without_gps(client, owner, project):
    client.force_login(owner)
    response = _edit_project(client, project, SimpleUploadedFile("IMG_2041.jpg", gps_jpeg(), "image/jpeg"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.logo.name.startswith("youthpass/logos/") and project.logo.name.endswith(".jpg")
    assert "IMG_2041" not in project.logo.name
    with project.logo.open("rb") as handle:
        assert_clean(handle.read())


@pytest.mark.parametrize("data", [HTML, SVG, b"GIF89a" + HTML])
def test_project_logo_named_evil_html_is_refused_and_nothing_stored(client, owner, project, data):
    client.force_login(owner)
    response = _edit_project(client, project, SimpleUploadedFile("evil.html", data, "text/html"))
    assert response.status_code == 200
    assert "is not a PNG, JPEG, WebP image" in response.content.decode()
    project.refresh_from_db()
    assert not project.logo and project.title != "Jauniešu līdzdalība"


def test_project_logo_named_evil_html_is_never_served_as_html(client, owner, project):
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 200, 10)).save(out, format="PNG")
    client.force_login(owner)
    assert _edit_project(client, project, SimpleUploadedFile("evil.html", out.getvalue() + HTML,
                                                             "text/html")).status_code == 302
    project.refresh_from_db()
    assert project.logo.name.endswith(".png") and "evil" not in project.logo.name
    for asker in (client, client.__class__()):
        response = asker.get(project.logo.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]  # even opened directly, nothing in it could run
        assert b"<script" not in b"".join(response.streaming_content)


def test_project_service_refuses_a_raw_file_that_is_not_an_image(owner, project):
    from agnitio.core.errors import ApplicationError
    from agnitio.youthpass import services

    with pytest.raises(ApplicationError):
        services.project_update(actor=owner, project=project, data={"logo": SimpleUploadedFile("evil.html", HTML)})
    assert not Project.objects.get(pk=project.pk).logo


def test_organisation_logo_from_the_form_is_reencoded_without_gps(client, admin, organisation):
    client.force_login(admin)
    url = reverse("organisations:edit", args=[organisation.public_id])
    response = client.post(url, {"legal_name": organisation.legal_name, "country": "LV", "address": "Rīga",
                                 "email": organisation.email, "logo": SimpleUploadedFile("IMG_1.jpg", gps_jpeg())})
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.logo.name.startswith("organisations/logos/") and organisation.logo.name.endswith(".jpg")
    with organisation.logo.open("rb") as handle:
        assert_clean(handle.read())


def test_signature_upload_is_reencoded_without_gps(client, admin, organisation):
    client.force_login(admin)
    response = client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "signature", "label": "Paraksts", "image": SimpleUploadedFile("scan.jpg", gps_jpeg())})
    assert response.status_code == 302
    signature = SignatureImage.objects.get(organisation=organisation)
    assert signature.original.name.endswith(".png") and "scan" not in signature.original.name
    with signature.original.open("rb") as handle:
        assert_clean(handle.read())


def _pdf_images(pdf: bytes) -> list[bytes]:
    """The raw streams of every image in the PDF (JPEG data as embedded, undecoded)."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5):
            found.append(obj.get_data(decode_simple=False))
    return found


def test_the_certificate_pdf_carries_no_gps_of_the_logo(owner, ready):
    from agnitio.youthpass import services

    services.project_update(actor=owner, project=ready.project, data={
        "logo": images.process_upload(SimpleUploadedFile("IMG_2041.jpg", gps_jpeg(417, 211)), purpose="logo")})
    ready.project.refresh_from_db()
    credential = certificates.certificate_issue(actor=owner, participant=ready)
    with credential.pdf.open("rb") as handle:
        pdf = handle.read()
    streams = _pdf_images(pdf)
    sizes = []
    for stream in streams:
        try:
            sizes.append(Image.open(io.BytesIO(stream)).size)
        except OSError:
            continue
    assert (417, 211) in sizes  # the logo is in the document, as the stored JPEG
    for stream in streams:
        for marker in (b"Exif\x00\x00", b"56.9496N", b"Secret comment", b"PhoneCo"):
            assert marker not in stream
    for marker in (b"56.9496N", b"Secret comment", b"PhoneCo"):
        assert marker not in pdf
