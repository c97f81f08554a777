"""GET /api/v1/esco/search: public, typed in the OpenAPI document, bounded (400 with the error shape), throttled."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/esco/search"


def test_search_answers_typed_results_with_the_attribution(client):
    response = client.get(URL, {"q": "nurce", "kind": "occupation", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "en" and body["fallback"] is False and len(body["items"]) == 3
    assert body["attribution"] == "This service uses the ESCO classification of the European Commission."
    item = body["items"][0]
    assert set(item) == {"uri", "kind", "language", "preferred_label", "alt_labels", "description", "skill_type",
                         "reuse_level", "code", "matched_label"}
    assert item["kind"] == "occupation" and "nurse" in item["preferred_label"]


def test_latvian_without_data_falls_back_and_says_so(client):
    body = client.get(URL, {"q": "cook", "language": "lv"}).json()
    assert body["requested_language"] == "lv" and body["language"] == "en" and body["fallback"] is True
    assert body["items"][0]["preferred_label"] == "cook"


@pytest.mark.parametrize(("params", "code"), [
    ({"q": "x" * 101}, "query_too_long"),
    ({"q": "cook", "kind": "course"}, "invalid_kind"),
    ({"q": "cook", "limit": 500}, "invalid_limit"),
    ({"q": "cook", "language": "EN_us!"}, "invalid_language"),
])
def test_bad_parameters_answer_400_with_the_error_shape(client, params, code):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["detail"]


def test_a_missing_query_is_invalid_input(client):
    assert client.get(URL).status_code == 422


def test_the_operation_is_documented_public_with_its_bounds(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"][URL]["get"]
    assert "security" not in operation
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["q"]["schema"]["maxLength"] == 100 and parameters["q"]["required"] is True
    assert parameters["kind"]["schema"]["enum"] == ["", "skill", "occupation"]  # empty: both, as the endpoint answers
    assert parameters["limit"]["schema"]["maximum"] == 50
    assert set(operation["responses"]) >= {"200", "400", "429"}
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "items" in document["components"]["schemas"][schema]["properties"]


def test_anonymous_clients_are_throttled_per_address(client, settings):
    settings.AGNITIO_ESCO_SEARCH_RATE_LIMIT = "3/m"
    statuses = [client.get(URL, {"q": "cook"}, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(URL, {"q": "cook"}, REMOTE_ADDR="203.0.113.7")
    assert response.json()["code"] == "throttled"
    assert client.get(URL, {"q": "cook"}, REMOTE_ADDR="198.51.100.1").status_code == 200  # another address


def test_signed_in_people_have_their_own_generous_budget(client, make_user, settings):
    settings.AGNITIO_ESCO_SEARCH_RATE_LIMIT = "1/m"
    settings.AGNITIO_ESCO_SEARCH_USER_RATE_LIMIT = "5/m"
    client.force_login(make_user("editor@example.org"))
    statuses = [client.get(URL, {"q": "cook"}, REMOTE_ADDR="203.0.113.7").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
