"""allauth's messages whose Latvian (from allauth's own catalogue) reads badly, listed so that `makemessages` puts
them in our catalogue: locale/ comes first in LOCALE_PATHS, so our msgstr wins over allauth's.

Reviewed: the pages and e-mails of signing in and up, password reset, e-mail confirmation and two-factor codes.
The fixes: one word for signing in ("pieteikties", as in our own pages, not "ieiet"/"ielogoties"), "atiestatīt" for
resetting a password (allauth mixes it with "atjaunot"), "saite" (not "links"), "pašreizējā" (not "šobrīdējā"),
no calques ("sekojošas") or slang ("grasāties"), no typos ("spiedied", "izvēlietis"), the comma after "lūdzu",
and no sentence that assumes the reader is a man ("esat apstiprinājis") where a neutral form exists.

Nothing here is called: the list exists for the message extractor. Their Latvian is in locale/lv/LC_MESSAGES.
"""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGES = (
    gettext_noop("Sign In"),
    gettext_noop("Sign Up"),
    gettext_noop("Sign Out"),
    gettext_noop("Please type your current password."),
    gettext_noop("Current Password"),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Password successfully set."),
    gettext_noop("Primary email address set."),
    gettext_noop("Email (optional)"),
    gettext_noop("Password Reset"),
    gettext_noop("Bad Token"),
    gettext_noop("Reset My Password"),
    gettext_noop("Password Reset Email"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("The password reset link was invalid, possibly because it has already been used.  Please request a "
                 "<a href=\"%(passwd_reset_url)s\">new password reset</a>."),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("You are already logged in as %(user_display)s."),
    gettext_noop("Email Verification"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Are you sure?"),
    gettext_noop("I have saved my recovery codes"),
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    gettext_noop("You are about to deactivate authenticator app based authentication. Are you sure?"),
    gettext_noop("Your account is protected by two-factor authentication. Please enter an authenticator code:"),
    gettext_noop("Authenticator secret"),
)
