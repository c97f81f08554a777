import datetime
import io
import re
import struct
import zlib

import pytest
from django.urls import reverse

from agnitio.core.models import AuditEvent
from agnitio.invitations.models import Invitation
from agnitio.notifications.models import OutboxEmail
from agnitio.organisations import services
from agnitio.organisations.middleware import SESSION_KEY
from agnitio.organisations.models import Membership, Organisation, Signatory, SignatureImage

from .conftest import image_bytes, upload

FORM = {
    "legal_name": "Biedrība Jauns Sākums", "short_name": "JS", "country": "LV", "address": "Rīga, Brīvības 2",
    "website": "js.example", "email": "info@js.example", "phone": "67 000 002", "identifier": "E10000002",
}


def huge_png(width=100_000, height=100_000) -> bytes:
    """A tiny file whose header claims a gigantic image (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(
        b"IEND", b"")


# --- create / edit -----------------------------------------------------------

def test_create_organisation_page(client_for, make_user):
    user = make_user("founder@js.example")
    client = client_for(user)
    page = client.get(reverse("organisations:create"))
    assert "Legal name" in page.content.decode() and "Create organisation" in page.content.decode()
    response = client.post(reverse("organisations:create"), {**FORM, "logo": upload("logo.webp", image_bytes(
        fmt="WEBP"), "image/webp")})
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response.url == reverse("organisations:detail", args=[
        organisation.public_id])
    assert str(organisation.phone) == "+37167000002"  # national number read with the organisation's country
    assert organisation.website == "https://js.example"
    assert organisation.logo.name.endswith(".png")
    assert client.session[SESSION_KEY] == organisation.public_id
    assert Membership.objects.get(organisation=organisation).role == "owner"
    logo = client.get(reverse("organisations:logo", args=[organisation.public_id]))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


@pytest.mark.parametrize("field,value,message", [
    ("phone", "12", "not a valid phone number"),
    ("email", "info-at-js", "in the form name@example.org"),
    ("website", "not a url", "Enter the website address"),
    ("country", "XX", "Choose a country from the list"),
    ("legal_name", "", "legal name as registered"),
    ("address", "", "street, city, postal code"),
    ("identifier", "E1<script>", "Use only letters, digits"),
])
def test_create_validation_keeps_input(client_for, make_user, snapshot, field, value, message):
    client = client_for(make_user("founder@js.example"))
    before = snapshot()
    response = client.post(reverse("organisations:create"), {**FORM, field: value})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    for other in ("legal_name", "address", "email", "identifier"):  # nothing else typed is lost
        if other != field:
            assert FORM[other] in body, other
    assert snapshot() == before


@pytest.mark.parametrize("name,data,message", [
    ("logo.png", b"%PDF-1.4 not an image", "not a PNG, JPEG, WebP image"),
    ("logo.png", image_bytes(fmt="GIF"), "not a PNG, JPEG, WebP image"),  # wrong type disguised by its name
    ("logo.png", huge_png(), "million pixels"),  # decompression bomb, rejected from the header
    ("logo.png", image_bytes(5000, 4000), "million pixels"),  # real pixels over a small limit
])
def test_logo_checked_by_content(client_for, make_user, snapshot, settings, name, data, message):
    settings.ORGANISATION_LOGO_MAX_PIXELS = 10_000_000
    client = client_for(make_user("founder@js.example"))
    before = snapshot()
    response = client.post(reverse("organisations:create"), {**FORM, "logo": upload(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_logo_over_byte_limit(client_for, make_user, snapshot, settings):
    settings.ORGANISATION_LOGO_MAX_BYTES = 1000
    client = client_for(make_user("founder@js.example"))
    before = snapshot()
    response = client.post(reverse("organisations:create"), {**FORM, "logo": upload("l.png", image_bytes(800, 800))})
    assert "the limit is 1000" in response.content.decode().replace("\xa0", " ")
    assert snapshot() == before


def test_admin_edits_organisation(client_for, admin, organisation):
    client = client_for(admin)
    url = reverse("organisations:edit", args=[organisation.public_id])
    assert "Jaunatnes Tilts" in client.get(url).content.decode()
    data = {**FORM, "legal_name": "Tilts (renamed)", "country": "LV"}
    assert client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert organisation.legal_name == "Tilts (renamed)"
    assert AuditEvent.objects.filter(organisation=organisation, action="update", actor=admin).exists()


@pytest.mark.parametrize("who", ["editor", "outsider"])
def test_edit_denied_is_404_and_changes_nothing(client_for, request, organisation, snapshot, who):
    client = client_for(request.getfixturevalue(who))
    url = reverse("organisations:edit", args=[organisation.public_id])
    before = snapshot()
    assert client.get(url).status_code == 404
    assert client.post(url, {**FORM, "legal_name": "Hijacked"}).status_code == 404
    assert snapshot() == before


def test_outsider_cannot_see_organisation_pages(client_for, outsider, organisation):
    client = client_for(outsider)
    for name in ("detail", "members", "signatories", "signatures", "history", "logo"):
        assert client.get(reverse(f"organisations:{name}", args=[organisation.public_id])).status_code == 404


# --- current organisation ----------------------------------------------------

def test_switch_and_middleware(client_for, owner, organisation, other_organisation):
    Membership.objects.create(organisation=other_organisation, user=owner, role="editor")
    client = client_for(owner)
    home = client.get(reverse("core:home"))
    assert home.wsgi_request.organisation == other_organisation  # first by name: "Association Autre"
    assert "Switch organisation" in home.content.decode()
    client.post(reverse("organisations:switch"), {"organisation": organisation.public_id, "next": "/"})
    response = client.get(reverse("core:home"))
    assert response.wsgi_request.organisation == organisation
    assert response.wsgi_request.membership.role == "owner"


def test_switch_to_foreign_organisation_refused(client_for, owner, organisation, other_organisation, snapshot):
    client = client_for(owner)
    before = snapshot()
    client.post(reverse("organisations:switch"), {"organisation": other_organisation.public_id})
    assert client.session.get(SESSION_KEY) != other_organisation.public_id
    assert client.get("/").wsgi_request.organisation == organisation
    assert snapshot() == before


def test_revocation_effective_on_next_request(client_for, admin, editor, organisation):
    editor_client = client_for(editor)
    url = reverse("organisations:detail", args=[organisation.public_id])
    first = editor_client.get(url)
    assert first.status_code == 200 and first.wsgi_request.organisation == organisation
    services.membership_revoke(actor=admin, membership=Membership.objects.get(user=editor))
    second = editor_client.get(url)
    assert second.status_code == 404
    assert second.wsgi_request.organisation is None and second.wsgi_request.membership is None


def test_role_change_effective_on_next_request(client_for, owner, admin, organisation):
    client = client_for(admin)
    url = reverse("organisations:history", args=[organisation.public_id])
    assert client.get(url).status_code == 200
    services.membership_role_change(actor=owner, membership=Membership.objects.get(user=admin), role="editor")
    assert client.get(url).status_code == 404


# --- members and invitations -------------------------------------------------

def test_invite_sends_email_and_lists_pending(client_for, admin, organisation):
    client = client_for(admin)
    page = client.get(reverse("organisations:invite", args=[organisation.public_id])).content.decode()
    assert "Send invitation" in page and 'value="owner"' not in page  # admins cannot grant owner
    response = client.post(reverse("organisations:invite", args=[organisation.public_id]), {
        "full_name": "Ilze Ozola", "email": "ilze@example.org", "role": "editor", "language": "lv"})
    assert response.status_code == 302
    assert OutboxEmail.objects.get(to="ilze@example.org").language == "lv"
    members = client.get(reverse("organisations:members", args=[organisation.public_id])).content.decode()
    assert "ilze@example.org" in members and "Withdraw" in members


def test_editor_cannot_invite(client_for, editor, organisation, snapshot):
    client = client_for(editor)
    before = snapshot()
    url = reverse("organisations:invite", args=[organisation.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "X", "email": "x@example.org", "role": "admin",
                             "language": "en"}).status_code == 404
    assert snapshot() == before
    members = client.get(reverse("organisations:members", args=[organisation.public_id])).content.decode()
    assert "Revoke access" not in members and "Pending invitations" not in members


def test_admin_cannot_invite_owner_through_form(client_for, admin, organisation, snapshot):
    client = client_for(admin)
    before = snapshot()
    response = client.post(reverse("organisations:invite", args=[organisation.public_id]), {
        "full_name": "X", "email": "x@example.org", "role": "owner", "language": "en"})
    assert response.status_code == 200 and "valid choice" in response.content.decode()
    assert snapshot() == before


def test_revoke_and_role_views(client_for, admin, editor, organisation):
    client = client_for(admin)
    membership = Membership.objects.get(user=editor)
    client.post(reverse("organisations:member_role", args=[organisation.public_id, membership.public_id]),
                {"role": "admin"})
    assert Membership.objects.get(user=editor).role == "admin"
    revoke_url = reverse("organisations:member_revoke", args=[organisation.public_id, membership.public_id])
    confirm = client.get(revoke_url)
    assert "will lose access" in confirm.content.decode() and Membership.objects.filter(user=editor).exists()
    client.post(revoke_url)
    assert not Membership.objects.filter(user=editor).exists()


def test_editor_cannot_revoke_or_change_roles_via_views(client_for, editor, admin, organisation, snapshot):
    client = client_for(editor)
    target = Membership.objects.get(user=admin)
    before = snapshot()
    revoke_url = reverse("organisations:member_revoke", args=[organisation.public_id, target.public_id])
    assert client.get(revoke_url).status_code == 404
    assert client.post(revoke_url).status_code == 404
    assert client.post(reverse("organisations:member_role", args=[organisation.public_id, target.public_id]),
                       {"role": "editor"}).status_code == 404
    assert snapshot() == before


def test_last_owner_message_on_page(client_for, owner, organisation, snapshot):
    client = client_for(owner)
    membership = Membership.objects.get(user=owner)
    before = snapshot()
    response = client.post(reverse("organisations:member_role", args=[organisation.public_id, membership.public_id]),
                           {"role": "admin"}, follow=True)
    assert "only owner" in response.content.decode()
    assert snapshot() == before


def test_withdraw_and_resend_views(client_for, admin, organisation):
    invitation, _ = services.membership_invite(actor=admin, organisation=organisation, email="i@example.org",
                                               full_name="I", role="editor", language="en")
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at - datetime.timedelta(minutes=2))
    client = client_for(admin)
    client.post(reverse("invitations:manage", args=[invitation.public_id, "resend"]))
    assert OutboxEmail.objects.filter(to="i@example.org").count() == 2
    client.post(reverse("invitations:manage", args=[invitation.public_id, "withdraw"]))
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_accept_with_existing_account(client, admin, organisation, make_user):
    _, token = services.membership_invite(actor=admin, organisation=organisation, email="ilze@example.org",
                                          full_name="Ilze", role="editor", language="en")
    user = make_user("ilze@example.org")
    url = reverse("invitations:accept", args=[token])
    anonymous = client.get(url).content.decode()
    assert "Sign in to accept" in anonymous
    client.force_login(user)
    assert "Accept invitation" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(user=user, organisation=organisation).role == "editor"
    assert client.get("/").wsgi_request.organisation == organisation
    # single use
    again = client.get(url).content.decode()
    assert "already been used" in again and "Accept invitation" not in again


def test_accept_with_other_account_shows_message(client_for, admin, organisation, make_user, snapshot):
    _, token = services.membership_invite(actor=admin, organisation=organisation, email="ilze@example.org",
                                          full_name="Ilze", role="editor", language="en")
    client = client_for(make_user("other@example.org"))
    url = reverse("invitations:accept", args=[token])
    before = snapshot()
    page = client.get(url).content.decode()
    assert "was sent to ilze@example.org" in page and "Accept invitation" not in page
    assert "was sent to ilze@example.org" in client.post(url).content.decode()
    assert snapshot() == before


def test_expired_invitation_page(client_for, admin, organisation, make_user, snapshot):
    from django.utils import timezone

    invitation, token = services.membership_invite(actor=admin, organisation=organisation, email="i@example.org",
                                                   full_name="I", role="editor", language="en")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client = client_for(make_user("i@example.org"))
    before = snapshot()
    url = reverse("invitations:accept", args=[token])
    assert "has expired" in client.post(url).content.decode()
    assert snapshot() == before


def test_bad_token_page(client, db):
    assert client.get(reverse("invitations:accept", args=["nope"])).status_code == 404


def test_new_person_signs_up_through_link(client, admin, organisation):
    _, token = services.membership_invite(actor=admin, organisation=organisation, email="newbie@example.org",
                                          full_name="Newbie", role="editor", language="en")
    url = reverse("invitations:accept", args=[token])
    page = client.get(url)
    signup_url = page.context["signup_url"]
    assert "email=newbie%40example.org" in signup_url
    form = client.get(signup_url)
    assert 'value="newbie@example.org"' in form.content.decode()  # e-mail prefilled
    response = client.post(signup_url, {"email": "newbie@example.org", "password1": "a-long-passphrase-42",
                                        "password2": "a-long-passphrase-42", "full_name": "Newbie",
                                        "language": "en", "next": url})
    assert response.status_code == 302 and response.url == url  # back to the acceptance, already signed in
    assert "Accept invitation" in client.get(url).content.decode()
    client.post(url)
    assert Membership.objects.filter(organisation=organisation, user__email="newbie@example.org").exists()


# --- signatories and signatures ---------------------------------------------

def test_signatory_pages(client_for, admin, editor, organisation, snapshot):
    client = client_for(admin)
    client.post(reverse("organisations:signatory_create", args=[organisation.public_id]), {
        "full_name": "Anna Bērziņa", "position": "Chairperson", "pages": ["legal_representative", "europass_host"],
        "is_active": "on"})
    signatory = Signatory.objects.get()
    assert signatory.pages == ["legal_representative", "europass_host"]
    listing = client.get(reverse("organisations:signatories", args=[organisation.public_id])).content.decode()
    assert "Legal representative (Youthpass page 1)" in listing
    editor_client = client_for(editor)
    before = snapshot()
    assert editor_client.post(reverse("organisations:signatory_delete", args=[
        organisation.public_id, signatory.public_id])).status_code == 404
    assert snapshot() == before


def test_signature_upload_crop_activate(client_for, admin, organisation):
    client = client_for(admin)
    response = client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "stamp", "label": "Round stamp", "image": upload("stamp.jpg", image_bytes(600, 300, fmt="JPEG"),
                                                                 "image/jpeg")})
    signature = SignatureImage.objects.get()
    assert response.status_code == 302
    detail_url = reverse("organisations:signature", args=[organisation.public_id, signature.public_id])
    page = client.get(detail_url).content.decode()
    assert 'data-crop="x"' in page and "crop.js" in page
    # the server-side fallback: the same numbers typed in without JavaScript
    client.post(detail_url, {"action": "crop", "x": "100", "y": "50", "width": "400", "height": "200"})
    signature.refresh_from_db()
    assert (signature.crop_width, signature.crop_height) == (400, 200) and signature.image_cropped
    cropped = client.get(reverse("organisations:signature_file", args=[organisation.public_id, signature.public_id,
                                                                       "cropped"]))
    assert cropped.status_code == 200
    from PIL import Image
    assert Image.open(io.BytesIO(b"".join(cropped.streaming_content))).size == (400, 200)
    client.post(detail_url, {"action": "settings", "label": "Round stamp", "is_active": "on", "is_default": "on"})
    signature.refresh_from_db()
    assert signature.is_active and signature.is_default


def test_crop_outside_image_shows_error(client_for, admin, organisation, snapshot):
    client = client_for(admin)
    client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "signature", "label": "S", "image": upload("s.png", image_bytes(300, 100))})
    signature = SignatureImage.objects.get()
    before = snapshot()
    response = client.post(reverse("organisations:signature", args=[organisation.public_id, signature.public_id]),
                           {"action": "crop", "x": "200", "y": "0", "width": "200", "height": "50"})
    assert "goes outside the image" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("data,message", [
    (image_bytes(fmt="WEBP"), "not a PNG, JPEG image"),  # signatures: PNG/JPEG only
    (b"GIF89a" + b"\0" * 100, "not a PNG, JPEG image"),
    (huge_png(), "million pixels"),
])
def test_signature_upload_rejects(client_for, admin, organisation, snapshot, data, message):
    client = client_for(admin)
    before = snapshot()
    response = client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "signature", "label": "S", "image": upload("s.png", data)})
    assert response.status_code == 200 and message in response.content.decode()
    assert snapshot() == before


def test_editor_sees_but_cannot_change_signatures(client_for, admin, editor, organisation, snapshot):
    client_for(admin).post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "signature", "label": "S", "image": upload("s.png", image_bytes(300, 100))})
    signature = SignatureImage.objects.get()
    client = client_for(editor)
    before = snapshot()
    detail = reverse("organisations:signature", args=[organisation.public_id, signature.public_id])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"action": "crop", "x": "0", "y": "0", "width": "50", "height": "50"}
                       ).status_code == 404
    assert client.post(reverse("organisations:signature_upload", args=[organisation.public_id]), {
        "kind": "signature", "label": "S", "image": upload("s.png", image_bytes(300, 100))}).status_code == 404
    assert client.post(reverse("organisations:signature_delete", args=[organisation.public_id, signature.public_id])
                       ).status_code == 404
    assert snapshot() == before


# --- history -----------------------------------------------------------------

def test_history_filters(client_for, owner, admin, editor, organisation):
    signatory = services.signatory_create(actor=admin, organisation=organisation, full_name="Anna", position="Chair",
                                          pages=[])
    services.organisation_update(actor=owner, organisation=organisation, data={"short_name": "TT"})
    client = client_for(admin)
    url = reverse("organisations:history", args=[organisation.public_id])
    everything = client.get(url)
    assert len(everything.context["page"]) == 2
    by_type = client.get(url, {"object_type": "organisations.Signatory"}).context["page"]
    assert [e.object_id for e in by_type] == [signatory.public_id]
    by_id = client.get(url, {"object_id": organisation.public_id}).context["page"]
    assert [e.action for e in by_id] == ["update"]
    by_person = client.get(url, {"person": owner.public_id}).context["page"]
    assert [e.actor for e in by_person] == [owner]
    assert client_for(editor).get(url).status_code == 404


def test_history_does_not_show_other_organisations(client_for, admin, outsider, organisation, other_organisation):
    services.organisation_update(actor=outsider, organisation=other_organisation, data={"short_name": "AA"})
    page = client_for(admin).get(reverse("organisations:history", args=[organisation.public_id]))
    assert len(page.context["page"]) == 0


# --- query counts (independent of list size) --------------------------------

def _fill(organisation, admin, make_user, n):
    for i in range(n):
        user = make_user(f"member{i}-{organisation.pk}-{Membership.objects.count()}@example.org")
        Membership.objects.create(organisation=organisation, user=user, role="editor")
        services.membership_invite(actor=admin, organisation=organisation, email=f"inv{i}-{Invitation.objects.count()}"
                                   "@example.org", full_name="X", role="editor", language="en")
        services.signatory_create(actor=admin, organisation=organisation, full_name=f"S{i}", position="P",
                                  pages=["legal_representative"])


@pytest.mark.parametrize("name", ["members", "signatories", "signatures", "history", "detail"])
def test_list_pages_query_count_independent_of_size(client_for, admin, organisation, make_user, name,
                                                    django_assert_max_num_queries):
    client = client_for(admin)
    url = reverse(f"organisations:{name}", args=[organisation.public_id])
    _fill(organisation, admin, make_user, 2)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _fill(organisation, admin, make_user, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_home_dashboard_lists_organisations_and_next_steps(client_for, owner, organisation):
    page = client_for(owner).get("/").content.decode()
    assert "Your organisations" in page and organisation.legal_name in page
    assert "Add the people who sign documents" in page and "Store a signature and make it the default" in page


@pytest.mark.parametrize("url", ["/", "/organisations/"])
def test_my_organisations_pages_query_count_independent_of_size(client_for, owner, url,
                                                                 django_assert_max_num_queries):
    client = client_for(owner)

    def join(n):
        for i in range(n):
            org = Organisation.objects.create(legal_name=f"Org {Organisation.objects.count()} {i}", country="LV",
                                              address="Rīga", email="o@example.org")
            Membership.objects.create(organisation=org, user=owner, role="editor")

    join(2)
    with django_assert_max_num_queries(25) as small:
        assert client.get(url).status_code == 200
    join(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    if url == "/":  # the home page names ten (and the current one in the menu), then links to all of them
        listed = page.split('<ul class="dashboard-orgs">')[1].split("</ul>")[0]
        assert listed.count("<li>") == 10 and "All your organisations" in page
    else:
        assert page.count("Org ") >= 17


def test_switch_keeps_the_section(client_for, owner, organisation, other_organisation):
    Membership.objects.create(organisation=other_organisation, user=owner, role="admin")
    client = client_for(owner)
    response = client.post(reverse("organisations:switch"), {
        "organisation": other_organisation.public_id,
        "next": f"/organisations/{organisation.public_id}/signatures/some-image-id/"})
    assert response.url == f"/organisations/{other_organisation.public_id}/signatures/"
    response = client.post(reverse("organisations:switch"), {"organisation": organisation.public_id,
                                                             "next": "https://evil.example/"})
    assert response.url == "/"


def test_opening_an_organisation_makes_it_current(client_for, owner, organisation, other_organisation):
    Membership.objects.create(organisation=other_organisation, user=owner, role="editor")
    client = client_for(owner)
    client.post(reverse("organisations:switch"), {"organisation": other_organisation.public_id})
    page = client.get(reverse("organisations:members", args=[organisation.public_id]))
    assert page.wsgi_request.organisation == organisation
    assert client.get("/").wsgi_request.organisation == organisation


# --- the rows (made in Python: organisations.rows) ----------------------------


def test_member_rows_offer_what_the_actor_may_do_and_escape_every_value(client_for, owner, admin, editor,
                                                                       organisation):
    editor.full_name = "<b>Ed</b> & Co"
    editor.save()
    ids = {m.user_id: m.public_id for m in Membership.objects.filter(organisation=organisation)}
    for actor, may_change in ((owner, {admin, editor}), (admin, {editor})):
        html = client_for(actor).get(reverse("organisations:members", args=[organisation.public_id]),
                                     headers={"Accept-Language": "en"}).content.decode()
        assert "<b>Ed" not in html and "&lt;b&gt;Ed&lt;/b&gt; &amp; Co" in html
        assert html.count('<span class="badge">you</span>') == 1
        for person in (owner, admin, editor):
            form = reverse("organisations:member_role", args=[organisation.public_id, ids[person.pk]])
            revoke = reverse("organisations:member_revoke", args=[organisation.public_id, ids[person.pk]])
            assert (form in html) == (person in may_change), (actor, person)
            assert (f'{revoke}">Revoke access<span class="visually-hidden"> {person.email}</span>' in html) == (
                person in may_change), (actor, person)
            if person in may_change:
                assert f'<label for="role-{ids[person.pk]}" class="visually-hidden">Role of {person.email}</label>' \
                    in html
        selects = re.findall(r'<select id="role-[^"]+" name="role">(.*?)</select>', html, re.S)
        assert len(selects) == len(may_change)
        assert all(('value="owner"' in s) == (actor == owner) for s in selects)
        assert html.count('name="csrfmiddlewaretoken"') >= len(may_change)
    # an editor sees roles as words
    html = client_for(editor).get(reverse("organisations:members", args=[organisation.public_id]),
                                  headers={"Accept-Language": "en"}).content.decode()
    assert "<select" not in html.split("People with access")[1].split("</table>")[0]
    assert "<td>owner</td>" in html and "<td>editor</td>" in html


def test_history_rows_escape_localise_and_link_each_objects_history(client_for, admin, organisation):
    AuditEvent.objects.create(organisation=organisation, actor=admin, actor_label="<i>Admin</i>", action="update",
                              verb="<b>verb</b>", object_type="organisations.Signatory", object_id="a&b c",
                              object_repr="<s>Repr</s>", changes={"share": [1.5, None], "name": ["<x>", "y"]})
    html = client_for(admin).get(reverse("organisations:history", args=[organisation.public_id]),
                                 headers={"Accept-Language": "lv"}).content.decode()
    assert "<i>Admin" not in html and "<b>verb" not in html and "<s>Repr" not in html and "<x>" not in html
    assert "<td>&lt;i&gt;Admin&lt;/i&gt;</td>" in html
    assert '<br><span class="muted">&lt;b&gt;verb&lt;/b&gt;</span>' in html
    assert 'href="?object_type=organisations.Signatory&amp;object_id=a%26b%20c"' in html
    assert "<li><code>share</code>: 1,5 → —</li>" in html  # a number as Latvian writes it, None as a dash
    assert "<li><code>name</code>: &lt;x&gt; → y</li>" in html
