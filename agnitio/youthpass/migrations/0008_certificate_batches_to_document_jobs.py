"""Certificate batches become jobs of the documents engine (handler "youthpass.certificate"); the second engine's
tables go. A batch keeps its public id (its page and API address stay the same), its items, counts and outcomes;
a batch that was still running is flagged for the sweeper, which queues its waiting items at its next run."""

from django.db import migrations
from django.db.models import Count, Q


def batches_to_jobs(apps, schema_editor):
    CertificateBatch = apps.get_model("youthpass", "CertificateBatch")
    DocumentJob = apps.get_model("documents", "DocumentJob")
    DocumentJobItem = apps.get_model("documents", "DocumentJobItem")
    batches = (CertificateBatch.objects.select_related("project")
               .annotate(n_done=Count("items", filter=Q(items__status="done")),
                         n_failed=Count("items", filter=Q(items__status="failed"))).order_by("id"))
    for batch in batches.iterator():
        project = batch.project
        running = batch.status == "running"
        public_id = batch.public_id
        if DocumentJob.objects.filter(public_id=public_id).exists():  # ids are random; a clash is next to impossible
            public_id = DocumentJob._meta.get_field("public_id").default()
        items = list(batch.items.select_related("participant", "credential").order_by("id"))
        ended = batch.finished_at or batch.updated_at
        job = DocumentJob.objects.create(
            public_id=public_id, organisation_id=batch.organisation_id, owner_id=batch.created_by_id,
            handler="youthpass.certificate", scope=project.public_id, kind="youthpass",
            title=f"Youthpass — {project.title or project.grant_number}"[:200],
            languages=project.certificate_language.split("+"), seal=True,
            status="running" if running else ("finished" if batch.n_done else "failed"),
            total=batch.total, done=batch.n_done, failed=batch.n_failed, requeue=running,
            finished_at=None if running else ended,
            errors=[{"index": i + 1, "label": f"{it.participant.first_name} {it.participant.last_name}",
                     "reason": it.error} for i, it in enumerate(items) if it.status == "failed"][:500],
        )
        DocumentJob.objects.filter(pk=job.pk).update(created_at=batch.created_at, updated_at=batch.updated_at)
        DocumentJobItem.objects.bulk_create([
            DocumentJobItem(job=job, index=i, label=f"{it.participant.first_name} {it.participant.last_name}"[:255],
                            data={"participant": it.participant_id}, status=it.status, error=it.error,
                            outcome=it.credential.public_id if it.credential else "",
                            attempts=0 if it.status == "pending" else 1,
                            finished_at=None if it.status == "pending" else ended)
            for i, it in enumerate(items)], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0004_job_handlers'),
        ('youthpass', '0007_merge_text_invitations_files'),
    ]

    operations = [
        migrations.RunPython(batches_to_jobs, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(
            name='CertificateBatchItem',
        ),
        migrations.DeleteModel(
            name='CertificateBatch',
        ),
    ]
