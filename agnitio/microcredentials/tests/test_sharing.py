"""Sharing from the wallet: LinkedIn's add-to-profile link (a plain link; nothing sent anywhere) with the name,
issuer, dates, verification page and code; the shared page's Open Graph metadata names no holder."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from agnitio.credentials.sharing import linkedin_add_url
from agnitio.microcredentials.services import awards as award_services


@pytest.fixture
def award(owner, published):
    return award_services.award_issue(actor=owner, specification=published,
                                      learner=award_services.LearnerIn(name="Anna Bērziņa", email="anna@example.org"))


def test_linkedin_link_has_the_credentials_facts(award, organisation):
    credential = award.credential
    url = urlsplit(linkedin_add_url(credential))
    assert (url.scheme, url.netloc, url.path) == ("https", "www.linkedin.com", "/profile/add")
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert q["startTask"] == "CERTIFICATION_NAME" and q["name"] == "Facilitating intercultural learning"
    assert q["organizationName"] == organisation.legal_name
    assert (q["issueYear"], q["issueMonth"]) == (str(award.issued_on.year), str(award.issued_on.month))
    assert (q["expirationYear"], q["expirationMonth"]) == (str(award.valid_until.year), str(award.valid_until.month))
    assert q["certUrl"] == credential.verification_url and q["certId"] == credential.code
    assert "Anna" not in url.query and "anna@" not in url.query


def test_wallet_page_offers_the_link(client, award, make_user):
    client.force_login(make_user("anna@example.org"))
    page = client.get(reverse("credentials:wallet_detail", args=[award.credential.public_id])).content.decode()
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert "Add to LinkedIn profile" in page
    assert reverse("microcredentials:learner_awards") in page  # the notice inviting feedback


def test_shared_page_has_open_graph_without_the_holder(client, award, make_user):
    from agnitio.credentials.services import share_link_create

    anna = make_user("anna@example.org")
    _link, token = share_link_create(actor=anna, credential=award.credential,
                                     expires_on=datetime.date.today() + datetime.timedelta(days=7))
    client.logout()
    page = client.get(reverse("credentials:shared", args=[token])).content.decode()
    head = page.split("</head>")[0]
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        assert f'property="{prop}"' in head
    assert 'content="Facilitating intercultural learning"' in head
    assert "Anna" not in head and "anna@" not in head
