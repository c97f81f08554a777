"""The issued list and the wallet at scale (issue 14, points 1 and 2): keyset pages, search and filters, tenancy,
a query count that does not grow with the list, no signed credential loaded by the list pages, the indexes."""

import datetime
import itertools
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agnitio.core.search import search_key
from agnitio.credentials.models import IssuedCredential, StatusList
from agnitio.credentials.numbering import code_generate, number_format

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)
_serial = itertools.count(1)
BIG_BODY_MARK = "signed-body-that-no-list-page-loads"


@pytest.fixture
def make_documents():
    """make_documents(organisation, n, **fields): n issued documents as rows (no signing: the lists only read
    rows), each with a large `credential` body."""
    def _make(organisation, n, **fields):
        status_list, _created = StatusList.objects.get_or_create(organisation=organisation, purpose="revocation",
                                                                 defaults={"bits": b""})
        rows = []
        for _i in range(n):
            serial = next(_serial)
            values = {"kind": "youthpass", "holder_name": f"Dalībnieks {serial}", "holder_email":
                      f"p{serial}@example.org", "issued_on": DAY, "achievement": {"name": f"Youthpass {serial}"},
                      "languages": ["lv"], **fields}
            values.setdefault("holder_name_search", search_key(values["holder_name"]))
            rows.append(IssuedCredential(
                organisation=organisation, number=number_format(kind="youthpass", year=2026, sequence=serial),
                code=code_generate(),
                credential_uid=f"urn:uuid:test-{serial}", status_list=status_list, status_index=serial,
                credential={"proof": BIG_BODY_MARK * 200}, **values))
        return IssuedCredential.objects.bulk_create(rows)

    return _make


def _ids(page):
    return [c.pk for c in page]


def _issued_page(client, organisation, **params):
    response = client.get(reverse("credentials:issued_list", args=[organisation.public_id]), params)
    assert response.status_code == 200
    return response


def _listed_codes(response) -> list[str]:
    return [c.code for c in response.context["page"]]


# ------------------------------------------------------------------------------------------------ keyset


def test_pages_show_every_document_once_while_new_ones_are_issued_between_page_loads(
        client, owner, organisation, make_documents):
    # Ties on the issue date (three days, 25 documents) are broken by id.
    for day in range(3):
        make_documents(organisation, 8 + day, issued_on=DAY - datetime.timedelta(days=day))
    expected = list(IssuedCredential.objects.filter(organisation=organisation)
                    .order_by("-issued_on", "-id").values_list("code", flat=True))
    client.force_login(owner)
    seen, params = [], {"size": "4"}
    while True:
        response = _issued_page(client, organisation, **params)
        seen += _listed_codes(response)
        make_documents(organisation, 2, issued_on=DAY)  # issued meanwhile: newer than everything listed
        make_documents(organisation, 1, issued_on=DAY - datetime.timedelta(days=1))  # same date as a listed one
        page = response.context["page"]
        if not page.has_next:
            break
        params = {"size": "4", "cursor": page.next_cursor}
    assert len(seen) == len(set(seen))  # no duplicates
    old = [code for code in seen if code in set(expected)]
    assert old == expected  # no gaps, in order
    # The rows issued meanwhile are found by going back from the first page's position.
    first = _issued_page(client, organisation, size="4").context["page"]
    assert not first.has_previous
    assert _listed_codes(_issued_page(client, organisation, size="4"))[0] not in expected


def test_the_page_links_are_a_labelled_nav_that_keeps_the_search(client, owner, organisation, make_documents):
    make_documents(organisation, 7, holder_name="Anna Bērziņa")
    client.force_login(owner)
    html = _issued_page(client, organisation, size="3", q="berzina").content.decode()
    nav = re.search(r'<nav class="pagination" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav and nav.group(1) == "Pages of issued documents"
    next_href = re.search(r'href="([^"]+)" rel="next"', nav.group(2)).group(1).replace("&amp;", "&")
    assert "q=berzina" in next_href and "cursor=" in next_href
    second = client.get(next_href)
    assert second.status_code == 200 and len(second.context["page"]) == 3
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("cursor", ["garbage", "WyJhIiwiMjAyNi0xMy00NSIsMV0", "W10", "A" * 5000])
def test_an_invalid_cursor_shows_the_first_page_not_an_error(client, owner, organisation, make_documents, cursor):
    make_documents(organisation, 3)
    client.force_login(owner)
    response = _issued_page(client, organisation, cursor=cursor)
    assert len(response.context["page"]) == 3 and response.context["page"].cursor_invalid
    assert "That page link was not valid" in response.content.decode()
    holder = make_documents(organisation, 1, holder_email="owner@tilts.example")
    wallet = client.get(reverse("credentials:wallet"), {"cursor": cursor})
    assert wallet.status_code == 200 and _ids(wallet.context["page"]) == [holder[0].pk]


# ------------------------------------------------------------------------------------------------ search


def test_search_by_holder_name_ignores_case_and_diacritics_and_matches_any_part(
        client, owner, organisation, make_documents):
    anna = make_documents(organisation, 2, holder_name="Anna Bērziņa")
    make_documents(organisation, 3, holder_name="Jānis Ozols")
    client.force_login(owner)
    for query in ("berzina", "BĒRZIŅA", "anna b", "  Ērziņ ", "nna"):
        assert set(_listed_codes(_issued_page(client, organisation, q=query))) == {c.code for c in anna}, query
    assert _listed_codes(_issued_page(client, organisation, q="Kalniņš")) == []
    assert "No issued document matches the search." in _issued_page(client, organisation, q="zzz").content.decode()


def test_search_by_code_is_exact_and_reads_the_code_tolerantly(client, owner, organisation, make_documents):
    wanted, other = make_documents(organisation, 2)
    client.force_login(owner)
    tolerant = wanted.code.replace("-", " ").lower().replace("1", "l").replace("0", "o")
    for query in (wanted.code, tolerant):
        assert _listed_codes(_issued_page(client, organisation, q=query)) == [wanted.code]
    assert _listed_codes(_issued_page(client, organisation, q=wanted.number)) == [wanted.code]


def test_filter_by_project_period_kind_and_state(client, owner, organisation, make_documents):
    from agnitio.youthpass.models import Project

    project = Project.objects.create(
        organisation=organisation, grant_number="2026-1-LV02-KA152-YOU-000001", programme="erasmus_youth",
        project_type="youth_exchange", title="Tilti", start_date=DAY, end_date=DAY)
    project_type = ContentType.objects.get_for_model(Project)
    of_project = make_documents(organisation, 2, source_type=project_type, source_id=project.pk)
    earlier = make_documents(organisation, 1, issued_on=datetime.date(2025, 3, 1), kind="microcredential")
    revoked = make_documents(organisation, 1, status="revoked")
    superseded = make_documents(organisation, 1, status="superseded")
    expired = make_documents(organisation, 1, valid_until=datetime.date(2026, 1, 1),
                             issued_on=datetime.date(2025, 1, 1))
    client.force_login(owner)

    def codes(**params):
        return set(_listed_codes(_issued_page(client, organisation, **params)))

    assert codes(project=project.public_id) == {c.code for c in of_project}
    assert codes(issued_from="2025-02-01", issued_to="2025-12-31") == {earlier[0].code}
    assert codes(issued_to="2025-06-30") == {earlier[0].code, expired[0].code}
    assert codes(kind="microcredential") == {earlier[0].code}
    assert codes(state="revoked") == {revoked[0].code}
    assert codes(state="superseded") == {superseded[0].code}
    assert codes(state="expired") == {expired[0].code}
    assert codes(state="valid") == {c.code for c in of_project + earlier}
    assert codes(state="valid", kind="youthpass", project=project.public_id) == {c.code for c in of_project}
    html = _issued_page(client, organisation, issued_from="2026-01-02", issued_to="2026-01-01").content.decode()
    assert "The end of the period is before its start." in html


def test_the_search_form_is_a_labelled_get_form(client, owner, organisation):
    client.force_login(owner)
    html = _issued_page(client, organisation).content.decode()
    form = re.search(r'<form method="get" class="list-search" role="search"(.*?)</form>', html, re.S).group(1)
    for name in ("q", "project", "issued_from", "issued_to", "kind", "state"):
        assert re.search(rf'<label for="id_{name}">', form) and f'name="{name}"' in form, name


def test_wallet_search_and_filters(client, make_user, organisation, make_documents):
    holder = make_user("holder@example.org")
    mine = make_documents(organisation, 3, holder_email="holder@example.org",
                          achievement={"name": "Youthpass in Youth Exchanges"})
    badge = make_documents(organisation, 1, holder_email="holder@example.org", kind="microcredential",
                           achievement={"name": "Data literacy"}, status="revoked")
    make_documents(organisation, 2, holder_email="someone@example.org", achievement={"name": "Data literacy"})
    client.force_login(holder)

    def ids(**params):
        response = client.get(reverse("credentials:wallet"), params)
        assert response.status_code == 200
        return set(_ids(response.context["page"]))

    assert ids() == {c.pk for c in mine + badge}
    assert ids(q="data LITERACY") == {badge[0].pk}
    assert ids(q="jaunatnes tilts") == {c.pk for c in mine + badge}  # the issuer's name
    assert ids(q=badge[0].code.lower()) == {badge[0].pk}
    assert ids(kind="youthpass") == {c.pk for c in mine}
    assert ids(state="revoked") == {badge[0].pk}
    response = client.get(reverse("credentials:wallet"), {"size": "2"})
    page = response.context["page"]
    assert len(page) == 2 and page.has_next
    rest = client.get(reverse("credentials:wallet"), {"size": "2", "cursor": page.next_cursor}).context["page"]
    assert set(_ids(page)) | set(_ids(rest)) == {c.pk for c in mine + badge} and not rest.has_next


# ------------------------------------------------------------------------------------------------ tenancy


def test_never_another_organisations_documents(client, owner, organisation, other_organisation, outsider,
                                               make_documents):
    ours = make_documents(organisation, 3, holder_name="Anna Bērziņa")
    theirs = make_documents(other_organisation, 3, holder_name="Anna Bērziņa")
    client.force_login(owner)
    for params in ({}, {"q": "anna"}, {"q": theirs[0].code}, {"q": theirs[0].number}):
        assert set(_listed_codes(_issued_page(client, organisation, **params))) <= {c.code for c in ours}
    assert _listed_codes(_issued_page(client, organisation, q=theirs[0].code)) == []
    # A cursor made from another organisation's row moves only within ours.
    from agnitio.core.pagination import cursor_encode

    cursor = cursor_encode("a", [theirs[0].issued_on + datetime.timedelta(days=1), theirs[-1].pk + 1])
    assert set(_listed_codes(_issued_page(client, organisation, cursor=cursor))) == {c.code for c in ours}
    # The other organisation's list is not found for our owner, and ours not for theirs.
    assert client.get(reverse("credentials:issued_list", args=[other_organisation.public_id])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("credentials:issued_list", args=[organisation.public_id]),
                      {"q": "anna"}).status_code == 404


def test_a_project_filter_names_only_projects_the_member_may_open(client, editor, organisation, make_documents):
    from agnitio.youthpass.models import Project

    hidden = Project.objects.create(
        organisation=organisation, grant_number="2026-1-LV02-KA152-YOU-000002", programme="erasmus_youth",
        project_type="youth_exchange", title="Slēpts", start_date=DAY, end_date=DAY)
    make_documents(organisation, 2, source_type=ContentType.objects.get_for_model(Project), source_id=hidden.pk)
    open_to_all = make_documents(organisation, 1)
    client.force_login(editor)
    response = _issued_page(client, organisation, project=hidden.public_id)
    assert "Slēpts" not in response.content.decode()
    assert _listed_codes(response) == [open_to_all[0].code]  # the unknown project is not applied, nor revealed
    assert response.context["search_form"].errors["project"]


def test_the_wallet_lists_only_the_holders_confirmed_addresses(client, make_user, organisation, make_documents):
    holder = make_user("holder@example.org")
    mine = make_documents(organisation, 2, holder_email="holder@example.org")
    make_documents(organisation, 2, holder_email="unconfirmed@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=holder, email="unconfirmed@example.org", verified=False)
    client.force_login(holder)
    assert set(_ids(client.get(reverse("credentials:wallet")).context["page"])) == {c.pk for c in mine}


# ------------------------------------------------------------------------------------------------ cost


def _count_queries(client, url, params=None) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def test_issued_list_and_wallet_cost_the_same_queries_at_5_and_60_documents(client, owner, organisation,
                                                                            make_documents):
    owner_email = owner.email
    url_issued = reverse("credentials:issued_list", args=[organisation.public_id])
    url_wallet = reverse("credentials:wallet")
    client.force_login(owner)
    counts = {}
    for total in (5, 60):
        IssuedCredential.objects.all().delete()
        make_documents(organisation, total, holder_email=owner_email)
        _count_queries(client, url_issued)
        _count_queries(client, url_wallet)
        counts[total] = (_count_queries(client, url_issued)[0], _count_queries(client, url_wallet)[0],
                         _count_queries(client, url_issued, {"q": "dal", "cursor": "", "size": "10"})[0],
                         _count_queries(client, url_wallet, {"q": "youthpass", "size": "10"})[0])
    assert counts[5] == counts[60], counts


def test_list_pages_do_not_load_the_signed_credentials(client, owner, organisation, make_documents):
    make_documents(organisation, 5, holder_email=owner.email)
    client.force_login(owner)
    column = connection.ops.quote_name("credential")
    for url in (reverse("credentials:wallet"), reverse("credentials:issued_list", args=[organisation.public_id])):
        response = client.get(url)
        assert response.status_code == 200 and len(response.context["page"]) == 5
        _count, sqls = _count_queries(client, url)
        listing = [sql for sql in sqls if "credentials_issuedcredential" in sql and "ORDER BY" in sql]
        assert listing, sqls
        for sql in listing:
            assert f'"credentials_issuedcredential".{column}' not in sql, sql
        assert BIG_BODY_MARK not in response.content.decode()


def test_the_keyset_indexes_are_declared_and_migrated():
    from importlib import import_module

    from django.db import migrations

    indexes = {index.name: index.fields for index in IssuedCredential._meta.indexes}
    assert indexes["credential_org_issued_idx"] == ["organisation", "issued_on", "id"]
    assert indexes["credential_holder_issued_idx"] == ["holder_email", "issued_on", "id"]
    migration = import_module("agnitio.credentials.migrations.0009_issued_list_keyset_and_search").Migration
    added = {op.index.name: op.index.fields for op in migration.operations if isinstance(op, migrations.AddIndex)}
    assert added == {"credential_org_issued_idx": ["organisation", "issued_on", "id"],
                     "credential_holder_issued_idx": ["holder_email", "issued_on", "id"]}
    # ...and the database has them (introspected, on whichever database the suite runs).
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, IssuedCredential._meta.db_table)
    assert constraints["credential_org_issued_idx"]["columns"] == ["organisation_id", "issued_on", "id"]
    assert constraints["credential_holder_issued_idx"]["columns"] == ["holder_email", "issued_on", "id"]
    if connection.vendor == "postgresql":
        assert "credential_holder_name_trgm" in constraints
    # the wallet's offers: a partial index of the rows pushed by the VC API (a holder's thousands are not read)
    assert indexes["credential_holder_offer_idx"] == ["holder_email", "issued_on", "id"]
    assert constraints["credential_holder_offer_idx"]["columns"] == ["holder_email", "issued_on", "id"]


def test_the_search_key_is_written_when_issuing_and_cleared_on_erasure(issue, make_user):
    from agnitio.accounts.privacy import account_erase

    holder = make_user("girts@example.org")
    credential = issue(holder_name="Ģirts  Šņore", holder_email="girts@example.org")
    credential.refresh_from_db()
    assert credential.holder_name_search == "girts snore"
    account_erase(actor=holder)
    credential.refresh_from_db()
    assert credential.holder_name == "" and credential.holder_name_search == ""


def test_the_rows_show_state_reason_files_and_links_and_escape_every_value(client, owner, organisation,
                                                                          make_documents):
    # The rows are made in Python (credentials.rows): the same cells the template made, every value escaped.
    revoked, expired, valid = make_documents(organisation, 3, holder_name="<b>Anna</b> & Co", holder_email=owner.email,
                                             achievement={"name": "<i>Youthpass</i>"})
    IssuedCredential.objects.filter(pk=revoked.pk).update(status="revoked", revocation_reason="<script>x</script>")
    IssuedCredential.objects.filter(pk=expired.pk).update(valid_until=DAY - datetime.timedelta(days=1))
    IssuedCredential.objects.filter(pk=valid.pk).update(pdf="credentials/pdf/2026/x.pdf")
    client.force_login(owner)
    html = client.get(reverse("credentials:issued_list", args=[organisation.public_id]),
                      headers={"Accept-Language": "en"}).content.decode()
    assert "<b>Anna" not in html and "<script>x" not in html
    assert html.count("<bdi>&lt;b&gt;Anna&lt;/b&gt; &amp; Co</bdi>") == 3
    assert ": <bdi>&lt;script&gt;x&lt;/script&gt;</bdi>" in html
    assert f'<a href="{reverse("credentials:verify_code", args=[valid.code])}">{valid.code}</a>' in html
    assert f'<a href="{reverse("credentials:issued_json", args=[valid.public_id])}">' in html
    assert f'<a href="{reverse("credentials:issued_pdf", args=[valid.public_id])}">' in html
    assert reverse("credentials:issued_pdf", args=[expired.public_id]) not in html  # no PDF, no link
    assert reverse("credentials:issued_revoke", args=[revoked.public_id]) not in html
    for document in (expired, valid):
        assert f'{reverse("credentials:issued_revoke", args=[document.public_id])}">' in html
    rows = re.findall(r"<tr><td>.*?</tr>", html, re.S)
    assert len(rows) == 3
    states = {c.number: re.search(r"<td>(valid|expired|revoked)(?::|</td>)", row).group(1)
              for row in rows for c in (revoked, expired, valid) if c.number in row}
    assert states == {revoked.number: "revoked", expired.number: "expired", valid.number: "valid"}

    wallet = client.get(reverse("credentials:wallet"), headers={"Accept-Language": "en"}).content.decode()
    assert "<i>Youthpass" not in wallet and wallet.count("<bdi>&lt;i&gt;Youthpass&lt;/i&gt;</bdi>") == 3
    assert f'<a href="{reverse("credentials:wallet_detail", args=[valid.public_id])}">' in wallet
    assert wallet.count('data-issuer-identity="unverified"') == 3


# The rows as the templates printed them before they were made in Python (credentials/issued_list.html and
# wallet.html, commit 169e361^): each row now made by credentials.rows must be this, character for character.
_TEMPLATE_ISSUED_ROW = (
    "{% load i18n %}{% for c in page %}"
    '<tr><td>{{ c.number }}<br><a href="{{ c.get_absolute_url }}">{{ c.code }}</a>\n'
    '        (<a href="{{ c.json_url }}">{% translate "JSON" %}</a>{% if c.pdf %}, <a href="{{ c.pdf_url }}">'
    '{% translate "PDF" %}</a>{% endif %})</td><td><bdi>{{ c.holder_name }}</bdi></td><td>{{ c.get_kind_display }}'
    "</td><td>{{ c.issued_on|date }}</td>\n"
    "      <td>{{ c.state_display }}{% if c.revocation_reason %}: <bdi>{{ c.revocation_reason }}</bdi>{% endif %}"
    "</td>\n"
    "      <td>{% if c.status != \"revoked\" %}<a href=\"{% url 'credentials:issued_revoke' c.public_id %}\">"
    "{% blocktranslate with number=c.number %}Revoke {{ number }}…{% endblocktranslate %}</a>{% endif %}</td></tr>"
    "{% if not forloop.last %}\n{% endif %}{% endfor %}")
_TEMPLATE_WALLET_ROW = (
    "{% load i18n issuer_identity %}{% for c in page %}"
    "<tr><td><a href=\"{% url 'credentials:wallet_detail' c.public_id %}\"><bdi>{{ c.achievement.name }}</bdi></a>"
    " ({{ c.code }})</td>\n"
    "          <td><bdi>{{ c.organisation.legal_name }}</bdi> ({% issuer_identity c.organisation compact=True %})"
    "</td><td>{{ c.issued_on|date }}</td><td>{{ c.state_display }}</td></tr>"
    "{% if not forloop.last %}\n{% endif %}{% endfor %}")


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_rows_are_what_the_templates_printed(owner, organisation, other_organisation, make_documents, language):
    from django.template import Context, Template
    from django.utils import timezone, translation

    from agnitio.credentials import rows, selectors

    other_organisation.identity_verified_at = timezone.now()
    other_organisation.legal_name = "<Autre> & \"Fils\" 'ĀŠ'"
    other_organisation.save()
    names = ["<b>Anna</b> & Co", "Ģirts \"Šņore\" 'x'", "", "Zoë\u200fعربي"]
    documents = [
        *make_documents(organisation, 4, kind="youthpass"),
        *make_documents(organisation, 2, kind="europass_certificate", issued_on=DAY - datetime.timedelta(days=40)),
        *make_documents(organisation, 2, kind="microcredential", issued_on=DAY - datetime.timedelta(days=400)),
        *make_documents(other_organisation, 3, holder_email=owner.email, achievement={"name": "<i>Badge</i> & 'ā'"}),
        *make_documents(organisation, 1, holder_email=owner.email, achievement={}),
    ]
    for index, document in enumerate(documents):
        document.holder_name = names[index % len(names)]
    documents[0].status, documents[0].revocation_reason = "revoked", "<script>x</script> & \"y\""
    documents[1].valid_until = DAY - datetime.timedelta(days=1)  # expired
    documents[2].status = "superseded"
    documents[3].pdf = "credentials/pdf/2026/x.pdf"
    documents[4].valid_until = DAY + datetime.timedelta(days=1)
    documents[5].public_id, documents[5].code = "ā b&'c(d)~", "<CODE & 'x'>"
    documents[8].status, documents[8].revocation_reason = "revoked", ""
    documents[9].valid_until = DAY - datetime.timedelta(days=1)
    for document in documents:
        document.save()
    with translation.override(language):
        issued = selectors.issued_credential_search(actor=owner, organisation=organisation).order_by(
            *selectors.LIST_ORDER)
        full = IssuedCredential.objects.filter(organisation=organisation).order_by(*selectors.LIST_ORDER)
        assert len(issued) == 9
        assert rows.issued_rows(issued) == Template(_TEMPLATE_ISSUED_ROW).render(Context({"page": full}))
        wallet = selectors.wallet_page(actor=owner).credentials.order_by(*selectors.LIST_ORDER)
        full = IssuedCredential.objects.filter(holder_email=owner.email).order_by(*selectors.LIST_ORDER)
        assert len(wallet) == 4
        expected = Template(_TEMPLATE_WALLET_ROW).render(Context({"page": full}))
        assert rows.wallet_rows(wallet) == expected
        assert "&lt;Autre&gt; &amp; &quot;Fils&quot; &#x27;ĀŠ&#x27;" in expected
        assert rows.issued_rows([]) == rows.wallet_rows([]) == ""


def test_the_project_choices_are_the_projects_the_actor_may_open(owner, admin, editor, outsider, organisation,
                                                                 other_organisation):
    # youthpass.selectors.project_choices asks an owner's or admin's projects without project_list's subqueries:
    # the same rows, in the same order, as project_list gives every actor.
    from agnitio.organisations.access import organisation_scope_set
    from agnitio.youthpass.models import Project, ProjectEditor
    from agnitio.youthpass.selectors import project_choices, project_list

    def make(org, title, start):
        return Project.objects.create(
            organisation=org, grant_number=f"2026-1-LV02-KA152-YOU-{next(_serial):06d}", programme="erasmus_youth",
            project_type="youth_exchange", title=title, start_date=start, end_date=start)

    mine = [make(organisation, f"Projekts {n}", DAY - datetime.timedelta(days=n % 3)) for n in range(5)]
    theirs = make(other_organisation, "Cits", DAY)
    for project, user in ((mine[1], editor), (theirs, editor), (mine[2], outsider)):
        ProjectEditor.objects.create(project=project, organisation=project.organisation, user=user,
                                     status=ProjectEditor.Status.ACTIVE)

    def plain(actor, org):
        return list(project_list(actor=actor, organisation=org).order_by("-start_date", "-id")
                    .values_list("pk", "public_id", "title"))

    for actor in (owner, admin, editor, outsider):
        for org in (organisation, other_organisation):
            assert project_choices(actor=actor, organisation=org) == plain(actor, org)
    assert len(project_choices(actor=owner, organisation=organisation)) == 5
    assert [pk for pk, *_rest in project_choices(actor=editor, organisation=organisation)] == [mine[1].pk]
    # an admin's are read by a prepared query: the SQL of the ORM's query of those columns, one query
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agnitio.youthpass.selectors import _PROJECT_CHOICES, _projects_of_organisation

    orm_sql, orm_params = _projects_of_organisation(organisation.pk).query.get_compiler(using="default").as_sql()
    assert _PROJECT_CHOICES.sql(organisation_id=organisation.pk) == (orm_sql, tuple(orm_params))
    assert list(Project.objects.filter(organisation=organisation).order_by("-start_date", "-id").values_list(
        "pk", "public_id", "title")) == project_choices(actor=admin, organisation=organisation)
    with CaptureQueriesContext(connection) as queries:
        project_choices(actor=owner, organisation=organisation)
    assert len([q for q in queries.captured_queries if "youthpass_project" in q["sql"]]) == 1
    organisation_scope_set(other_organisation.pk)  # an API token bound to another organisation: none of this one
    try:
        assert project_choices(actor=owner, organisation=organisation) == plain(owner, organisation) == []
    finally:
        organisation_scope_set(None)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_search_forms_remembered_html_is_the_templates(language):
    # credentials.forms.list_search_html renders an unbound form once per class, choices, language and heading:
    # each answer is what the template renders for that form now, whatever was asked before.
    from django.template.loader import render_to_string
    from django.utils import translation

    from agnitio.credentials.forms import SEARCH_TEMPLATE, IssuedSearchForm, WalletSearchForm, list_search_html

    def template(form, heading="h", reset="/reset/"):
        return render_to_string(SEARCH_TEMPLATE, {"form": form, "heading_id": heading, "reset_url": reset})

    some = [(1, "p1", "Projekts <A> & \"B\""), (2, "p2", "Otrs")]
    others = [(3, "p3", "Trešais")]
    forms = [lambda: IssuedSearchForm(None, projects=some), lambda: IssuedSearchForm(None, projects=others),
             lambda: IssuedSearchForm(None), lambda: WalletSearchForm(None)]
    for other_language in (language, "en" if language == "lv" else "lv", language):
        with translation.override(other_language):
            for make in forms * 2:
                for heading in ("h", "k"):
                    assert list_search_html(make(), heading_id=heading, reset_url="/r/") == template(make(), heading)
    with translation.override(language):
        assert "Projekts &lt;A&gt; &amp; &quot;B&quot;" in list_search_html(forms[0](), heading_id="h", reset_url="")
        # a bound form (a search: its values, its errors, the reset link) is rendered each time
        for data in ({"q": "Anna"}, {"issued_from": "2026-13-45", "kind": "nope"}, {"cursor": "x"}):
            bound = IssuedSearchForm(data, projects=some)
            bound.filters()
            assert list_search_html(bound, heading_id="h", reset_url="/reset/") == template(bound)
        assert "/reset/" in list_search_html(IssuedSearchForm({"q": "Anna"}), heading_id="h", reset_url="/reset/")
