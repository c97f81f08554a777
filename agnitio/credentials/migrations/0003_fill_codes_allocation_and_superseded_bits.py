"""Step 2 of 3, data: every issued credential gets a random look-up code; each status list records which positions
are taken; the status bits of credentials superseded before supersession set them are set now, and those lists are
re-signed, so every verifier sees that they were replaced.

Documents issued before this printed their register number in the QR code; the number no longer opens a public
page (the page asks for the code or the file instead), and those documents keep verifying by upload of the PDF or
the credential JSON."""

import datetime

from django.db import migrations



def _code():
    from agnitio.credentials.numbering import code_generate

    return code_generate()


def _set(bits: bytearray, index: int) -> None:
    bits[index // 8] |= 0x80 >> (index % 8)


def forwards(apps, schema_editor):
    IssuedCredential = apps.get_model("credentials", "IssuedCredential")
    StatusList = apps.get_model("credentials", "StatusList")
    IssuerKey = apps.get_model("credentials", "IssuerKey")

    used = set(IssuedCredential.objects.exclude(code=None).values_list("code", flat=True))
    for credential in IssuedCredential.objects.filter(code=None).only("pk").iterator():
        code = _code()
        while code in used:
            code = _code()
        used.add(code)
        IssuedCredential.objects.filter(pk=credential.pk).update(code=code)

    for status_list in StatusList.objects.select_related("organisation").iterator():
        entries = IssuedCredential.objects.filter(status_list=status_list)
        allocated = bytearray(status_list.length // 8)
        for index in entries.values_list("status_index", flat=True):
            _set(allocated, index)
        bits = bytearray(bytes(status_list.bits))
        superseded = list(entries.filter(status="superseded").values_list("status_index", flat=True))
        changed = False
        for index in superseded:
            if not bits[index // 8] & (0x80 >> (index % 8)):
                _set(bits, index)
                changed = True
        status_list.allocated = bytes(allocated)
        status_list.next_index = entries.count()
        fields = ["allocated", "next_index"]
        if changed:
            status_list.bits = bytes(bits)
            status_list.credential = _resigned(status_list, IssuerKey)
            fields += ["bits", "credential"]
        status_list.save(update_fields=fields)


def _resigned(status_list, IssuerKey) -> dict:  # noqa: N803 - a historical model
    from django.urls import reverse

    from agnitio.credentials.dids import did_for, site_url
    from agnitio.credentials.formats.status import status_list_credential
    from agnitio.credentials.signing.keys import decrypt_private_key
    from agnitio.credentials.signing.proofs import proof_add

    organisation = status_list.organisation
    key = IssuerKey.objects.filter(organisation=organisation, is_active=True).first()
    unsigned = status_list_credential(
        url=site_url(reverse("credentials:status_list", args=[organisation.public_id, status_list.purpose])),
        issuer=did_for(organisation), purpose=status_list.purpose, bits=bytes(status_list.bits),
        valid_from=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return proof_add(document=unsigned, private_key=decrypt_private_key(key.private_key_encrypted),
                     verification_method=f"{did_for(organisation)}#{key.key_id}")


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0002_issued_code_and_status_allocation"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
