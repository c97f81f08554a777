"""Re-encrypt every private key the platform stores (issuer keys, seal keys, the seal CA) with the newest secret in
AGNITIO_KEY_ENCRYPTION_KEY, and into the current form. Run it after putting a new secret first in the list; then
the old secret can be removed."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Re-encrypt every stored private key (issuer keys, seal keys, seal CA) with the first secret in "
            "AGNITIO_KEY_ENCRYPTION_KEY.")

    def handle(self, *args, **options):
        from agnitio.core.keystore import key_rows_reencrypt

        counts = key_rows_reencrypt(actor=None)
        for label, count in counts.items():
            self.stdout.write(f"{label}: re-encrypted {count} key(s).")
        self.stdout.write(f"Re-encrypted {sum(counts.values())} key(s) in all; every stored key opens with the "
                          "newest secret.")
