"""A form that includes the ESCO side panel, as the Europass and micro-credential forms do (browser test only)."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from agnitio.frameworks.forms import esco_uris_field


class OutcomeForm(forms.Form):
    text = forms.CharField(label="Learning outcomes", widget=forms.Textarea)
    esco_uris = esco_uris_field(kind="skill")


PANEL = ('{% include "frameworks/_esco_panel.html" with esco_target=form.text.id_for_label '
         'esco_uris=form.esco_uris.id_for_label esco_id="outcome-esco" esco_kind="skill" %}')
TEMPLATE = """{% extends "base.html" %}{% block content %}
<form method="post" id="outcome-form">{% csrf_token %}
  <p><label for="{{ form.text.id_for_label }}">{{ form.text.label }}</label>{{ form.text }}</p>
  <p><label for="{{ form.esco_uris.id_for_label }}">{{ form.esco_uris.label }}</label>{{ form.esco_uris }}</p>
  <button type="submit">Save</button>
</form>
{% if saved %}<p id="saved">{{ saved|join:" " }}</p>{% endif %}
PANEL
{% endblock %}"""


def outcome(request):
    form = OutcomeForm(request.POST or None)
    saved = form.cleaned_data["esco_uris"] if request.method == "POST" and form.is_valid() else None
    template = engines["django"].from_string(TEMPLATE.replace("PANEL", PANEL))
    return HttpResponse(template.render({"form": form, "saved": saved}, request))


urlpatterns = [path("demo/outcome/", outcome), path("", include("agnitio.urls"))]
