"""Demo data for `manage.py demo_data`: the demo organisation as a Europass sending institution, a demo Nacionālais
Europass centrs (with its own staff account), and an approved procedure-B application with two participants'
learning agreements, the first one partly filled. Idempotent: nothing is added when the institution exists."""

from __future__ import annotations

import datetime

NEC_EMAIL = "nec.demo@agnitio.example"


def load(*, owner, organisation, stdout) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from agnitio.core.management.commands.demo_data import DEMO_PASSWORD
    from agnitio.organisations.services import membership_grant_invited, organisation_create

    from . import services
    from .models import Institution, NationalCentre
    from .services.institutions import name_key

    if Institution.objects.filter(organisation=organisation).exists():
        return
    institution = Institution.objects.create(organisation=organisation, name_key=name_key(organisation.legal_name),
                                             contact_person="Demo Owner", postal_address=organisation.address,
                                             language="lv")
    centre = NationalCentre.objects.filter(country="LV").first()
    User = get_user_model()
    staff, created = User.objects.get_or_create(email=NEC_EMAIL, defaults={"full_name": "NEC demo",
                                                                            "language": "lv"})
    if created:
        staff.set_password(DEMO_PASSWORD)
        staff.save()
    EmailAddress.objects.update_or_create(user=staff, email=NEC_EMAIL, defaults={"verified": True, "primary": True})
    if centre is None:
        nec_org = organisation_create(actor=staff, data={
            "legal_name": "Akadēmiskās informācijas centrs (demo)", "country": "LV", "address": "Rīga",
            "email": NEC_EMAIL})
        centre = services.national_centre_create(actor=None, organisation=nec_org, country="LV",
                                                 display_name="Academic information centre – NEC Latvia (demo)")
    else:
        membership_grant_invited(organisation=centre.organisation, user=staff, role="editor")
    start = datetime.date(2026, 9, 14)
    now = timezone.make_aware(datetime.datetime(2026, 8, 3, 10, 0))
    application = services.application_create(actor=owner, institution=institution, now=now, data={
        "conditions_accepted": True, "procedure": "B", "issuing_body": "nec", "national_centre": centre.public_id,
        "description": "Skolu partnerība bez ES finansējuma: pieredzes apmaiņa Porto profesionālajā skolā",
        "criterion_written_agreement": True, "criterion_language_preparation": True, "criterion_mentor": True,
        "criterion_geographic_scope": True, "participants_count": 2, "start_date": start,
        "end_date": datetime.date(2026, 9, 25), "folders_by_post": True})
    services.application_approve(actor=staff, application=application, now=now + datetime.timedelta(hours=20))
    first = application.documents.order_by("position").first()
    services.document_section_update(actor=owner, document=first, section="personal",
                                     data={"first_name": "Līga", "last_name": "Ozoliņa", "nationality": "LV"})
    services.document_section_update(actor=owner, document=first, section="host", data={
        "host_name": "Escola Profissional do Porto", "host_type": "vet_provider", "host_country": "PT",
        "mentor_name": "Ana Costa", "mentor_position": "Formadora", "mentor_phone": "+351 912 345 678",
        "mentor_email": "ana.costa@escola.example"})
    services.document_section_update(actor=owner, document=first, section="outcomes", data={"outcomes": [
        {"framework": "B", "text": "Sagatavo tradicionālus portugāļu ēdienus, ievērojot higiēnas prasības.",
         "esco_uris": ["http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"]},
        {"framework": "A", "text": "Sazinās angļu valodā ar kolēģiem virtuvē."}]})
    stdout.write(f"  Europass: an approved application with two documents; NEC staff sign in as {NEC_EMAIL}")
