"""Create (or refresh) the demo account and organisation. Safe to run any number of times.

Apps add their own demo data in `agnitio/<app>/demo.py` with a function
`load(*, owner, organisation, stdout)`; this command calls each one it finds.
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_EMAIL = "demo@agnitio.example"
DEMO_PASSWORD = "agnitio-demo-2026"  # noqa: S105 - published demo credentials, local only


class Command(BaseCommand):
    help = "Create the demo user and organisation (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model

        from agnitio.organisations.demo import demo_organisation

        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"full_name": "Demo Owner", "language": "lv"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        organisation = demo_organisation(owner=user)
        for app_config in apps.get_app_configs():
            if not app_config.name.startswith("agnitio."):
                continue
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            module.load(owner=user, organisation=organisation, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"  Sign in with e-mail {DEMO_EMAIL} and password {DEMO_PASSWORD}")
