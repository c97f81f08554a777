"""Demo data for `manage.py demo_data`: one Youthpass project with two activities and a few individuals, one of
whom has written learning outcomes. Idempotent: nothing is added when the project exists."""

from __future__ import annotations

import datetime

DEMO_NUMBER = "2026-1-LV02-KA152-YOU-000000042"


def load(*, owner, organisation, stdout) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from agnitio.invitations.services import invitation_accept

    from . import services
    from .models import Project

    User = get_user_model()

    if Project.objects.filter(organisation=organisation, grant_number=DEMO_NUMBER).exists():
        return
    project = services.project_create(
        actor=owner, organisation=organisation, grant_number=DEMO_NUMBER, programme="erasmus_youth",
        project_type="youth_exchange", title="Ūdens stāsti / Stories of water",
        description="Desmit dienu jauniešu apmaiņa par ūdeni, dabu un atbildību Gaujas krastos.",
        aims="Iepazīt ūdens nozīmi ikdienā; mācīties sadarboties starptautiskā grupā.",
        start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2026, 7, 10), venue="Cēsis, Latvija")
    services.project_partner_add(actor=owner, project=project, name="Association Jeunesse Active", country="FR")
    visit = services.activity_create(
        actor=owner, project=project, activity_type="advance_planning_visit", title="Sagatavošanās vizīte",
        start_date=datetime.date(2026, 5, 15), end_date=datetime.date(2026, 5, 16), venue_city="Cēsis",
        venue_country="LV")
    exchange = services.activity_create(
        actor=owner, project=project, activity_type="youth_exchange", title="Jauniešu apmaiņa “Ūdens stāsti”",
        description="Darbnīcas, pārgājieni un filmu veidošana par ūdeni.", start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 7, 10), format="onsite", venue_city="Cēsis", venue_country="LV",
        methods="Neformālās izglītības metodes: simulācijas, diskusijas, refleksijas grupas.")
    people = [("Līga", "Ozoliņa", "liga.demo@agnitio.example", "LV", "participant"),
              ("Jonas", "Petraitis", "jonas.demo@agnitio.example", "LT", "team_member"),
              ("Marie", "Dupont", "marie.demo@agnitio.example", "FR", "participant")]
    created = []
    for first, last, email, country, role in people:
        created.append(services.participant_create(
            actor=owner, project=project, activities=[visit, exchange] if role == "team_member" else [exchange],
            first_name=first, last_name=last, email=email, country=country, role=role,
            language="lv" if country == "LV" else "en"))
    # Līga has an account, accepted her invitation and wrote a draft in Latvian.
    learner, _ = User.objects.get_or_create(email=created[0].email, defaults={"full_name": "Līga Ozoliņa",
                                                                             "language": "lv"})
    learner.set_password("agnitio-demo-2026")
    learner.save()
    EmailAddress.objects.update_or_create(user=learner, email=learner.email,
                                          defaults={"verified": True, "primary": True})
    services.participant_invite(actor=owner, participants=[created[0]])
    invitation_accept(user=learner, token=created[0]._token)
    created[0].refresh_from_db()
    services.outcomes_save(actor=learner, participant=created[0], texts={
        ("key_competences_2018", "multilingual", "lv"): "Katru dienu runāju angliski un mazliet franciski.",
        ("key_competences_2018", "citizenship", "lv"): "Kopā ar grupu sakopām Gaujas krastu un runājām ar "
                                                         "pašvaldību par ūdens aizsardzību."})
    stdout.write(f"  Youthpass: project {DEMO_NUMBER} with 3 individuals (learner {learner.email}, same password)")
