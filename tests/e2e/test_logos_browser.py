"""In a real browser: logos — the only public files — load under the Content-Security-Policy on the public
verification page and on the organisation's pages, as images (never as pages), from the public storage."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.fixtures.browser import csp_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_logos_load_on_the_verification_and_organisation_pages(new_context, live_server, owner, organisation,
                                                               client):
    from django.conf import settings

    from agnitio.credentials.services import credential_issue
    from agnitio.organisations import images, services

    png = io.BytesIO()
    Image.new("RGB", (240, 80), (0, 90, 160)).save(png, format="PNG")
    services.organisation_update(actor=owner, organisation=organisation, data={}, logo=images.process_upload(
        SimpleUploadedFile("logo.png", png.getvalue()), purpose="logo"))
    organisation.refresh_from_db()
    credential = credential_issue(actor=owner, organisation=organisation, kind="microcredential",
                                  holder_name="Olga Ozola", holder_email="olga@example.org",
                                  achievement={"name": "Facilitation"}, languages=["en"],
                                  issued_on=datetime.date(2026, 7, 20), place="Rīga")
    client.force_login(owner)
    context = new_context(watch_csp=True)
    page = context.new_page()
    # anonymous: the public verification page shows the issuer's logo from /media/public/
    page.goto(f"{live_server.url}/verify/{credential.code}")
    logo = page.locator("img.issuer-logo")
    assert logo.get_attribute("src").startswith("/media/public/organisations/logos/")
    page.wait_for_function("document.querySelector('img.issuer-logo').complete")
    assert page.evaluate("document.querySelector('img.issuer-logo').naturalWidth") == 240
    assert csp_violations(page) == []
    # signed in: the organisation's page shows it through its view
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page.goto(f"{live_server.url}/organisations/{organisation.public_id}/")
    page.wait_for_function("document.querySelector('img.logo-preview').complete")
    assert page.evaluate("document.querySelector('img.logo-preview').naturalWidth") == 240
    assert csp_violations(page) == []
