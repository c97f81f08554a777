"""Demo credentials: a Youthpass (with its sealed PDF) and a micro-credential issued to the demo account's own
e-mail, so the wallet, the verification page and revocation can be tried at once. Idempotent."""

from django.utils import timezone

from agnitio.core.emails import email_normalise


def load(*, owner, organisation, stdout) -> None:
    from .management.commands.credential_sample import SAMPLES
    from .models import IssuedCredential
    from .services import credential_issue

    if IssuedCredential.objects.filter(organisation=organisation, holder_email=email_normalise(owner.email)).exists():
        return
    from agnitio.documents.sample import youthpass_sample

    for kind, pdf_data in (("youthpass", youthpass_sample(images=False)), ("microcredential", None)):
        credential = credential_issue(
            actor=owner, organisation=organisation, kind=kind, holder_name=owner.full_name or owner.email,
            holder_email=owner.email, achievement=SAMPLES[kind], languages=["lv", "en"],
            issued_on=timezone.localdate(), place="Rīga", pdf_data=pdf_data,
        )
        stdout.write(f"  Issued demo {kind}: verify it at /verify/{credential.code}")
