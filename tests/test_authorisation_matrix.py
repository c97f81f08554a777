"""Issue 8, point 15: the authorisation matrix, generated from the URL configuration and the OpenAPI document.

Every route that takes an id (HTML: every URL pattern with a parameter; API: every operation whose path has one)
must have an entry in ROUTES or API below; a new route without one fails `test_every_route_has_a_matrix_entry`,
which names it. Each entry says which roles may use it; `test_matrix` then requests it with real ids of a world in
which every kind of object exists, once as each role, and compares.

Roles (ROLES): anonymous; outsider (owner of another organisation); member (editor of the owning organisation, not
on the project); project_editor (member with access to the project); other_project_editor (member with access to
another project of the same organisation only); admin and owner of the owning organisation; learner (the
participant, holder of the certificate); supervisor (the participant's mentor); staff (platform staff with a
TOTP-confirmed session — no rights outside /admin/); nec (a member of the organisation acting as the Nacionālais
Europass centrs; the owning organisation is also a Europass sending institution).

Outcome: "ok" = the request passed the authorisation (2xx, a redirect that is not to a sign-in page, or an input
error 400/409/422 after the check); "no" = 401/403/404 or a redirect to a sign-in page. Every request runs in a
transaction that is rolled back, so one role's write never changes what the next one sees.

To add a route: add a line to ROUTES (HTML, by URL name) or API ((method, path) as in /api/v1/openapi.json) with
the ids it takes (`ids`: parameter → world object) and who may use it (`allow`); or to EXEMPT with the reason
(e.g. the id is a secret token, tested elsewhere).
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver

from agnitio.invitations.services import invitation_accept

ROLES = ["anonymous", "outsider", "member", "project_editor", "other_project_editor", "admin", "owner", "learner",
         "supervisor", "staff", "nec", "ep_host", "ep_participant"]

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ORG = frozenset({"member", "project_editor", "other_project_editor", "admin", "owner"})
ORG_ADMINS = frozenset({"admin", "owner"})
PROJECT = frozenset({"project_editor", "admin", "owner"})
LEARNER = frozenset({"learner"})
SUPERVISOR = frozenset({"supervisor"})
OWNER_ONLY = frozenset({"owner"})
NEC = frozenset({"nec"})  # staff of the Nacionālais Europass centrs (members of the organisation that acts as it)
# The host (uzņēmējorganizācija) named by the world's Europass document, with the host access accepted, and the
# participant of that document with a participant access accepted (issue 12, points 8-9).
EP_HOST = frozenset({"ep_host"})
EP_SHARED = frozenset({"ep_host", "ep_participant"})


@dataclass(frozen=True)
class Entry:
    allow: frozenset[str]
    ids: dict[str, str] = field(default_factory=dict)  # URL parameter → key in the world (or a literal "=value")
    method: str = "GET"
    body: dict | None = None  # JSON body for API writes (valid, so the answer is about authorisation)
    # Form fields of an API multipart upload, sent with a small valid PDF as `file` (so the answer is about
    # authorisation, and allowed roles' upload succeeds; it is rolled back)
    multipart: dict | None = None
    data: dict | None = None  # form data for HTML POSTs (valid, so the allowed roles' request succeeds)
    # For allowed roles, the service may refuse because of the object's state (e.g. the project is not finalised,
    # so no certificate can be issued): a redirect with an error message then also counts as "ok". The roles not
    # allowed must still get 401/403/404 or the sign-in page.
    state_refusal: bool = False
    note: str = ""


# --- HTML routes, by URL name ------------------------------------------------------------------------------------
OI = {"public_id": "organisation"}
P = {"pid": "project"}
PP = {"pid": "project", "ppid": "participant"}

MS = {"sid": "mc_spec"}  # a published micro-credential specification of the owning organisation
MD = {"sid": "mc_draft"}  # a complete draft
MA = {"aid": "mc_award"}  # an award (not issued yet) of the published specification, with a file as evidence

# The world's credential was issued for the project: it follows project access (members who cannot open the
# project get 404; owners and admins see all); the holder gets it through these too.
ISSUED_NOTE = "who may open its source project, or the holder"

ROUTES: dict[str, Entry] = {
    "core:public_media": Entry(EVERYONE, {"name": "logo_name"}, note="public, re-encoded logos"),
    "apikeys:revoke": Entry(OWNER_ONLY, {"public_id": "owner_token"}, "POST", note="only the token's owner"),
    "organisations:detail": Entry(ORG, OI),
    "organisations:edit": Entry(ORG_ADMINS, OI),
    "organisations:logo": Entry(ORG, OI),
    "organisations:members": Entry(ORG, OI),
    "organisations:invite": Entry(ORG_ADMINS, OI),
    "organisations:member_role": Entry(ORG_ADMINS, {**OI, "membership_id": "other_membership"}, "POST",
                                       data={"role": "admin"}),
    "organisations:member_revoke": Entry(ORG_ADMINS, {**OI, "membership_id": "other_membership"}, "POST",
                                         note="anyone may leave: the membership is a third member's"),
    "invitations:manage": Entry(ORG_ADMINS, {"public_id": "org_invitation", "action": "=withdraw"}, "POST"),
    "organisations:signatories": Entry(ORG, OI),
    "organisations:signatory_create": Entry(ORG_ADMINS, OI),
    "organisations:signatory_edit": Entry(ORG_ADMINS, {**OI, "signatory_id": "signatory"}),
    "organisations:signatory_delete": Entry(ORG_ADMINS, {**OI, "signatory_id": "signatory"}, "POST"),
    "organisations:signatures": Entry(ORG, OI, note="members see the signatures their documents carry; "
                                                    "only admins change them"),
    "organisations:signature_upload": Entry(ORG_ADMINS, OI),
    "organisations:signature": Entry(ORG, {**OI, "signature_id": "signature"}),
    "organisations:signature_delete": Entry(ORG_ADMINS, {**OI, "signature_id": "signature"}, "POST"),
    "organisations:signature_file": Entry(ORG, {**OI, "signature_id": "signature", "variant": "=original"}),
    "organisations:history": Entry(ORG_ADMINS, OI),
    "notifications:retry": Entry(ORG_ADMINS, {"public_id": "failed_email"}, "POST"),
    "documents:job_detail": Entry(ORG, {"public_id": "job"}),
    "documents:job_progress": Entry(ORG, {"public_id": "job"}),
    "documents:job_download": Entry(ORG, {"public_id": "job"}),
    "documents:job_item_download": Entry(ORG, {"public_id": "job", "number": "=1"}),
    "documents:job_resume": Entry(ORG, {"public_id": "job"}, "POST"),
    "youthpass:project_detail": Entry(PROJECT, P),
    "youthpass:project_edit": Entry(PROJECT, P),
    "youthpass:project_delete": Entry(ORG_ADMINS, P, "POST"),
    "youthpass:partner_add": Entry(PROJECT, P, "POST", data={"name": "Partner", "country": "EE"}),
    "youthpass:partner_remove": Entry(PROJECT, {**P, "partner_id": "partner"}, "POST"),
    "youthpass:editor_list": Entry(PROJECT, P, note="editors see who else works on the project"),
    "youthpass:editor_revoke": Entry(ORG_ADMINS, {**P, "editor_id": "project_editor_row"}, "POST"),
    "youthpass:activity_create": Entry(PROJECT, P),
    "youthpass:activity_edit": Entry(PROJECT, {**P, "aid": "activity"}),
    "youthpass:activity_delete": Entry(PROJECT, {**P, "aid": "activity"}, "POST"),
    "youthpass:participant_list": Entry(PROJECT, P),
    "youthpass:participant_create": Entry(PROJECT, P),
    "youthpass:participant_export": Entry(PROJECT, P),
    "youthpass:import_upload": Entry(PROJECT, P),
    "youthpass:import_map": Entry(PROJECT, {**P, "iid": "participant_import"}),
    "youthpass:import_rejected": Entry(PROJECT, {**P, "iid": "participant_import"}, state_refusal=True),
    "youthpass:participant_detail": Entry(PROJECT, PP),
    "youthpass:participant_edit": Entry(PROJECT, PP),
    "youthpass:outcomes_reopen": Entry(PROJECT, {**P, "ppid": "submitted_participant"}, "POST"),
    "youthpass:outcomes_on_behalf": Entry(PROJECT, PP),
    "youthpass:data_confirm_on_behalf": Entry(PROJECT, PP, "POST"),
    "youthpass:supervisor_invite": Entry(PROJECT, PP, "POST", data={
        "full_name": "Mentor", "email": "mentor2@matrix.example", "position": "", "language": "en"},
        state_refusal=True, note="the world's participant has a certificate: no supervisor is asked any more"),
    "youthpass:certificate_preview": Entry(PROJECT, PP),
    "youthpass:certificate_issue": Entry(PROJECT, PP, "POST", state_refusal=True),
    "youthpass:certificate_download": Entry(PROJECT, PP),
    "youthpass:batch_start": Entry(PROJECT, P, "POST", state_refusal=True),
    "youthpass:batch_detail": Entry(PROJECT, {**P, "bid": "batch"}),
    "youthpass:certificates_zip": Entry(PROJECT, P),
    "youthpass:project_finalise": Entry(PROJECT, P),
    "youthpass:reminder_list": Entry(PROJECT, P),
    "youthpass:organiser_reminders": Entry(PROJECT, P, "POST", data={"remind_before_start": "on"}),
    "youthpass:supervisor_assess": Entry(SUPERVISOR, {"ppid": "participant"}),
    "youthpass:learner_data": Entry(LEARNER, {"ppid": "participant"}),
    "youthpass:learner_outcomes": Entry(LEARNER, {"ppid": "participant"}),
    "youthpass:learner_outcomes_draft": Entry(LEARNER, {"ppid": "participant"}, "POST"),
    "youthpass:learner_journal": Entry(LEARNER, {"ppid": "participant"},
                                       note="the learning journal: the participant's own (the mentor reads the "
                                            "shared entries on supervisor_assess)"),
    "youthpass:learner_journal_entry": Entry(LEARNER, {"ppid": "participant", "kind": "=note",
                                                       "eid": "reflection_note"}, "POST", data={"action": "share"}),
    "microcredentials:provider_edit": Entry(ORG_ADMINS, {"oid": "organisation"}),
    "microcredentials:specification_detail": Entry(ORG, MS),
    "microcredentials:specification_edit": Entry(ORG, MD),
    "microcredentials:specification_publish": Entry(ORG, MD, "POST", state_refusal=True),
    "microcredentials:specification_new_version": Entry(ORG, MS, "POST"),
    "microcredentials:specification_withdraw": Entry(ORG, MS, "POST"),
    "microcredentials:specification_delete": Entry(ORG, MD, "POST"),
    "microcredentials:award_issue": Entry(ORG, MS),
    "microcredentials:import_upload": Entry(ORG, MS),
    "microcredentials:import_map": Entry(ORG, {**MS, "iid": "mc_import"}),
    "microcredentials:import_rejected": Entry(ORG, {**MS, "iid": "mc_import"}, state_refusal=True),
    "microcredentials:batch_detail": Entry(ORG, {**MS, "jid": "mc_job"}),
    "microcredentials:award_detail": Entry(ORG, MA),
    "microcredentials:award_renew": Entry(ORG, MA, "POST", state_refusal=True,
                                          note="the world's award is not issued: refused after the check"),
    "microcredentials:evidence_download": Entry(ORG, {**MA, "eid": "mc_evidence"}),
    "microcredentials:evidence_delete": Entry(ORG, {**MA, "eid": "mc_evidence"}, "POST"),
    "microcredentials:catalogue_detail": Entry(EVERYONE, MS, note="public catalogue"),
    "microcredentials:catalogue_jsonld": Entry(EVERYONE, MS, note="public catalogue"),
    "microcredentials:provider_detail": Entry(EVERYONE, {"oid": "organisation"}, note="public catalogue"),
    "microcredentials:provider_dataset": Entry(EVERYONE, {"oid": "organisation"}, note="public catalogue"),
    "credentials:organisation_did": Entry(EVERYONE, {"org": "organisation"}, note="public: the issuer's DID"),
    "credentials:issuer_profile": Entry(EVERYONE, {"org": "organisation"}, note="public issuer profile"),
    "credentials:status_list": Entry(EVERYONE, {"org": "organisation", "purpose": "=revocation"},
                                     note="public status list"),
    "credentials:verify_code": Entry(EVERYONE, {"code": "credential_code"}, note="public verification"),
    "credentials:issued_list": Entry(ORG, {"org": "organisation"},
                                     note="every member; the list shows only documents of projects they may open"),
    "credentials:key_rotate": Entry(ORG_ADMINS, {"org": "organisation"}, "POST"),
    "credentials:issued_revoke": Entry(ORG_ADMINS, {"public_id": "credential"}, "POST", data={"reason": "Error"}),
    "credentials:issued_json": Entry(PROJECT | LEARNER, {"public_id": "credential"}, note=ISSUED_NOTE),
    "credentials:issued_edc": Entry(PROJECT | LEARNER, {"public_id": "credential"}, note=ISSUED_NOTE),
    "credentials:issued_pdf": Entry(PROJECT | LEARNER, {"public_id": "credential"}, note=ISSUED_NOTE),
    "credentials:wallet_item_delete": Entry(LEARNER, {"public_id": "wallet_item"}, "POST"),
    "credentials:wallet_offer_decide": Entry(LEARNER, {"public_id": "wallet_offer", "decision": "=accept"}, "POST",
                                             note="only the holder it is offered to (not its issuer's members)"),
    "credentials:wallet_detail": Entry(LEARNER, {"public_id": "credential"}),
    "credentials:wallet_json": Entry(LEARNER, {"public_id": "credential"}),
    "credentials:wallet_pdf": Entry(LEARNER, {"public_id": "credential"}),
    "credentials:share_create": Entry(LEARNER, {"public_id": "credential"}, "POST", data={
        "expires_on": (datetime.date.today() + datetime.timedelta(days=7)).isoformat()}),
    "credentials:share_revoke": Entry(LEARNER, {"public_id": "share_link"}, "POST"),
    "europass:institution_user_remove": Entry(ORG_ADMINS, {"uid": "europass_user_row"}, "POST"),
    "europass:application_detail": Entry(ORG | NEC, {"aid": "europass_application"},
                                         note="the sending institution's members, and the NEC it was sent to"),
    "europass:application_decide": Entry(NEC, {"aid": "europass_application"}, "POST",
                                         data={"decision": "reject", "reason": "Trūkst apraksta."}),
    "europass:folders_mark_sent": Entry(NEC, {"aid": "europass_folder_application"}, "POST"),
    "europass:document_detail": Entry(ORG, {"did": "europass_document"}),
    "europass:certificate_create": Entry(ORG, {"did": "europass_document"}, "POST"),
    "europass:document_section": Entry(ORG, {"did": "europass_document", "section": "=host"}),
    "europass:group_programme_edit": Entry(ORG, {"gid": "europass_programme"}),
    "europass:document_access": Entry(ORG, {"did": "europass_document"}),
    "europass:document_access_block": Entry(ORG, {"did": "europass_document", "gid": "europass_host_access"}, "POST"),
    "europass:document_copy": Entry(ORG, {"did": "europass_document", "section": "=host"}),
    "europass:document_signature": Entry(ORG, {"did": "europass_document"}),
    "europass:application_access": Entry(ORG, {"aid": "europass_folder_application"}),
    "europass:shared_document_detail": Entry(EP_SHARED, {"did": "europass_document"}),
    "europass:shared_document_section": Entry(EP_SHARED, {"did": "europass_document", "section": "=outcomes"}),
    "europass:shared_document_signature": Entry(EP_HOST, {"did": "europass_document"}),
    "europass:host_signature": Entry(EP_HOST, {"sid": "europass_host_signature"}),
    "europass:host_signature_file": Entry(EP_HOST, {"sid": "europass_host_signature", "variant": "=variant-black"},
                                          note="a preview of a variant, made on request: the host's own only"),
    "europass:host_signature_delete": Entry(EP_HOST, {"sid": "europass_host_signature"}, "POST"),
    # Producing the documents (PDF preview, issuing, bulk generation) is the sending institution's work only:
    # not the NEC that approved the application, nor the host or the participant who fill in their sections.
    "europass:document_pdf": Entry(ORG, {"did": "europass_document"}, state_refusal=True),
    "europass:document_issue": Entry(ORG, {"did": "europass_document"}, "POST", state_refusal=True),
    "europass:application_generate": Entry(ORG, {"aid": "europass_folder_application"}, "POST", state_refusal=True),
    "europass:application_job": Entry(ORG, {"aid": "europass_folder_application", "jid": "europass_job"}),
    "microcredentials:award_prior_learning": Entry(ORG, MS),
    "microcredentials:specification_feedback": Entry(ORG, MS, note="the provider's members read the summary"),
    "microcredentials:composition_edit": Entry(ORG, MD),
    "microcredentials:stack_qualifiers": Entry(ORG, MS),
    "microcredentials:stack_issue": Entry(ORG, MS, "POST", data={"learner_email": "nobody@matrix.example"},
                                          state_refusal=True, note="the world's spec is not composed: refused "
                                                                   "after the check"),
    "microcredentials:feedback_give": Entry(LEARNER, {"aid": "mc_learner_award"},
                                            note="only the holder of the award, never its provider's members"),
    "microcredentials:recognition_list": Entry(ORG, {"oid": "organisation"},
                                               note="requests sent to the provider: its members"),
    "microcredentials:recognition_detail": Entry(ORG | LEARNER, {"rid": "mc_recognition"},
                                                 note="the receiving provider's members, and the learner who sent it"),
}

# Routes whose parameter is a secret (the link itself is the right) or not an object id: tested elsewhere.
EXEMPT: dict[str, str] = {
    "account_confirm_email": "allauth e-mail confirmation key (secret)",
    "account_reset_password_from_key": "allauth password-reset key (secret)",
    "organisations:invitation": "old invitation address: redirects the token to invitations:accept",
    "invitations:accept": "invitation token; tests/test_invitation_takeover.py, invitations/tests",
    "youthpass:editor_invitation": "old invitation address: redirects the token to invitations:accept",
    "youthpass:invitation": "old invitation address: redirects the token to invitations:accept",
    "youthpass:supervisor_invitation": "old invitation address: redirects the token to invitations:accept",
    "credentials:shared": "share-link token (secret); credentials/tests/test_wallet.py",
    "credentials:shared_json": "share-link token (secret); credentials/tests/test_wallet.py",
    "credentials:shared_pdf": "share-link token (secret); credentials/tests/test_wallet.py",
    "europass:register_confirm": "registration confirmation token (secret); europass/tests/test_registration.py",
}

# The Django admin: every admin route is for staff with a TOTP-confirmed session only (test_admin_matrix).
ADMIN_ROUTES = ("admin/",)

# --- API operations, as in /api/v1/openapi.json ------------------------------------------------------------------
AP = {"pid": "project"}
AMS = {"spec_id": "mc_spec"}
AMD = {"spec_id": "mc_draft"}
APP = {"pid": "project", "ppid": "participant"}
EA = {"application_id": "europass_application"}
ED = {"document_id": "europass_document"}
API: dict[tuple[str, str], Entry] = {
    ("GET", "/api/v1/europass/applications/{application_id}"): Entry(ORG | NEC, EA),
    ("POST", "/api/v1/europass/applications/{application_id}/approve"): Entry(NEC, EA),
    ("POST", "/api/v1/europass/applications/{application_id}/reject"): Entry(NEC, EA, body={"reason": "Nē."}),
    ("POST", "/api/v1/europass/applications/{application_id}/folders-sent"): Entry(
        NEC, {"application_id": "europass_folder_application"}),
    ("GET", "/api/v1/europass/documents/{document_id}"): Entry(ORG, ED),
    ("PATCH", "/api/v1/europass/documents/{document_id}/sections/{section}"): Entry(
        ORG, {**ED, "section": "=host"}, body={"host_name": "Escola"}),
    ("POST", "/api/v1/europass/documents/{document_id}/certificate"): Entry(ORG, ED),
    ("POST", "/api/v1/europass/documents/{document_id}/copy/preview"): Entry(
        ORG, {"document_id": "europass_copy_source"},
        body={"section": "host", "fields": ["host_name"], "targets": ["@europass_copy_target"]}),
    ("POST", "/api/v1/europass/documents/{document_id}/copy"): Entry(
        ORG, {"document_id": "europass_copy_source"},
        body={"section": "host", "fields": ["host_name"], "targets": ["@europass_copy_target"], "versions": []},
        note="allowed roles get 409 (no preview version): the check comes first"),
    ("GET", "/api/v1/europass/documents/{document_id}/access"): Entry(ORG, ED),
    ("POST", "/api/v1/europass/documents/{document_id}/access/host"): Entry(ORG, ED, body={"language": "en"}),
    ("POST", "/api/v1/europass/documents/{document_id}/access/participant"): Entry(
        ORG, ED, body={"write_until": "2099-12-31"}),
    ("POST", "/api/v1/europass/documents/{document_id}/access/{access_id}/block"): Entry(
        ORG, {**ED, "access_id": "europass_host_access"}),
    ("POST", "/api/v1/europass/applications/{application_id}/access/participants"): Entry(
        ORG, {"application_id": "europass_folder_application"}, body={"write_until": "2099-12-31"}),
    ("GET", "/api/v1/europass/shared-documents/{document_id}"): Entry(EP_SHARED, ED),
    ("PATCH", "/api/v1/europass/shared-documents/{document_id}/sections/{section}"): Entry(
        EP_SHARED, {**ED, "section": "=outcomes"}, body={"outcomes": [{"framework": "A", "text": "Works in a team."}]}),
    ("GET", "/api/v1/organisations/{public_id}"): Entry(ORG, {"public_id": "organisation"}),
    ("PATCH", "/api/v1/organisations/{public_id}"): Entry(ORG_ADMINS, {"public_id": "organisation"},
                                                          body={"short_name": "X"}),
    ("GET", "/api/v1/verify/{code}"): Entry(EVERYONE, {"code": "credential_code"}, note="public"),
    ("GET", "/api/v1/youthpass/projects/{pid}"): Entry(PROJECT, AP),
    ("PATCH", "/api/v1/youthpass/projects/{pid}"): Entry(PROJECT, AP, body={"title": "X"}),
    ("DELETE", "/api/v1/youthpass/projects/{pid}"): Entry(ORG_ADMINS, AP),
    ("GET", "/api/v1/youthpass/projects/{pid}/activities"): Entry(PROJECT, AP),
    ("POST", "/api/v1/youthpass/projects/{pid}/activities"): Entry(PROJECT, AP, body={
        "activity_type": "training_course", "title": "T", "start_date": "2026-05-03", "end_date": "2026-05-04"}),
    ("PATCH", "/api/v1/youthpass/projects/{pid}/activities/{aid}"): Entry(PROJECT, {**AP, "aid": "activity"},
                                                                         body={"title": "X"}),
    ("DELETE", "/api/v1/youthpass/projects/{pid}/activities/{aid}"): Entry(PROJECT, {**AP, "aid": "activity"}),
    ("GET", "/api/v1/youthpass/projects/{pid}/participants"): Entry(PROJECT, AP),
    ("POST", "/api/v1/youthpass/projects/{pid}/participants"): Entry(PROJECT, AP, body={
        "first_name": "A", "last_name": "B"}),
    ("POST", "/api/v1/youthpass/projects/{pid}/participants/invite"): Entry(PROJECT, AP, body={
        "participants": ["@participant"]}),
    ("POST", "/api/v1/youthpass/projects/{pid}/participants/withdraw"): Entry(PROJECT, AP, body={
        "participants": ["@participant"]}),
    ("POST", "/api/v1/youthpass/projects/{pid}/participants/message"): Entry(PROJECT, AP, body={
        "participants": ["@participant"], "personal_message": "Hello"}),
    ("POST", "/api/v1/youthpass/projects/{pid}/participants/import"): Entry(
        PROJECT, AP, note="multipart upload; sent without a file, the answer is about authorisation only "
                          "for anonymous (401); others get 422 before the view"),
    ("GET", "/api/v1/youthpass/projects/{pid}/participants/{ppid}"): Entry(PROJECT, APP),
    ("PATCH", "/api/v1/youthpass/projects/{pid}/participants/{ppid}"): Entry(PROJECT, APP, body={
        "place_of_birth": "X"}),
    ("DELETE", "/api/v1/youthpass/projects/{pid}/participants/{ppid}"): Entry(PROJECT, APP),
    ("GET", "/api/v1/youthpass/projects/{pid}/participants/{ppid}/outcomes"): Entry(PROJECT, APP),
    ("POST", "/api/v1/youthpass/projects/{pid}/participants/{ppid}/outcomes/reopen"): Entry(PROJECT, APP),
    ("GET", "/api/v1/youthpass/me/youthpass/{ppid}/outcomes"): Entry(LEARNER, {"ppid": "participant"}),
    ("PUT", "/api/v1/youthpass/me/youthpass/{ppid}/outcomes"): Entry(LEARNER, {"ppid": "participant"},
                                                                     body={"outcomes": []}),
    ("GET", "/api/v1/youthpass/me/youthpass/{ppid}/goals"): Entry(LEARNER, {"ppid": "participant"}),
    ("POST", "/api/v1/youthpass/me/youthpass/{ppid}/goals"): Entry(LEARNER, {"ppid": "participant"},
                                                                  body={"text": "Goal"}),
    ("PATCH", "/api/v1/youthpass/me/youthpass/{ppid}/goals/{gid}"): Entry(
        LEARNER, {"ppid": "participant", "gid": "learning_goal"}, body={"shared": True}),
    ("DELETE", "/api/v1/youthpass/me/youthpass/{ppid}/goals/{gid}"): Entry(
        LEARNER, {"ppid": "participant", "gid": "learning_goal"}),
    ("GET", "/api/v1/youthpass/me/youthpass/{ppid}/notes"): Entry(LEARNER, {"ppid": "participant"}),
    ("POST", "/api/v1/youthpass/me/youthpass/{ppid}/notes"): Entry(LEARNER, {"ppid": "participant"},
                                                                  body={"text": "Note"}),
    ("PATCH", "/api/v1/youthpass/me/youthpass/{ppid}/notes/{nid}"): Entry(
        LEARNER, {"ppid": "participant", "nid": "reflection_note"}, body={"shared": True}),
    ("DELETE", "/api/v1/youthpass/me/youthpass/{ppid}/notes/{nid}"): Entry(
        LEARNER, {"ppid": "participant", "nid": "reflection_note"}),
    ("POST", "/api/v1/youthpass/projects/{pid}/participants/{ppid}/certificate"): Entry(PROJECT, APP),
    ("GET", "/api/v1/youthpass/projects/{pid}/participants/{ppid}/certificate"): Entry(PROJECT, APP),
    ("POST", "/api/v1/youthpass/projects/{pid}/certificates/batches"): Entry(PROJECT, AP, body={}),
    ("GET", "/api/v1/youthpass/projects/{pid}/certificates/batches/{bid}"): Entry(PROJECT, {**AP, "bid": "batch"}),
    ("GET", "/api/v1/microcredentials/specifications/{spec_id}"): Entry(ORG, AMS),
    ("PATCH", "/api/v1/microcredentials/specifications/{spec_id}"): Entry(ORG, AMD, body={"title": "X"}),
    ("DELETE", "/api/v1/microcredentials/specifications/{spec_id}"): Entry(ORG, AMD),
    ("POST", "/api/v1/microcredentials/specifications/{spec_id}/publish"): Entry(ORG, AMD),
    ("GET", "/api/v1/microcredentials/specifications/{spec_id}/versions"): Entry(ORG, AMS),
    ("POST", "/api/v1/microcredentials/specifications/{spec_id}/versions"): Entry(ORG, AMS),
    ("POST", "/api/v1/microcredentials/specifications/{spec_id}/withdraw"): Entry(ORG, AMS),
    ("GET", "/api/v1/microcredentials/specifications/{spec_id}/awards"): Entry(ORG, AMS),
    ("POST", "/api/v1/microcredentials/specifications/{spec_id}/awards"): Entry(
        ORG, AMD, body={"name": "A", "email": "a@matrix.example"}, note="a draft: refused (400) after the check"),
    ("POST", "/api/v1/microcredentials/specifications/{spec_id}/awards/bulk"): Entry(
        ORG, AMD, body={"learners": [{"name": "A", "email": "a@matrix.example"}]},
        note="a draft: refused (400) after the check"),
    ("POST", "/api/v1/microcredentials/specifications/{spec_id}/awards/import"): Entry(
        ORG, AMS, note="multipart upload; sent without a file, 401 for anonymous, 422 for others before the view"),
    ("GET", "/api/v1/microcredentials/specifications/{spec_id}/jobs/{job_id}"): Entry(
        ORG, {**AMS, "job_id": "mc_job"}),
    ("GET", "/api/v1/microcredentials/awards/{award_id}"): Entry(ORG, {"award_id": "mc_award"}),
    ("GET", "/api/v1/microcredentials/awards/{award_id}/evidence"): Entry(ORG, {"award_id": "mc_award"}),
    ("POST", "/api/v1/microcredentials/awards/{award_id}/evidence"): Entry(ORG, {"award_id": "mc_award"},
                                                                           body={"url": "https://x.example/e"}),
    ("POST", "/api/v1/microcredentials/awards/{award_id}/evidence/files"): Entry(
        ORG, {"award_id": "mc_award"}, multipart={"title": "Plan"}, note="multipart upload with a real PDF"),
    ("GET", "/api/v1/microcredentials/awards/{award_id}/evidence/{evidence_id}/file"): Entry(
        ORG, {"award_id": "mc_award", "evidence_id": "mc_evidence"}),
    ("PUT", "/api/v1/microcredentials/providers/{provider_id}"): Entry(
        ORG_ADMINS, {"provider_id": "organisation"}, body={"quality_assurance": "X"}),
    ("POST", "/api/v1/europass/documents/{document_id}/pdf"): Entry(ORG, ED),
    ("POST", "/api/v1/europass/documents/{document_id}/issue"): Entry(ORG, ED),
    ("POST", "/api/v1/europass/applications/{application_id}/generate"): Entry(
        ORG, {"application_id": "europass_folder_application"}),
    ("GET", "/api/v1/europass/applications/{application_id}/generate/{generation_id}"): Entry(
        ORG, {"application_id": "europass_folder_application", "generation_id": "europass_job"}),
    ("GET", "/api/v1/microcredentials/specifications/{spec_id}/feedback"): Entry(ORG, AMS),
    ("GET", "/api/v1/microcredentials/specifications/{spec_id}/qualifiers"): Entry(ORG, AMS),
    ("POST", "/api/v1/microcredentials/specifications/{spec_id}/stacked-awards"): Entry(
        ORG, AMS, body={"learner_email": "nobody@matrix.example"}, note="not composed: refused (400) after the check"),
    ("PUT", "/api/v1/microcredentials/specifications/{spec_id}/composition"): Entry(
        ORG, AMD, body={"parts": ["@mc_spec", "@mc_spec"]}, note="the same part twice: refused after the check"),
    ("POST", "/api/v1/microcredentials/recognitions/{recognition_id}/decision"): Entry(
        ORG, {"recognition_id": "mc_recognition"}, body={"decision": "refused", "reason": "Nē."},
        note="the receiving provider's members only, not the learner who sent it"),
    ("PUT", "/api/v1/microcredentials/mine/{award_id}/feedback"): Entry(
        LEARNER, {"award_id": "mc_learner_award"}, body={"rating": 4}, note="only the award's holder"),
    ("GET", "/api/v1/catalogue/{spec_id}"): Entry(EVERYONE, AMS, note="public catalogue"),
    ("GET", "/api/v1/catalogue/providers/{provider_id}"): Entry(EVERYONE, {"provider_id": "organisation"},
                                                               note="public catalogue"),
}
MATRIX_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
API_MULTIPART_ONLY_ANONYMOUS = {("POST", "/api/v1/youthpass/projects/{pid}/participants/import"),
                                ("POST", "/api/v1/microcredentials/specifications/{spec_id}/awards/import")}


# --- enumeration ---------------------------------------------------------------------------------------------------

def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else (
                f"{pattern.callback.__module__}.{pattern.callback.__name__}")
            yield route, name, pattern


def html_routes_with_ids() -> dict[str, str]:
    """URL name → route, for every non-API pattern that takes a parameter."""
    found = {}
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "^api/")):
            continue
        if pattern.pattern.regex.groups == 0:
            continue
        found[name] = route
    return found


def api_operations_with_ids() -> set[tuple[str, str]]:
    from agnitio.api import api

    document = api.get_openapi_schema()
    return {(method.upper(), path) for path, operations in document["paths"].items()
            for method in operations if "{" in path}


def test_every_route_has_a_matrix_entry():
    html = html_routes_with_ids()
    missing = sorted(f"{name}  ({route})" for name, route in html.items()
                     if name not in ROUTES and name not in EXEMPT and not route.startswith(ADMIN_ROUTES))
    missing_api = sorted(f"{method} {path}" for method, path in api_operations_with_ids() - set(API))
    stale = (sorted((set(ROUTES) | set(EXEMPT)) - set(html))
             + sorted(f"{m} {p}" for m, p in set(API) - api_operations_with_ids()))
    message = []
    if missing:
        message.append("HTML routes that take an id but have no entry in ROUTES (or EXEMPT) of "
                       "tests/test_authorisation_matrix.py:\n  " + "\n  ".join(missing))
    if missing_api:
        message.append("API operations that take an id but have no entry in API of "
                       "tests/test_authorisation_matrix.py:\n  " + "\n  ".join(missing_api))
    if stale:
        message.append("Matrix entries for routes that no longer exist:\n  " + "\n  ".join(stale))
    assert not message, "\n".join(message)


def test_the_matrix_finds_an_unlisted_route(monkeypatch):
    """The check above really fails for a new route (so the suite cannot silently accept one)."""
    from django.urls import path

    from agnitio import urls

    monkeypatch.setattr(urls, "urlpatterns", [*urls.urlpatterns, path("new/<str:thing>/", lambda r, thing: None,
                                                                        name="brand_new")])
    clear_url_caches()
    try:
        with pytest.raises(AssertionError, match=r"brand_new  \(new/<str:thing>/\)"):
            test_every_route_has_a_matrix_entry()
    finally:
        monkeypatch.undo()
        clear_url_caches()


# --- the world: one real object of every kind an id can name --------------------------------------------------------

def _world(make_user, staff_login):
    from allauth.account.models import EmailAddress  # noqa: F401  (make_user confirms addresses)

    from agnitio.apikeys.services import api_token_create
    from agnitio.credentials.models import WalletItem
    from agnitio.credentials.services import credential_issue, share_link_create
    from agnitio.documents.models import DocumentJob, DocumentJobItem
    from agnitio.notifications.models import OutboxEmail
    from agnitio.organisations import services as org
    from agnitio.organisations.models import Membership, Organisation, SignatureImage
    from agnitio.youthpass import services as yp
    from agnitio.youthpass.models import Participant, ParticipantImport, ProjectPartner

    users = {role: make_user(f"{role}@matrix.example") for role in ROLES if role not in ("anonymous",)}
    users["staff"].is_staff = users["staff"].is_superuser = True
    users["staff"].save(update_fields=["is_staff", "is_superuser"])
    organisation = Organisation.objects.create(legal_name="Owning org", country="LV", address="Rīga",
                                               email="org@matrix.example")
    other = Organisation.objects.create(legal_name="Other org", country="FR", address="Paris",
                                        email="other@matrix.example")
    Membership.objects.create(organisation=other, user=users["outsider"], role="owner")
    for role, org_role in [("owner", "owner"), ("admin", "admin"), ("member", "editor"),
                           ("project_editor", "editor"), ("other_project_editor", "editor")]:
        Membership.objects.create(organisation=organisation, user=users[role], role=org_role)
    owner = users["owner"]
    organisation.logo.save("logo.png", ContentFile(_png()), save=True)
    project = yp.project_create(actor=owner, organisation=organisation, grant_number="2022-1-LV01-KA153-YOU-000000009",
                                programme="erasmus_youth", project_type="youth_workers_mobility",
                                start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 31))
    editor_row = yp.project_editor_invite(actor=owner, project=project, email="project_editor@matrix.example",
                                          full_name="PE", language="en")
    invitation_accept(user=users["project_editor"], token=editor_row._token)
    other_project = yp.project_create(actor=owner, organisation=organisation,
                                      grant_number="2022-1-LV01-KA153-YOU-000000010", programme="erasmus_youth",
                                      project_type="youth_workers_mobility", start_date=datetime.date(2026, 7, 1),
                                      end_date=datetime.date(2026, 7, 31))
    other_editor_row = yp.project_editor_invite(actor=owner, project=other_project,
                                                email="other_project_editor@matrix.example", full_name="OPE",
                                                language="en")
    invitation_accept(user=users["other_project_editor"], token=other_editor_row._token)
    activity = yp.activity_create(actor=owner, project=project, activity_type="training_course", title="TC",
                                  start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 8))
    participant = yp.participant_create(actor=owner, project=project, activities=[activity], first_name="L",
                                        last_name="Learner", email="learner@matrix.example")
    yp.participant_invite(actor=owner, participants=[participant])
    invitation_accept(user=users["learner"], token=participant._token)
    participant = Participant.objects.get(pk=participant.pk)
    yp.supervisor_invite(actor=owner, participant=participant, full_name="S", email="supervisor@matrix.example",
                         language="en")
    invitation_accept(user=users["supervisor"], token=participant._supervisor_token)
    note = yp.reflection_note_add(actor=users["learner"], participant=participant, text="Private reflection")
    goal = yp.learning_goal_add(actor=users["learner"], participant=participant, text="Private goal")
    submitted = yp.participant_create(actor=owner, project=project, first_name="S", last_name="Submitted")
    Participant.objects.filter(pk=submitted.pk).update(status="outcomes_submitted",
                                                       outcomes_submitted_at=datetime.datetime.now(datetime.UTC))
    partner = ProjectPartner.objects.create(organisation=organisation, project=project, name="P", country="EE")
    credential = credential_issue(actor=owner, organisation=organisation, kind="youthpass", holder_name="L Learner",
                                  holder_email="learner@matrix.example",
                                  achievement={"name": "Youthpass", "description": "d", "criteria": "c",
                                               "outcomes": []},
                                  languages=["en"], issued_on=datetime.date(2026, 6, 1), place="Rīga",
                                  source=project)
    credential.pdf.save("matrix.pdf", ContentFile(_png(fmt="PDF")), save=True)
    Participant.objects.filter(pk=participant.pk).update(certificate=credential, status="certificate_issued")
    # Pushed through the VC API by an organisation the learner has no relation with: an offer to accept or decline.
    offer = credential_issue(actor=users["outsider"], organisation=other, kind="microcredential",
                             holder_name="L Learner", holder_email="learner@matrix.example",
                             achievement={"name": "Offered"}, languages=["en"], issued_on=datetime.date(2026, 6, 1),
                             place="Paris", via_api=True)
    link, _token = share_link_create(actor=users["learner"], credential=credential,
                                     expires_on=datetime.date.today() + datetime.timedelta(days=30))
    wallet_item = WalletItem.objects.create(user=users["learner"], issuer_id="did:example:1", issuer_name="X",
                                            name="Badge", credential={"id": "urn:x"},
                                            verified_at=datetime.datetime.now(datetime.UTC))
    invitation, _ = org.membership_invite(actor=owner, organisation=organisation, email="new@matrix.example",
                                          full_name="N", role="editor", language="en")
    signatory = org.signatory_create(actor=owner, organisation=organisation, full_name="Sig", position="Chair",
                                     pages=[])
    signature = SignatureImage(organisation=organisation, label="Chair", original_width=10, original_height=10)
    signature.original.save("sig.png", ContentFile(_png()), save=False)
    signature.save()
    failed_email = OutboxEmail.objects.create(to="x@matrix.example", subject="s", body_text="b", language="en",
                                              template="t", status="failed", organisation=organisation)
    job = DocumentJob.objects.create(organisation=organisation, owner=owner, kind="youthpass", total=1, done=1,
                                     status="finished")
    job.result.save("job.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=True)
    item = DocumentJobItem.objects.create(job=job, index=0, label="1", data={}, status="done")
    item.file.save("1.pdf", ContentFile(_png(fmt="PDF")), save=True)
    participant_import = ParticipantImport.objects.create(organisation=organisation, project=project,
                                                          file=ContentFile(b"a,b\n", name="i.csv"),
                                                          original_name="i.csv", file_format="csv")
    batch = DocumentJob.objects.create(organisation=organisation, owner=owner, handler="youthpass.certificate",
                                       scope=project.public_id, kind="youthpass", total=0, status="finished")
    owner_token, _secret = api_token_create(actor=owner, name="owner's")
    # Micro-credentials: a published specification and a complete draft, an award with a file as evidence, an
    # uploaded learner table and a bulk job.
    from agnitio.microcredentials.models import AwardImport
    from agnitio.microcredentials.services import awards as mc_awards
    from agnitio.microcredentials.services import evidence as mc_evidence
    from agnitio.microcredentials.services import specifications as mc

    organisation.identifier = "40000000009"
    organisation.save(update_fields=["identifier"])
    mc_data = {"title": "Micro", "languages": ["en"], "issuer_countries": ["LV"], "isced_field": "011",
               "learning_outcomes": "Does things", "workload_hours": 10, "level_not_applicable": True,
               "assessment_type": "project", "participation": "online", "quality_assurance_type": "internal"}
    mc_spec = mc.specification_publish(actor=owner, specification=mc.specification_create(
        actor=owner, organisation=organisation, data=mc_data))
    mc_draft = mc.specification_create(actor=owner, organisation=organisation, data={**mc_data, "title": "Draft"})
    mc_award = mc_awards.award_create(actor=owner, specification=mc_spec, learner=mc_awards.LearnerIn(
        name="L Learner", email="mc-learner@matrix.example"))

    evidence = mc_evidence.evidence_file_add(actor=owner, award=mc_award, upload=SimpleUploadedFile(
        "e.pdf", b"%PDF-1.4\n%%EOF\n"))
    mc_import = AwardImport.objects.create(organisation=organisation, specification=mc_spec,
                                           file=ContentFile(b"Name,E-mail\nA,a@matrix.example\n", name="l.csv"),
                                           original_name="l.csv", file_format="csv")
    mc_job = DocumentJob.objects.create(organisation=organisation, owner=owner, handler="microcredentials.award",
                                        scope=mc_spec.public_id, kind="microcredential", total=0, status="finished")

    # An issued award to the learner (they give feedback on it) and a recognition request the learner sent to the
    # owning organisation, which publishes a recognition policy.
    from agnitio.microcredentials.services import recognition as mc_recognition
    from agnitio.microcredentials.services.specifications import provider_profile_update

    mc_learner_award = mc_awards.award_issue(actor=owner, specification=mc_spec, learner=mc_awards.LearnerIn(
        name="L Learner", email="learner@matrix.example"))
    provider_profile_update(actor=owner, organisation=organisation,
                            data={"recognition_policy": "We recognise quality-assured micro-credentials."})
    mc_recognition_request = mc_recognition.recognition_submit(
        actor=users["learner"], provider_public_id=organisation.public_id, raw=(
            b'{"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential", '
            b'"EuropeanDigitalCredential"], "issuer": {"id": "urn:x:issuer", "legalName": {"en": "Other"}}, '
            b'"credentialSubject": {"hasClaim": {"title": {"en": "Data literacy"}}}}'))

    objects = {
        "organisation": organisation.public_id, "project": project.public_id, "activity": activity.public_id,
        "participant": participant.public_id, "partner": partner.public_id,
        "project_editor_row": editor_row.public_id, "credential": credential.public_id,
        "credential_code": credential.code, "wallet_offer": offer.public_id, "logo_name": organisation.logo.name,
        "share_link": link.public_id, "wallet_item": wallet_item.public_id,
        "org_invitation": invitation.public_id, "signatory": signatory.public_id, "signature": signature.public_id,
        "failed_email": failed_email.public_id, "job": job.public_id,
        "participant_import": participant_import.public_id,
        "batch": batch.public_id, "owner_token": owner_token.public_id,
        "submitted_participant": submitted.public_id, "reflection_note": note.public_id,
        "learning_goal": goal.public_id,
        "mc_spec": mc_spec.public_id, "mc_draft": mc_draft.public_id, "mc_award": mc_award.public_id,
        "mc_evidence": evidence.public_id, "mc_import": mc_import.public_id, "mc_job": mc_job.public_id,
        "mc_learner_award": mc_learner_award.public_id, "mc_recognition": mc_recognition_request.public_id,
        "other_membership": Membership.objects.create(organisation=organisation, user=make_user(
            "third@matrix.example"), role="editor").public_id,
    }
    objects.update(_europass_world(users, organisation, owner))
    clients, tokens = {}, {}
    for role in ROLES:
        client = Client()
        if role == "staff":
            staff_login(client, users[role])
        elif role != "anonymous":
            client.force_login(users[role])
        clients[role] = client
        if role != "anonymous":
            tokens[role] = api_token_create(actor=users[role], name="matrix")[1]
    return objects, clients, tokens


def _europass_world(users, organisation, owner) -> dict:
    """The owning organisation as a Europass sending institution; the nec user staff of the NEC; an application
    waiting for the NEC, an approved one with folders to post, a document, an additional user and a programme."""
    from django.utils import timezone

    from agnitio.europass import services as europass
    from agnitio.europass.models import Institution, InstitutionUser
    from agnitio.organisations.models import Membership, Organisation

    institution = Institution.objects.create(organisation=organisation, name_key="owning org")
    nec_org = Organisation.objects.create(legal_name="NEC", country="LV", address="Rīga", email="nec@matrix.example")
    Membership.objects.create(organisation=nec_org, user=users["nec"], role="editor")
    europass.national_centre_create(actor=None, organisation=nec_org, country="LV", display_name="NEC Latvia")
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = {"conditions_accepted": True, "procedure": "A", "programme": "erasmus_plus", "project_number": "P-1",
            "participants_count": 1, "start_date": start, "end_date": start, "issuing_body": "nec",
            "folders_by_post": True}
    waiting = europass.application_create(actor=owner, institution=institution, data=data)
    approved = europass.application_approve(
        actor=users["nec"], application=europass.application_create(actor=owner, institution=institution, data=data))
    document = approved.documents.get()
    row = InstitutionUser.objects.create(institution=institution, email="extra@matrix.example", full_name="Extra")
    programme = europass.group_programme_create(actor=owner, institution=institution, data={"title": "Group"})
    # a bulk generation of the approved application's documents (its tasks run on commit, i.e. never here)
    from agnitio.documents.services import JobItemIn, job_create

    job = job_create(actor=owner, organisation=organisation, handler="europass.documents", scope=approved.public_id,
                     kind="europass", items=[JobItemIn(data={"document": document.pk}, label="1.")])
    return {"europass_job": job.public_id, "europass_application": waiting.public_id,
            "europass_folder_application": approved.public_id,
            "europass_document": document.public_id, "europass_user_row": row.public_id,
            "europass_programme": programme.public_id,
            **_europass_access_world(users, owner, document, data)}


def _europass_access_world(users, owner, document, data) -> dict:
    """Issue 12, points 7-10: the document names ep_host as its host and ep_participant as its participant, both
    with their access accepted; ep_host stored a signature; a two-participant application to copy data within."""
    from agnitio.europass import services as europass
    from agnitio.europass.models import HostSignature
    from agnitio.europass.services import access

    europass.document_section_update(actor=owner, document=document, section="host", data={
        "host_name": "Escola", "host_type": "school", "host_country": "PT", "mentor_name": "Ana",
        "mentor_position": "Teacher", "mentor_phone": "+351 212 345 678", "mentor_email": "ep_host@matrix.example"})
    europass.document_section_update(actor=owner, document=document, section="personal",
                                     data={"first_name": "Anna", "email": "ep_participant@matrix.example"})
    document.refresh_from_db()
    host_access = access.host_access_send(actor=owner, document=document)
    participant_access = access.participant_access_grant(actor=owner, documents=[document],
                                                         write_until=datetime.date(2099, 12, 31))[0]
    for grant, role in ((host_access, "ep_host"), (participant_access, "ep_participant")):
        access.document_access_accept(grant_id=grant.pk, user=users[role])
    host_signature = HostSignature(user=users["ep_host"], label="Ana", original_width=10, original_height=10)
    host_signature.original.save("sig.png", ContentFile(_png()), save=False)
    host_signature.save()
    two = europass.application_approve(actor=users["nec"], application=europass.application_create(
        actor=owner, institution=document.institution, data={**data, "participants_count": 2,
                                                             "folders_by_post": False}))
    source, target = two.documents.order_by("position")
    return {"europass_host_access": host_access.public_id, "europass_host_signature": host_signature.public_id,
            "europass_copy_source": source.public_id, "europass_copy_target": target.public_id}


def _png(fmt="PNG") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (10, 10), (255, 255, 255)).save(out, format=fmt)
    return out.getvalue()


def _value(spec: str, objects: dict) -> str:
    return spec[1:] if spec.startswith("=") else objects[spec]


def _outcome(response) -> str:
    from django.contrib import messages

    status = response.status_code
    if status in (401, 403, 404):
        return "no"
    if status in (301, 302, 303):
        location = response["Location"]
        if "/accounts/login/" in location or "/admin/login/" in location:
            return "no"
        # A POST refused by the service comes back to a page with an error message.
        stored = getattr(response.wsgi_request, "_messages", None)
        added = getattr(stored, "_queued_messages", [])  # by this request (not ones left from earlier requests)
        if any(m.level >= messages.ERROR for m in added):
            return "no"
        return "ok"
    if status < 300 or status in (400, 409, 422):
        return "ok"
    return f"HTTP {status}"


def _request(client, method: str, url: str, **extra):
    with transaction.atomic():
        response = client.generic(method, url, **extra)
        transaction.set_rollback(True)
    return response


def _check(results: list, label: str, role: str, expected: str, response, state_refusal: bool = False) -> None:
    got = _outcome(response)
    if state_refusal and expected == "ok" and got == "no" and response.status_code in (301, 302, 303) \
            and "/login/" not in response["Location"]:
        got = "ok"
    if got != expected:
        results.append(f"{label:<75} {role:<15} expected {expected}, got {got} (HTTP {response.status_code})")


@pytest.mark.django_db(transaction=False)
def test_matrix(make_user, staff_login, settings):
    from django.urls import reverse

    settings.ACCOUNT_RATE_LIMITS = {}  # hundreds of requests from one client address
    settings.AGNITIO_VERIFY_RATE_LIMIT = ""  # the verification look-ups share one budget per address
    objects, clients, tokens = _world(make_user, staff_login)
    failures: list[str] = []
    html = html_routes_with_ids()
    for name, entry in ROUTES.items():
        url = reverse(name, kwargs={k: _value(v, objects) for k, v in entry.ids.items()})
        for role in ROLES:
            response = _request(clients[role], entry.method, url, **({"data": urlencode(entry.data),
                                "content_type": "application/x-www-form-urlencoded"} if entry.data else {}))
            _check(failures, f"{entry.method} {html[name]}", role, "ok" if role in entry.allow else "no", response,
                   entry.state_refusal)
    for (method, path), entry in API.items():
        url = path
        for key, spec in entry.ids.items():
            url = url.replace("{" + key + "}", _value(spec, objects))
        body = json.dumps(entry.body, default=str) if entry.body is not None else None
        for key in ("participant", "europass_copy_target", "mc_spec"):  # "@key" in a body: the world object's id
            body = body.replace(f'"@{key}"', json.dumps(objects[key])) if body is not None else None
        for role in ROLES:
            if (method, path) in API_MULTIPART_ONLY_ANONYMOUS and role != "anonymous":
                continue
            extra = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role != "anonymous" else {}
            if body is not None:
                extra.update(data=body, content_type="application/json")
            if entry.multipart is not None:
                extra.update(data=encode_multipart(BOUNDARY, {**entry.multipart, "file": SimpleUploadedFile(
                    "evidence.pdf", MATRIX_PDF)}), content_type=MULTIPART_CONTENT)
            response = _request(Client(), method, url, **extra)
            _check(failures, f"{method} {path}", role, "ok" if role in entry.allow else "no", response)
    assert not failures, "Authorisation matrix mismatches:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_admin_matrix(make_user, staff_login):
    """Every admin page with an object id: only staff with a TOTP-confirmed session get in."""
    from django.contrib import admin
    from django.urls import reverse

    objects, clients, _tokens = _world(make_user, staff_login)
    failures: list[str] = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        row = model._default_manager.first()
        if row is None:
            continue
        info = model._meta.app_label, model._meta.model_name
        staff_request = _Req()
        allowed = {"change": model_admin.has_view_or_change_permission(staff_request, row),
                   "history": model_admin.has_view_or_change_permission(staff_request, row),
                   "delete": model_admin.has_delete_permission(staff_request, row)}
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[row.pk])
            for role in ROLES:
                expected = "ok" if role == "staff" and allowed[view] else "no"
                _check(failures, f"GET {url}", role, expected, _request(clients[role], "GET", url))
            checked += 1
    assert checked >= 20, checked
    assert not failures, "Admin matrix mismatches:\n" + "\n".join(failures)


class _Req:
    """A request by the matrix's staff user (a superuser), for the model admins' permission methods."""

    def __init__(self):
        from agnitio.accounts.models import User

        self.user = User.objects.get(email="staff@matrix.example")


# --- not found = not allowed ----------------------------------------------------------------------------------------
# The newest apps' routes (Europass, micro-credentials, ESCO): for every role the matrix refuses, the answer for
# another tenant's existing object and for an id nobody issued must be the same bytes — status, body and headers
# (apart from Date) — so no one can tell which ids exist.
IDENTICAL_APPS = ("europass:", "microcredentials:", "frameworks:", "/api/v1/europass/", "/api/v1/microcredentials/",
                  "/api/v1/catalogue/", "/api/v1/esco/")
_IGNORED_HEADERS = {"date"}
# Roles refused an action on an object they may see (members see their own organisation): the refusal may say why
# (403, or a 404 naming the rule) without telling them anything they do not know.
SEES_OBJECT: dict = {"microcredentials:provider_edit": ORG,
                     ("PUT", "/api/v1/microcredentials/providers/{provider_id}"): ORG}
# Random per response whatever the id: the CSP nonce and the masked CSRF token.
_PER_RESPONSE = [(re.compile(r"nonce-[A-Za-z0-9+/=]+"), "nonce-N"),
                 (re.compile(r'(nonce="|"inlineStyleNonce": ")[A-Za-z0-9+/=]+'), r"\1N"),
                 (re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+'), r"\1T")]


def _made_up(real: str) -> str:
    import secrets

    fake = secrets.token_urlsafe(len(real))[:len(real)]
    return fake if fake != real else _made_up(real)


def _answer(response, replace: dict[str, str]) -> tuple:
    body = _replace_all(response.content.decode("utf-8", "replace"), replace)
    headers = sorted((k.lower(), _replace_all(v, replace))
                     for k, v in response.headers.items() if k.lower() not in _IGNORED_HEADERS)
    return response.status_code, body, headers


def _replace_all(text: str, replace: dict[str, str]) -> str:
    for real, fake in replace.items():
        text = text.replace(real, fake)
    for pattern, placeholder in _PER_RESPONSE:
        text = pattern.sub(placeholder, text)
    return text


@pytest.mark.django_db(transaction=False)
def test_not_found_and_not_allowed_are_the_same_answer(make_user, staff_login, settings):
    from django.urls import reverse

    settings.ACCOUNT_RATE_LIMITS = {}
    settings.AGNITIO_VERIFY_RATE_LIMIT = ""
    settings.MICROCREDENTIAL_CATALOGUE_RATE_LIMIT = ""
    objects, clients, tokens = _world(make_user, staff_login)
    failures: list[str] = []
    checked = 0
    for name, entry in ROUTES.items():
        if not name.startswith(IDENTICAL_APPS):
            continue
        real = {k: _value(v, objects) for k, v in entry.ids.items()}
        fake = {k: (_made_up(v) if not entry.ids[k].startswith("=") else v) for k, v in real.items()}
        replace = {real[k]: fake[k] for k in real if real[k] != fake[k]}
        data = {"data": urlencode(entry.data), "content_type": "application/x-www-form-urlencoded"} \
            if entry.data else {}
        for role in ROLES:
            if role in entry.allow or role in SEES_OBJECT.get(name, ()):
                continue
            # a message left in the session by an earlier request is shown by whichever page comes next
            _request(clients[role], "GET", reverse(name, kwargs=fake))
            first = _request(clients[role], entry.method, reverse(name, kwargs=real), **data)
            second = _request(clients[role], entry.method, reverse(name, kwargs=fake), **data)
            checked += 1
            if _answer(first, replace) != _answer(second, {}):
                failures.append(f"{entry.method} {name} as {role}: existing id HTTP {first.status_code}, "
                                f"made-up id HTTP {second.status_code}")
    for (method, path), entry in API.items():
        if not path.startswith(IDENTICAL_APPS):
            continue
        real = {k: _value(v, objects) for k, v in entry.ids.items()}
        fake = {k: (_made_up(v) if not entry.ids[k].startswith("=") else v) for k, v in real.items()}
        replace = {real[k]: fake[k] for k in real if real[k] != fake[k]}
        body = json.dumps(entry.body, default=str) if entry.body is not None else None
        for key in ("participant", "europass_copy_target", "mc_spec"):
            body = body.replace(f'"@{key}"', json.dumps(objects[key])) if body is not None else None
        for role in ROLES:
            if role in entry.allow or role in SEES_OBJECT.get((method, path), ()) or (
                    (method, path) in API_MULTIPART_ONLY_ANONYMOUS and role != "anonymous"):
                continue
            answers = []
            for ids in (real, fake):
                url = path
                for key, value in ids.items():
                    url = url.replace("{" + key + "}", value)
                extra = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role != "anonymous" else {}
                if body is not None:
                    extra.update(data=body, content_type="application/json")
                answers.append(_request(Client(), method, url, **extra))
            checked += 1
            if _answer(answers[0], replace) != _answer(answers[1], {}):
                failures.append(f"{method} {path} as {role}: existing id HTTP {answers[0].status_code}, "
                                f"made-up id HTTP {answers[1].status_code}")
    assert checked > 300, checked
    assert not failures, "Not found and not allowed differ:\n" + "\n".join(failures)
