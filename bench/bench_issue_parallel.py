"""Benchmark: two issuers in parallel against one (DESIGN.md budget: ≥ 1.6× on 2 cores; issue 9, point 8).

An "issuer" is a process calling the trust layer's `credential_issue` with the documents engine's three-page
Youthpass certificate: allocate number and status index, sign the credential, render with Typst, seal (PAdES),
store the PDF, record the row. Both issuers issue the same kind for the same organisation, so before issuing ran
in three steps they queued on the same number-counter lock for the whole render and seal.

Everything runs in a fresh child process with a throw-away database: PostgreSQL when `DATABASE_URL` names it (a
database `<name>_bench_issue` beside it), otherwise an SQLite file. Two long-lived worker processes (spawned,
warmed up: fonts, Typst, keys) take turns: a round is one worker issuing `N` documents alone, then both issuing
`N` each at the same moment. `issue_parallel_speedup` is the median over the rounds of
(documents/s with two issuers) / (documents/s with one).

The figure is wall-clock, so other programs on the cores lower it. Beside it: the load average, how busy the
machine's cores were during each phase (from /proc/stat) and how much of that the issuers themselves used, and
`issuer_cpu_share_two`: CPU seconds per wall second of each issuer in the two-issuer phase (1.0 = it never waited
for a lock or for a core), and `amdahl_speedup_if_cores_were_free`, a conservative estimate that counts all the
time spent in the short transactions as serial.
"""

from __future__ import annotations

import json
import os
import queue
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench._process import bench_main, child_run

ROOT = Path(__file__).resolve().parent.parent
N = int(os.environ.get("BENCH_ISSUE_PARALLEL_N", "60"))
ROUNDS = int(os.environ.get("BENCH_ISSUE_PARALLEL_ROUNDS", "3"))
TOP_LEVEL_KEYS = ["issue_parallel_speedup"]


# --- worker processes ---------------------------------------------------------------------------------------------

def _issue(state: dict, i: int):
    import datetime

    from agnitio.credentials.services import credential_issue
    from bench.bench_documents import LANGUAGES, certificate

    return credential_issue(
        actor=state["user"], organisation=state["org"], kind="youthpass", holder_name=f"Dalībnieks {i}",
        holder_email=f"p{i}@example.org", achievement=state["achievement"], languages=LANGUAGES,
        issued_on=datetime.date(2026, 11, 20), place="Rīga", pdf_data=certificate(i))


def _worker(worker: int, commands, results) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.MEDIA_ROOT = os.environ["AGNITIO_BENCH_MEDIA_ROOT"]
    from agnitio.accounts.models import User
    from agnitio.credentials import services
    from agnitio.organisations.models import Organisation

    state = {"user": User.objects.get(email="bench@example.org"), "org": Organisation.objects.get(identifier="BENCH"),
             "achievement": json.loads(os.environ["AGNITIO_BENCH_ACHIEVEMENT"])}
    in_transactions = [0.0]  # wall seconds spent in the two short transactions (allocate, record), waits included

    def timed(fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                in_transactions[0] += time.perf_counter() - start
        return wrapper

    services.credential_allocate = timed(services.credential_allocate)
    services._credential_record = timed(services._credential_record)
    while True:
        command = commands.get()
        if command is None:
            connection.close()
            return
        first, count = command
        in_transactions[0] = 0.0
        start_cpu, start = time.process_time(), time.perf_counter()
        for i in range(first, first + count):
            _issue(state, i)
        results.put((worker, start, time.perf_counter(), time.process_time() - start_cpu, in_transactions[0]))


# --- measuring ----------------------------------------------------------------------------------------------------

def _cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


class _Phase:
    def __init__(self, workers, commands, results):
        self.workers, self.commands, self.results = workers, commands, results
        self.next_number = 0

    def run(self, active: int, count: int) -> dict:
        busy0, total0 = _cpu_jiffies()
        for w in range(active):
            self.commands[w].put((self.next_number, count))
            self.next_number += count
        done = []
        deadline = time.monotonic() + 1800
        while len(done) < active:
            try:
                done.append(self.results.get(timeout=5))
            except queue.Empty:
                dead = [p.pid for p in self.workers if not p.is_alive()]
                if dead or time.monotonic() > deadline:
                    raise RuntimeError(f"an issuer process died or hung (dead: {dead})") from None
        busy1, total1 = _cpu_jiffies()
        wall = max(d[2] for d in done) - min(d[1] for d in done)
        cpu = sum(d[3] for d in done)
        locked = sum(d[4] for d in done)
        cores = os.cpu_count() or 2
        busy_cores = cores * (busy1 - busy0) / max(1, total1 - total0)
        return {"documents": active * count, "seconds": wall, "per_s": active * count / wall,
                "issuer_cpu_s": cpu, "in_transactions_s": locked, "issuer_cpu_cores": cpu / wall,
                "machine_busy_cores": busy_cores,
                "cpu_share": [round(d[3] / (d[2] - d[1]), 2) for d in done]}


def _database_url(connection) -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _child() -> dict:
    import multiprocessing
    import shutil

    os.environ["DJANGO_SETTINGS_MODULE"] = "agnitio.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, connections, transaction
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor != "sqlite":  # beside the configured database, never the one a test run uses
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{connection.settings_dict['NAME']}_bench_issue"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media = tempfile.mkdtemp(prefix="agnitio-bench-issue-media-")
    workers = []
    try:
        from agnitio.accounts.models import User
        from agnitio.credentials.models import IssuedCredential
        from agnitio.credentials.services import issuer_key_active, status_list_for_update
        from agnitio.documents.seal import seal_get_or_create
        from agnitio.organisations.models import Membership, Organisation

        user = User.objects.create_user(email="bench@example.org", password="x" * 12)
        org = Organisation.objects.create(legal_name="Biedrība Jaunatnes Tilts", country="LV", address="Rīga",
                                          email="b@example.org", identifier="BENCH")
        Membership.objects.create(organisation=org, user=user, role="owner")
        seal_get_or_create(organisation=org)
        issuer_key_active(organisation=org)
        with transaction.atomic():
            status_list_for_update(organisation=org)
        achievement = {
            "name": "Youthpass — Jaunieši ceļā: ūdens, daba un rūpes",
            "description": "Took part in a youth exchange in Cēsis with young people from five countries.",
            "outcomes": [{"name": f"Key competence {i}", "framework": "Key competences for lifelong learning"}
                         for i in range(1, 9)],
        }
        vendor = connection.vendor
        os.environ.update(DATABASE_URL=_database_url(connection), AGNITIO_BENCH_MEDIA_ROOT=media,
                          AGNITIO_BENCH_ACHIEVEMENT=json.dumps(achievement))
        connections.close_all()

        ctx = multiprocessing.get_context("spawn")  # forking after Typst ran can deadlock its thread pool
        commands, results = [ctx.Queue(), ctx.Queue()], ctx.Queue()
        workers = [ctx.Process(target=_worker, args=(w, commands[w], results), daemon=True) for w in range(2)]
        for process in workers:
            process.start()
        phase = _Phase(workers, commands, results)
        load_before = [round(x, 2) for x in os.getloadavg()]
        phase.run(2, 4)  # warm-up: fonts, Typst, keys and connections in both processes
        rounds = []
        for _ in range(ROUNDS):
            one = phase.run(1, N)
            two = phase.run(2, N)
            rounds.append({"one": one, "two": two, "speedup": two["per_s"] / one["per_s"]})
        load_after = [round(x, 2) for x in os.getloadavg()]
        for command_queue in commands:
            command_queue.put(None)
        for process in workers:
            process.join(timeout=60)

        numbers = list(IssuedCredential.objects.values_list("number", flat=True))
        positions = set(IssuedCredential.objects.values_list("status_list_id", "status_index"))
        assert len(numbers) == phase.next_number == len(set(numbers)) == len(positions), "duplicates"
        assert not IssuedCredential.objects.filter(pdf="").exists(), "a record without its PDF"

        speedups = [r["speedup"] for r in rounds]
        speedup = statistics.median(speedups)
        # Share of an issuer's time spent inside the two short transactions (lock waits included), with two
        # issuers: the most that can be serial (not all of it is: the two issuers' transactions only queue on the
        # same rows for part of it). Amdahl's law with it is a conservative estimate of the speedup on free cores.
        serial = statistics.median(r["two"]["in_transactions_s"] / (2 * r["two"]["seconds"]) for r in rounds)
        return {
            "database": vendor,
            "documents_per_issuer_per_round": N,
            "rounds": ROUNDS,
            "issue_parallel_speedup": round(speedup, 2),
            "speedup_per_round": [round(s, 2) for s in speedups],
            "one_issuer_per_s": [round(r["one"]["per_s"], 1) for r in rounds],
            "two_issuers_per_s": [round(r["two"]["per_s"], 1) for r in rounds],
            "cpu_ms_per_document_one": round(1000 * statistics.median(
                r["one"]["issuer_cpu_s"] / r["one"]["documents"] for r in rounds), 1),
            "cpu_ms_per_document_two": round(1000 * statistics.median(
                r["two"]["issuer_cpu_s"] / r["two"]["documents"] for r in rounds), 1),
            "in_transactions_ms_per_document_one": round(1000 * statistics.median(
                r["one"]["in_transactions_s"] / r["one"]["documents"] for r in rounds), 1),
            "in_transactions_ms_per_document_two": round(1000 * statistics.median(
                r["two"]["in_transactions_s"] / r["two"]["documents"] for r in rounds), 1),
            "serial_fraction_two": round(serial, 3),
            "amdahl_speedup_if_cores_were_free": round(1 / (serial + (1 - serial) / 2), 2),
            "issuer_cpu_share_one": [r["one"]["cpu_share"][0] for r in rounds],
            "issuer_cpu_share_two": [r["two"]["cpu_share"] for r in rounds],
            "machine_busy_cores_one": [round(r["one"]["machine_busy_cores"], 2) for r in rounds],
            "machine_busy_cores_two": [round(r["two"]["machine_busy_cores"], 2) for r in rounds],
            "issuers_cpu_cores_two": [round(r["two"]["issuer_cpu_cores"], 2) for r in rounds],
            "cores": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
            "target": 1.6,
            "within_budget": speedup >= 1.6,
        }
    finally:
        for process in workers:
            if process.is_alive():
                process.terminate()
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(media, ignore_errors=True)


def run() -> dict:
    return child_run("bench.bench_issue_parallel")


if __name__ == "__main__":
    bench_main(_child, run)
