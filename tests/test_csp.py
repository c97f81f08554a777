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


# What the policy refuses, found in templates before a browser ever meets it.
_TEMPLATE_PROBLEMS = {
    "inline event handler (onclick=…): use a static script": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    'style="…" attribute: use a class': re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "hx-on needs eval: use a static script": re.compile(r"\shx-on[:-]", re.IGNORECASE),
    "javascript: URL": re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE),
    "inline <script> without nonce": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*type=[\"']application/(?:ld\+)?json)[^>]*>",
        re.IGNORECASE,
    ),
    "inline <style> without nonce": re.compile(r"<style\b(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE),
    "resource from another origin": re.compile(
        r"""<(?:script|link|img|iframe)\b[^>]*\s(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE
    ),
}


_COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}|<!--.*?-->", re.DOTALL)


def test_templates_contain_nothing_the_policy_would_block():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "agnitio"
    problems = []
    for template in sorted(root.rglob("templates/**/*.html")):
        text = _COMMENTS.sub(lambda m: "\n" * m.group(0).count("\n"), template.read_text(encoding="utf-8"))
        for problem, pattern in _TEMPLATE_PROBLEMS.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{template.relative_to(root.parent)}:{line}: {problem}")
    assert problems == []


def test_the_template_scan_finds_what_it_looks_for():
    samples = {
        '<button onclick="go()">': "inline event handler (onclick=…): use a static script",
        '<p style="color:red">': 'style="…" attribute: use a class',
        '<div hx-on:click="x">': "hx-on needs eval: use a static script",
        "<script>alert(1)</script>": "inline <script> without nonce",
        "<style>p{}</style>": "inline <style> without nonce",
        '<script src="https://cdn.example/x.js"></script>': "resource from another origin",
    }
    for sample, problem in samples.items():
        assert _TEMPLATE_PROBLEMS[problem].search(sample), sample
    for fine in ['<script src="/static/a.js" defer></script>', '<script nonce="{{ CSP_NONCE }}">x</script>',
                 '<script type="application/json" id="d">{}</script>', '<a href="https://europa.eu/">EU</a>']:
        assert not any(p.search(fine) for p in _TEMPLATE_PROBLEMS.values()), fine
