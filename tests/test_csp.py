"""Content-Security-Policy: no third-party origin, inline code only with the per-response nonce."""

import re


def test_pages_send_a_policy_with_a_fresh_nonce_used_by_htmx(client, db):
    first = client.get("/")
    second = client.get("/")
    policy = first["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert not re.search(r"https?:", policy)
    nonce = re.search(r"'nonce-([^']+)'", directives["style-src"]).group(1)
    assert f'"inlineStyleNonce": "{nonce}"' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]


def test_api_responses_carry_the_policy_too(client, db):
    assert "default-src 'self'" in client.get("/api/v1/openapi.json")["Content-Security-Policy"]
