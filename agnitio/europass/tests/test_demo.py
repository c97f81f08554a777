import pytest
from django.core.management import call_command

from agnitio.europass.models import Application, Institution, MobilityDocument, NationalCentre


@pytest.mark.django_db
def test_demo_data_adds_a_europass_institution_nec_and_approved_application_once():
    call_command("demo_data")
    call_command("demo_data")
    assert Institution.objects.count() == 1 and NationalCentre.objects.count() == 1
    application = Application.objects.get()
    assert application.status == "approved"
    assert MobilityDocument.objects.filter(application=application).exclude(europass_number=None).count() == 2
