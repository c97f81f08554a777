"""/healthz: database and broker state for load balancers and monitoring."""

from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings


@pytest.mark.services
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/15")
def test_healthz_with_the_real_redis_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "broker_transport": "redis"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(CELERY_BROKER_URL="redis://:s3cret-broker-password@127.0.0.1:1/0")
def test_healthz_with_an_unreachable_broker_reports_the_error_but_serves(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "degraded"
    assert body["broker"].startswith("error: ") and "127.0.0.1:1" in body["broker"]
    assert "s3cret-broker-password" not in response.content.decode()


def test_healthz_without_database_is_503(client, db):
    with mock.patch.object(connection, "cursor", side_effect=RuntimeError("database is down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: RuntimeError"
    assert response.json()["status"] == "error"


def test_healthz_accepts_only_get(client, db):
    assert client.post("/healthz").status_code == 405


def test_healthz_with_the_embedded_filesystem_queue(client, db, tmp_path):
    options = {"data_folder_in": str(tmp_path / "queue"), "data_folder_out": str(tmp_path / "queue")}
    with override_settings(CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options):
        missing = client.get("/healthz").json()
        (tmp_path / "queue").mkdir()
        present = client.get("/healthz").json()
    assert missing["broker"].startswith("error: ") and missing["status"] == "degraded"
    assert missing["database"] == "ok"
    assert present == {"status": "ok", "database": "ok", "broker": "ok", "broker_transport": "filesystem"}
