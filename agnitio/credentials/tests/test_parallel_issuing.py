"""Issuing runs in parallel (issue 9, point 8): numbers and status indexes are allocated in a short transaction,
signing, rendering, sealing and storing happen outside any transaction or lock, then a short transaction writes the
record. A failure after the allocation leaves no file and no record (only a gap in the numbers).

The threaded tests give every thread its own database connection (`transaction=True`); they run on SQLite (one
writer at a time: they prove no write transaction is open while a PDF is made) and on PostgreSQL (row locks)."""

from __future__ import annotations

import datetime
import hashlib
import threading

import pytest
from django.db import connection, transaction

from agnitio.core.errors import ApplicationError
from agnitio.core.models import AuditEvent
from agnitio.credentials import services
from agnitio.credentials.models import IssuedCredential
from agnitio.credentials.numbering import number_last
from agnitio.credentials.verification import credential_verify_json
from agnitio.documents.sample import youthpass_sample
from agnitio.documents.seal import pdf_seal_verify


def stored_pdfs() -> set[str]:
    """Every file under the issued PDFs' folder of the storage the PDF field uses."""
    storage = IssuedCredential._meta.get_field("pdf").storage
    found: set[str] = set()

    def walk(path: str) -> None:
        try:
            folders, files = storage.listdir(path)
        except FileNotFoundError:
            return
        found.update(f"{path}/{name}" for name in files)
        for folder in folders:
            walk(f"{path}/{folder}")

    walk("credentials/pdf")
    return found


def _arguments(owner, organisation, achievement, i: int, **extra) -> dict:
    return {"actor": owner, "organisation": organisation, "kind": "youthpass", "holder_name": f"Dalībnieks {i}",
            "holder_email": f"p{i}@example.org", "achievement": achievement, "languages": ["en"],
            "issued_on": datetime.date(2026, 11, 20), "place": "Rīga",
            "pdf_data": youthpass_sample(images=False, holder=f"Dalībnieks {i}"), **extra}


def _run_threads(count: int, target) -> list[str]:
    """Start `count` threads at the same moment; each closes its own connection. Returns the errors."""
    barrier = threading.Barrier(count)
    errors: list[str] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            target(i)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            errors.append(f"{i}: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "an issuer hung"
    return errors


@pytest.mark.django_db(transaction=True)
def test_sixteen_parallel_issuers_complete_records_no_duplicates(owner, organisation, achievement, monkeypatch):
    """16 issuers of the same kind and organisation at once, each issuing two documents with a sealed PDF."""
    in_transaction_while_rendering = []
    real_render = services._render_pdf

    def render(**kwargs):
        in_transaction_while_rendering.append(transaction.get_connection().in_atomic_block)
        return real_render(**kwargs)

    monkeypatch.setattr(services, "_render_pdf", render)
    services.issuer_key_active(organisation=organisation)
    files_before = stored_pdfs()  # the media folder is shared by the tests of one run
    issued: list[int] = []

    def issue_two(i: int) -> None:
        for k in range(2):
            issued.append(services.credential_issue(**_arguments(owner, organisation, achievement, 2 * i + k)).pk)

    assert _run_threads(16, issue_two) == []
    assert len(issued) == 32 and in_transaction_while_rendering == [False] * 32
    credentials = list(IssuedCredential.objects.order_by("pk"))
    assert [c.pk for c in credentials] == sorted(issued)
    numbers = [c.number for c in credentials]
    assert len(set(numbers)) == 32
    assert sorted(int(n.split("-")[2]) for n in numbers) == list(range(1, 33))  # no gap when nothing failed
    positions = [(c.status_list_id, c.status_index) for c in credentials]
    assert len(set(positions)) == 32
    assert number_last(kind="youthpass", year=2026) == 32
    assert stored_pdfs() - files_before == {c.pdf.name for c in credentials}
    for credential in credentials:  # every record complete: signed credential, sealed PDF of its own number
        document = credential.credential
        assert document["credentialStatus"]["statusListIndex"] == str(credential.status_index)
        assert credential.number in str(document)
        assert credential_verify_json(document).verified
        with credential.pdf.open("rb") as handle:
            pdf = handle.read()
        assert hashlib.sha256(pdf).hexdigest() == credential.pdf_sha256
        assert pdf_seal_verify(pdf_bytes=pdf).intact
    assert AuditEvent.objects.filter(verb="credential_issue").count() == 32


@pytest.mark.django_db(transaction=True)
def test_an_issuer_rendering_does_not_block_another(owner, organisation, achievement, monkeypatch):
    """While one issuer is stopped in the middle of making its PDF, another of the same kind and organisation
    issues from start to end (before the change it waited for the first one's counter lock)."""
    rendering, release = threading.Event(), threading.Event()
    real_render = services._render_pdf

    def render(**kwargs):
        if threading.current_thread().name == "slow":
            rendering.set()
            assert release.wait(timeout=120)
        return real_render(**kwargs)

    monkeypatch.setattr(services, "_render_pdf", render)
    services.issuer_key_active(organisation=organisation)
    result: dict = {}

    def slow() -> None:
        try:
            result["slow"] = services.credential_issue(**_arguments(owner, organisation, achievement, 1))
        except Exception as exc:  # noqa: BLE001
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=slow, name="slow")
    thread.start()
    try:
        assert rendering.wait(timeout=120)
        fast = services.credential_issue(**_arguments(owner, organisation, achievement, 2))  # must not wait
        assert IssuedCredential.objects.filter(pk=fast.pk).exists() and fast.pdf
    finally:
        release.set()
        thread.join(timeout=120)
    assert "error" not in result, result
    assert result["slow"].number.split("-")[2] == "000001" and fast.number.split("-")[2] == "000002"
    assert IssuedCredential.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["render", "seal", "record"])
def test_a_failure_after_allocation_leaves_no_file_and_no_record(owner, organisation, achievement, monkeypatch,
                                                                  where):
    services.issuer_key_active(organisation=organisation)
    first = services.credential_issue(**_arguments(owner, organisation, achievement, 0))
    files_before = stored_pdfs()
    audit_before = AuditEvent.objects.count()
    if where == "render":
        def broken(**kwargs):
            raise RuntimeError("the renderer crashed")
        monkeypatch.setattr(services, "_render_pdf", broken)
    elif where == "seal":
        import agnitio.documents.seal as seal

        def broken(**kwargs):
            raise RuntimeError("the seal key is unavailable")
        monkeypatch.setattr(seal, "pdf_seal", broken)
    else:  # the PDF is already stored when the last transaction fails
        real_save = IssuedCredential.save

        def broken(self, *args, **kwargs):
            if self.pk is None:
                assert self.pdf and self.pdf.storage.exists(self.pdf.name)
                raise RuntimeError("the database went away")
            return real_save(self, *args, **kwargs)
        monkeypatch.setattr(IssuedCredential, "save", broken)
    with pytest.raises(RuntimeError):
        services.credential_issue(**_arguments(owner, organisation, achievement, 1))
    monkeypatch.undo()
    assert list(IssuedCredential.objects.all()) == [first]
    assert stored_pdfs() == files_before and first.pdf.name in files_before
    assert AuditEvent.objects.count() == audit_before
    # The number and index were handed out and are not reused: a gap (numbers are unique, not gapless).
    after = services.credential_issue(**_arguments(owner, organisation, achievement, 2))
    assert [int(c.number.split("-")[2]) for c in (first, after)] == [1, 3]
    assert after.status_index != first.status_index


def test_a_caller_that_refuses_in_the_record_step_undoes_everything(owner, organisation, achievement):
    """`on_record` runs in the final transaction: what it raises undoes the record and removes the PDF."""
    files_before = stored_pdfs()

    def refuse(credential):
        assert IssuedCredential.objects.filter(pk=credential.pk).exists()
        raise ApplicationError("changed meanwhile", code="conflict")

    with pytest.raises(ApplicationError):
        services.credential_issue(**_arguments(owner, organisation, achievement, 1), on_record=refuse)
    assert not IssuedCredential.objects.exists() and stored_pdfs() == files_before
    assert not AuditEvent.objects.filter(verb="credential_issue").exists()


def test_a_replacement_of_a_document_revoked_meanwhile_is_not_recorded(owner, organisation, achievement):
    """The document to replace is checked again under its lock in the last transaction."""
    old = services.credential_issue(**_arguments(owner, organisation, achievement, 0))
    files_before = stored_pdfs()
    stale = IssuedCredential.objects.get(pk=old.pk)  # what the replacing issuer read before rendering

    def revoke_while_rendering(**kwargs):
        services.credential_revoke(actor=owner, credential=old, reason="Issued by mistake")
        return real_render(**kwargs)

    real_render = services._render_pdf
    services._render_pdf = revoke_while_rendering
    try:
        with pytest.raises(ApplicationError) as error:
            services.credential_issue(**_arguments(owner, organisation, achievement, 0), supersedes=stale)
    finally:
        services._render_pdf = real_render
    assert error.value.code == "supersedes"
    assert list(IssuedCredential.objects.all()) == [old] and stored_pdfs() == files_before
    old.refresh_from_db()
    assert old.status == "revoked"


def test_a_pdf_left_by_a_killed_issuer_is_deleted_by_the_daily_task(owner, organisation, achievement, settings):
    """A process killed between storing the PDF and recording it leaves a file; the daily task removes it once it
    is old enough (a younger one may belong to an issue about to be recorded) and never touches recorded PDFs."""
    import os
    import time

    from django.core.files.base import ContentFile

    from agnitio.credentials.tasks import pdf_orphans_delete

    recorded = services.credential_issue(**_arguments(owner, organisation, achievement, 1))
    storage = IssuedCredential._meta.get_field("pdf").storage
    old_orphan = storage.save("credentials/pdf/2026/YP-2026-000099-1.pdf", ContentFile(b"%PDF-1.7 killed"))
    new_orphan = storage.save("credentials/pdf/2026/YP-2026-000100-5.pdf", ContentFile(b"%PDF-1.7 on its way"))
    week_ago = time.time() - 7 * 86400
    for name in (old_orphan, recorded.pdf.name):
        os.utime(storage.path(name), (week_ago, week_ago))
    assert pdf_orphans_delete.delay().get() == 1
    assert not storage.exists(old_orphan)
    assert storage.exists(new_orphan) and storage.exists(recorded.pdf.name)
    assert "credentials-delete-orphan-pdfs" in settings.CELERY_BEAT_SCHEDULE
    storage.delete(new_orphan)
