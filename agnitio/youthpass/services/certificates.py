"""Youthpass certificates through the documents engine (rendering, seal) and the trust layer (number, signed
credential, verification page, wallet, supersession). This module only maps Youthpass data to the documents
engine's `youthpass` data contract (agnitio/documents/typst/youthpass.typ) and calls the two layers."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING, NamedTuple

from django.utils import translation
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.services import audit_record
from agnitio.frameworks.selectors import competence_get

from ..choices import Programme, ProjectType
from ..models import Participant, Project
from ..selectors import participant_frameworks
from ._common import require_edit

if TYPE_CHECKING:  # for annotations only: youthpass reaches the trust layer through its services
    from agnitio.credentials.models import IssuedCredential

ISSUABLE = (Participant.Status.OUTCOMES_SUBMITTED, Participant.Status.CERTIFICATE_ISSUED)


def certificate_languages(project: Project) -> list[str]:
    return project.certificate_language.split("+")


def _in_languages(languages: list[str], fn) -> dict[str, str]:
    result = {}
    for language in languages:
        with translation.override(language):
            result[language] = str(fn())
    return result


def _texts(texts: dict[str, str], languages: list[str]):
    """Texts in the document languages; when the learner wrote in none of them, what they wrote."""
    chosen = {lang: texts[lang] for lang in languages if texts.get(lang)}
    if chosen:
        return chosen
    return next((t for t in texts.values() if t), None)


def _image(field):
    return field if field else None


def _signature_of(signatory):
    if signatory is None:
        return None
    image = (signatory.signature_images.filter(is_active=True, kind="signature").exclude(image_cropped="")
             .order_by("-is_default", "-created_at").first())
    return _image(image.image_cropped) if image else None


def _country_code(name: str) -> str | None:
    """The country a name stands for, in any interface language ("Latvija", "Latvia" → "LV"), else None."""
    from django.conf import settings
    from django_countries import countries

    name = name.strip()
    for language, _label in settings.LANGUAGES:
        code = countries.by_name(name, language=language)
        if code:
            return code
    return None


def _place(text: str, *, country: str | None, languages: list[str]):
    """A place in each document language: the city as entered and the country's name in that language ("Valmiera,
    Latvia" on an English certificate even when someone typed "Valmiera, Latvija"). A country named at the end of
    the text wins over `country`; without any country the text is printed as entered."""
    from django_countries import countries

    text = (text or "").strip()
    head, _comma, tail = text.rpartition(",")
    named = _country_code(tail) if head else _country_code(text)
    if named:
        text, country = (head.strip() if head else ""), named
    if not country:
        return text or None
    return {language: ", ".join(x for x in (text, name) if x)
            for language, name in _in_languages(languages, lambda: countries.name(country)).items()}


def _signatories(project: Project, participant: Participant) -> list[dict]:
    """Who signs which part (DOMAIN D1, step 5): part 1 the legal representative with the additional official
    signatory, or, without one, the person responsible for the project; part 2 the person responsible for the
    project; part 3 the person who supported the learning. One person may sign several parts."""
    def entry(signatory, part: int, role: str) -> dict:
        return {"name": signatory.full_name, "position": signatory.position, "signature": _signature_of(signatory),
                "part": part, "role": role}

    legal, responsible = project.signatory_page1, project.signatory_part2
    signatories = []
    if legal is not None:
        signatories.append(entry(legal, 1, "legal_representative"))
    if project.extra_signatory_name:
        signatories.append({"name": project.extra_signatory_name, "position": project.extra_signatory_position,
                            "signature": None, "part": 1, "role": "extra_signatory"})
    elif responsible is not None and responsible.pk != getattr(legal, "pk", None):
        signatories.append(entry(responsible, 1, "project_responsible"))
    if responsible is not None:
        signatories.append(entry(responsible, 2, "project_responsible"))
    if participant.dialogue_partner_name:
        signatories.append({"name": participant.dialogue_partner_name,
                            "position": participant.dialogue_partner_position, "signature": None, "part": 3,
                            "role": "learning_supporter"})
    return signatories


def certificate_history(*, participant: Participant) -> list[IssuedCredential]:
    """The participant's current certificate and the ones it replaced, newest first."""
    history: list[IssuedCredential] = []
    credential = participant.certificate
    while credential is not None and len(history) < 100:
        history.append(credential)
        credential = credential.supersedes
    return history


def certificate_missing(*, participant: Participant) -> list[str]:
    """What has to be done before the participant's certificate can be issued (empty: ready)."""
    project = participant.project
    missing = []
    if participant.status not in ISSUABLE:
        missing.append(gettext("The participant has not submitted their learning outcomes."))
    if (not project.finalised_at or not project.signing_date or not project.signatory_page1_id
            or not project.signatory_part2_id):
        missing.append(gettext("Finalise the project: place and date of signing and the signatories."))
    if not participant.project.activities.exists():
        missing.append(gettext("Add at least one activity to the project."))
    return missing


def certificate_data(*, participant: Participant, languages: list[str] | None = None) -> dict:
    """The documents engine's youthpass data for one participant (number, verification code and URL are added by the
    trust layer when issuing)."""
    from agnitio.organisations.selectors import signature_default

    project = participant.project
    organisation = project.organisation
    languages = languages or certificate_languages(project)
    activities = list(project.activities.all())
    single = activities[0] if len(activities) == 1 else None
    title = single.title if single else project.display_name
    description = (single.description if single else project.description) or ""
    if project.aims and not single:
        description = "\n\n".join(x for x in (description, project.aims) if x)
    programme = Programme(project.programme).label
    action = ProjectType(project.project_type).label

    outcomes = []
    texts: dict[tuple[str, str], dict[str, str]] = {}
    for o in participant.outcomes.all():
        texts.setdefault((o.framework_id, o.competence_id), {})[o.language] = o.text
    for framework in participant_frameworks(participant=participant):
        sections = ([(framework.id, "", framework)] if framework.is_free_section
                    else [(framework.id, c.id, c) for c in framework.competences])
        for framework_id, competence_id, item in sections:
            written = texts.get((framework_id, competence_id))
            if not written:
                continue
            outcomes.append({"competence": {lang: item.title(lang) for lang in languages},
                             # what the competence is, from the competence data, in the certificate's languages
                             "description": {lang: item.description(lang) for lang in languages
                                             if item.description(lang)} or None,
                             "text": _texts(written, languages)})
    if participant.supervisor_assessment:
        heading = _in_languages(languages, lambda: _("Assessment by the supervisor"))
        if participant.supervisor_name:
            heading = {k: f"{v}: {participant.supervisor_name}" for k, v in heading.items()}
        outcomes.append({"competence": heading, "text": participant.supervisor_assessment})

    signatories = _signatories(project, participant)
    formats = {a.pk: _in_languages(languages, a.get_format_display) for a in activities}
    places = {a.pk: _place(a.venue_city, country=a.venue_country.code or None,  # type: ignore[attr-defined]  # a Country (django-countries' stub: str)
                     languages=languages)
              for a in activities}
    stamp = signature_default(organisation=organisation, kind="stamp")
    return {
        "issued_on": project.signing_date.isoformat() if project.signing_date else None,
        # the organisation's place: the place of signing as entered, with the organisation's country
        "place": _place(project.signing_place, country=organisation.country.code or None,  # type: ignore[attr-defined]  # a Country
                        languages=languages),
        "organisation": {"name": organisation.legal_name, "address": organisation.address,
                         "website": organisation.website, "logo": _image(project.logo or organisation.logo)},
        "holder": {"name": participant.full_name,
                   "birth_date": participant.date_of_birth.isoformat() if participant.date_of_birth else None},
        "project": {
            "title": title, "number": project.grant_number,
            "programme": _in_languages(languages, lambda: programme),
            "action": _in_languages(languages, lambda: action),
            "start": (project.start_date or (min(a.start_date for a in activities) if activities else None)),
            "end": (project.end_date or (max(a.end_date for a in activities) if activities else None)),
            "venue": (_place(project.venue, country=None, languages=languages) if project.venue
                      else places[single.pk] if single else None),
            "format": formats[single.pk] if single else None,
            "online": bool(single and single.format != single.Format.ONSITE),
            "description": description or None,
            "partners": [f"{p.name} ({p.country.code})" for p in project.partners.all()],  # type: ignore[attr-defined]  # a Country (django-countries' stub: str)
        },
        "activities": [{
            "title": a.title, "start": a.start_date.isoformat(), "end": a.end_date.isoformat(),
            "place": places[a.pk], "format": formats[a.pk],
            "description": "\n\n".join(x for x in (a.description, a.methods, a.results) if x) or None,
        } for a in activities],
        "outcomes": outcomes,
        "signatories": signatories,
        "stamp": _image(stamp.image_cropped) if stamp else None,
    }


def _json_dates(data: dict) -> dict:
    project = dict(data["project"])
    for key in ("start", "end"):
        if project.get(key) is not None and not isinstance(project[key], str):
            project[key] = project[key].isoformat()
    return {**data, "project": project}


def certificate_preview(*, actor, participant: Participant) -> bytes:
    """An unsealed, unnumbered PDF for checking before issuing (nothing is stored)."""
    from agnitio.documents.services import document_render

    project = require_edit(actor, participant.project)
    data = _json_dates(certificate_data(participant=participant, languages=certificate_languages(project)))
    # in the certificate's language(s), not the page's: an English certificate previewed from a Latvian page
    data["number"] = " / ".join(dict.fromkeys(_in_languages(certificate_languages(project),
                                                             lambda: gettext("PREVIEW")).values()))
    return document_render(kind="youthpass", data=data, languages=certificate_languages(project))


def _achievement(participant: Participant, data: dict) -> dict:
    outcomes = []
    for framework in participant_frameworks(participant=participant):
        ids = {o.competence_id for o in participant.outcomes.all() if o.framework_id == framework.id}
        if framework.is_free_section and "" in ids:
            outcomes.append({"name": framework.title("en"), "framework": framework.title("en")})
        for competence_id in sorted(i for i in ids if i):
            competence = competence_get(framework_id=framework.id, competence_id=competence_id)
            outcomes.append({"name": competence.title("en"), "framework": framework.title("en"),
                             "code": competence.id})
    title = data["project"]["title"]
    return {"name": f"Youthpass — {title}",
            "description": f"Took part in the project {title} ({participant.project.grant_number}).",
            "outcomes": outcomes}


def certificate_current(*, participant: Participant):
    """The participant's certificate if it is current (neither revoked nor superseded), else None."""
    from agnitio.credentials.selectors import credential_is_current

    credential = participant.certificate
    return credential if credential_is_current(credential) else None


def certificate_issue(*, actor, participant: Participant, replace: str | None = None, on_record=None):
    """Issue (or re-issue) one participant's certificate. A re-issue supersedes the current certificate, which
    then verifies as superseded; the history is kept in the trust layer's chain.

    Re-issuing is deliberate: while the participant holds a current certificate, `replace` must be that
    certificate's public id (what the confirmation named); otherwise, or when it names an older one (a stale
    confirmation), nothing is issued (code "already_issued").

    No transaction is held while the PDF is made (the trust layer allocates, renders, then records); the
    participant is updated in the same short transaction that writes the record, after checking that nobody
    issued their certificate meanwhile. `on_record(credential)` also runs in that transaction."""
    from agnitio.credentials.services import credential_issue

    project = require_edit(actor, participant.project)
    participant = Participant.objects.select_related(
        "project", "project__organisation", "certificate").get(pk=participant.pk)
    missing = certificate_missing(participant=participant)
    if missing:
        raise ApplicationError(" ".join(missing), code="not_ready")
    assert project.signing_date is not None  # certificate_missing: finalised, so signed on a date
    languages = certificate_languages(project)
    data = _json_dates(certificate_data(participant=participant, languages=languages))
    previous = certificate_current(participant=participant)
    if previous is not None and replace != previous.public_id:
        raise ApplicationError(
            _("%(name)s already holds the current certificate %(number)s; confirm that it is to be replaced.")
            % {"name": participant.full_name, "number": previous.number}, code="already_issued")
    seen_certificate_id = participant.certificate_id

    def record(credential) -> None:  # inside the trust layer's final transaction
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.certificate_id != seen_certificate_id or locked.status not in ISSUABLE:
            raise ApplicationError(_("The certificate of %(name)s was changed by someone else meanwhile; reload "
                                     "the page and try again.") % {"name": participant.full_name}, code="conflict")
        old = locked.status
        locked.certificate = credential
        locked.status = Participant.Status.CERTIFICATE_ISSUED
        locked.save(update_fields=["certificate", "status", "updated_at"])
        audit_record(actor=actor, action="issue", target=locked, organisation=project.organisation,
                     verb="certificate issued", changes={"status": [old, locked.status],
                                                         "certificate": [previous.number if previous else None,
                                                                         credential.number]})
        if on_record is not None:
            on_record(credential)

    return credential_issue(
        actor=actor, organisation=project.organisation, kind="youthpass", holder_name=participant.full_name,
        holder_email=participant.email, achievement=_achievement(participant, data), languages=languages,
        issued_on=project.signing_date, place=project.signing_place, pdf_data=data, supersedes=previous,
        on_record=record, source=project)


def certificates_zip(*, actor, project: Project) -> bytes:
    """All current certificates of the project as one ZIP (file names: number and name)."""
    project = require_edit(actor, project)
    buffer = io.BytesIO()
    people = project.participants.filter(certificate__isnull=False).select_related("certificate")
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for participant in people:
            credential = participant.certificate
            if credential is None or not credential.pdf:
                continue
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in participant.full_name)
            with credential.pdf.open("rb") as handle:
                archive.writestr(f"{credential.number}_{safe}.pdf", handle.read())
    return buffer.getvalue()


# --- bulk issuing in the background ------------------------------------------------------------------------------
# A batch is a job of the documents engine (agnitio.documents.jobs) with the "youthpass.certificate" handler: one
# item per participant, its data the participant's id, its outcome the issued credential's public id. The engine
# chunks, resumes, sweeps stalled jobs and counts progress; this part only issues one participant's certificate.

CERTIFICATE_JOB = "youthpass.certificate"


def certificate_job_may_manage(actor, organisation, scope: str) -> bool:
    """Who may start, follow and continue a certificate job: whoever may edit its project (`scope`)."""
    from ..selectors import project_get

    try:
        project = project_get(actor=actor, public_id=scope)
    except NotFound:
        return False
    return project.organisation_id == organisation.pk


def certificate_job_item_process(*, job, item, done) -> None:
    """The handler of one item: issue the participant's certificate as the job's starter. The item is marked done
    in the transaction that records the certificate, only while it is still waiting, so a re-delivered task
    issues nothing twice (the engine's `done` rolls the second issue back)."""
    participant = (Participant.objects.select_related("project").filter(pk=item.data.get("participant"),
                                                                         project__public_id=job.scope).first())
    if participant is None:
        raise ApplicationError(_("This person is no longer in the project."), code="missing")
    certificate_issue(actor=job.owner, participant=participant, replace=item.data.get("replace"),
                      on_record=lambda credential: done(outcome=credential.public_id))


def certificate_batch_start(*, actor, project: Project, participants=None, reissue: bool = False):
    """Issue for the chosen participants (default: everyone ready) in the background; returns the job, whose
    progress the page polls. Each certificate is issued and recorded in one transaction, so a worker that dies
    half-way leaves no duplicates and a re-delivered task skips what is done.

    People who already hold a current certificate are left out (the job's `skipped` says how many, and an audit
    event records it) unless `reissue` is asked for a chosen selection: then each item carries the certificate
    it replaces, so a certificate issued after the start is not replaced unseen. "Everyone ready" never
    re-issues."""
    from agnitio.documents.services import JobItemIn, job_create

    project = require_edit(actor, project)
    if participants is None:
        participants = project.participants.filter(status__in=ISSUABLE)
        reissue = False
    participants = list({p.pk: p for p in participants}.values())
    if any(p.project_id != project.pk for p in participants):
        raise ApplicationError(_("Choose people of this project."), code="participants")
    current = {p.pk: c.public_id for p in Participant.objects.filter(pk__in=[p.pk for p in participants])
               .select_related("certificate") if (c := certificate_current(participant=p)) is not None}
    items = [JobItemIn(data={"participant": p.pk, **({"replace": current[p.pk]} if p.pk in current else {})},
                       label=p.full_name) for p in participants if reissue or p.pk not in current]
    skipped = len(participants) - len(items)
    if not items and skipped:
        raise ApplicationError(ngettext_lazy(
            "The %(n)d person chosen already holds a current certificate; nothing to issue.",
            "All %(n)d people chosen already hold a current certificate; nothing to issue.", "n") % {"n": skipped},
            code="empty")
    if not items:
        raise ApplicationError(_("Nobody is ready for a certificate yet: the individuals must submit their learning "
                                 "outcomes first."), code="empty")
    job = job_create(actor=actor, organisation=project.organisation, handler=CERTIFICATE_JOB,
                     scope=project.public_id, kind="youthpass", languages=certificate_languages(project),
                     title=f"Youthpass — {project.display_name}", items=items, verb="certificate batch started")
    if skipped:
        audit_record(actor=actor, action="update", target=job, organisation=project.organisation,
                     verb="certificate batch skipped current holders", changes={"skipped": [None, skipped]})
    job.skipped = skipped
    return job


def _batch_get(*, actor, project: Project, public_id: str):
    from agnitio.documents.selectors import job_get_scoped

    project = require_edit(actor, project)
    return job_get_scoped(actor=actor, organisation=project.organisation, handler=CERTIFICATE_JOB,
                          scope=project.public_id, public_id=public_id)


def certificate_batch_resume(*, actor, batch) -> int:
    """Enqueue the batch's waiting items again (e.g. after the worker was down). Done items are skipped."""
    from agnitio.documents.services import job_resume

    return job_resume(actor=actor, job=batch)


class _Failed(NamedTuple):
    participant: Participant
    error: str


def certificate_batch_progress(*, actor, project: Project, public_id: str) -> dict:
    """The batch (job), its counts and who was not issued a certificate and why. `status` is "running" or
    "finished" (as the API has always said), `status_label` its translation."""
    from agnitio.documents.selectors import job_item_counts, job_items_failed

    batch = _batch_get(actor=actor, project=project, public_id=public_id)
    failed_items = list(job_items_failed(job=batch, with_data=True)[:500])
    people = Participant.objects.in_bulk([i.data.get("participant") for i in failed_items])
    failed = [_Failed(people[i.data.get("participant")], i.error) for i in failed_items
              if i.data.get("participant") in people]
    counts = job_item_counts(job=batch)  # per item, not per chunk: the bar moves with each certificate
    done, failed_count = counts["done"], counts["failed"]
    processed = done + failed_count
    active = batch.is_active
    return {"batch": batch, "done": done, "failed_count": failed_count, "failed": failed, "processed": processed,
            "percent": int(100 * processed / batch.total) if batch.total else 100, "active": active,
            "status": "running" if active else "finished", "status_label": _("running") if active else _("finished")}
