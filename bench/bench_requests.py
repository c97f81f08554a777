"""Benchmark: cheap requests (issue 14 point 5). Targets: signed-in pages ≤ 8 ms CPU at the median
(`signed_in_cpu_ms_median`, the median over the pages of each page's median), public verification by code
≤ 1.5 ms CPU (`verify_cpu_ms_median`, the JSON API with its throttle in Redis).

`python -m bench bench_requests` (or `python -m bench.bench_requests`) prints, per page: the CPU median
(`time.process_time()`, so other work on the machine adds little), the wall median, the queries and the bytes, and
beside them two ratios — to the target, and to `reference`, a fixed piece of Django work that does not depend on this
project's code (a template rendered, a query compiled, run in the same rounds): on a busy machine every figure
rises together, and `÷ reference` stays where it was, so two runs at different times compare by that column.

Production-like, in process: the settings of `bench_scale` (`bench/_scale_settings.py`: the shared Redis cache,
cached_db sessions, DEBUG off so templates are cached, persistent database connections), requests made through
Django's `WSGIHandler` (what gunicorn calls) with a signed-in session cookie, every middleware included. Each round
asks every page once, in turn, so a burst of load elsewhere touches all pages alike; the first two rounds are not
counted. Data: `bench_scale.seed` at `BENCH_REQUESTS_SCALE` (default 0.01: 10,000 documents, an organisation with
5,000, the big project with 100 participants) in a throw-away database beside `DATABASE_URL` when it names
PostgreSQL (`<name>_bench_requests`, dropped afterwards), else in a temporary SQLite file.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench._process import bench_main, child_run

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench._scale_settings"
TARGETS = {"signed_in_cpu_ms_median": 8.0, "verify_cpu_ms_median": 1.5}
TOP_LEVEL_KEYS: list[str] = []  # bench_scale reports the figures at full size; these are per request


def pages_of(seeded: dict) -> dict[str, tuple[str, str]]:
    """name → (who asks, path): the signed-in pages people use every day."""
    big, project = seeded["big"], seeded["project"]
    return {
        "home": ("owner", "/"), "account": ("owner", "/account/"), "organisation": ("owner", f"/organisations/{big}/"),
        "members": ("owner", f"/organisations/{big}/members/"),
        "history": ("owner", f"/organisations/{big}/history/"),
        "projects": ("owner", "/youthpass/"), "project": ("owner", f"/youthpass/p/{project}/"),
        "participants_100": ("owner", f"/youthpass/p/{project}/participants/"),
        "issued_list": ("owner", f"/credentials/organisation/{big}/"), "wallet_owner": ("owner", "/wallet/"),
        "wallet_holder": ("holder", "/wallet/"),
    }


def _session_cookie(user) -> str:
    """The cookies a signed-in browser sends: its session's and the CSRF cookie it was given with its first page
    with a form (without it every request would make a new CSRF secret and set the cookie again, which a browser
    does once)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get("/account/")  # sets the CSRF cookie, as the first page a browser opens does
    return "; ".join(f"{name}={client.cookies[name].value}"
                     for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME))


def _caller():
    """A function making one GET through Django's WSGI handler: (path, cookie, address) → (status, body bytes)."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def call(path: str, cookie: str = "", address: str = "192.0.2.10") -> tuple[str, int]:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
                   "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": address,
                   "HTTP_HOST": "127.0.0.1:8000", "HTTP_ACCEPT_LANGUAGE": "lv", "HTTP_COOKIE": cookie,
                   "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
                   "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
                   "wsgi.version": (1, 0)}
        status = []
        response = handler(environ, lambda s, headers, *a: status.append(s))
        try:
            size = sum(len(chunk) for chunk in response)
        finally:
            response.close()  # request_finished: what a server does after each response
        return status[0], size

    return call


def _reference():
    """Django's own work, the same whatever this project's code does: a template with a loop, filters and
    translations rendered, and a query on a contrib model compiled (not run). A yardstick for the machine's speed."""
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.template import Context, Engine

    template = Engine(libraries={"i18n": "django.templatetags.i18n"}).from_string(
        "{% load i18n %}<ul>{% for row in rows %}<li class=\"{% cycle 'a' 'b' %}\">{{ row.name|title }} "
        "{% translate 'Name' %} {{ row.value|floatformat:2 }}</li>{% endfor %}</ul>")
    context = Context({"rows": [{"name": f"row {i}", "value": i / 3} for i in range(50)]})

    def work() -> None:
        template.render(context)
        query = (Permission.objects.select_related("content_type").filter(codename__startswith="add")
                 .exclude(name="x").order_by("content_type__app_label", "codename")[:10])
        query.query.get_compiler(connection=connection).as_sql()

    return work


def measure(seeded: dict, *, rounds: int = 21, verify_rounds: int = 3) -> dict:
    """Per page CPU/wall medians, queries and bytes; the verification API and page; the reference. In rounds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agnitio.accounts.models import User

    cookies = {"owner": _session_cookie(User.objects.get(pk=seeded["owner"])),
               "holder": _session_cookie(User.objects.get(pk=seeded["holder"]))}
    call = _caller()
    code = seeded["codes"][0]
    targets: dict[str, tuple[str, str]] = {name: (cookies[who], path) for name, (who, path) in pages_of(seeded).items()}
    public = {"verify_api": f"/api/v1/verify/{code}", "verify_page": f"/verify/{code}"}
    reference = _reference()
    cpu: dict[str, list[float]] = {name: [] for name in [*targets, *public, "reference"]}
    wall: dict[str, list[float]] = {name: [] for name in cpu}
    sizes: dict[str, int] = {}
    address = 0

    def timed(name: str, fn) -> None:
        start_cpu, start = time.process_time(), time.perf_counter()
        result = fn()
        cpu[name].append(time.process_time() - start_cpu)
        wall[name].append(time.perf_counter() - start)
        if result is not None:
            status, sizes[name] = result
            if not status.startswith("200"):
                raise RuntimeError(f"{name}: {status}")

    for round_ in range(rounds + 2):
        for name, (cookie, path) in targets.items():
            timed(name, lambda cookie=cookie, path=path: call(path, cookie))
        for _ in range(verify_rounds):  # the look-up is short: more samples of it per round
            for name, path in public.items():
                address += 1  # a new client each time: the budget of one is not what is measured
                client = f"10.{address // 65536 % 256}.{address // 256 % 256}.{address % 256}"
                timed(name, lambda path=path, client=client: call(path, "", client))
            timed("reference", reference)
        if round_ < 2:  # warm-up: templates, translations, connections
            for values in (*cpu.values(), *wall.values()):
                values.clear()

    queries = {}
    for name, (cookie, path) in targets.items():
        with CaptureQueriesContext(connection) as captured:
            call(path, cookie)
        queries[name] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        call(public["verify_api"], "", "10.255.255.254")
    queries["verify_api"] = len(captured)

    reference_ms = statistics.median(cpu["reference"]) * 1000

    def figures(name: str) -> dict:
        cpu_ms = statistics.median(cpu[name]) * 1000
        return {"cpu_ms": round(cpu_ms, 2), "wall_ms": round(statistics.median(wall[name]) * 1000, 2),
                "queries": queries.get(name), "bytes": sizes.get(name),
                "cpu_to_reference": round(cpu_ms / reference_ms, 2)}

    pages = {name: figures(name) for name in targets}
    signed_in = statistics.median(p["cpu_ms"] for p in pages.values())
    verify = figures("verify_api")
    return {
        "pages": pages,
        "verify_api": verify, "verify_page": figures("verify_page"),
        "reference_cpu_ms": round(reference_ms, 3),
        "signed_in_cpu_ms_median": round(signed_in, 2),
        "signed_in_cpu_to_reference": round(signed_in / reference_ms, 2),
        "verify_cpu_ms_median": verify["cpu_ms"],
        "verify_cpu_to_reference": verify["cpu_to_reference"],
        "rounds": rounds,
    }


def _child() -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import bench_scale

    call_command("migrate", verbosity=0, interactive=False)
    scale = float(os.environ.get("BENCH_REQUESTS_SCALE", "0.01"))
    seeded = bench_scale.seed(scale=scale, class_size=1)
    figures = {"scale": scale, "database": connection.vendor, **measure(
        seeded, rounds=int(os.environ.get("BENCH_REQUESTS_ROUNDS", "21")))}
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)
    figures["targets"] = TARGETS
    figures["ratio_to_target"] = {key: round(figures[key] / target, 2) for key, target in TARGETS.items()}
    return figures


def run() -> dict:
    from bench.bench_scale import _recreate

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS,
           "BENCH_SCALE_CACHE_PREFIX": f"bench-requests-{uuid.uuid4().hex[:12]}",
           "AGNITIO_VERIFY_RATE_LIMIT": os.environ.get("AGNITIO_VERIFY_RATE_LIMIT", "120/m")}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith(("postgres://", "postgresql://")):
        base = urlsplit(database)
        url = urlunsplit(base._replace(path=f"/{base.path.lstrip('/') or 'agnitio'}_bench_requests", query=""))
        _recreate(url)
        try:
            return child_run("bench.bench_requests", env={**env, "DATABASE_URL": url + "?conn_max_age=600"},
                             timeout=3600)
        finally:
            _recreate(url, drop_only=True)
    with tempfile.TemporaryDirectory(prefix="bench-requests-") as folder:
        return child_run("bench.bench_requests", env={**env, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"},
                         timeout=3600)


if __name__ == "__main__":
    bench_main(_child, run)
