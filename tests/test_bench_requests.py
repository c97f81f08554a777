"""`bench/bench_requests.py` at a tiny scale on the suite's database, so the benchmark cannot rot: the same seeding,
every page through Django's WSGI handler with a signed-in session, the reference beside them. (Not timed: the
figures are for `python -m bench bench_requests`.)"""

from bench import bench_requests, bench_scale


def test_bench_requests_measures_every_page_and_the_reference(transactional_db):
    seeded = bench_scale.seed(scale=0.00005, class_size=1, participants=3)
    figures = bench_requests.measure(seeded, rounds=1, verify_rounds=1)
    assert set(figures["pages"]) == set(bench_requests.pages_of(seeded))
    for page in (*figures["pages"].values(), figures["verify_api"], figures["verify_page"]):
        assert page["cpu_ms"] > 0 and page["bytes"] > 0 and page["cpu_to_reference"] > 0
    assert all(page["queries"] > 0 for page in figures["pages"].values())
    assert figures["verify_api"]["queries"] >= 1 and figures["reference_cpu_ms"] > 0
    assert figures["signed_in_cpu_ms_median"] > 0 and figures["verify_cpu_ms_median"] > 0


def test_the_signed_in_browser_sends_its_session_and_csrf_cookies(transactional_db):
    from django.conf import settings

    from agnitio.accounts.models import User

    user = User.objects.create_user(email="bench-cookie@example.org", password="x-Bench-cookie-2026")
    names = [part.split("=", 1)[0] for part in bench_requests._session_cookie(user).split("; ")]
    assert names == [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME]
