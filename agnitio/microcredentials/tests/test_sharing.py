"""Sharing from the wallet: LinkedIn's add-to-profile link (a plain link; nothing sent anywhere) with the name,
issuer, dates, verification page and code; the shared page's Open Graph metadata names no holder."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from agnitio.core.errors import NotFound
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


@pytest.fixture
def identified_award(owner, published):
    """An award whose learner has a date of birth and a national identifier (the sealed PDF prints them)."""
    return award_services.award_issue(actor=owner, specification=published, learner=award_services.LearnerIn(
        name="Līga Kalniņa", email="liga.private@example.org", date_of_birth=datetime.date(2001, 5, 14),
        national_id="140501-12345"))


def _share(credential, user, days=7):
    from agnitio.credentials.services import share_link_create

    return share_link_create(actor=user, credential=credential,
                             expires_on=datetime.date.today() + datetime.timedelta(days=days))


def test_the_shared_page_prints_no_address_birth_date_or_national_identifier(client, identified_award, make_user):
    liga = make_user("liga.private@example.org")
    _link, token = _share(identified_award.credential, liga)
    client.logout()
    response = client.get(reverse("credentials:shared", args=[token]))
    page = response.content.decode()
    assert response.status_code == 200 and "Facilitating intercultural learning" in page
    for secret in ("liga.private", "140501", "2001-05-14", "14.05.2001", "14 May 2001", "2001. gada 14. maij"):
        assert secret not in page, secret
    head = page.split("</head>")[0]
    assert "Līga" not in head and "Kalniņa" not in head


def test_a_share_link_shows_only_its_credential_and_stops_when_revoked(client, owner, published, award,
                                                                      identified_award, make_user):
    from agnitio.credentials.models import ShareLink
    from agnitio.credentials.services import share_link_revoke

    anna, liga = make_user("anna@example.org"), make_user("liga.private@example.org")
    link, token = _share(award.credential, anna)
    _other, other_token = _share(identified_award.credential, liga)
    client.logout()
    page = client.get(reverse("credentials:shared", args=[token])).content.decode()
    assert award.credential.code in page and identified_award.credential.code not in page
    document = client.get(reverse("credentials:shared_json", args=[token])).json()
    assert document == award.credential.credential
    # only its holder revokes it: another person's attempt changes nothing
    with pytest.raises(NotFound):
        share_link_revoke(actor=liga, link=link)
    client.force_login(liga)
    assert client.post(reverse("credentials:share_revoke", args=[link.public_id])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    client.force_login(anna)
    assert client.post(reverse("credentials:share_revoke", args=[link.public_id])).status_code == 302
    client.logout()
    for name in ("shared", "shared_json", "shared_pdf"):
        assert client.get(reverse(f"credentials:{name}", args=[token])).status_code == 404, name
    assert client.get(reverse("credentials:shared", args=[other_token])).status_code == 200  # the other still works
    assert ShareLink.objects.get(pk=link.pk).revoked_at is not None
