"""Verification by anyone leaves no trace of the holder (ADR 0013): no database write, no audit entry, and no log
record that names the holder, whatever the answer (found, unknown, throttled, checked by file)."""

import json
import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agnitio.core.models import AuditEvent

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_verifications_write_nothing_and_log_no_holder_data(client, issue, settings, caplog):
    credential = issue()
    audit_before = AuditEvent.objects.count()
    unknown = credential.code[:-1] + ("0" if credential.code[-1] != "0" else "1")  # a wrong check symbol
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/verify/{credential.code}").status_code == 200
        assert client.get(f"/api/v1/verify/{credential.code}").status_code == 200
        assert client.get(f"/verify/{unknown}").status_code in (400, 404)
        assert client.get(f"/verify/{credential.number}").status_code == 200  # a register number: neutral page
        posted = client.post("/verify/", {"credential_json": json.dumps(credential.credential)})
        assert posted.status_code == 200 and "Authentic" in posted.content.decode()
        settings.AGNITIO_VERIFY_RATE_LIMIT = "1/m"
        client.get(f"/verify/{credential.code}", REMOTE_ADDR="10.9.9.9")
        assert client.get(f"/verify/{credential.code}", REMOTE_ADDR="10.9.9.9").status_code == 429
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert AuditEvent.objects.count() == audit_before
    logged = caplog.text
    assert caplog.records  # Django's request logger did write its 4xx lines: they carry paths only
    for private in (credential.holder_name, credential.holder_email, "Anna"):
        assert private and private not in logged
