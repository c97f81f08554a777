from django.urls import reverse


def test_publish_and_find_in_catalogue(client, published):
    assert published.status == "published"
    response = client.get(reverse("microcredentials:catalogue"))
    assert response.status_code == 200
    assert published.title in response.content.decode()
    response = client.get(reverse("microcredentials:catalogue_jsonld", args=[published.public_id]))
    assert response.status_code == 200
    response = client.get(reverse("microcredentials:provider_dataset", args=[published.organisation.public_id]))
    assert response.status_code == 200
