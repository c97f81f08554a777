"""`bench/bench_scale.py` at a tiny scale, on whatever database the suite uses, so the benchmark cannot rot: the same
seeding (INSERT … SELECT over a generated series), the same pages through the real URLs, the same gunicorn with
Redis and the same class signing in at once. The figures themselves are for `make bench` (PostgreSQL, 1,000,000)."""

import pytest

from bench import bench_scale

pytestmark = pytest.mark.services  # gunicorn with the shared Redis (bench/_scale_settings.py)


def test_bench_scale_runs_end_to_end(transactional_db):
    seeded = bench_scale.seed(scale=0.00005, class_size=5, participants=3)
    assert seeded["documents"] == 50
    assert seeded["big_organisation_documents"] == 3 + 47 // 2  # the three real ones and half of the copies
    assert seeded["holder_documents"] == 1 + 47 // bench_scale.HOLDER_EVERY  # one real one, 1 in 100 copies

    figures = bench_scale.measure_in_process(seeded, runs=1)
    assert set(figures["pages"]) >= {"home", "participants_100", "issued_list", "wallet_holder"}
    for page in figures["pages"].values():
        assert page["cpu_ms"] > 0 and page["queries"] > 0 and page["bytes"] > 0
    assert figures["verify_api_in_process"]["queries"] >= 1 and figures["verify_cpu_ms_median"] > 0
    assert figures["signed_in_cpu_ms_median"] > 0

    served = bench_scale.measure_server(seeded, clients=2, seconds=1.0)
    assert served["verify_requests"] > 0 and served["verify_errors"] == 0, served["verify_error_examples"]
    assert served["verify_p95_ms"] > 0
    assert served["signin_burst_ok"] == served["signin_burst_of"] == 5


def test_make_bench_runs_it_only_on_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite3")
    assert "PostgreSQL" in bench_scale.unavailable()
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    assert bench_scale.unavailable() is None
