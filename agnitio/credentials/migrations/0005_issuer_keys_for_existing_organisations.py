"""Every organisation (and the platform) has its signing key before anyone reads its DID document: reading a DID
document never creates keys or audit rows any more. New organisations get theirs in `organisation_create`."""

from django.db import migrations


def forwards(apps, schema_editor):
    from agnitio.credentials.signing.keys import encrypt_private_key, new_key, public_key_multibase

    Organisation = apps.get_model("organisations", "Organisation")
    IssuerKey = apps.get_model("credentials", "IssuerKey")

    def create(organisation):
        private = new_key()
        IssuerKey.objects.create(
            organisation=organisation, key_id="key-1", is_active=True,
            public_key_multibase=public_key_multibase(private.public_key()),
            private_key_encrypted=encrypt_private_key(private),
        )

    if not IssuerKey.objects.filter(organisation=None).exists():
        create(None)
    with_keys = IssuerKey.objects.exclude(organisation=None).values("organisation_id")
    for organisation in Organisation.objects.exclude(pk__in=with_keys).iterator():
        create(organisation)


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0004_issued_code_unique"),
        ("organisations", "0002_signatory_invitation_signatureimage"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
