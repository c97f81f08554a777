"""The provider's pages work without JavaScript: describe a draft in the form, see what is missing, publish, make a
new version, award one learner, edit the provider page; every input has a label; others get 404."""

import re

import pytest
from django.urls import reverse

from agnitio.microcredentials.models import Award, ProviderProfile, Specification

from .conftest import COMPLETE


def _form_data(**changes):
    data = {**COMPLETE, "esco_skills": "\n".join(s["uri"] for s in COMPLETE["esco_skills"]),
            "co_awarding_bodies": "", **changes}
    return {k: v for k, v in data.items() if v is not None}


def _unlabelled(html: str) -> list[str]:
    """Ids of visible inputs, selects and textareas without a <label for=...>."""
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\sid="([^"]+)"', html)
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    return [i for i in ids if i not in labelled]


def test_describe_see_missing_publish_and_version(client, owner, organisation):
    client.force_login(owner)
    page = client.get(reverse("microcredentials:specification_create"))
    assert page.status_code == 200 and _unlabelled(page.content.decode()) == []
    response = client.post(reverse("microcredentials:specification_create"), {"title": "Only a title"})
    assert response.status_code == 302
    draft = Specification.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "Missing before it can be published" in detail and "the learning outcomes" in detail
    response = client.post(reverse("microcredentials:specification_publish", args=[draft.public_id]), follow=True)
    assert "It cannot be published yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    response = client.post(reverse("microcredentials:specification_edit", args=[draft.public_id]), _form_data())
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    client.post(reverse("microcredentials:specification_publish", args=[draft.public_id]))
    draft.refresh_from_db()
    assert draft.status == "published" and draft.esco_skills[0]["label"] == "stimulate creativity in the team"
    assert client.get(reverse("microcredentials:specification_edit", args=[draft.public_id])).status_code == 302
    response = client.post(reverse("microcredentials:specification_new_version", args=[draft.public_id]))
    new = Specification.objects.get(version=2)
    assert response["Location"] == reverse("microcredentials:specification_edit", args=[new.public_id])
    listing = client.get(reverse("microcredentials:specification_list")).content.decode()
    assert listing.count(COMPLETE["title"]) == 2


def test_form_errors_keep_what_was_entered(client, owner):
    client.force_login(owner)
    response = client.post(reverse("microcredentials:specification_create"),
                           _form_data(esco_skills="http://example.org/not-esco"))
    assert response.status_code == 200 and not Specification.objects.exists()
    html = response.content.decode()
    assert "Not an ESCO skill: http://example.org/not-esco" in html
    assert COMPLETE["learning_outcomes"].splitlines()[0] in html


def test_award_one_learner_from_the_page(client, owner, published):
    client.force_login(owner)
    url = reverse("microcredentials:award_issue", args=[published.public_id])
    page = client.get(url)
    assert page.status_code == 200 and _unlabelled(page.content.decode()) == []
    response = client.post(url, {"name": "Anna Bērziņa", "email": "anna@example.org", "languages": "lv+en",
                                 "evidence_links": "https://portfolio.example/anna"})
    award = Award.objects.get()
    assert response["Location"] == reverse("microcredentials:award_detail", args=[award.public_id])
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert award.credential.number in html and "https://portfolio.example/anna" in html
    assert _unlabelled(html) == []
    response = client.post(response["Location"], {"link-url": "https://video.example/assessment",
                                                   "link-title": "Recording", "add_link": "1"})
    assert response.status_code == 302 and award.evidence.count() == 2


def test_provider_page_form_for_admins_only(client, owner, editor, organisation):
    url = reverse("microcredentials:provider_edit", args=[organisation.public_id])
    client.force_login(editor)
    assert client.get(url).status_code == 404
    assert client.post(url, {"quality_assurance": "X"}).status_code == 404
    assert not ProviderProfile.objects.exists()
    client.force_login(owner)
    assert _unlabelled(client.get(url).content.decode()) == []
    response = client.post(url, {"quality_assurance": "Annual review.", "recognition_policy": "We recognise.",
                                 "listed": "on"})
    assert response.status_code == 302 and ProviderProfile.objects.get().recognition_policy == "We recognise."


@pytest.mark.parametrize("name", ["specification_detail", "specification_edit", "award_issue", "import_upload"])
def test_outsider_gets_404(client, outsider, published, name):
    client.force_login(outsider)
    assert client.get(reverse(f"microcredentials:{name}", args=[published.public_id])).status_code == 404
    for action in ("specification_publish", "specification_withdraw", "specification_new_version",
                   "specification_delete"):
        assert client.post(reverse(f"microcredentials:{action}", args=[published.public_id])).status_code == 404
    published.refresh_from_db()
    assert published.status == "published" and Specification.objects.count() == 1


def test_catalogue_pages_are_accessible(client, published):
    for url in (reverse("microcredentials:catalogue"),
                reverse("microcredentials:catalogue_detail", args=[published.public_id]),
                reverse("microcredentials:provider_detail", args=[published.organisation.public_id])):
        html = client.get(url).content.decode()
        assert "<main" in html and "<h1" in html and _unlabelled(html) == [], url


ESCO_SKILL = COMPLETE["esco_skills"][0]["uri"]


def test_the_form_has_the_esco_panel_and_stores_the_links_with_esco_labels(client, owner, esco_english):
    client.force_login(owner)
    page = client.get(reverse("microcredentials:specification_create")).content.decode()
    assert "data-esco-panel" in page and 'data-esco-target="id_learning_outcomes"' in page
    assert 'data-esco-uris="id_esco_skills"' in page and "This service uses the ESCO classification" in page
    assert _unlabelled(page) == []
    response = client.post(reverse("microcredentials:specification_create"),
                           _form_data(esco_skills=f"{ESCO_SKILL}\n{ESCO_SKILL}\n"))
    assert response.status_code == 302
    draft = Specification.objects.get()
    assert draft.esco_skills == [{"uri": ESCO_SKILL, "label": "stimulate creativity in the team"}]
    page = client.get(reverse("microcredentials:specification_edit", args=[draft.public_id])).content.decode()
    assert ESCO_SKILL in page  # the stored links fill the field again


def test_an_unknown_or_non_skill_esco_concept_is_refused(client, owner, esco_english):
    from agnitio.frameworks.selectors import esco_search

    occupation = esco_search(query="youth worker", kind="occupation").items[0].uri
    client.force_login(owner)
    for value in (ESCO_SKILL[:-4] + "0000", occupation):
        response = client.post(reverse("microcredentials:specification_create"), _form_data(esco_skills=value))
        assert response.status_code == 200 and "Not an ESCO skill" in response.content.decode()
    assert not Specification.objects.exists()


def test_pages_show_esco_labels_and_the_attribution_only_where_esco_is_used(client, owner, organisation,
                                                                            published, esco_english):
    from agnitio.microcredentials.services.specifications import specification_create

    attribution = "This service uses the ESCO classification of the European Commission."
    Specification.objects.filter(pk=published.pk).update(esco_skills=[{"uri": ESCO_SKILL, "label": "stale"}])
    client.force_login(owner)
    for url in (reverse("microcredentials:specification_detail", args=[published.public_id]),
                reverse("microcredentials:catalogue_detail", args=[published.public_id])):
        page = client.get(url).content.decode()
        assert "stimulate creativity in the team" in page and "stale" not in page and attribution in page
    plain = specification_create(actor=owner, organisation=organisation, data={"title": "No ESCO"})
    page = client.get(reverse("microcredentials:specification_detail", args=[plain.public_id])).content.decode()
    assert attribution not in page
