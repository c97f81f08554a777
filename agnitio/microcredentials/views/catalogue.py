"""The public catalogue: every provider's published micro-credentials, searchable and filterable, each also as
European Learning Model JSON-LD (a LearningOpportunity with its LearningAchievementSpecification), each
provider's page with its quality assurance, recognition policy and harvestable dataset, and the small vocabulary of
our own concepts those documents use. Anonymous clients are
throttled (`MICROCREDENTIAL_CATALOGUE_RATE_LIMIT`, per address); signed-in people are not."""

from __future__ import annotations

import functools
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET
from django_ratelimit.exceptions import Ratelimited

from agnitio.core.http import not_found_as_404
from agnitio.core.pagination import keyset_page

from .. import elm, forms, selectors
from ..throttle import catalogue_throttled

JSONLD = "application/ld+json; charset=utf-8"
CATALOGUE_PAGE_SIZE = 20


def _throttled(view):
    """Anonymous clients over their budget get the 429 page (`throttle.py`; pages and API share it)."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if catalogue_throttled(request):
            raise Ratelimited()
        return view(request, *args, **kwargs)
    return wrapper


def filters_from(data) -> tuple[forms.CatalogueFilterForm, selectors.CatalogueFilters]:
    """The filter form bound to the query, and the filters from its valid fields (an invalid one is ignored)."""
    form = forms.CatalogueFilterForm(data)
    form.is_valid()
    values = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    return form, selectors.CatalogueFilters(**values)


def _jsonld_response(document: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type=JSONLD)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # public, harvestable data
    return response


@require_GET
@_throttled
def catalogue_list(request):
    form, filters = filters_from(request.GET)
    page = keyset_page(selectors.catalogue_list(filters=filters), ordering=selectors.CATALOGUE_ORDER,
                       request=request, default_size=CATALOGUE_PAGE_SIZE)
    return render(request, "microcredentials/catalogue_list.html", {
        "page": page, "form": form, "filters": filters,
        "providers": selectors.catalogue_providers()[:200],
    })


@require_GET
@_throttled
@not_found_as_404
def catalogue_detail(request, sid):
    specification = selectors.catalogue_get(public_id=sid)
    return render(request, "microcredentials/catalogue_detail.html", {
        "specification": specification,
        "current": selectors.catalogue_current_version(specification=specification),
        "profile": selectors.provider_profile_get(organisation=specification.organisation),
        "esco_skills": selectors.specification_esco_skills(specification=specification,
                                                           language=translation.get_language()),
    })


@require_GET
def elm_vocabulary(request):
    """The concepts of our own that the ELM documents use (QF-EHEA cycles, the subjects of the standard elements'
    notes), published at the address their identifiers start with (SKOS in JSON-LD)."""
    from agnitio.credentials.formats.elm_microcredential import vocabulary_document

    return _jsonld_response(vocabulary_document(), filename="elm-vocabulary.jsonld")


@require_GET
@_throttled
@not_found_as_404
def catalogue_jsonld(request, sid):
    specification = selectors.catalogue_get(public_id=sid)
    return _jsonld_response(elm.learning_opportunity_document(specification),
                            filename=f"{specification.public_id}.jsonld")


@require_GET
@_throttled
@not_found_as_404
def provider_detail(request, oid):
    organisation, profile = selectors.provider_public_get(public_id=oid)
    filters = selectors.CatalogueFilters(provider=organisation.public_id)
    page = keyset_page(selectors.catalogue_list(filters=filters), ordering=selectors.CATALOGUE_ORDER,
                       request=request, default_size=CATALOGUE_PAGE_SIZE)
    return render(request, "microcredentials/provider_detail.html",
                  {"organisation": organisation, "profile": profile, "page": page})


@require_GET
@_throttled
@not_found_as_404
def provider_dataset(request, oid):
    organisation, _profile = selectors.provider_public_get(public_id=oid)
    specifications = selectors.catalogue_list(filters=selectors.CatalogueFilters(provider=organisation.public_id))
    return _jsonld_response(elm.provider_dataset_document(organisation, specifications.order_by("-published_at",
                                                                                                 "-id")[:2000]),
                            filename=f"{organisation.public_id}-dataset.jsonld")
