"""Data protection for a person (point 13): download all their data, and erasure that keeps issued documents
verifiable. The rules are in docs/retention.md.

This module reads and writes other apps' rows on purpose: it is the one place that knows everything the platform
holds about a person. Newer apps (Europass Mobility, micro-credentials) add their part through
`agnitio.core.privacy_registry` instead of being imported here: each registers an exporter and an eraser.
Files are read and deleted through the storage API (`field.open()`, `field.delete()`), never by path or URL, so it
works with any storage back-end (private file system or S3)."""

from __future__ import annotations

import datetime
import json
import secrets
import shutil
import tempfile
import zipfile
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agnitio.core.emails import verified_emails
from agnitio.core.errors import ApplicationError, PermissionDenied
from agnitio.core.models import AuditEvent
from agnitio.core.privacy_registry import privacy_handlers
from agnitio.core.services import audit_record

from .models import User

ERASED_PREFIX = "erased-"


def _iso(value) -> str | None:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _participants(user: User):
    """The person's participations: linked to their account, or addressed to one of their confirmed e-mails."""
    from agnitio.youthpass.selectors import participation_list_for_person

    return participation_list_for_person(user=user, emails=verified_emails(user))


def _credentials(user: User, participants):
    """Documents issued to the person: to a confirmed e-mail of theirs, or the certificate of a participation."""
    from agnitio.credentials.selectors import holder_credential_list

    return holder_credential_list(emails=verified_emails(user),
                                  ids=[p.certificate_id for p in participants if p.certificate_id])


def _audit_about(user: User, participants, credentials):
    """Audit events about the person's own objects (their changes are the person's data). Events the person made
    about other objects are someone else's data: those are only listed (export) or relabelled (erasure)."""
    object_ids = [user.public_id] + [p.public_id for p in participants] + [c.public_id for c in credentials]
    return AuditEvent.objects.filter(object_id__in=object_ids).order_by("created_at", "id")


# ------------------------------------------------------------------------------------------------ export


EXPORT_IN_MEMORY_BYTES = 8 * 1024 * 1024  # a larger archive spills to a temporary file, not to the worker's memory


def personal_data_export(*, actor: User) -> bytes:
    """The archive of `personal_data_export_file` as bytes (for tests and small exports)."""
    with personal_data_export_file(actor=actor) as archive:
        return archive.read()


def personal_data_export_file(*, actor: User) -> IO[bytes]:
    """A ZIP with `personal-data.json` (account, e-mail addresses, memberships, participations with the
    self-assessment, learning goals and reflection notes, documents, wallet, share links, API tokens, e-mails sent
    to the person, audit entries about them, and one section per app registered in `agnitio.core.privacy_registry`
    with that app's files) and the person's documents (signed credential JSON and PDF). Recorded in the audit log.

    Written to a spooled temporary file (memory up to `EXPORT_IN_MEMORY_BYTES`, then disk) and returned rewound:
    a holder of thousands of documents must not make the worker hold every PDF in memory. The caller closes it."""
    from agnitio.credentials.selectors import share_links_created_by, wallet_item_list
    from agnitio.notifications.selectors import outbox_emails_to_person
    from agnitio.organisations.selectors import membership_list_for_user

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to download your data."))
    user = actor
    participants = list(_participants(user))
    credentials = list(_credentials(user, participants))
    from allauth.account.models import EmailAddress

    data: dict = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email, "full_name": user.full_name, "language": user.language,
            "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login),
            "email_addresses": [{"email": e.email, "verified": e.verified, "primary": e.primary}
                                for e in EmailAddress.objects.filter(user=user)],
        },
        "memberships": [
            {"organisation": m.organisation.legal_name, "role": m.role, "since": _iso(m.created_at)}
            for m in membership_list_for_user(user=user)
        ],
        "participations": [],
        "documents": [],
        "wallet_items": [
            {"issuer": i.issuer_id, "issuer_name": i.issuer_name, "name": i.name, "verified_at": _iso(i.verified_at),
             "file": f"received/{i.public_id}.json"}
            for i in wallet_item_list(actor=user)
        ],
        "share_links": [
            {"document": s.credential.number, "created": _iso(s.created_at), "expires": _iso(s.expires_at),
             "revoked": _iso(s.revoked_at)}
            for s in share_links_created_by(user=user)
        ],
        "api_tokens": _api_tokens(user),
        "emails_sent_to_you": [
            {"to": m.to, "subject": m.subject, "status": m.status, "created": _iso(m.created_at),
             "sent": _iso(m.sent_at), "text": m.body_text}
            for m in outbox_emails_to_person(user=user, emails=verified_emails(user))
        ],
    }
    for p in participants:
        data["participations"].append({
            "organisation": p.organisation.legal_name, "project": p.project.title,
            "grant_number": p.project.grant_number, "first_name": p.first_name, "last_name": p.last_name,
            "email": p.email, "country": str(p.country), "date_of_birth": _iso(p.date_of_birth),
            "place_of_birth": p.place_of_birth, "language": p.language, "role": p.role, "status": p.status,
            "activities": [a.title for a in p.activities.all()],
            "data_confirmed_at": _iso(p.data_confirmed_at), "outcomes_submitted_at": _iso(p.outcomes_submitted_at),
            "supervisor": {"name": p.supervisor_name, "position": p.supervisor_position,
                           "email": p.supervisor_email, "assessment": p.supervisor_assessment},
            "self_assessment": [
                {"framework": o.framework_id, "competence": o.competence_id, "language": o.language, "text": o.text}
                for o in p.outcomes.all()
            ],
            "learning_goals": [
                {"text": g.text, "shared_with_supervisor": g.shared, "created": _iso(g.created_at)}
                for g in p.learning_goals.all()
            ],
            "reflection_notes": [
                {"date": _iso(n.written_on), "text": n.text, "shared_with_supervisor": n.shared}
                for n in p.reflection_notes.all()
            ],
            "certificate": p.certificate.number if p.certificate else None,
        })
    buffer = tempfile.SpooledTemporaryFile(max_size=EXPORT_IN_MEMORY_BYTES)  # noqa: SIM115 (returned open)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for c in credentials:
            entry = {"number": c.number, "kind": c.kind, "title": c.achievement.get("name", ""),
                     "issuer": c.organisation.legal_name, "holder_name": c.holder_name, "issued_on": _iso(c.issued_on),
                     "status": c.status, "credential": f"documents/{c.number}.json"}
            archive.writestr(entry["credential"], json.dumps(c.credential, ensure_ascii=False, indent=2))
            if c.pdf:
                with c.pdf.open("rb") as pdf, archive.open(f"documents/{c.number}.pdf", "w") as member:
                    shutil.copyfileobj(pdf, member)  # through the storage API: private storage or S3; streamed
                entry["pdf"] = f"documents/{c.number}.pdf"
            data["documents"].append(entry)
        for item in wallet_item_list(actor=user):
            archive.writestr(f"received/{item.public_id}.json", json.dumps(item.credential, ensure_ascii=False,
                                                                            indent=2))
        for handler in privacy_handlers():  # the apps registered in agnitio.core.privacy_registry
            name, section, files = handler.export(user)
            data[name] = section
            for path, content in files:
                _archive_write(archive, path, content)
        data["audit_entries"] = [
            {"time": _iso(e.created_at), "by": e.actor_label, "action": e.action, "what": e.verb,
             "object_type": e.object_type, "object": e.object_repr, "changes": e.changes}
            for e in _audit_about(user, participants, credentials)
        ]
        about = {e.pk for e in _audit_about(user, participants, credentials)}
        data["audit_entries_by_you"] = [  # what was changed, not the other people's data it changed
            {"time": _iso(e.created_at), "action": e.action, "what": e.verb, "object_type": e.object_type}
            for e in AuditEvent.objects.filter(actor=user).exclude(pk__in=about).order_by("created_at", "id")
        ]
        archive.writestr("personal-data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    audit_record(actor=user, action=AuditEvent.Action.OTHER, target=user, verb="personal_data_export")
    buffer.seek(0)
    return buffer


def _archive_write(archive: zipfile.ZipFile, path: str, content) -> None:
    """A registered app's file: a stored file (read through the storage API, streamed), bytes, or JSON data."""
    if isinstance(content, bytes):
        archive.writestr(path, content)
    elif isinstance(content, dict | list):
        archive.writestr(path, json.dumps(content, ensure_ascii=False, indent=2))
    else:
        with content.open("rb") as source, archive.open(path, "w") as member:
            shutil.copyfileobj(source, member)


def _api_tokens(user: User) -> list[dict]:
    from agnitio.apikeys.selectors import api_token_list

    return [{"name": token.name, "created": _iso(token.created_at), "last_used_at": _iso(token.last_used_at),
             "expires_at": _iso(token.expires_at), "revoked_at": _iso(token.revoked_at)}
            for token in api_token_list(actor=user)]


# ------------------------------------------------------------------------------------------------ erasure


def erasure_blockers(*, user: User) -> list[str]:
    """What must happen before the account can be erased (an organisation must not lose its last owner)."""
    from agnitio.organisations.selectors import organisations_owned_only_by

    return [str(_("You are the only owner of %(organisation)s: make another member an owner first, or ask the "
                  "platform to close the organisation.") % {"organisation": organisation.legal_name})
            for organisation in organisations_owned_only_by(user=user)]


@transaction.atomic
def account_erase(*, actor: User) -> str:
    """Erase the person's data at their request and delete the account; returns the pseudonym kept in the record.

    Issued documents stay verifiable: their number, status, status-list entry and the PDF's fingerprint remain,
    while the holder's name and e-mail, the stored PDF and the stored credential's subject are removed. Someone
    who is shown the document (PDF or credential) sees it verify and reads the name on the document itself; the
    public number lookup shows no personal data. Participations are pseudonymised (the organisation keeps
    country, role and status for its reports); invitations to them or to their addresses lose the address and
    name; self-assessments, learning goals, reflection notes, outbox e-mails' contents, wallet, share links, tokens,
    two-factor devices and e-mail addresses are deleted; each app registered in `agnitio.core.privacy_registry`
    erases its part in this transaction, its files deleted after commit. The audit log keeps a pseudonymised
    record.

    The caller confirms who is asking first: the erase page is behind allauth's reauthentication (password, or the
    authenticator code for two-factor accounts), never a password compared here."""
    from agnitio.credentials.services import credential_holder_erase
    from agnitio.invitations.services import invitations_erase
    from agnitio.notifications.services import outbox_person_erase
    from agnitio.youthpass.services.participants import participations_erase

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to erase your account."))
    user = User.objects.select_for_update().get(pk=actor.pk)
    blockers = erasure_blockers(user=user)
    if blockers:
        raise ApplicationError(" ".join(blockers), code="owner")

    now = timezone.now()
    pseudonym = ERASED_PREFIX + secrets.token_hex(6)
    participants = list(_participants(user))
    credentials = list(_credentials(user, participants))
    emails = verified_emails(user)
    audit_ids = list(_audit_about(user, participants, credentials).values_list("pk", flat=True))

    pdfs = []  # deleted once the erasure is committed: a rollback must not leave records without their files
    for credential in credentials:
        pdf = credential_holder_erase(credential=credential, pseudonym=pseudonym, now=now)
        if pdf is not None:
            pdfs.append(pdf)

    participations_erase(participants=participants, pseudonym=pseudonym, now=now)
    invitations_erase(pseudonym=pseudonym, addresses=emails)  # any kind of invitation mailed to the person

    for handler in privacy_handlers():  # the apps registered in agnitio.core.privacy_registry
        pdfs += handler.erase(user, pseudonym, now)

    outbox_person_erase(user=user, emails=emails, now=now)
    # The audit log stays (accountability) but no longer names the person.
    AuditEvent.objects.filter(pk__in=audit_ids).update(object_repr=pseudonym, changes={})
    AuditEvent.objects.filter(actor=user).update(actor_label=pseudonym)

    transaction.on_commit(lambda: [storage.delete(name) for storage, name in pdfs])
    # Other sessions of the person end by themselves: they name a user that no longer exists (anonymous).
    public_id = user.public_id
    user.delete()  # memberships, e-mail addresses, two-factor devices, tokens, wallet items, share links
    AuditEvent.objects.create(actor=None, actor_label=pseudonym, action=AuditEvent.Action.DELETE,
                              verb="account_erased", object_type=User._meta.label, object_id=public_id,
                              object_repr=pseudonym, changes={"documents_kept_verifiable": [None, len(credentials)]})
    return pseudonym
