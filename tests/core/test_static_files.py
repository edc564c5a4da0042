"""Static files with DEBUG off, as in the image: collectstatic, then WhiteNoise serves them from the app.

The suite's settings use plain storage so pages render without collecting first; here the production storage
(compressed, content-hashed names) is switched back on and collected into a temporary STATIC_ROOT.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings

from salesforecast import settings as production_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=production_settings.STORAGES):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


def _static_urls(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)))


def test_debug_is_off_and_the_production_storage_hashes_names(collected):
    assert django_settings.DEBUG is False
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in django_settings.MIDDLEWARE
    assert list(collected.glob("admin/css/base.*.css")), "collectstatic wrote no hashed copy of base.css"
    assert list(collected.glob("admin/css/base.*.css.gz")), "collectstatic wrote no compressed copy"


def test_admin_login_page_links_hashed_assets_that_are_served_compressed_and_cached(collected):
    client = Client()
    page = client.get("/admin/login/")
    assert page.status_code == 200
    urls = _static_urls(page.content.decode())
    base_css = [u for u in urls if u.startswith("/static/admin/css/base.")]
    assert base_css and base_css[0] != "/static/admin/css/base.css", urls

    response = client.get(base_css[0], HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/css")
    # The unhashed name answers too (for links that bypass {% static %}), but without the far-future cache.
    plain = client.get("/static/admin/css/base.css")
    assert plain.status_code == 200 and "immutable" not in plain.get("Cache-Control", "")


def test_swagger_ui_and_browsable_api_assets_are_served(collected, admin_user):
    client = Client()
    client.force_login(admin_user)
    for page_url in ("/api/v1/docs/", "/api/v1/auth/me/"):
        page = client.get(page_url, HTTP_ACCEPT="text/html")
        assert page.status_code == 200, page_url
        urls = _static_urls(page.content.decode())
        assert urls, f"{page_url} links no static files"
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert b"".join(response.streaming_content), url
    docs = client.get("/api/v1/docs/").content.decode()
    assert any("swagger-ui-dist/swagger-ui-bundle." in u for u in _static_urls(docs))


def test_an_unknown_static_file_is_a_404(collected):
    assert Client().get("/static/admin/css/no-such-file.css").status_code == 404
