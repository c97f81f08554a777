"""ESCO search page and the side panel's results (HTMX fragment of the same view). Public reference data: anyone
may search, throttled (frameworks/throttle.py)."""

from django.shortcuts import render
from django_ratelimit.exceptions import Ratelimited

from . import selectors
from .forms import EscoSearchForm
from .throttle import esco_search_throttled


def esco_search(request):
    """GET /esco/search/?q=&kind=&language= — the full page without JavaScript, the results fragment for htmx.
    With `occupation=<uri>`: that occupation's essential and optional skills, to choose from."""
    form = EscoSearchForm(request.GET)
    context = {"form": form, "attribution": selectors.ESCO_ATTRIBUTION, "result": None, "occupation": None,
               "occupation_skills": [], "searched": False}
    status = 200
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["q"] or form.cleaned_data["occupation"]:
        if esco_search_throttled(request):
            raise Ratelimited()
        language = form.cleaned_data["language"]
        context["searched"] = True
        if form.cleaned_data["occupation"]:
            uri = form.cleaned_data["occupation"]
            context["occupation"] = selectors.esco_concepts_get(uris=[uri], language=language).get(uri)
            context["occupation_skills"] = selectors.esco_occupation_skills(uri=uri, language=language)
        else:
            context["result"] = selectors.esco_search(query=form.cleaned_data["q"],
                                                      kind=form.cleaned_data["kind"] or None,
                                                      language=language, limit=20)
    template = "frameworks/_esco_results.html" if request.htmx else "frameworks/esco_search.html"
    return render(request, template, context, status=status)
