import io

from django.urls import reverse

from agnitio.core.models import AuditEvent
from agnitio.organisations import demo, selectors
from agnitio.organisations.models import Signatory, SignatureImage

from .conftest import image_bytes, upload
from .test_views import FORM


def test_demo_load_is_idempotent(owner, organisation):
    for _ in range(2):
        demo.load(owner=owner, organisation=organisation, stdout=io.StringIO())
    assert Signatory.objects.filter(organisation=organisation).count() == 1
    assert SignatureImage.objects.filter(organisation=organisation).count() == 2
    for kind in ("signature", "stamp"):
        default = selectors.signature_default(organisation=organisation, kind=kind)
        assert default is not None and default.image_cropped


def test_logo_replaced_then_removed(client_for, admin, organisation, django_capture_on_commit_callbacks):
    client = client_for(admin)
    url = reverse("organisations:edit", args=[organisation.public_id])
    client.post(url, {**FORM, "logo": upload("a.jpg", image_bytes(fmt="JPEG"), "image/jpeg")})
    organisation.refresh_from_db()
    first = organisation.logo.name
    assert first.endswith(".jpg")
    storage = organisation.logo.storage
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**FORM, "logo": upload("b.png", image_bytes())})
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".png") and not storage.exists(first)
    assert "Remove the current logo" in client.get(url).content.decode()
    client.post(url, {**FORM, "logo_clear": "on"})
    organisation.refresh_from_db()
    assert not organisation.logo
    assert AuditEvent.objects.filter(organisation=organisation, action="update", changes__has_key="logo").count() == 3


def test_phone_read_in_the_organisations_country(client_for, make_user):
    from agnitio.organisations.models import Organisation

    client = client_for(make_user("fr@example.org"))
    client.post(reverse("organisations:create"), {**FORM, "country": "FR", "phone": "01 23 45 67 89"})
    assert str(Organisation.objects.get().phone) == "+33123456789"
