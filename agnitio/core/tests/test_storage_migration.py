"""The data migrations that separate private and public files, on an installation that has files in the old
layout (everything in MEDIA_ROOT, or at the bucket's root on S3)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from agnitio.core.storage import is_local, legacy_storage, migrate_logos_to_public, move_rows_to_private
from agnitio.core.tests.test_private_files import backend, moto_s3
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.services import credential_issue
from agnitio.organisations.models import Organisation
from agnitio.organisations.tests.test_images import HTML, assert_clean, gps_jpeg
from agnitio.youthpass.models import Project

# fixtures used here
__all__ = ["backend", "moto_s3"]

pytestmark = pytest.mark.django_db


def test_old_layout_files_move_to_private_and_logos_are_reencoded_into_public(backend, owner, organisation,
                                                                              project, settings):
    old = legacy_storage()
    credential = credential_issue(actor=owner, organisation=organisation, kind="microcredential",
                                  holder_name="Olga Ozola", holder_email="olga@example.org",
                                  achievement={"name": "Facilitation"}, languages=["en"],
                                  issued_on=datetime.date(2026, 7, 20), place="Rīga")
    pdf = old.save("credentials/pdf/2026/MC-2026-000009.pdf", ContentFile(b"%PDF-1.7 personal"))
    IssuedCredential.objects.filter(pk=credential.pk).update(pdf=pdf)
    org_logo = old.save("organisations/logos/ours.jpg", ContentFile(gps_jpeg()))
    Organisation.objects.filter(pk=organisation.pk).update(logo=org_logo)
    evil = old.save("youthpass/logos/evil.html", ContentFile(HTML))
    Project.objects.filter(pk=project.pk).update(logo=evil)

    moved = move_rows_to_private(IssuedCredential, "pdf")
    assert migrate_logos_to_public(Organisation, "logo") == 1
    assert migrate_logos_to_public(Project, "logo") == 1

    credential.refresh_from_db()
    with default_storage.open(credential.pdf.name, "rb") as handle:
        assert handle.read() == b"%PDF-1.7 personal"
    if is_local(default_storage):
        assert moved == 1
        assert not (Path(settings.MEDIA_ROOT) / pdf).exists()  # nothing left where /media/ used to serve it
        assert Path(default_storage.path(pdf)).is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    else:
        assert moved == 0  # S3: private files stay where they were (private ACL, signed URLs)
    organisation.refresh_from_db()
    project.refresh_from_db()
    assert organisation.logo.name.startswith("organisations/logos/") and organisation.logo.name != org_logo
    assert organisation.logo.name.endswith(".jpg")
    with organisation.logo.open("rb") as handle:
        data = handle.read()
    assert_clean(data)
    assert Image.open(io.BytesIO(data)).size == (320, 200)
    assert not old.exists(org_logo)
    assert not project.logo  # the HTML page uploaded as a logo is dropped
    assert not old.exists(evil)

    # running again changes nothing
    assert move_rows_to_private(IssuedCredential, "pdf") == 0
    assert migrate_logos_to_public(Organisation, "logo") == 0
