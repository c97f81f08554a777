"""Reference lists of micro-credential specifications."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# ISCED-F 2013 narrow fields of education (the ELM's thematic area, required by its learning-opportunity shapes):
# code → name. The concept URI is http://data.europa.eu/snb/isced-f/<code>.
ISCED_F_FIELDS = {
    "001": _("Basic programmes and qualifications"),
    "002": _("Literacy and numeracy"),
    "003": _("Personal skills and development"),
    "011": _("Education"),
    "021": _("Arts"),
    "022": _("Humanities (except languages)"),
    "023": _("Languages"),
    "031": _("Social and behavioural sciences"),
    "032": _("Journalism and information"),
    "041": _("Business and administration"),
    "042": _("Law"),
    "051": _("Biological and related sciences"),
    "052": _("Environment"),
    "053": _("Physical sciences"),
    "054": _("Mathematics and statistics"),
    "061": _("Information and Communication Technologies (ICTs)"),
    "071": _("Engineering and engineering trades"),
    "072": _("Manufacturing and processing"),
    "073": _("Architecture and construction"),
    "081": _("Agriculture"),
    "082": _("Forestry"),
    "083": _("Fisheries"),
    "084": _("Veterinary"),
    "091": _("Health"),
    "092": _("Welfare"),
    "101": _("Personal services"),
    "102": _("Hygiene and occupational health services"),
    "103": _("Security services"),
    "104": _("Transport services"),
}
# Lazy, so each page shows the names in its own language (an f-string would fix them in the language at import).
ISCED_F_CHOICES = [(code, format_lazy("{} {}", code, name)) for code, name in ISCED_F_FIELDS.items()]
