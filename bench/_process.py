"""What the benchmarks share: running their measuring half in a child process, and a gunicorn to measure against.

Each benchmark module has `run()` (called by `python -m bench`) and `_child()` (the part that sets Django up and
measures, in a fresh process so one benchmark's settings and caches never reach another). `child_run` starts that
child and reads the JSON figures it prints last; `bench_main` is the module's `if __name__ == "__main__"`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_run(module: str, *, env: dict[str, str] | None = None, timeout: float | None = None) -> dict:
    """Run `python -m <module> --child` in the project folder and return the JSON object it printed last."""
    completed = subprocess.run([sys.executable, "-m", module, "--child"], cwd=ROOT, capture_output=True, text=True,
                               env=env if env is not None else {**os.environ}, timeout=timeout, check=False)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-5000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def bench_main(child: Callable[[], dict | None], run: Callable[[], dict]) -> None:
    """`--child`: measure and print the figures as one JSON line; otherwise run the whole benchmark."""
    if "--child" in sys.argv:
        print(json.dumps(child()))
    else:
        print(json.dumps(run(), indent=2))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_serving(args: list[str], *, env: dict[str, str], ready_seconds: float = 30.0
                     ) -> Iterator[tuple[subprocess.Popen, int]]:
    """gunicorn serving the project on a free loopback port with `args` (workers, threads, ...); yields the server
    process and the port once it accepts connections, and stops it afterwards."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if gunicorn is None:
        raise RuntimeError("gunicorn is not installed (pip install -e '.[dev]')")
    port = free_port()
    server = subprocess.Popen(
        [gunicorn, "agnitio.wsgi:application", *args, "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--backlog", "2048"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(server.stderr.read().decode()[-3000:]) from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not accept connections within {ready_seconds} s") from None
                time.sleep(0.1)
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)
