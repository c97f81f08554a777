import datetime

import pytest

from agnitio.invitations.services import invitation_accept
from agnitio.youthpass import services


@pytest.fixture
def activity(owner, project):
    return services.activity_create(
        actor=owner, project=project, activity_type="training_course", title="Apmācību kurss “Līdzdalība”",
        start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 10), venue_city="Cēsis",
        venue_country="LV")


@pytest.fixture
def participant(owner, project, activity):
    return services.participant_create(actor=owner, project=project, activities=[activity], first_name="Anna",
                                       last_name="Bērziņa", email="anna@example.org", country="LV",
                                       language="lv")


@pytest.fixture
def learner(make_user):
    return make_user("anna@example.org", language="lv")


@pytest.fixture
def accepted(owner, participant, learner):
    """The participant invited and the invitation accepted by the learner's account."""
    services.participant_invite(actor=owner, participants=[participant])
    token = participant._token
    invitation_accept(user=learner, token=token)
    participant.refresh_from_db()
    return participant
