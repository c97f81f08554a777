"""The Europass document `document_sample` and `credential_sample` make, through this app's real data path: real
rows (the organisation as a sending institution, an approved procedure-A application, one participant's document
with its learning outcomes and group learning programme) are written in a transaction, read back with
`selectors.mobility_document_data` — what the pages, the API and the bulk job use — and the transaction is rolled
back, so the database is left as it was. The wording is that of `documents.sample.europass_sample` (a VET learner
from Valmiera on a placement in Tartu); `hostile` adds the strings that must print literally to the free texts.

Registered with `documents.europass.europass_sample_source_register` in `apps.py`, so the commands (in lower layers)
call it without importing this app."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .choices import OTHER, ActivityType, ApplicationStatus, DocumentKind, IssuingBody, Procedure, Programme


def europass_sample_document(*, organisation, kind: str, language: str, try_out: bool = False,
                             hostile: bool = False) -> dict:
    """The documents/europass.py shape of a sample document of `kind` ("europass_agreement" or
    "europass_certificate") in `language`, made from rows that are rolled back."""
    from agnitio.documents.sample import HOSTILE, europass_sample

    from . import selectors
    from .models import Application, GroupLearningProgramme, Institution, LearningOutcome, MobilityDocument
    from .services.institutions import name_key

    wording = europass_sample(kind=kind, language=language, images=False)
    h = (" " + " ".join(HOSTILE)) if hostile else ""
    lv = language == "lv"
    with transaction.atomic():
        institution = Institution.objects.filter(organisation=organisation).first()
        if institution is None:
            institution = Institution.objects.create(
                organisation=organisation, name_key=f"{name_key(organisation.legal_name)}-sample",
                contact_person=wording["sending"]["contact_name"], postal_address=organisation.address,
                language=language)
        project = wording["project"]
        start, end = datetime.date.fromisoformat(project["start"]), datetime.date.fromisoformat(project["end"])
        now = timezone.now()
        application = Application.objects.create(
            institution=institution, language=language, conditions_accepted_at=now,
            issuing_body=IssuingBody.TRY_OUT if try_out else IssuingBody.NEC, procedure=Procedure.A,
            programme=Programme.ERASMUS_PLUS, project_number=project["project_number"], participants_count=1,
            start_date=start, end_date=end, status=ApplicationStatus.APPROVED, submitted_at=now, decided_at=now)
        group = wording["group_programme"]
        programme = GroupLearningProgramme.objects.create(
            institution=institution, application=application, title=group["title"], language=language,
            description=group["summary"])
        host, mentor = wording["host"], wording["host"]["mentor"]
        agreement = kind == "europass_agreement"
        document = MobilityDocument.objects.create(
            institution=institution, application=application, group_programme=programme,
            kind=DocumentKind.AGREEMENT if agreement else DocumentKind.CERTIFICATE, language=language,
            europass_number=None if try_out else wording["europass_number"], try_out=try_out,
            first_name=wording["participant"]["first_name"], last_name=wording["participant"]["surname"],
            date_of_birth=datetime.date.fromisoformat(wording["participant"]["birth_date"]),
            nationality="LV", email=wording["participant"]["email"], address=wording["participant"]["address"],
            host_name=host["name"], host_type=OTHER, host_type_other=host["type"], host_country=host["country"],
            host_address=host["address"], mentor_name=mentor["name"], mentor_position=mentor["position"][:200],
            mentor_phone=mentor["phone"], mentor_email=mentor["email"],
            programme=project["programme"], activity_type=ActivityType.VET_LEARNERS_SHORT,
            stay_mode=project["stay"], purpose=OTHER, purpose_other=project["purpose"], start_date=start,
            end_date=end, participant_status=project["status_at_sending"],
            activities_tasks=wording["activities"] + h, mentoring=wording["mentoring"],
            evaluation=wording["evaluation"] + h,
            additional_terms=(wording.get("additional_terms") or "") + (h if agreement else ""),
            contact_information=("Jānis Ozols, +371 64200000 (nosūtītājorganizācija)" if lv
                                 else "Jānis Ozols, +371 64200000 (sending organisation)") if agreement else "",
            signing_parties=["participant", "sending", "host"] if agreement else ["sending"])
        LearningOutcome.objects.bulk_create([
            LearningOutcome(document=document, position=index + 1, framework=o["framework"],
                            framework_name=o["framework_name"] if o["framework"] == "C" else "",
                            text=o["text"] + (h if index == 0 else ""),
                            esco_uris=[ref["uri"] for ref in o.get("esco") or []])
            for index, o in enumerate(wording["outcomes"])])
        missing = selectors.document_missing_fields(document=document)
        if missing:  # the sample must be a complete document; say what the rows lack rather than print it
            raise ValueError("the sample document is incomplete: "
                             + "; ".join(f"{m.key}: {', '.join(f for f, _label in m.fields)}" for m in missing))
        data = selectors.mobility_document_data(document, issued_on=datetime.date.fromisoformat(
            wording["issued_on"]))
        data["place"] = wording["place"]
        transaction.set_rollback(True)  # the rows were only the path; nothing stays
    return data
