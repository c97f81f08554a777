"""The two forms of the verification page (by code, by file) written in Python: the page is the busiest HTML page
of the platform (every QR code scanned opens it), and as template markup the forms were a dozen `{% translate %}`
and variable nodes plus two form objects built per request. The markup is the template's, byte for byte
(agnitio/credentials/tests/test_verify_page_markup.py renders the old template and compares)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from agnitio.core import layout

from ..forms import VerifyForms

register = template.Library()


def _errors(errors) -> SafeString:
    return format_html('<ul class="errors">{}</ul>', format_html_join("", "<li>{}</li>", ((e,) for e in errors)))


@layout.per_layout_key
def _parts(language, urlconf, resolver, prefix, current_app) -> tuple[SafeString, ...]:
    # The key is what gettext and reverse() read themselves (core.layout.layout_key).
    from agnitio.core.templatetags.agnitio_urls import reverse_memoised

    action = reverse_memoised("credentials:verify", current_app=current_app)
    by_code = format_html(
        '<section aria-labelledby="by-code">\n  <h2 id="by-code">{}</h2>\n'
        '  <form method="get" action="{}" data-no-draft>\n    \n    ',
        _("By verification code"), action)
    code_input = format_html(
        '\n    <p><label for="id_code">{}</label>\n      <input type="text" name="code" id="id_code" maxlength="40" '
        'required autocapitalize="characters" spellcheck="false" aria-describedby="id_code_help" value="',
        _("Verification code"))
    code_end = format_html(
        '">\n      <span class="helptext" id="id_code_help">{}</span></p>\n    <button type="submit">{}</button>\n'
        '  </form>\n</section>\n<section aria-labelledby="by-file">\n  <h2 id="by-file">{}</h2>\n'
        '  <form method="post" action="{}" enctype="multipart/form-data">\n    ',
        _("As printed on the document or under its QR code, e.g. 7K3M-Q9TZ-2HWA-XR4F."), _("Verify"),
        _("By file"), action)
    file_fields = format_html(
        '\n    <p><label for="id_file">{}</label>\n      <input type="file" name="file" id="id_file" '
        'accept=".pdf,.json,.jsonld,application/pdf,application/json"></p>\n'
        '    <p><label for="id_credential_json">{}</label>\n'
        '      <textarea name="credential_json" id="id_credential_json" rows="6">',
        _("PDF or credential file (.pdf, .json)"), _("…or paste the credential JSON"))
    file_end = format_html('</textarea></p>\n    <button type="submit">{}</button>\n  </form>\n</section>',
                           _("Verify the file"))
    return by_code, code_input, code_end, file_fields, file_end


@register.simple_tag(takes_context=True)
def verify_forms(context, forms: VerifyForms) -> SafeString:
    """The page's two forms: by verification code (GET, no CSRF token: it only reads) and by file (POST)."""
    by_code, code_input, code_end, file_fields, file_end = _parts(*layout.layout_key(context))
    return SafeString(
        by_code + (_errors(forms.code_errors) if forms.code_refused else "") + code_input
        + conditional_escape(forms.code) + code_end + layout.csrf_input(context) + "\n    "
        + (_errors(forms.file_errors) if forms.file_errors else "") + file_fields
        + conditional_escape(forms.credential_json) + file_end)
