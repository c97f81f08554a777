"""The one rule table of D4: the sections of a Europass mobility document and, per kind, whether each section is
mandatory, optional or removed (seed 003, "Pirms un pēc mobilitātes versijas").

| section | agreement (before) | certificate (after) |
|---|---|---|
| personal data (title and participant) | mandatory | mandatory |
| host organisation | mandatory | mandatory |
| project (programme, activity type, dates, status) | mandatory | mandatory |
| learning outcomes | mandatory (expected) | mandatory (achieved) |
| activities and tasks | mandatory | mandatory |
| mentoring and monitoring | mandatory | optional |
| evaluation and recognition | mandatory | mandatory |
| additional terms | optional | removed |
| contact information | mandatory | removed |
| signatures | 3 or 4 parties | one: sending or host |

Everything that depends on the kind (forms shown, missing fields, "create the certificate from the agreement",
the API) reads this table; nothing else decides it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .choices import DocumentKind, SigningParty


class Rule(StrEnum):
    MANDATORY = "mandatory"
    OPTIONAL = "optional"
    REMOVED = "removed"


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    fields: tuple[str, ...]           # the document's fields that make the section
    required: tuple[str, ...]         # of those, the ones that must be filled when the section is mandatory


SECTIONS: tuple[Section, ...] = (
    Section("personal", _("Personal data"),
            ("first_name", "last_name", "date_of_birth", "nationality", "email", "address", "photo"),
            ("first_name", "last_name")),
    Section("host", _("Host organisation (uzņēmējorganizācija)"),
            ("host_name", "host_type", "host_type_other", "host_country", "host_address", "mentor_name",
             "mentor_position", "mentor_phone", "mentor_email"),
            ("host_name", "host_type", "host_country", "mentor_name", "mentor_position", "mentor_phone",
             "mentor_email")),
    Section("project", _("Project"),
            ("programme", "activity_type", "activity_type_other", "stay_mode", "purpose", "purpose_other",
             "start_date", "end_date", "participant_status"),
            ("programme", "activity_type", "stay_mode", "purpose", "start_date", "end_date", "participant_status")),
    Section("outcomes", _("Learning outcomes"), ("outcomes",), ("outcomes",)),
    Section("activities", _("Activities and tasks"), ("activities_tasks",), ("activities_tasks",)),
    Section("mentoring", _("Mentoring and monitoring arrangements"), ("mentoring",), ("mentoring",)),
    Section("evaluation", _("Evaluation and recognition"), ("evaluation",), ("evaluation",)),
    Section("additional_terms", _("Additional terms"), ("additional_terms",), ("additional_terms",)),
    Section("contact", _("Contact information"), ("contact_information",), ("contact_information",)),
    Section("signatures", _("Signatures"), ("signing_parties",), ("signing_parties",)),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}

RULES: dict[str, dict[str, Rule]] = {
    "personal": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.MANDATORY},
    "host": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.MANDATORY},
    "project": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.MANDATORY},
    "outcomes": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.MANDATORY},
    "activities": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.MANDATORY},
    "mentoring": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.OPTIONAL},
    "evaluation": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.MANDATORY},
    "additional_terms": {DocumentKind.AGREEMENT: Rule.OPTIONAL, DocumentKind.CERTIFICATE: Rule.REMOVED},
    "contact": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.REMOVED},
    "signatures": {DocumentKind.AGREEMENT: Rule.MANDATORY, DocumentKind.CERTIFICATE: Rule.MANDATORY},
}
assert set(RULES) == set(SECTIONS_BY_KEY)  # noqa: S101 - the table covers every section, and only those

# Signatures: 3 or 4 parties before (participant, sending, host, and the legal representative of a minor);
# exactly one after (the sending or the host organisation, by agreement).
AGREEMENT_PARTIES_REQUIRED = frozenset({SigningParty.PARTICIPANT, SigningParty.SENDING, SigningParty.HOST})
AGREEMENT_PARTIES_ALLOWED = AGREEMENT_PARTIES_REQUIRED | {SigningParty.LEGAL_REPRESENTATIVE}
CERTIFICATE_PARTIES_ALLOWED = frozenset({SigningParty.SENDING, SigningParty.HOST})


def rule(section: str, kind: str) -> Rule:
    return RULES[section][kind]


def sections_for(kind: str) -> list[Section]:
    """The sections a document of `kind` has (removed ones left out), in order."""
    return [section for section in SECTIONS if RULES[section.key][kind] != Rule.REMOVED]


def signing_parties_problem(kind: str, parties: list[str]) -> str | None:
    """Why `parties` cannot sign a document of `kind` (None when they can)."""
    chosen = set(parties)
    if kind == DocumentKind.AGREEMENT:
        if not chosen <= AGREEMENT_PARTIES_ALLOWED or not chosen >= AGREEMENT_PARTIES_REQUIRED:
            return str(_("A learning agreement is signed by the participant, the sending and the host organisation "
                         "(and the legal representative, when needed): 3 or 4 parties."))
        return None
    if len(chosen) != 1 or not chosen <= CERTIFICATE_PARTIES_ALLOWED:
        return str(_("A mobility certificate is signed by one party: the sending or the host organisation."))
    return None
