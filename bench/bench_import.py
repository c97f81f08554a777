"""Benchmark: import 10,000 participant rows from an xlsx file (DESIGN.md budget: ≤ 5 s, ≤ 300 MB peak).

`run()` starts a fresh Python process (so the memory figure is this import's, not the runner's), which builds a
throw-away test database, writes a 10,000-row xlsx with openpyxl (not timed), then times
`participants_import_commit` — reading with python-calamine, mapping, validating every row (e-mail, country,
date, duplicates) and inserting participants, activity links and audit events in one transaction.
Peak memory is the child process's peak resident set size (ru_maxrss), which includes Django itself.
`cpu_seconds` (this process's CPU time) is reported beside wall time because the machine may be shared: with a
high load average the wall time grows while the CPU time stays put.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from bench._process import bench_main, child_run

ROOT = Path(__file__).resolve().parent.parent
ROWS = 10_000
TOP_LEVEL_KEYS = ["import_10k_xlsx_seconds", "import_10k_xlsx_peak_rss_mb"]


def _child() -> dict:
    import datetime
    import io
    import resource
    import time

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agnitio.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from openpyxl import Workbook

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from agnitio.accounts.models import User
        from agnitio.organisations.models import Membership, Organisation
        from agnitio.youthpass import services
        from agnitio.youthpass.services import imports

        user = User.objects.create_user(email="bench@example.org", password="x" * 12)
        org = Organisation.objects.create(legal_name="Bench", country="LV", address="Rīga", email="b@example.org")
        Membership.objects.create(organisation=org, user=user, role="owner")
        project = services.project_create(actor=user, organisation=org, grant_number="2024-1-LV02-KA152-YOU-000000001",
                                          programme="erasmus_youth", project_type="youth_exchange")
        activity = services.activity_create(actor=user, project=project, activity_type="youth_exchange", title="YE",
                                            start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2026, 7, 9))
        countries = ["Latvija", "Lithuania", "EE", "Vācija", "France", "PL"]
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(["Vārds", "Uzvārds", "E-pasts", "Valsts", "Dzimšanas datums", "Loma"])
        for i in range(ROWS):
            sheet.append([f"Vārds{i}", f"Uzvārds{i}", f"person{i}@example.org", countries[i % len(countries)],
                          datetime.date(1990 + i % 15, 1 + i % 12, 1 + i % 28),
                          "dalībnieks" if i % 10 else "komandas loceklis"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
        rss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start, cpu_start = time.perf_counter(), time.process_time()
        people = imports.participants_import_commit(actor=user, project=project, data=data, activities=[activity])
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        rss_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert len(people) == ROWS and project.participants.count() == ROWS
        return {
            "rows": ROWS,
            "file_bytes": len(data),
            "database": connection.vendor,
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu_seconds, 3),
            "rows_per_second": round(ROWS / seconds),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "peak_rss_mb": round(rss_peak_kb / 1024, 1),
            "rss_before_import_mb": round(rss_before_kb / 1024, 1),
            "target_seconds": 5,
            "target_peak_mb": 300,
            "within_budget": seconds <= 5 and rss_peak_kb / 1024 <= 300,
            "import_10k_xlsx_seconds": round(seconds, 3),
            "import_10k_xlsx_peak_rss_mb": round(rss_peak_kb / 1024, 1),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> dict:
    return child_run("bench.bench_import")


if __name__ == "__main__":
    bench_main(_child, run)
