"""A real Celery worker for bench_documents (not a benchmark itself): solo pool, the bench's media folder."""

import os

import django

django.setup()

from django.conf import settings  # noqa: E402

from agnitio.celery import app  # noqa: E402

settings.MEDIA_ROOT = os.environ["AGNITIO_BENCH_MEDIA_ROOT"]
app.worker_main(["worker", "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "--loglevel=WARNING"])
