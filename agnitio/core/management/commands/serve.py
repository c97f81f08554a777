"""Run the web server and, with the embedded (filesystem) broker, a background worker beside it.

`make run` uses this so a laptop needs no other service. With a real broker configured,
run `celery -A agnitio worker -B` yourself (or let your process manager do it).
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Agnitio on 127.0.0.1 with an embedded background worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the embedded worker.")

    def handle(self, *args, port, host, no_worker, **options):
        worker = None
        if not no_worker and settings.CELERY_BROKER_URL.startswith("filesystem"):
            for key in ("data_folder_in", "processed_folder"):
                os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
            worker = subprocess.Popen(  # noqa: S603 - fixed argument list
                [sys.executable, "-m", "celery", "-A", "agnitio", "worker", "--beat", "--pool=threads",
                 "--concurrency=2", "--loglevel=WARNING", "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "")},
            )
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        try:
            self.stdout.write(f"Agnitio: http://{host}:{port}/")
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
