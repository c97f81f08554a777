"""Every list page a signed-in person sees is a keyset page (core.pagination) whose query count does not grow with
the list (issue 14, point 3): for each list, the same number of queries at 3 and at 40 rows, and a second page
reached by the "next" link that shows the following rows, none twice."""

import datetime
import itertools
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)


# ------------------------------------------------------------------------------------------------ the lists


def _projects(ctx, n):
    from agnitio.youthpass.models import Project

    for _i in range(n):
        serial = next(_serial)
        Project.objects.create(organisation=ctx["organisation"], grant_number=f"2026-1-LV02-KA152-YOU-{serial:09d}",
                               programme="erasmus_youth", project_type="youth_exchange", title=f"Projekts {serial}",
                               start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 5, 9))


def _participants(ctx, n):
    from agnitio.youthpass.models import Participant

    people = Participant.objects.bulk_create([
        Participant(organisation=ctx["organisation"], project=ctx["project"], first_name=f"Vārds{next(_serial)}",
                    last_name="Bērziņa", email=f"p{next(_serial)}@example.org", role="participant")
        for _i in range(n)])
    through = Participant.activities.through
    through.objects.bulk_create([through(participant_id=p.pk, activity_id=a.pk)
                                 for p in people for a in ctx["activities"]])


def _editors(ctx, n):
    from agnitio.youthpass.models import ProjectEditor

    ProjectEditor.objects.bulk_create([
        ProjectEditor(organisation=ctx["organisation"], project=ctx["project"], email=f"e{next(_serial)}@example.org",
                      full_name=f"Redaktors {next(_serial)}", status="active") for _i in range(n)])


def _members(ctx, n):
    from agnitio.organisations import services
    from agnitio.organisations.models import Membership

    for _i in range(n):
        serial = next(_serial)
        user = ctx["make_user"](f"member{serial}@example.org")
        Membership.objects.create(organisation=ctx["organisation"], user=user, role="editor")
        services.membership_invite(actor=ctx["owner"], organisation=ctx["organisation"],
                                   email=f"inv{serial}@example.org", full_name="X", role="editor", language="en")


def _organisations(ctx, n):
    from agnitio.organisations.models import Membership, Organisation

    for _i in range(n):
        other = Organisation.objects.create(legal_name=f"Org {next(_serial)}", country="LV", address="Rīga",
                                            email="o@example.org")
        Membership.objects.create(organisation=other, user=ctx["owner"], role="editor")


def _audit(ctx, n):
    from agnitio.core.models import AuditEvent

    AuditEvent.objects.bulk_create([
        AuditEvent(organisation=ctx["organisation"], actor=ctx["owner"], actor_label="owner", action="update",
                   object_type="organisations.Organisation", object_id=f"obj{next(_serial)}", object_repr="JT",
                   changes={"short_name": ["A", "B"]}) for _i in range(n)])


def _outbox(ctx, n):
    from agnitio.notifications.models import OutboxEmail

    OutboxEmail.objects.bulk_create([
        OutboxEmail(organisation=ctx["organisation"], user=ctx["owner"], to=f"p{next(_serial)}@example.org",
                    subject="Sveiki", body_text="body " * 2000, body_html="<p>body</p>" * 2000, language="lv",
                    template="x", status="failed", attempts=3, last_error="550 no such user")
        for _i in range(n)])


def _signatories(ctx, n):
    from agnitio.organisations.models import Signatory

    Signatory.objects.bulk_create([
        Signatory(organisation=ctx["organisation"], full_name=f"Parakstītājs {next(_serial)}", position="Valde",
                  pages=["legal_representative"]) for _i in range(n)])


def _signatures(ctx, n):
    from agnitio.organisations.models import SignatureImage

    SignatureImage.objects.bulk_create([
        SignatureImage(organisation=ctx["organisation"], label=f"Paraksts {next(_serial)}", original="x.png")
        for _i in range(n)])


def _jobs(ctx, n):
    from agnitio.documents.models import DocumentJob

    DocumentJob.objects.bulk_create([
        DocumentJob(organisation=ctx["organisation"], owner=ctx["owner"], kind="youthpass",
                    title=f"Darbs {next(_serial)}", total=3, done=2, failed=1) for _i in range(n)])


def _tokens(ctx, n):
    from agnitio.apikeys.services import api_token_create

    for _i in range(n):
        api_token_create(actor=ctx["owner"], name=f"token {next(_serial)}")


# name: (url of the list, rows maker, what one row of the list shows)
LISTS = {
    "youthpass projects": (lambda c: reverse("youthpass:project_list"), _projects, r"Projekts \d+"),
    "youthpass participants": (lambda c: reverse("youthpass:participant_list", args=[c["project"].public_id]),
                               _participants, r"Vārds\d+"),
    "youthpass editors": (lambda c: reverse("youthpass:editor_list", args=[c["project"].public_id]), _editors,
                          r"Redaktors \d+"),
    "organisation members": (lambda c: reverse("organisations:members", args=[c["organisation"].public_id]),
                             _members, r"member\d+@example.org"),
    "pending invitations": (lambda c: reverse("organisations:members", args=[c["organisation"].public_id]),
                            _members, r"inv\d+@example.org"),
    "my organisations": (lambda c: reverse("organisations:list"), _organisations, r"Org \d+"),
    "organisation history": (lambda c: reverse("organisations:history", args=[c["organisation"].public_id]),
                             _audit, r"obj\d+"),
    "outbox": (lambda c: reverse("notifications:outbox"), _outbox, r"p\d+@example.org"),
    "signatories": (lambda c: reverse("organisations:signatories", args=[c["organisation"].public_id]),
                    _signatories, r"Parakstītājs \d+"),
    "signatures": (lambda c: reverse("organisations:signatures", args=[c["organisation"].public_id]), _signatures,
                   r"Paraksts \d+"),
    "document jobs": (lambda c: reverse("documents:job_list"), _jobs, r"Darbs \d+"),
    "API tokens": (lambda c: reverse("apikeys:list"), _tokens, r"token \d+"),
}


@pytest.fixture
def ctx(client, owner, organisation, project, make_user):
    from agnitio.youthpass import services

    activities = [services.activity_create(
        actor=owner, project=project, activity_type="training_course", title=f"Aktivitāte {i}",
        start_date=datetime.date(2026, 5, 3), end_date=datetime.date(2026, 5, 10), venue_city="Cēsis",
        venue_country="LV") for i in range(2)]
    client.force_login(owner)
    return {"client": client, "owner": owner, "organisation": organisation, "project": project,
            "activities": activities, "make_user": make_user}


def _main(response) -> str:
    """The page's own content (not the navigation, whose organisation switcher names organisations too)."""
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response, len(captured.captured_queries)


@pytest.mark.parametrize("name", LISTS)
def test_the_query_count_is_the_same_at_3_and_40_rows(ctx, name):
    url_of, make, shown = LISTS[name]
    url = url_of(ctx)
    counts, rows = {}, {}
    made = 0
    for total in (3, 40):
        make(ctx, total - made)
        made = total
        _get(ctx["client"], url)  # warm: caches of the session, content types, ...
        response, counts[total] = _get(ctx["client"], url)
        rows[total] = len(set(re.findall(shown, _main(response))))
    assert rows == {3: 3, 40: 40}, rows  # every row is on the page: the count is for 40 rows shown
    assert counts[3] == counts[40], counts


@pytest.mark.parametrize("name", LISTS)
def test_the_next_link_shows_the_following_rows(ctx, name):
    url_of, make, shown = LISTS[name]
    make(ctx, 5)
    client = ctx["client"]
    seen, url, pages = [], url_of(ctx), 0
    params = {"size": "2"}
    while url:
        response, _count = _get(client, url, params)
        html = _main(response)
        seen += list(dict.fromkeys(re.findall(shown, html)))
        pages += 1
        cursor_param = "invitations" if name == "pending invitations" else "cursor"
        # a list's own links end with its cursor (the member page has two lists)
        nexts = [href for href in (h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)" rel="next"', html))
                 if parse_qsl(urlsplit(href).query)[-1][0] == cursor_param]
        url, params = (nexts[0], None) if nexts else (None, None)
        assert pages <= 5
    assert len(seen) == 5 and len(set(seen)) == 5, seen
    assert pages >= 3  # 2 rows a page (the history also holds the events of making the project)


def test_a_filtered_participant_list_keeps_its_filter_on_the_next_page_and_all_matching_acts_on_every_page(ctx):
    from agnitio.youthpass.models import Participant

    _participants(ctx, 5)
    Participant.objects.filter(pk__in=list(Participant.objects.values_list("pk", flat=True)[:2])).update(
        role="team_member")
    url = reverse("youthpass:participant_list", args=[ctx["project"].public_id])
    client = ctx["client"]
    first = client.get(url, {"role": "participant", "size": "2"}).content.decode()
    assert first.count('name="selected"') == 2 and "for all 3 people matching the filter" in first
    next_url = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "role=participant" in next_url
    assert client.get(next_url).content.decode().count('name="selected"') == 1
    # "everyone matching the filter" acts on the 3 participants, not on the 2 rows of the page nor the team
    client.post(f"{url}?role=participant&size=2", {"all_matching": "1", "action": "delete", "confirm_delete": "on"})
    assert set(Participant.objects.values_list("role", flat=True)) == {"team_member"}


def test_the_participant_rows_show_each_persons_activities_and_escape_names(ctx):
    from agnitio.youthpass.models import Participant

    _participants(ctx, 1)
    person = Participant.objects.get()
    person.first_name = "<b>Anna</b>"
    person.save(update_fields=["first_name"])
    Participant.activities.through.objects.filter(participant=person, activity=ctx["activities"][1]).delete()
    solo = Participant.objects.create(organisation=ctx["organisation"], project=ctx["project"], first_name="Solo",
                                      last_name="Zariņš")
    html = ctx["client"].get(reverse("youthpass:participant_list", args=[ctx["project"].public_id])).content.decode()
    assert "&lt;b&gt;Anna&lt;/b&gt;" in html and "<b>Anna</b>" not in html
    row = re.search(rf'<tr><td><input[^>]+value="{person.public_id}".*?</tr>', html).group(0)
    assert "Aktivitāte 0" in row and "Aktivitāte 1" not in row
    solo_row = re.search(rf'<tr><td><input[^>]+value="{solo.public_id}".*?</tr>', html).group(0)
    assert 'aria-label="Choose Solo Zariņš"' in solo_row
    assert reverse("youthpass:participant_detail", args=[ctx["project"].public_id, solo.public_id]) in solo_row


def test_pages_of_the_history_keep_the_filter(ctx):
    from agnitio.core.models import AuditEvent

    _audit(ctx, 5)
    AuditEvent.objects.create(organisation=ctx["organisation"], action="create", object_type="organisations.Signatory",
                              object_id="sig", created_at=timezone.now())
    url = reverse("organisations:history", args=[ctx["organisation"].public_id])
    first = ctx["client"].get(url, {"object_type": "organisations.Organisation", "size": "4"})
    assert len(first.context["page"]) == 4
    second = ctx["client"].get(first.context["page"].next_url)
    assert [e.object_type for e in second.context["page"]] == ["organisations.Organisation"]
