import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns every drf-spectacular warning (untyped field, unknown view) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "openapi: 3" in out.read_text()


@pytest.mark.django_db
def test_schema_and_docs_need_login_and_docs_are_served_offline(client_for):
    assert client_for("anonymous").get("/api/v1/schema/").status_code == 401
    viewer = client_for("viewer")
    schema = viewer.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/auth/login/" in schema.json()["paths"]
    docs = viewer.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


@pytest.mark.django_db
def test_page_size_is_capped_with_a_clear_error_never_truncated(client_for):
    admin = client_for("admin")
    first = admin.get("/api/v1/groups/", {"page_size": 2})
    assert first.status_code == 200
    body = first.json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]
    second = admin.get("/api/v1/groups/", {"page_size": 2, "page": 2})
    assert len(second.json()["results"]) == 2
    names = {g["name"] for g in body["results"] + second.json()["results"]}
    assert names == {"viewer", "planner", "integrator", "admin"}

    too_big = admin.get("/api/v1/groups/", {"page_size": 1001})
    assert too_big.status_code == 400
    assert "page_size" in too_big.json() and "1000" in too_big.json()["page_size"][0]
    assert admin.get("/api/v1/groups/", {"page_size": 1000}).status_code == 200
    assert admin.get("/api/v1/groups/", {"page_size": "lots"}).status_code == 400
    assert admin.get("/api/v1/groups/", {"page_size": 0}).status_code == 400
    assert admin.get("/api/v1/groups/", {"page": 99}).status_code == 404


@pytest.mark.django_db
def test_browsable_api_is_on(client_for):
    response = client_for("admin").get("/api/v1/groups/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Django REST framework" in response.content
