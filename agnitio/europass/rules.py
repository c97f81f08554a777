"""Who may do what with Europass mobility (DOMAIN D3; ADR 0016).

* the members of a sending institution's organisation see its applications and documents and apply; its owners
  and admins edit its base data and manage its (at most three) additional users;
* an individual applicant (procedure C) sees only their own applications and documents;
* the members of the organisation named by a `NationalCentre` act as that NEC: they see the applications sent to it
  and approve or reject them, and mark document folders sent.

Callers ask the named permissions through `agnitio.core.permissions`; the predicates are for this file.
"""

from __future__ import annotations

import rules

from agnitio.organisations.rules import is_org_admin, is_org_member


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


@rules.predicate
def is_institution_member(user, institution) -> bool:
    return institution is not None and is_org_member(user, institution.organisation)


@rules.predicate
def is_institution_admin(user, institution) -> bool:
    return institution is not None and is_org_admin(user, institution.organisation)


@rules.predicate
def is_nec_staff(user, centre) -> bool:
    return centre is not None and is_org_member(user, centre.organisation)


@rules.predicate
def is_own_application(user, application) -> bool:
    if application is None or not _authenticated(user):
        return False
    if application.institution_id is not None:
        return is_institution_member(user, application.institution)
    return application.applicant_id == user.pk


@rules.predicate
def is_deciding_nec(user, application) -> bool:
    return application is not None and application.national_centre_id is not None and is_nec_staff(
        user, application.national_centre)


@rules.predicate
def is_own_document(user, document) -> bool:
    if document is None or not _authenticated(user):
        return False
    if document.institution_id is not None:
        return is_institution_member(user, document.institution)
    return document.applicant_id == user.pk


rules.add_perm("europass.view_institution", is_institution_member)
rules.add_perm("europass.change_institution", is_institution_admin)
rules.add_perm("europass.manage_institution_users", is_institution_admin)
rules.add_perm("europass.apply_for_mobility", is_institution_member)
rules.add_perm("europass.act_as_nec", is_nec_staff)
rules.add_perm("europass.view_application", is_own_application | is_deciding_nec)
rules.add_perm("europass.decide_application", is_deciding_nec)
rules.add_perm("europass.view_document", is_own_document)
rules.add_perm("europass.change_document", is_own_document)
