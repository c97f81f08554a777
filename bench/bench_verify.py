"""Benchmark: verification (DESIGN.md budget: verify page and API ≥ 500 requests/s on 2 cores; VC proof check
≤ 5 ms median).

`run()` starts a fresh Python process that builds a throw-away SQLite database (a file, so server workers can
open it), issues 200 Youthpass credentials (8 key competences with outcome texts, like a real certificate), then
measures:

- proof check: median time of one eddsa-rdfc-2022 verification from scratch (RDFC-1.0 canonicalisation of the
  document and proof options with pyld, SHA-256, Ed25519) over 200 different credentials, and of the whole
  `credential_verify_json` (proof + validity + status) both uncached and for bytes already seen (the cached path);
- in-process WSGI: requests/s of `GET /verify/<code>` (HTML) and `GET /api/v1/verify/<code>` (JSON) called
  through Django's WSGIHandler with the full middleware stack, one process = one core, no network;
  Both as configured by default (a new database connection per request: for SQLite that is a connect plus the
  WAL pragmas, ~2 ms) and with persistent connections (`DATABASE_URL=...?conn_max_age=600`, recommended);
- gunicorn over loopback: 2 sync workers (one per core), persistent database connections, driven by an asyncio
  client with 32 connections in this process. The client shares the same 2 cores, so this figure is conservative.

Status (revoked/superseded) is read from the database on every request; only immutable things are cached
(JSON-LD contexts, DID public keys, proof results for identical bytes).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from bench._process import bench_main, child_run, gunicorn_serving

ROOT = Path(__file__).resolve().parent.parent
CREDENTIALS = 200
TOP_LEVEL_KEYS = ["proof_check_median_cpu_ms", "wsgi_page_persistent_db_req_per_s_2_cores_estimate",
                  "wsgi_api_persistent_db_req_per_s_2_cores_estimate", "gunicorn_2_workers_page_req_per_s",
                  "gunicorn_2_workers_api_req_per_s"]


def _issue(db_dir: str) -> dict:
    import datetime

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from agnitio.accounts.models import User
    from agnitio.credentials.services import credential_issue
    from agnitio.organisations.models import Membership, Organisation

    user = User.objects.create_user(email="bench@example.org", password="x" * 12)
    org = Organisation.objects.create(legal_name="Biedrība Bench", country="LV", address="Rīga", email="b@example.org")
    Membership.objects.create(organisation=org, user=user, role="owner")
    achievement = {
        "name": "Youthpass — Youth Exchange “Bridges”",
        "description": "Took part in an Erasmus+ youth exchange in Rīga with 32 participants from 4 countries.",
        "criteria": "Took part in the whole activity and described their learning outcomes with a mentor.",
        "outcomes": [{"name": f"Key competence {i}", "framework": "Key competences for lifelong learning (2018)",
                      "description": "Described what I learnt during the exchange in my own words. " * 3}
                     for i in range(1, 9)],
    }
    numbers = []
    for i in range(CREDENTIALS):
        credential = credential_issue(
            actor=user, organisation=org, kind="youthpass", holder_name=f"Dalībnieks {i}",
            holder_email=f"p{i}@example.org", achievement=achievement, languages=["lv", "en"],
            issued_on=datetime.date(2026, 11, 20), place="Rīga")
        numbers.append(credential.code)  # the look-up key (register numbers open no public page)
    return {"numbers": numbers, "organisation": org.public_id}


def _proof_figures() -> dict:
    import statistics
    import time

    from agnitio.credentials import verification
    from agnitio.credentials.models import IssuedCredential
    from agnitio.credentials.signing.proofs import proof_verify

    documents = [c.credential for c in IssuedCredential.objects.all()]
    vm = documents[0]["proof"]["verificationMethod"]
    _controller, public_key = verification.resolve_verification_method(vm)
    for document in documents[:10]:  # warm up: contexts parsed once per process
        proof_verify(document=document, public_key=public_key)
    proof, proof_cpu, full, cached = [], [], [], []
    for document in documents:
        start, start_cpu = time.perf_counter(), time.process_time()
        assert proof_verify(document=document, public_key=public_key)
        proof.append(time.perf_counter() - start)
        proof_cpu.append(time.process_time() - start_cpu)
    verification.PROOF_CACHE.clear()
    for document in documents:
        start = time.perf_counter()
        assert verification.credential_verify_json(document).verified
        full.append(time.perf_counter() - start)
    for document in documents:
        start = time.perf_counter()
        assert verification.credential_verify_json(document).verified
        cached.append(time.perf_counter() - start)
    return {
        "proof_check_median_ms": round(statistics.median(proof) * 1000, 2),
        "proof_check_p95_ms": round(sorted(proof)[int(len(proof) * 0.95)] * 1000, 2),
        "proof_check_median_cpu_ms": round(statistics.median(proof_cpu) * 1000, 2),
        "verify_json_uncached_median_ms": round(statistics.median(full) * 1000, 2),
        "verify_json_cached_median_ms": round(statistics.median(cached) * 1000, 3),
    }


def _wsgi_figures(numbers: list[str], seconds: float = 3.0) -> dict:
    import io
    import time

    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def call(path: str) -> str:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
        }
        status = []
        body = handler(environ, lambda s, h, *a: status.append(s))
        b"".join(body)
        body.close()
        return status[0]

    from django.db import connection

    figures = {}
    # As configured by default (a new database connection per request), then with persistent connections
    # (DATABASE_URL=...?conn_max_age=600, the recommended deployment setting).
    for suffix, max_age in (("", 0), ("_persistent_db", 600)):
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = max_age
        for name, prefix in (("page", "/verify/"), ("api", "/api/v1/verify/")):
            for number in numbers[:50]:
                assert call(prefix + number).startswith("200"), prefix + number
            count, start, start_cpu = 0, time.perf_counter(), time.process_time()
            while time.perf_counter() - start < seconds:
                assert call(prefix + numbers[count % len(numbers)]).startswith("200")
                count += 1
            label = f"{name}{suffix}"
            figures[f"wsgi_in_process_{label}_req_per_s_wall"] = round(count / (time.perf_counter() - start))
            # Per CPU-second: what one core does when it is not shared with the other processes on this machine.
            per_cpu = count / (time.process_time() - start_cpu)
            figures[f"wsgi_in_process_{label}_req_per_cpu_s"] = round(per_cpu)
            figures[f"wsgi_{label}_req_per_s_2_cores_estimate"] = round(2 * per_cpu)
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 0
    return figures


def _load(port: int, paths: list[str], seconds: float, connections: int = 32) -> tuple[int, int]:
    import asyncio
    import time

    async def worker(deadline: float, counts: list[int]):
        i = 0
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            data = await reader.read()
            writer.close()
            counts[0 if data.startswith(b"HTTP/1.1 200") else 1] += 1

    async def main():
        counts = [0, 0]
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(worker(deadline, counts) for _ in range(connections)))
        return counts

    return asyncio.run(main())


def _gunicorn_figures(numbers: list[str], env: dict, seconds: float = 5.0) -> dict:
    with gunicorn_serving(["--workers", "2"], env=env) as (_server, port):
        figures = {}
        for name, prefix in (("page", "/verify/"), ("api", "/api/v1/verify/")):
            paths = [prefix + n for n in numbers]
            _load(port, paths, 1.0)  # warm up both workers
            ok, failed = _load(port, paths, seconds)
            figures[f"gunicorn_2_workers_{name}_req_per_s"] = round(ok / seconds)
            figures[f"gunicorn_2_workers_{name}_failed"] = failed
        return figures


def _child() -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    issued = _issue(os.environ["BENCH_DB_DIR"])
    figures = {"credentials": CREDENTIALS}
    figures.update(_proof_figures())
    figures.update(_wsgi_figures(issued["numbers"]))
    from django.db import connection

    connection.close()
    persistent = {**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"] + "?conn_max_age=600"}
    figures.update(_gunicorn_figures(issued["numbers"], persistent))
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the same 2 cores
    figures["targets"] = {"verify_req_per_s": 500, "proof_check_median_ms": 5}
    return figures


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="agnitio-bench-verify-") as db_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agnitio.settings.test", "BENCH_DB_DIR": db_dir,
               "DATABASE_URL": f"sqlite:///{db_dir}/bench.sqlite3", "MEDIA_ROOT": db_dir,
               "SITE_URL": "http://127.0.0.1:8000",
               # The throttle stays on (its cost is measured) but high enough for one load-generating address.
               "AGNITIO_VERIFY_RATE_LIMIT": "100000000/m"}
        return child_run("bench.bench_verify", env=env, timeout=900)


if __name__ == "__main__":
    bench_main(_child, run)
