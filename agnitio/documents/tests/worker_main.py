"""Start a real Celery worker for the documents tests (not a test module).

Reads AGNITIO_TEST_QUEUE (the only queue it consumes and its default queue for tasks it sends),
AGNITIO_TEST_VISIBILITY (seconds before an unacknowledged task of a killed worker is delivered again) and
AGNITIO_TEST_MEDIA_ROOT (the test process's media folder).
"""

import os

import django

django.setup()

from django.conf import settings  # noqa: E402

from agnitio.celery import app  # noqa: E402

settings.MEDIA_ROOT = os.environ["AGNITIO_TEST_MEDIA_ROOT"]
queue = os.environ["AGNITIO_TEST_QUEUE"]
app.conf.task_default_queue = queue
app.conf.broker_transport_options = {"visibility_timeout": int(os.environ.get("AGNITIO_TEST_VISIBILITY", "5"))}
app.worker_main(["worker", "--pool=solo", "--queues", queue, "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "--loglevel=INFO"])
