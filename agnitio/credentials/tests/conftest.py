import datetime

import pytest


@pytest.fixture
def holder(make_user):
    return make_user("holder@example.org")


@pytest.fixture
def achievement():
    return {
        "name": "Youthpass in Youth Exchanges",
        "description": "Took part in the youth exchange “Bridges” in Riga.",
        "criteria": "Participated in all activities and described their learning outcomes.",
        "outcomes": [
            {"name": "Multilingual competence", "description": "Held a daily discussion in English.",
             "framework": "Key competences for lifelong learning (2018)"},
            {"name": "Citizenship competence", "description": "Organised a local clean-up."},
        ],
        "credits_ects": 2,
        "eqf_level": 4,
    }


@pytest.fixture
def issue(owner, organisation, achievement):
    """Issue a credential (no PDF unless pdf_data is given)."""
    from agnitio.credentials.services import credential_issue

    def _issue(*, kind="youthpass", holder_email="holder@example.org", actor=None, org=None, **kwargs):
        arguments = {
            "actor": actor or owner, "organisation": org or organisation, "kind": kind,
            "holder_name": "Anna Bērziņa", "holder_email": holder_email, "achievement": achievement,
            "languages": ["en", "lv"], "issued_on": datetime.date(2026, 11, 20), "place": "Rīga",
        }
        arguments.update(kwargs)
        return credential_issue(**arguments)

    return _issue
