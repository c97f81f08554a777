"""Re-encrypt every issuer private key with the current AGNITIO_KEY_ENCRYPTION_KEY (after rotating it)."""

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Re-encrypt issuer signing keys with the current AGNITIO_KEY_ENCRYPTION_KEY."

    @transaction.atomic
    def handle(self, *args, **options):
        from agnitio.core.services import audit_record
        from agnitio.credentials.models import IssuerKey
        from agnitio.credentials.signing.keys import reencrypt_private_key

        count = 0
        for key in IssuerKey.objects.select_for_update():
            key.private_key_encrypted = reencrypt_private_key(key.private_key_encrypted)
            key.save(update_fields=["private_key_encrypted", "updated_at"])
            audit_record(actor=None, action="update", target=key, organisation=key.organisation,
                         verb="issuer_key_reencrypt")
            count += 1
        self.stdout.write(f"Re-encrypted {count} issuer key(s).")
