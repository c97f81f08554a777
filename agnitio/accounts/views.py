"""My account page, the language switcher that remembers the choice, and the idle-session keep-alive."""

from allauth.account.decorators import reauthentication_required
from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_ratelimit.decorators import ratelimit

from agnitio.core import versioning
from agnitio.core.errors import ApplicationError
from agnitio.core.http import too_many_requests_page

from .adapter import set_language_cookie
from .forms import ProfileForm
from .selectors import mfa_enabled
from .services import user_update
from .throttle import signup_refused


class SignupView(AllauthSignupView):
    """allauth's sign-up with our limit in front (agnitio.accounts.throttle.signup_refused; allauth's own "signup"
    limit is off): a sign-up through a personal invitation is never held up by its network's limit."""

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            retry_after = signup_refused(request)
            if retry_after is not None:
                return too_many_requests_page(request, retry_after=retry_after, detail=_(
                    "Many accounts were created from your network in a short while, so signing up from it is "
                    "paused for now. If you were invited, open the link in your invitation e-mail and sign up "
                    "from there: sign-ups through an invitation are not paused."))
        return super().dispatch(request, *args, **kwargs)


signup = SignupView.as_view()


# The apikeys app provides this template; "My account" includes it when it exists.
API_TOKENS_TEMPLATE = "apikeys/_account_section.html"


def _optional_template(name: str) -> str | None:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def account_detail(request):
    """My account: full name and preferred language, links to password, e-mail, two-factor and API tokens."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        versioning.add_version_field(form, user)
        if form.is_valid():
            try:
                # Saved only if no other session (another tab, the language switcher) changed a shown field since.
                saved = versioning.versioned_save(form=form, instance=user, save=lambda: user_update(
                    actor=request.user, user=user, data={name: form.cleaned_data[name] for name in ProfileForm.FIELDS}))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                if saved:
                    translation.activate(user.language)
                    messages.success(request, _("Your account details were saved."))
                    response = HttpResponseRedirect(reverse("accounts:detail"))
                    set_language_cookie(response, user.language)
                    return response
    else:
        form = ProfileForm(initial={name: getattr(user, name) for name in ProfileForm.FIELDS})
        versioning.add_version_field(form, user)
    return render(request, "accounts/account_detail.html", {
        "form": form,
        "has_mfa": mfa_enabled(user=user),
        "api_tokens_template": _optional_template(API_TOKENS_TEMPLATE),
    })


@require_POST
def set_language(request):
    """Django's `set_language`, and for a signed-in user also store the choice as their preferred language."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and response.cookies.get(settings.LANGUAGE_COOKIE_NAME) is not None
    ):
        user_update(actor=request.user, user=request.user, data={"language": language})
    return response


@never_cache
@require_POST
def keep_alive(request):
    """Renews the idle session now (other requests renew it at most every SESSION_RENEW_SECONDS): it writes it.

    Answers JSON to the page script and redirects back for the plain form (no JavaScript)."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"authenticated": False, "login_url": reverse(settings.LOGIN_URL)}, status=401)
        return redirect_to_login(_safe_next(request, reverse("core:home")))
    request.session.modified = True
    if wants_json:
        return JsonResponse({"authenticated": True, "remaining": settings.SESSION_IDLE_SECONDS})
    messages.info(request, _("You are still signed in."))
    return HttpResponseRedirect(_safe_next(request, reverse("core:home")))


# --- personal data: download and erasure (docs/retention.md) ---------------------------------------------------


DATA_EXPORT_RATE = "5/h"  # building the archive reads every document the person holds: not on a loop


@login_required
@require_POST
@ratelimit(key="user", rate=DATA_EXPORT_RATE, method="POST", block=True)
def data_export(request):
    """Everything the platform holds about the signed-in person, as a ZIP (JSON + their documents), streamed from
    a spooled file; five archives an hour per person (the styled 429 page beyond)."""
    from django.http import FileResponse

    from .privacy import personal_data_export_file

    response = FileResponse(personal_data_export_file(actor=request.user), content_type="application/zip",
                            as_attachment=True, filename="my-agnitio-data.zip")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
@reauthentication_required(allow_get=True)
def erase(request):
    """Ask for erasure: a POST made more than a few minutes after the last sign-in first goes through allauth's
    reauthentication (password, or the second factor), which then replays it; the account is deleted and the
    person signed out."""
    from django.contrib.auth import logout

    from .forms import EraseForm
    from .privacy import account_erase, erasure_blockers

    blockers = erasure_blockers(user=request.user)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not blockers:
        try:
            account_erase(actor=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your account and personal data were erased. Documents issued to you "
                                        "still verify when you show them."))
            return HttpResponseRedirect(reverse("core:home"))
    return render(request, "accounts/erase.html", {"form": form, "blockers": blockers},
                  status=400 if request.method == "POST" else 200)
