"""Benchmark: load (DESIGN.md budget and issue 8 point 15: 50 concurrent signed-in users on gunicorn + PostgreSQL,
0 errors, p95 ≤ 300 ms).

`run()` needs PostgreSQL. It (re)creates the database named by `BENCH_LOAD_DATABASE_URL` (default
`postgres://postgres@127.0.0.1:5432/agnitio_bench_load` — a database of its own, dropped and created afresh; never
point it at data you keep), then in a child process migrates it and fills it: 5 organisations, each with 10
members (1 owner, 9 admins), 5 Youthpass projects of 20 participants and 40 issued credentials. It starts gunicorn
(`BENCH_LOAD_GUNICORN_ARGS`, default 2 gthread workers × 4 threads, persistent database connections) and runs
50 simulated people (`BENCH_LOAD_USERS`) for `BENCH_LOAD_SECONDS` (default 120; e.g. 20 for a quick run). Each
person is signed in (a real session in the database, as after signing in), opens a page, waits 1–3 s as people
do, and opens the next: home, My account, the wallet, their organisation, its members, the project list, a
project, the issued documents list and the public verification page of a document (by its look-up code).

An error is any answer other than 200 (a redirect to the sign-in page included; shown as `<page>:<status>:<path>`),
a refused or dropped connection (status 0) or no answer within 10 s (status -1). Latency is measured from sending
the request to the end of the answer, over loopback,
by an asyncio client in this process (no dependency) that shares the machine's 2 cores with the server, so the
figures are conservative. The 1-minute load average before and after is recorded beside them: other work on the
machine raises every latency. `server_cpu_ms_per_request` (CPU time of the gunicorn processes per answer, from
/proc) tells what the pages cost regardless of that load.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench._process import bench_main, child_run, gunicorn_serving

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL_KEYS = ["load_errors", "load_p95_ms"]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/agnitio_bench_load"
ORGANISATIONS, MEMBERS, PROJECTS, PARTICIPANTS, CREDENTIALS = 5, 10, 5, 20, 40


# ------------------------------------------------------------------------------------------------ child: data


def _fill() -> dict:
    """Migrate and fill the database; returns the people (session cookie + their pages) as JSON-able data."""
    import datetime

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    from allauth.account.models import EmailAddress

    from agnitio.accounts.models import User
    from agnitio.credentials.services import credential_issue
    from agnitio.organisations.models import Membership, Organisation
    from agnitio.youthpass import services as yp

    people = []
    for o in range(ORGANISATIONS):
        org = Organisation.objects.create(legal_name=f"Biedrība Slodze {o}", country="LV", address="Rīga",
                                          email=f"org{o}@example.org")
        users = []
        for m in range(MEMBERS):
            email = f"u{o}-{m}@example.org"
            user = User.objects.create_user(email=email, password=None, full_name=f"Lietotājs {o}-{m}")
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            Membership.objects.create(organisation=org, user=user, role="owner" if m == 0 else "admin")
            users.append(user)
        projects = []
        for p in range(PROJECTS):
            project = yp.project_create(
                actor=users[0], organisation=org, grant_number=f"2026-1-LV02-KA152-YOU-{o:04d}{p:05d}",
                programme="erasmus_youth", project_type="youth_exchange", title=f"Apmaiņa {o}-{p}",
                start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 10))
            for i in range(PARTICIPANTS):
                yp.participant_create(actor=users[0], project=project, first_name=f"Dalībnieks{i}",
                                      last_name=f"Uzvārds{p}", email=f"p{o}-{p}-{i}@example.org", country="LV",
                                      language="lv")
            projects.append(project.public_id)
        numbers = []
        for c in range(CREDENTIALS):
            # every member also holds a document (so the wallet is not empty)
            holder = users[c % MEMBERS].email if c < MEMBERS else f"h{o}-{c}@example.org"
            credential = credential_issue(
                actor=users[0], organisation=org, kind="youthpass", holder_name=f"Dalībnieks {o}-{c}",
                holder_email=holder, achievement={"name": f"Youthpass — Apmaiņa {o}", "description": "Bench."},
                languages=["lv", "en"], issued_on=datetime.date(2026, 11, 20), place="Rīga")
            numbers.append(credential.code)
        for user in users:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            pages = [["home", "/"], ["account", "/account/"], ["wallet", "/wallet/"],
                     ["organisation", f"/organisations/{org.public_id}/"],
                     ["members", f"/organisations/{org.public_id}/members/"], ["projects", "/youthpass/"],
                     ["project", f"/youthpass/p/{random.choice(projects)}/"],
                     ["issued_list", f"/credentials/organisation/{org.public_id}/"]]
            people.append({"cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}", "pages": pages,
                           "verify": [f"/verify/{n}" for n in numbers]})
    return {"people": people}


def _child() -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return _fill()


# ------------------------------------------------------------------------------------------------ parent: load


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise RuntimeError(f"BENCH_LOAD_DATABASE_URL needs a plain database name, not {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


async def _request(port: int, path: str, cookie: str, timeout: float) -> tuple[int, float]:
    import asyncio

    start = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        writer.write((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                      "Accept: text/html\r\nAccept-Language: lv\r\nConnection: close\r\n\r\n").encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
    except TimeoutError:
        return -1, time.perf_counter() - start  # no answer within the timeout
    except OSError:
        return 0, time.perf_counter() - start  # refused or dropped
    line = data.split(b"\r\n", 1)[0].split()
    status = int(line[1]) if len(line) > 1 and line[1].isdigit() else 0
    return status, time.perf_counter() - start


def _load(port: int, people: list[dict], users: int, seconds: float) -> dict:
    import asyncio

    results: list[tuple[str, int, float]] = []

    async def person(index: int, deadline: float):
        me = people[index % len(people)]
        rng = random.Random(index)
        await asyncio.sleep(rng.uniform(0, 2))  # people do not all start in the same millisecond
        while time.perf_counter() < deadline:
            label, path = rng.choice(me["pages"] + [["verify", rng.choice(me["verify"])]])
            status, elapsed = await _request(port, path, me["cookie"], 10.0)
            results.append((label if status == 200 else f"{label}:{status}:{path}", status, elapsed))
            await asyncio.sleep(rng.uniform(1.0, 3.0))

    async def main():
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(person(i, deadline) for i in range(users)))

    asyncio.run(main())
    latencies = sorted(r[2] for r in results)
    errors = [r for r in results if r[1] != 200]

    def pct(values: list[float], q: float) -> float:
        return round(values[min(len(values) - 1, int(len(values) * q))] * 1000, 1) if values else 0.0

    by_page = {}
    for label in sorted({r[0] for r in results if r[1] == 200}):
        values = sorted(r[2] for r in results if r[0] == label)
        by_page[label] = {"requests": len(values), "p50_ms": pct(values, 0.5), "p95_ms": pct(values, 0.95)}
    return {
        "load_requests": len(results), "load_errors": len(errors),
        "load_error_examples": sorted({r[0] for r in errors})[:10],
        "load_p50_ms": pct(latencies, 0.5), "load_p95_ms": pct(latencies, 0.95), "load_p99_ms": pct(latencies, 0.99),
        "load_max_ms": round(latencies[-1] * 1000, 1) if latencies else 0.0,
        "load_req_per_s": round(len(results) / seconds, 1), "by_page": by_page,
    }


def _cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [master_pid]
    try:
        for task in os.listdir(f"/proc/{master_pid}/task"):
            with open(f"/proc/{master_pid}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total


def run() -> dict:
    import shlex

    url = os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise RuntimeError("The load benchmark runs on PostgreSQL: set BENCH_LOAD_DATABASE_URL=postgres://...")
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "120"))
    users = int(os.environ.get("BENCH_LOAD_USERS", "50"))
    gunicorn_args = shlex.split(os.environ.get("BENCH_LOAD_GUNICORN_ARGS",
                                               "--workers 2 --threads 4 --worker-class gthread"))
    _recreate_database(url)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agnitio.settings.test", "DATABASE_URL": url,
           "SITE_URL": "http://127.0.0.1:8000", "AGNITIO_VERIFY_RATE_LIMIT": "100000000/m"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    started = time.perf_counter()
    people = child_run("bench.bench_load", env=env, timeout=900)["people"]
    fill_seconds = round(time.perf_counter() - started, 1)

    server_env = {**env, "DATABASE_URL": url + "?conn_max_age=600"}
    with gunicorn_serving(gunicorn_args, env=server_env) as (server, port):
        # warm up every worker and template once (not measured)
        _load(port, people[:4], 4, 2.0)
        load_before = round(os.getloadavg()[0], 2)
        cpu_before = _cpu_seconds(server.pid)
        figures = _load(port, people, users, seconds)
        server_cpu = _cpu_seconds(server.pid) - cpu_before
        load_after = round(os.getloadavg()[0], 2)
        # What the server itself spent per answer: with the machine to itself, 2 cores serve about
        # 2000 / this many requests per second, whatever the other load did to the latencies above.
        figures["server_cpu_ms_per_request"] = round(server_cpu * 1000 / max(1, figures["load_requests"]), 1)
        figures["server_cpu_share_of_2_cores"] = round(server_cpu / (2 * seconds), 3)
    figures.update({
        "users": users, "seconds": seconds, "think_time_s": [1, 3], "gunicorn": " ".join(gunicorn_args),
        "database": "postgresql", "fill_seconds": fill_seconds,
        "load_average_1min_before": load_before, "load_average_1min_after": load_after, "cpu_count": os.cpu_count(),
        "targets": {"load_errors": 0, "load_p95_ms": 300},
    })
    return figures


if __name__ == "__main__":
    bench_main(_child, run)
