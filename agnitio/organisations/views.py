"""HTML views: parse input, call one service or selector, render. Not found and not allowed are both 404."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError, NotFound
from agnitio.core.http import not_found_as_404, upload_refused_page
from agnitio.core.pagination import keyset_page
from agnitio.core.permissions import allowed
from agnitio.core.rows import csrf_input
from agnitio.core.storage import private_file_response
from agnitio.invitations.selectors import INVITATION_ORDER, invitations_first_page_for, invitations_for

from . import images, rows, selectors, services
from .forms import (
    AuditFilterForm,
    CropForm,
    InvitationForm,
    OrganisationForm,
    RoleForm,
    SignatoryForm,
    SignatureSettingsForm,
    SignatureUploadForm,
    SignatureVariantForm,
    SwitchOrganisationForm,
)
from .invitation_kinds import MEMBER, role_label
from .middleware import SESSION_KEY
from .models import SignatureImage
from .paging import first_page_or_keyset
from .signature_steps import signature_step, variant_preview

LOGO_UPLOADS = "organisations.logo"  # per account and hour, creating and editing together (AGNITIO_UPLOAD_RATE_LIMIT)
SIGNATURE_UPLOADS = "organisations.signature"  # signature and stamp images, per account and hour


def _make_current(request, organisation) -> None:
    """Opening an organisation's page makes it the current one, so the menu matches the page."""
    if getattr(request, "organisation", None) != organisation:
        try:
            membership = selectors.membership_get(actor=request.user, organisation=organisation)
        except NotFound:
            return
        request.session[SESSION_KEY] = organisation.public_id
        request.organisation, request.membership = membership.organisation, membership


def _member_org(request, public_id: str):
    organisation = selectors.organisation_get(actor=request.user, public_id=public_id,
                                              membership=request.membership)
    _make_current(request, organisation)
    return organisation


def _admin_org(request, public_id: str):
    organisation = selectors.organisation_get_for_admin(actor=request.user, public_id=public_id,
                                                        membership=request.membership)
    _make_current(request, organisation)
    return organisation


def _context(request, organisation, **extra):
    return {
        "organisation": organisation,
        "is_admin": allowed(request.user, "organisations.change_organisation", organisation),
        "is_owner": allowed(request.user, "organisations.grant_owner", organisation),
        **extra,
    }


def _error(request, exc: ApplicationError):
    messages.error(request, str(exc))


# --- organisations -----------------------------------------------------------


@login_required
def organisation_list(request):
    return render(request, "organisations/organisation_list.html", {"page": keyset_page(
        selectors.membership_list_for_user(user=request.user), ordering=selectors.OWN_MEMBERSHIP_ORDER,
        request=request)})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if refused := upload_refused_page(request, group=LOGO_UPLOADS):
        return refused
    form = OrganisationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, data=form.service_data(), logo=form.checked_logo
            )
        except ApplicationError as exc:
            _error(request, exc)
        else:
            request.session[SESSION_KEY] = organisation.public_id
            messages.success(request, _("The organisation %(name)s was created. You are its owner.")
                             % {"name": organisation.legal_name})
            return redirect("organisations:detail", public_id=organisation.public_id)
    return render(request, "organisations/organisation_form.html", {"form": form, "creating": True})


@login_required
@not_found_as_404
def organisation_detail(request, public_id):
    organisation = _member_org(request, public_id)
    return render(request, "organisations/organisation_detail.html", _context(
        request, organisation, **selectors.organisation_overview_counts(actor=request.user, organisation=organisation)))


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def organisation_edit(request, public_id):
    organisation = _admin_org(request, public_id)
    if refused := upload_refused_page(request, group=LOGO_UPLOADS):
        return refused
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation, user=request.user)
    versioning.add_version_field(form, organisation)
    if request.method == "POST" and form.is_valid():
        changes: dict = {}

        def save():
            changes.update(services.organisation_update(
                actor=request.user, organisation=organisation, data=form.service_data(), logo=form.checked_logo,
                logo_clear=form.remove_logo,
            ))
        try:
            saved = versioning.versioned_save(form=form, instance=organisation, save=save)
        except ApplicationError as exc:
            _error(request, exc)
        else:
            if saved:
                if changes:
                    messages.success(request, _("The organisation's data were saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("organisations:detail", public_id=organisation.public_id)
    return render(request, "organisations/organisation_form.html", _context(request, organisation, form=form))


@login_required
@not_found_as_404
def organisation_logo(request, public_id):
    organisation = _member_org(request, public_id)
    if not organisation.logo:
        raise Http404()
    return _file_response(organisation.logo)


def _file_response(field_file):
    """An image of the organisation (logo, signature, stamp), after the view checked the actor may see it."""
    jpeg = field_file.name.endswith(".jpg")
    return private_file_response(field_file, filename=f"image.{'jpg' if jpeg else 'png'}", as_attachment=False,
                                 content_type="image/jpeg" if jpeg else "image/png", cache="private, max-age=300")


_ORG_PAGE = re.compile(r"^/organisations/(?P<org>[\w-]+)/(?P<section>[\w-]+/)?")
_NOT_ORGANISATIONS = {"new", "switch", "invitations"}


def _same_page_in(next_url: str, organisation) -> str:
    """After switching, the same section (members, signatures, …) of the new organisation; other pages unchanged."""
    match = _ORG_PAGE.match(next_url)
    if not match or match["org"] in _NOT_ORGANISATIONS:
        return next_url
    base = reverse("organisations:detail", kwargs={"public_id": organisation.public_id})
    return base + (match["section"] or "")


@login_required
@require_POST
def organisation_switch(request):
    form = SwitchOrganisationForm(request.POST)
    target = reverse("core:home")
    if form.is_valid():
        try:
            organisation = selectors.organisation_get(actor=request.user, public_id=form.cleaned_data["organisation"])
        except NotFound:
            messages.error(request, _("You are not a member of that organisation (any more)."))
        else:
            request.session[SESSION_KEY] = organisation.public_id
            messages.success(request, _("You are now working in %(name)s.") % {"name": organisation.legal_name})
            next_url = form.cleaned_data.get("next") or ""
            if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                            require_https=request.is_secure()):
                target = _same_page_in(next_url, organisation)
    return HttpResponseRedirect(target)


# --- members and invitations -------------------------------------------------


@login_required
@not_found_as_404
def member_list(request, public_id):
    organisation = _member_org(request, public_id)

    def memberships():
        return selectors.membership_list(actor=request.user, organisation=organisation)

    # The first pages from prepared queries (organisations.paging), the others by keyset_page.
    page = first_page_or_keyset(
        first_rows=lambda: selectors.member_first_page(actor=request.user, organisation=organisation),
        queryset=lambda: memberships().only(*selectors.MEMBER_ROW_FIELDS), ordering=selectors.MEMBER_ORDER,
        request=request)
    invitations = first_page_or_keyset(
        first_rows=lambda: invitations_first_page_for(actor=request.user, target=organisation, kind=MEMBER),
        queryset=lambda: invitations_for(actor=request.user, target=organisation, kind=MEMBER),
        ordering=INVITATION_ORDER, request=request, cursor_param="invitations")
    context = _context(request, organisation, page=page, invitations=invitations,
                       invitation_rows=[(invitation, role_label(invitation)) for invitation in invitations])
    own = request.membership  # the middleware read it in this request
    if own is None or own.organisation_id != organisation.pk:
        own = memberships().filter(user=request.user).first()
    context["own"] = own
    # One masked CSRF token for the page's forms, the rows' and the template's (a view's context wins over the
    # context processor's `csrf_token`), as one template's forms share one: masking it costs more than a row.
    context["csrf_token"] = token = get_token(request)
    context["rows"] = rows.member_rows(page, organisation=organisation, actor=request.user,
                                       is_admin=context["is_admin"], is_owner=context["is_owner"],
                                       csrf_input=csrf_input(request, token=token))
    return render(request, "organisations/member_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def invitation_create(request, public_id):
    organisation = _admin_org(request, public_id)
    can_grant_owner = allowed(request.user, "organisations.grant_owner", organisation)
    form = InvitationForm(request.POST or None, can_grant_owner=can_grant_owner,
                          initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.membership_invite(actor=request.user, organisation=organisation,
                                                            **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("An invitation was sent to %(email)s. It is valid for %(days)s days.")
                             % {"email": invitation.mailed_to, "days": _invitation_days()})
            return redirect("organisations:members", public_id=organisation.public_id)
    return render(request, "organisations/invitation_form.html", _context(request, organisation, form=form))


def _invitation_days():
    from django.conf import settings

    return settings.ORGANISATION_INVITATION_DAYS


@login_required
@require_POST
@not_found_as_404
def member_role(request, public_id, membership_id):
    organisation = _admin_org(request, public_id)
    membership = selectors.membership_get_in(actor=request.user, organisation=organisation, public_id=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles: owner, admin or editor."))
    else:
        try:
            services.membership_role_change(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        except ApplicationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("The role of %(name)s is now %(role)s.")
                             % {"name": membership.user.display_name, "role": membership.get_role_display()})
    return redirect("organisations:members", public_id=organisation.public_id)


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def member_revoke(request, public_id, membership_id):
    """GET asks for confirmation; POST removes the access (or, for one's own membership, leaves)."""
    organisation = _member_org(request, public_id)
    membership = selectors.membership_get_in(actor=request.user, organisation=organisation, public_id=membership_id)
    leaving = membership.user_id == request.user.pk
    if not leaving and not allowed(request.user, "organisations.manage_members", organisation):
        raise Http404()
    if request.method == "GET":
        return render(request, "organisations/member_revoke.html",
                      _context(request, organisation, membership=membership, leaving=leaving))
    try:
        services.membership_revoke(actor=request.user, membership=membership)
    except ApplicationError as exc:
        _error(request, exc)
        return redirect("organisations:members", public_id=organisation.public_id)
    if leaving:
        messages.success(request, _("You left %(name)s.") % {"name": organisation.legal_name})
        return redirect("core:home")
    messages.success(request, _("%(name)s no longer has access to %(org)s.")
                     % {"name": membership.user.display_name, "org": organisation.legal_name})
    return redirect("organisations:members", public_id=organisation.public_id)


# --- signatories -------------------------------------------------------------


@login_required
@not_found_as_404
def signatory_list(request, public_id):
    organisation = _member_org(request, public_id)
    return render(request, "organisations/signatory_list.html", _context(
        request, organisation, page=keyset_page(selectors.signatory_list(actor=request.user, organisation=organisation),
                                                ordering=("full_name", "id"), request=request)))


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def signatory_edit(request, public_id, signatory_id=None):
    organisation = _admin_org(request, public_id)
    signatory = None
    initial = {"is_active": True}
    if signatory_id:
        signatory = selectors.signatory_get(actor=request.user, organisation=organisation, public_id=signatory_id)
        initial = {"full_name": signatory.full_name, "position": signatory.position, "pages": signatory.pages,
                   "is_active": signatory.is_active}
    form = SignatoryForm(request.POST or None, initial=initial)
    versioning.add_version_field(form, signatory)
    if request.method == "POST" and form.is_valid():
        try:
            if signatory is None:
                signatory = services.signatory_create(actor=request.user, organisation=organisation,
                                                      **form.cleaned_data)
                saved = True
            else:
                saved = versioning.versioned_save(form=form, instance=signatory, save=lambda: (
                    services.signatory_update(actor=request.user, signatory=signatory, data=form.cleaned_data)))
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            if saved:
                messages.success(request, _("Signatory %(name)s saved.") % {"name": signatory.full_name})
                return redirect("organisations:signatories", public_id=organisation.public_id)
    return render(request, "organisations/signatory_form.html",
                  _context(request, organisation, form=form, signatory=signatory))


@login_required
@require_POST
@not_found_as_404
def signatory_delete(request, public_id, signatory_id):
    organisation = _admin_org(request, public_id)
    signatory = selectors.signatory_get(actor=request.user, organisation=organisation, public_id=signatory_id)
    services.signatory_delete(actor=request.user, signatory=signatory)
    messages.success(request, _("Signatory %(name)s deleted.") % {"name": signatory.full_name})
    return redirect("organisations:signatories", public_id=organisation.public_id)


# --- signature and stamp images ---------------------------------------------


@login_required
@not_found_as_404
def signature_list(request, public_id):
    organisation = _member_org(request, public_id)
    return render(request, "organisations/signature_list.html", _context(
        request, organisation, page=keyset_page(selectors.signature_list(actor=request.user, organisation=organisation),
                                                ordering=selectors.SIGNATURE_ORDER, request=request)))


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def signature_upload(request, public_id):
    organisation = _admin_org(request, public_id)
    if refused := upload_refused_page(request, group=SIGNATURE_UPLOADS):
        return refused
    signatories = selectors.signatory_list(actor=request.user, organisation=organisation, active_only=True)
    form = SignatureUploadForm(request.POST or None, request.FILES or None, signatories=signatories)
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.signature_upload(
                actor=request.user, organisation=organisation, kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"], checked=form.checked, signatory=form.cleaned_data["signatory"],
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Image uploaded. Now select the part of it to use."))
            return redirect("organisations:signature", public_id=organisation.public_id,
                            signature_id=signature.public_id)
    return render(request, "organisations/signature_upload.html", _context(request, organisation, form=form))


def _variant_choices(signature: SignatureImage) -> list[dict]:
    """The four variants of the selected part, each with the address of its preview (`signature_file`)."""
    version = int(signature.updated_at.timestamp())
    return [{"value": value, "label": label,
             "src": reverse("organisations:signature_file", args=[
                 signature.organisation.public_id, signature.public_id, f"variant-{value}"]) + f"?v={version}"}
            for value, label in images.VARIANT_LABELS.items()]


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def signature_detail(request, public_id, signature_id):
    """Step 2 of 3: select the part to use (drag over the image with crop.js, or type the same numbers in); step 3:
    choose one of the four variants and activate it. Then label, signatory, activation and default."""
    organisation = _member_org(request, public_id)
    signature = selectors.signature_get(actor=request.user, organisation=organisation, public_id=signature_id)
    is_admin = allowed(request.user, "organisations.manage_signatures", organisation)
    size = (signature.original_width, signature.original_height)
    box = signature.crop_box
    crop_initial = dict(zip(("x", "y", "width", "height"), box, strict=True)) if box else {}
    signatories = selectors.signatory_list(actor=request.user, organisation=organisation)
    settings_initial = {"label": signature.label, "signatory": signature.signatory, "is_active": signature.is_active,
                        "is_default": signature.is_default}
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not is_admin:
        raise Http404()
    crop_form = CropForm(request.POST if action == "crop" else None, image_size=size, initial=crop_initial)
    first_of_kind = selectors.signature_default(organisation=organisation, kind=signature.kind) is None
    variant_form = SignatureVariantForm(request.POST if action == "activate" else None, initial={
        "variant": signature.variant, "is_default": signature.is_default or first_of_kind})
    settings_form = SignatureSettingsForm(request.POST if action == "settings" else None, signatories=signatories,
                                          initial=settings_initial)
    versioning.add_version_field(settings_form, signature)
    done = signature_step(
        request, action=action, crop_form=crop_form, variant_form=variant_form,
        crop=lambda box: services.signature_crop(actor=request.user, signature=signature, box=box),
        activate=lambda variant, is_default: services.signature_activate(
            actor=request.user, signature=signature, variant=variant, is_default=is_default),
        activated_message=_("“%(label)s” is active in the chosen variant.") % {"label": signature.label},
        activated_url=reverse("organisations:signatures", args=[organisation.public_id]))
    if done:
        return done
    if action == "settings" and settings_form.is_valid():
        try:
            saved = versioning.versioned_save(form=settings_form, instance=signature, save=lambda: (
                services.signature_update(actor=request.user, signature=signature, **settings_form.cleaned_data)))
        except ApplicationError as exc:
            settings_form.add_error(None, str(exc))
        else:
            if saved:
                messages.success(request, _("Saved."))
                return redirect("organisations:signatures", public_id=organisation.public_id)
    return render(request, "organisations/signature_detail.html", _context(
        request, organisation, signature=signature, crop_form=crop_form, variant_form=variant_form,
        settings_form=settings_form, variants=_variant_choices(signature) if box else [],
        variant_label=images.VARIANT_LABELS.get(signature.variant, ""),
        original_url=reverse("organisations:signature_file", args=[organisation.public_id, signature.public_id,
                                                                   "original"]),
    ))


@login_required
@require_POST
@not_found_as_404
def signature_delete(request, public_id, signature_id):
    organisation = _admin_org(request, public_id)
    signature = selectors.signature_get(actor=request.user, organisation=organisation, public_id=signature_id)
    services.signature_delete(actor=request.user, signature=signature)
    messages.success(request, _("The image %(label)s was deleted.") % {"label": signature.label})
    return redirect("organisations:signatures", public_id=organisation.public_id)


@login_required
@not_found_as_404
def signature_file(request, public_id, signature_id, variant):
    """The uploaded original, the processed image, or a preview of one of the four variants of the selected part
    ("variant-<name>", made on request): to the organisation's members only, never by the file's path."""
    organisation = _member_org(request, public_id)
    signature: SignatureImage = selectors.signature_get(actor=request.user, organisation=organisation,
                                                        public_id=signature_id)
    if variant.startswith("variant-"):
        return variant_preview(signature.original, box=signature.crop_box, name=variant)
    field = {"original": signature.original, "cropped": signature.image_cropped}.get(variant)
    if not field:
        raise Http404()
    return _file_response(field)


# --- history -----------------------------------------------------------------


@login_required
@not_found_as_404
def audit_list(request, public_id):
    organisation = _admin_org(request, public_id)
    object_types = selectors.audit_object_types(actor=request.user, organisation=organisation)
    people = selectors.audit_people(actor=request.user, organisation=organisation)
    # without a query the form is unbound: {% history_filter_fields %} writes it without making it
    form = AuditFilterForm(request.GET, object_types=object_types, people=people) if request.GET else None
    filters = {}
    if form is not None and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    if filters:
        page = keyset_page(selectors.audit_event_list(actor=request.user, organisation=organisation, **filters),
                           ordering=selectors.AUDIT_ORDER, request=request)
    else:  # the first page from a prepared query (organisations.paging)
        page = first_page_or_keyset(
            first_rows=lambda: selectors.audit_event_first_page(actor=request.user, organisation=organisation),
            queryset=lambda: selectors.audit_event_list(actor=request.user, organisation=organisation),
            ordering=selectors.AUDIT_ORDER, request=request)
    return render(request, "organisations/audit_list.html", _context(
        request, organisation, form=form, object_types=object_types, people=people, page=page,
        rows=rows.event_rows(page)))

