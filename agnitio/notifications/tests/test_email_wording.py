"""Issue 11 point 11: every kind of e-mail, in Latvian and English, has a one-line subject without a leading space,
and Latvian e-mails greet without putting the person's name in the nominative (Latvian needs the vocative)."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import allauth
import pytest
from django.conf import settings

from agnitio.notifications.services import email_render

OURS = Path(settings.BASE_DIR) / "agnitio"
ALLAUTH = Path(allauth.__file__).parent / "templates"


def _kinds(root: Path) -> list[str]:
    """Template prefixes ("youthpass/email/reminder") of every e-mail kind under root's template folders."""
    kinds = []
    for subject in sorted(root.rglob("*_subject.txt")):
        if "tests" in subject.parts:
            continue
        parts = subject.parts
        relative = Path(*parts[len(parts) - 1 - parts[::-1].index("templates") + 1:])
        kinds.append(str(relative)[: -len("_subject.txt")])
    return kinds


OUR_KINDS = _kinds(OURS)
ALLAUTH_KINDS = [k for k in _kinds(ALLAUTH) if k.startswith(("account/email/", "mfa/email/"))]

CONTEXT = {
    "subject": "Jūsu mācīšanās mērķi", "body": "Teksts.", "first_name": "Jānis", "invitee_name": "Jānis Bērziņš",
    "project_name": "Jauniešu apmaiņa", "organisation_name": "Biedrība “Tilts”", "sender": "Līga",
    "personal_message": "Uz tikšanos!", "milestone": "pirms sākuma", "text": "Pievienojiet dalībniekus.",
    "action_label": "Atvērt", "action_path": "/p/", "settings_path": "/p/", "invitation_text": "Uzaicinājums.",
    "url": "https://agnitio.example/i/", "email": "janis@example.org", "code": "123456",
    "current_site": SimpleNamespace(name="Agnitio", domain="agnitio.example"),
    "user": SimpleNamespace(email="janis@example.org", get_full_name=lambda: "Jānis Bērziņš"),
    "application": SimpleNamespace(public_id="AbCdEfGhIjKlMnOpQrStUv", participants_count=2,
                                   start_date=datetime.date(2027, 1, 4), end_date=datetime.date(2027, 1, 29),
                                   rejection_reason="Nav projekta numura."),
    "name": "Biedrība “Tilts”", "expires_at": datetime.datetime(2027, 1, 2, 12, 0, tzinfo=datetime.UTC),
    "role": "host", "host_name": "Escola", "number": "EA-2027-000001-3", "participant": "Jānis Bērziņš",
    "provider": "Biedrība “Tilts”", "title": "Digitālās prasmes", "days": 30, "decision": "atzīts",
    "reason": "Atbilst politikai.",
}
# E-mails to an institution's or a project team's address, not to one person: greeted without a name.
TO_A_TEAM = {"youthpass/email/organiser_reminder", "europass/email/access_registered", "europass/email/approved",
             "europass/email/registration", "europass/email/rejected"}


def test_every_kind_is_found():
    assert {"youthpass/email/reminder", "youthpass/email/participant_message", "youthpass/email/organiser_reminder",
            "invitations/email/invitation"} <= set(OUR_KINDS)
    assert {"account/email/email_confirmation", "account/email/password_reset_key"} <= set(ALLAUTH_KINDS)


@pytest.mark.parametrize("language", ["lv", "en"])
@pytest.mark.parametrize("kind", OUR_KINDS + ALLAUTH_KINDS)
def test_subject_is_one_line_without_a_leading_space(kind, language):
    subject, body, _html = email_render(template=kind, context=CONTEXT, language=language)
    assert subject, kind
    assert subject == subject.strip() and "\n" not in subject and "  " not in subject, repr(subject)
    assert body.strip()


@pytest.mark.parametrize("kind", [k for k in OUR_KINDS + ALLAUTH_KINDS if k not in (
    "youthpass/email/reminder", "invitations/email/invitation")])  # these two carry their subject in the context
def test_subject_is_in_the_recipients_language(kind):
    latvian = email_render(template=kind, context=CONTEXT, language="lv")[0]
    english = email_render(template=kind, context=CONTEXT, language="en")[0]
    assert latvian != english, kind


@pytest.mark.parametrize("kind", OUR_KINDS)
def test_latvian_greets_without_the_nominative_name_english_by_name(kind):
    latvian = email_render(template=kind, context=CONTEXT, language="lv")[1].splitlines()[0]
    english = email_render(template=kind, context=CONTEXT, language="en")[1].splitlines()[0]
    assert latvian == "Labdien!"
    assert "Jānis" not in latvian and "Sveiki" not in latvian
    assert english.startswith("Hello") and english.endswith(",")
    if kind not in TO_A_TEAM:
        assert "Jānis" in english
