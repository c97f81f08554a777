from agnitio.core.testing import per_answer_masked


def test_only_what_is_new_in_every_answer_is_masked():
    page = ('<body hx-headers=\'{"X-CSRFToken": "abc"}\'><input name="csrfmiddlewaretoken" value="xyz">'
            '<style nonce="n1"></style><meta content=\'{"inlineStyleNonce": "n2"}\'>'
            '<p data-remaining-seconds="1799" data-session-remaining>29:59</p><a href="/x?nonce=1">Vārds</a>')
    assert per_answer_masked(page.encode()) == (
        '<body hx-headers=\'{"X-CSRFToken": "-"}\'><input name="csrfmiddlewaretoken" value="-">'
        '<style nonce="-"></style><meta content=\'{"inlineStyleNonce": "-"}\'>'
        '<p data-remaining-seconds="-" data-session-remaining>-</p><a href="/x?nonce=1">Vārds</a>')
    assert per_answer_masked("script-src 'self' 'nonce-Q1w2'") == "script-src 'self' 'nonce--'"
    assert per_answer_masked("<p>value=\"kept\" 29:59</p>") == "<p>value=\"kept\" 29:59</p>"
