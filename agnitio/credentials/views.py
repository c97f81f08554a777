"""HTML pages and JSON documents of the trust layer. Thin: parse, call one service/selector, render."""

from __future__ import annotations

import functools
import io
import json
import zipfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from agnitio.core.errors import ApplicationError, NotFound, PermissionDenied
from agnitio.core.http import not_found_as_404, upload_refused_page
from agnitio.core.pagination import keyset_page
from agnitio.core.storage import private_file_response
from agnitio.core.validators import JSON_MAX_DEPTH, JsonTooDeep, json_parse
from agnitio.organisations.selectors import organisation_public

from . import rows, selectors, services
from .dids import did_document
from .formats import edc, ob3
from .forms import (
    CodeForm,
    FileVerifyForm,
    IssuedSearchForm,
    RevokeForm,
    ShareForm,
    StoreForm,
    VerifyForms,
    WalletSearchForm,
    store_form_html,
)
from .models import IssuedCredential, StatusList
from .numbering import code_normalise
from .signing.loader import OB_V3, VC_V2
from .throttle import verify_throttled
from .verification import (
    VerificationResult,
    credential_verify_code,
    credential_verify_json,
    pdf_verify,
    presentation_verify_json,
)

if TYPE_CHECKING:  # annotations only; other apps reach organisations through its selectors
    from agnitio.organisations.models import Organisation

JSON_LD = "application/ld+json"


def _json(data: dict, *, content_type: str = "application/json", status: int = 200) -> HttpResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _organisation(public_id: str, *, request=None) -> Organisation:
    """The organisation with this public id (404 if none). Not a permission: the selectors check the actor. The
    request's current organisation (read by the middleware in this request) when it is that one: no query."""
    current = getattr(request, "organisation", None)
    if current is not None and current.public_id == public_id:
        return current
    organisation = organisation_public(public_id=public_id)
    if organisation is None:
        raise Http404
    return organisation


# ------------------------------------------------------------------------------ public issuer documents


@require_GET
@cache_control(max_age=300, public=True)
def platform_did(request):
    # Read only: keys are made with the organisation (and by a migration for the platform), never by a GET.
    return _json(did_document(organisation=None, keys=selectors.issuer_key_list(organisation=None)),
                 content_type="application/did+ld+json")


@require_GET
@cache_control(max_age=300, public=True)
def organisation_did(request, org):
    organisation = _organisation(org)
    return _json(did_document(organisation=organisation, keys=selectors.issuer_key_list(organisation=organisation)),
                 content_type="application/did+ld+json")


@require_GET
@cache_control(max_age=300, public=True)
def issuer_profile(request, org):
    """The issuer's OB3 Profile (JSON-LD), or a page for a person (browsers ask for text/html). Both say whether the
    platform verified the issuer's identity (the JSON in `description`, in the request's language)."""
    organisation = _organisation(org)
    identity = selectors.issuer_identity(organisation=organisation)
    accept = request.headers.get("Accept", "")
    if "text/html" in accept and "json" not in accept:
        response = render(request, "credentials/issuer_profile.html", {"organisation": organisation})
    else:
        profile = {"@context": [VC_V2, OB_V3], **ob3.issuer_profile(organisation)}
        if identity.verified:
            profile["description"] = _("The platform has verified this issuer's identity (on %(date)s).") % {
                "date": identity.verified_on.isoformat()}
        else:
            profile["description"] = _("The platform has not verified this issuer's identity: the name is what the "
                                       "organisation entered itself.")
        response = _json(profile, content_type=JSON_LD)
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


@require_GET
@cache_control(no_cache=True)
def status_list(request, org, purpose):
    status = StatusList.objects.filter(organisation__public_id=org, purpose=purpose).first()
    if status is None:
        raise Http404
    return _json(status.credential, content_type="application/vc+ld+json")


# ---------------------------------------------------------------------------------------- verification


BLANK_FORMS = VerifyForms()  # the page as first opened: no code, no error


def _verify_page(request, result: VerificationResult | None = None, *, forms: VerifyForms = BLANK_FORMS,
                 status: int = 200):
    # `forms`: what the page shows of its forms (VerifyForms.of the forms a request was checked with); the page of a
    # code's address builds no form at all.
    return render(request, "credentials/verify.html", {
        "forms": forms,
        "result": result,
        "cacheable_checks": ["code"],
        "today": timezone.localdate().isoformat(),
    }, status=status)


def _throttled_page(request):
    result = VerificationResult(errors=[_("Too many verifications from your network in a short time. Wait a "
                                          "minute and try again.")])
    return _verify_page(request, result, status=429)


def verify(request):
    """Code entry (GET ?code=), PDF upload or credential JSON (POST). No account needed."""
    if request.method == "POST":
        if verify_throttled(request):
            return _throttled_page(request)
        form = FileVerifyForm(request.POST, request.FILES)
        if not form.is_valid():
            return _verify_page(request, forms=VerifyForms.of(file_form=form), status=400)
        upload = form.cleaned_data.get("file")
        raw = upload.read() if upload is not None else form.cleaned_data["credential_json"].encode()
        if raw.lstrip()[:5] == b"%PDF-":
            result = pdf_verify(raw)
        else:
            try:
                document = json_parse(raw)
            except JsonTooDeep:
                result = VerificationResult(errors=[_too_deep()])
            except (ValueError, UnicodeDecodeError):
                result = VerificationResult(errors=[_("The file is neither a PDF nor a credential (JSON).")])
            else:
                result = credential_verify_json(document)
        return _verify_page(request, result)
    if "code" in request.GET or "number" in request.GET:  # "number": the field's name on earlier pages
        form = CodeForm({"code": request.GET.get("code", request.GET.get("number", ""))})
        if form.is_valid():
            code = code_normalise(form.cleaned_data["code"])
            if code is not None:
                return redirect("credentials:verify_code", code=code)
            if verify_throttled(request):
                return _throttled_page(request)
            result = credential_verify_code(form.cleaned_data["code"])
            return _verify_page(request, result, forms=VerifyForms.of(code_form=form),
                                status=200 if result.legacy_number else 400)
        return _verify_page(request, forms=VerifyForms.of(code_form=form), status=400)
    return _verify_page(request)


@require_GET
def verify_code(request, code):
    if verify_throttled(request):
        return _throttled_page(request)
    result = credential_verify_code(code)
    # A register number (old QR codes) gets a page asking for the code or the file, the same for every number.
    found = result.credential is not None or result.legacy_number
    # The code form shows the code of the address (what CodeForm(initial={"code": code}) showed).
    return _verify_page(request, result, forms=VerifyForms(code=code), status=200 if found else 404)


# -------------------------------------------------------------------------------------------- VC API


def _vc_api_error(message: str, status: int) -> HttpResponse:
    return _json({"errors": [message]}, status=status)


def _vc_api_post(view):
    """VC API endpoints take POST only; any other method gets 405 with a JSON body (and `Allow`)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            response = _vc_api_error(_("Use POST with a JSON body; %(method)s is not allowed here.")
                                     % {"method": request.method}, 405)
            response["Allow"] = "POST"
            return response
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _json_body(request):
    """The parsed JSON body; ValueError when it is not JSON (JsonTooDeep when nested too deeply)."""
    return json_parse(request.body or b"{}")


def _too_deep() -> str:
    return _("The document is nested more than %(n)d levels deep, so it cannot be checked.") % {"n": JSON_MAX_DEPTH}


def _body_problem(exc: ValueError) -> str:
    return _too_deep() if isinstance(exc, JsonTooDeep) else _("The request body is not JSON.")


@_vc_api_post
def vc_api_issue(request):
    """W3C VC API: {"credential": {...}, "options": {...}} → 201 {"verifiableCredential": {...}}.
    Token-authenticated; issues for the token's organisation (options.organisation when the token is unbound).
    Malformed input, or an issuer / id the platform will not honour → 400 {"errors": [reason]}."""
    from django.db import IntegrityError

    from agnitio.apikeys.auth import ApiTokenAuth

    from .vc_api import issue_request_parse, request_text_check

    user = ApiTokenAuth()(request)
    if not user:
        response = _vc_api_error(_("Send a valid API token as “Authorization: Bearer <token>”."), 401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        body = _json_body(request)
    except ValueError as exc:
        return _vc_api_error(_body_problem(exc), 400)
    try:
        request_text_check(body)
        arguments = issue_request_parse(body=body, user=user, api_token=request.api_token)
        credential = services.credential_issue(actor=user, **arguments)
    except NotFound:
        return _vc_api_error(_("Not found."), 404)
    except ApplicationError as exc:
        return _vc_api_error(str(exc.message), 403 if isinstance(exc, PermissionDenied) else 400)
    except IntegrityError:  # the same id posted twice at the same moment
        return _vc_api_error(_("A credential with this id was already issued here; ids are never reused."), 400)
    return _json({"verifiableCredential": credential.credential}, status=201)


@_vc_api_post
def vc_api_verify(request):
    """W3C VC API: {"verifiableCredential": {...}, "options": {...}} → {"checks", "warnings", "errors"}."""
    if verify_throttled(request):
        return _json({"checks": [], "warnings": [], "errors": [_("Too many verifications from your network in a "
                                                                 "short time. Wait a minute and try again.")]},
                     status=429)
    try:
        body = _json_body(request)
    except ValueError as exc:
        return _json({"checks": [], "warnings": [], "errors": [_body_problem(exc)]}, status=400)
    document = body.get("verifiableCredential") if isinstance(body, dict) else None
    if not isinstance(document, dict):
        return _json({"checks": [], "warnings": [], "errors": [_("Send {\"verifiableCredential\": {...}}.")]},
                     status=400)
    result = credential_verify_json(document)
    return _json({"checks": result.checks, "warnings": [str(w) for w in result.warnings],
                  "errors": [str(e) for e in result.errors]}, status=200 if result.verified else 400)


@_vc_api_post
def vc_api_presentation_verify(request):
    """W3C VC API: {"verifiablePresentation": {...}, "options": {"challenge", "domain"}} (or, without a proof,
    {"presentation": {...}}) → {"verified", "checks", "warnings", "errors", "presentationResult",
    "credentialResults"}: 200 when the presentation and every credential in it verify, else 400. Throttled per
    client like the other public verifications (429)."""
    if verify_throttled(request):
        response = _json({"verified": False, "checks": [], "warnings": [], "errors": [
            _("Too many verifications from your network in a short time. Wait a minute and try again.")]},
            status=429)
        response["Retry-After"] = "60"
        return response
    try:
        body = _json_body(request)
    except ValueError as exc:
        return _json({"verified": False, "checks": [], "warnings": [], "errors": [_body_problem(exc)]}, status=400)
    body = body if isinstance(body, dict) else {}
    document = body.get("verifiablePresentation", body.get("presentation"))
    options = body.get("options") or {}
    problem = ""
    if not isinstance(document, dict):
        problem = _("Send {\"verifiablePresentation\": {...}, \"options\": {...}}.")
    elif not isinstance(options, dict) or any(
            key in options and not isinstance(options[key], str) for key in ("challenge", "domain")):
        problem = _("options must be an object; options.challenge and options.domain must be strings.")
    if problem:
        return _json({"verified": False, "checks": [], "warnings": [], "errors": [problem]}, status=400)
    result = presentation_verify_json(document, challenge=options.get("challenge"), domain=options.get("domain"))
    data = result.to_dict()
    if options.get("returnPresentation") is True:
        data["verifiablePresentation"] = document
    return _json(data, status=200 if result.verified else 400)


# ---------------------------------------------------------------------- organisation: issued documents


@login_required
@require_safe
@not_found_as_404
def issued_list(request, org):
    """The organisation's issued documents, newest first, a keyset page at a time (`?cursor=`), searched and
    filtered by a GET form (holder's name / code / number, project, period, kind, status)."""
    organisation = _organisation(org, request=request)
    projects = selectors.issued_project_choices(actor=request.user, organisation=organisation)
    form = (IssuedSearchForm(request.GET, projects=projects) if request.GET
            else IssuedSearchForm.unbound(projects=projects))  # the form is made only for a query
    filters = form.filters()
    page = keyset_page(
        lambda: selectors.issued_credential_search(actor=request.user, organisation=organisation, filters=filters),
        ordering=selectors.LIST_ORDER, request=request,
        first_rows=None if filters != selectors.CredentialFilters() else lambda n: (
            selectors.issued_credential_first_rows(actor=request.user, organisation=organisation, size=n - 1)))
    return render(request, "credentials/issued_list.html", {
        "organisation": organisation, "search_form": form, "page": page, "rows": rows.issued_rows(page),
        "keys": selectors.issuer_key_summaries(organisation=organisation),
    })


@login_required
@require_http_methods(["GET", "POST"])
@not_found_as_404
def issued_revoke(request, public_id):
    """Revoking is confirmed on its own page, which names the document and asks for the (required) reason."""
    credential = selectors.issued_credential_get(actor=request.user, public_id=public_id)
    if not request.user.has_perm("credentials.revoke_credential", credential.organisation):
        raise DjangoPermissionDenied(_("Only an owner or admin of the organisation may revoke its documents."))
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if credential.status != IssuedCredential.Status.REVOKED and form.is_valid():
        try:
            services.credential_revoke(actor=request.user, credential=credential, reason=form.cleaned_data["reason"])
        except NotFound:
            raise  # the 404 page (not_found_as_404), not a message
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(number)s is revoked.") % {"number": credential.number})
        return redirect("credentials:issued_list", org=credential.organisation.public_id)
    return render(request, "credentials/issued_revoke.html", {"credential": credential, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_POST
@not_found_as_404
def key_rotate(request, org):
    organisation = _organisation(org)
    try:
        key = services.issuer_key_rotate(actor=request.user, organisation=organisation)
    except NotFound:
        raise  # the 404 page (not_found_as_404), not a message
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("credentials:issued_list", org=org)
    messages.success(request, _("New signing key %(key)s; earlier keys stay published.") % {"key": key.key_id})
    return redirect("credentials:issued_list", org=org)


def _issued_for_member_or_holder(request, public_id) -> IssuedCredential:
    """A member who may see the document, else its holder; NotFound (→ 404 by the view's decorator) otherwise."""
    try:
        return selectors.issued_credential_get(actor=request.user, public_id=public_id)
    except NotFound:
        return selectors.wallet_credential_get(actor=request.user, public_id=public_id)


def _download_json(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/vc+ld+json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
@not_found_as_404
def issued_json(request, public_id):
    credential = _issued_for_member_or_holder(request, public_id)
    return _download_json(credential.credential, f"{credential.number}.json")


@login_required
@require_GET
@not_found_as_404
def issued_pdf(request, public_id):
    return _pdf_response(_issued_for_member_or_holder(request, public_id))


@login_required
@require_GET
@not_found_as_404
def issued_edc(request, public_id):
    credential = _issued_for_member_or_holder(request, public_id)
    response = HttpResponse(json.dumps(edc.edc_export(credential), ensure_ascii=False, indent=2),
                            content_type=JSON_LD)
    response["Content-Disposition"] = f'attachment; filename="{credential.number}-edc.jsonld"'
    return response


# --------------------------------------------------------------------------------------------- wallet


@login_required
@require_safe
def wallet(request):
    """The holder's documents, newest first, a keyset page at a time, searched by a GET form; list pages never load
    the signed credentials (selectors.wallet_credential_search)."""
    # no search asked (most visits): no form is built; its unbound HTML is made once (forms.unbound_search_html)
    form = WalletSearchForm(request.GET) if request.GET else None
    wallet = selectors.wallet_page(actor=request.user,
                                   filters=form.filters() if form is not None else selectors.CredentialFilters())
    page = keyset_page(lambda: wallet.credentials, ordering=selectors.LIST_ORDER, request=request,
                       first_rows=lambda n: wallet.first(n - 1))
    return render(request, "credentials/wallet.html", {
        "page": page, "rows": rows.wallet_rows(page), "search_form": form,
        "offers": wallet.offers, "items": wallet.items, "store_form": store_form_html(),
        "has_confirmed_email": wallet.has_confirmed_email,
    })


def _wallet_get(request, public_id) -> IssuedCredential:
    return selectors.wallet_credential_get(actor=request.user, public_id=public_id)


@login_required
@not_found_as_404
def wallet_detail(request, public_id):
    credential = _wallet_get(request, public_id)
    return render(request, "credentials/wallet_detail.html", {
        "credential": credential, "share_form": ShareForm(),
        "links": selectors.share_link_list(actor=request.user, credential=credential),
    })


@login_required
@require_GET
@not_found_as_404
def wallet_json(request, public_id):
    credential = _wallet_get(request, public_id)
    return _download_json(credential.credential, f"{credential.number}.json")


def _pdf_response(credential: IssuedCredential):
    # Private storage: streamed, or a signed URL of at most five minutes with S3 — never a public path.
    return private_file_response(credential.pdf, filename=f"{credential.number}.pdf", content_type="application/pdf")


@login_required
@require_GET
@not_found_as_404
def wallet_pdf(request, public_id):
    return _pdf_response(_wallet_get(request, public_id))


@login_required
@require_POST
@not_found_as_404
def share_create(request, public_id):
    credential = _wallet_get(request, public_id)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            link, token = services.share_link_create(actor=request.user, credential=credential,
                                                     expires_on=form.cleaned_data["expires_on"])
            messages.success(request, _("Share link created: %(url)s — copy it now: it is not shown again.") % {
                "url": settings.SITE_URL + reverse("credentials:shared", args=[token])})
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose the date until which the link works."))
    return redirect("credentials:wallet_detail", public_id=public_id)


@login_required
@require_POST
@not_found_as_404
def share_revoke(request, public_id):
    link = selectors.share_link_get(actor=request.user, public_id=public_id)
    services.share_link_revoke(actor=request.user, link=link)
    messages.success(request, _("The share link no longer works."))
    return redirect("credentials:wallet_detail", public_id=link.credential.public_id)


@login_required
@require_GET
@not_found_as_404
def wallet_export(request):
    """Everything in the wallet at once (GDPR portability): credential JSON of each, PDFs, stored items."""
    buffer = io.BytesIO()
    index = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for credential in selectors.wallet_credential_list(actor=request.user).iterator(chunk_size=200):
            archive.writestr(f"{credential.number}.json", json.dumps(credential.credential, ensure_ascii=False,
                                                                     indent=2))
            entry = {"number": credential.number, "kind": credential.kind, "issuer": credential.organisation.legal_name,
                     "issued_on": credential.issued_on.isoformat(), "status": credential.status,
                     "credential": f"{credential.number}.json"}
            if credential.pdf:
                with credential.pdf.open("rb") as pdf:
                    archive.writestr(f"{credential.number}.pdf", pdf.read())
                entry["pdf"] = f"{credential.number}.pdf"
            index.append(entry)
        for item in selectors.wallet_item_list(actor=request.user):
            name = f"received/{item.public_id}.json"
            archive.writestr(name, json.dumps(item.credential, ensure_ascii=False, indent=2))
            index.append({"received_from": item.issuer_id, "name": item.name, "credential": name})
        archive.writestr("index.json", json.dumps(index, ensure_ascii=False, indent=2))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-credentials.zip"'
    return response


@login_required
@require_POST
def wallet_store(request):
    if refused := upload_refused_page(request, group="credentials.wallet_store"):  # per account and hour
        return refused
    form = StoreForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = json_parse(form.cleaned_data["file"].read())
            services.wallet_item_store(actor=request.user, document=document)
            messages.success(request, _("The credential verified and is stored in your wallet."))
        except JsonTooDeep:
            messages.error(request, _too_deep())
        except (ValueError, UnicodeDecodeError):
            messages.error(request, _("The file is not a credential (JSON)."))
        except ApplicationError as exc:
            messages.error(request, _("Not stored: %(reason)s") % {"reason": exc.message})
    else:
        messages.error(request, _("Choose a credential file."))
    return redirect("credentials:wallet")


@login_required
@require_POST
@not_found_as_404
def wallet_item_delete(request, public_id):
    item = selectors.wallet_item_get(actor=request.user, public_id=public_id)
    services.wallet_item_delete(actor=request.user, item=item)
    messages.success(request, _("The stored credential was removed from your wallet."))
    return redirect("credentials:wallet")


@login_required
@require_POST
@not_found_as_404
def wallet_offer_decide(request, public_id, decision):
    if decision not in ("accept", "decline"):
        raise Http404
    credential = selectors.wallet_offer_get(actor=request.user, public_id=public_id)
    services.wallet_offer_decide(actor=request.user, credential=credential, accept=decision == "accept")
    if decision == "accept":
        messages.success(request, _("The credential was added to your wallet."))
    else:
        messages.success(request, _("The credential was declined; it is no longer shown in your wallet."))
    return redirect("credentials:wallet")


def _shared(token):
    return selectors.share_link_open(token=token)


@require_GET
@not_found_as_404
def shared(request, token):
    link = _shared(token)
    from .verification import _from_record

    result = _from_record(link.credential, VerificationResult(), check="share_link")
    return render(request, "credentials/shared.html", {"link": link, "result": result, "token": token})


@require_GET
@not_found_as_404
def shared_json(request, token):
    credential = _shared(token).credential
    return _download_json(credential.credential, f"{credential.number}.json")


@require_GET
@not_found_as_404
def shared_pdf(request, token):
    return _pdf_response(_shared(token).credential)
