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


def test_logo_kept_across_a_failed_submission(client_for, make_user):
    from agnitio.organisations.models import Organisation

    client = client_for(make_user("founder@js.example"))
    url = reverse("organisations:create")
    failed = client.post(url, {**FORM, "phone": "12", "logo": upload("logo.png", image_bytes(300, 120))})
    assert failed.status_code == 200 and not Organisation.objects.exists()
    assert "The logo you chose is kept" in failed.content.decode()
    token = failed.context["form"]["logo_pending"].value()
    assert token
    # the corrected form, sent without choosing the file again
    client.post(url, {**FORM, "logo_pending": token})
    organisation = Organisation.objects.get()
    assert organisation.logo and organisation.logo.name.endswith(".png")


def test_forged_pending_logo_is_ignored(client_for, make_user):
    from agnitio.organisations.models import Organisation

    client = client_for(make_user("founder@js.example"))
    client.post(reverse("organisations:create"), {**FORM, "logo_pending": "organisations/logos/other.png:forged"})
    assert not Organisation.objects.get().logo


def test_pending_logo_bound_to_its_user(client, make_user):
    from agnitio.organisations.models import Organisation

    first, second = make_user("a@example.org"), make_user("b@example.org")
    client.force_login(first)
    failed = client.post(reverse("organisations:create"), {**FORM, "phone": "12", "logo": upload("l.png")})
    token = failed.context["form"]["logo_pending"].value()
    client.force_login(second)
    client.post(reverse("organisations:create"), {**FORM, "logo_pending": token})
    assert not Organisation.objects.get().logo
