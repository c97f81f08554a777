"""The opening line of an e-mail: `{% email_greeting name %}`.

Latvian addresses a person in the vocative ("Jāni!", "Pēter!", "Ilze!"), and the names we hold are in the
nominative ("Jānis", "Pēteris"): "Sveiki, Jānis!" reads wrong. Latvian e-mails therefore greet without the name
("Labdien!"); languages that greet with the name as it is (English: "Hello Anna,") keep it."""

from django import template
from django.utils.translation import get_language, gettext

register = template.Library()

GREETS_WITHOUT_THE_NAME = {"lv"}


@register.simple_tag
def email_greeting(name: str = "") -> str:
    language = (get_language() or "")[:2]
    if not name or language in GREETS_WITHOUT_THE_NAME:
        return gettext("Hello,")
    return gettext("Hello %(name)s,") % {"name": name}
