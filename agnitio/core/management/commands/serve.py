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


def embedded_worker_command(*, schedule_file: str) -> list[str]:
    """The worker (with beat, for periodic tasks) that runs beside the web server on the filesystem broker."""
    return [
        sys.executable, "-m", "celery", "-A", "agnitio", "worker", "--beat", "--pool=threads",
        "--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
        "--schedule", schedule_file,
    ]


def embedded_broker_folders() -> list[str]:
    """Create the folders kombu's filesystem transport reads and writes; returns them."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    keys = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
    folders = sorted({options[key] for key in keys})
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
    return folders


class Command(BaseCommand):
    help = "Serve Agnitio on 127.0.0.1 with an embedded background worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the embedded worker.")

    def handle(self, *args, port, host, no_worker, **options):
        worker = None
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("Background tasks run inside the web process (CELERY_TASK_ALWAYS_EAGER).")
        elif no_worker:
            pass
        elif settings.CELERY_BROKER_URL.startswith("filesystem"):
            embedded_broker_folders()
            os.makedirs(os.path.dirname(settings.CELERY_BEAT_SCHEDULE_FILENAME), exist_ok=True)
            worker = subprocess.Popen(  # noqa: S603 - fixed argument list
                embedded_worker_command(schedule_file=settings.CELERY_BEAT_SCHEDULE_FILENAME),
                env={**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
            )
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        else:
            self.stdout.write("Broker configured: start a worker with `celery -A agnitio worker --beat`.")
        # Stop the worker too when this process is told to stop (Ctrl-C, `kill`, a process manager),
        # also when started in the background, where a shell ignores SIGINT.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            self.stdout.write(f"Agnitio: http://{host}:{port}/")
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
