"""Europass fixtures: a registered sending institution (its owner is `sender`), a NEC (its staff `nec_staff`), and
helpers that make applications at a controlled "now"."""

import datetime

import pytest
from django.utils import timezone

from agnitio.europass import services
from agnitio.europass.models import Institution

NOW = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
START = datetime.date(2026, 4, 20)   # less than 10 weeks after NOW: allowed
END = datetime.date(2026, 5, 1)


@pytest.fixture
def nec_org(db):
    from agnitio.organisations.models import Organisation

    return Organisation.objects.create(legal_name="Akadēmiskās informācijas centrs", country="LV",
                                       address="Dzirnavu iela 16, Rīga", email="europass@aic.example")


@pytest.fixture
def nec(nec_org):
    return services.national_centre_create(actor=None, organisation=nec_org, country="LV",
                                           display_name="Academic information centre – NEC Latvia")


@pytest.fixture
def nec_staff(make_user, nec_org, nec):
    from agnitio.organisations.models import Membership

    user = make_user("staff@aic.example", language="lv")
    Membership.objects.create(organisation=nec_org, user=user, role="editor")
    return user


@pytest.fixture
def institution(owner, organisation):
    """The conftest organisation registered as a sending institution (its owner is the sender)."""
    from agnitio.europass.services.institutions import name_key

    return Institution.objects.create(organisation=organisation, name_key=name_key(organisation.legal_name),
                                      contact_person="Ilze Kalniņa", postal_address="Brīvības iela 1, Rīga",
                                      language="lv")


@pytest.fixture
def sender(owner, institution):
    return owner


def application_data(**over):
    data = {"conditions_accepted": True, "procedure": "B", "description": "Skolu partnerība, pieredzes apmaiņa",
            "criterion_written_agreement": True, "criterion_language_preparation": True, "criterion_mentor": True,
            "criterion_geographic_scope": True, "participants_count": 2, "start_date": START, "end_date": END,
            "issuing_body": "nec"}
    data.update(over)
    return data


@pytest.fixture
def make_application(sender, institution, nec):
    def _make(**over):
        return services.application_create(actor=sender, institution=institution, data=application_data(**over),
                                           now=NOW)
    return _make


@pytest.fixture
def approved(make_application, nec_staff):
    application = make_application()
    return services.application_approve(actor=nec_staff, application=application, now=NOW)


@pytest.fixture
def document(approved):
    return approved.documents.order_by("position").first()
