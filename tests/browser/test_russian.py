"""The home page in Russian, as a browser set to Russian asks for it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.browser.test_morning import login, morning  # noqa: F401 - the morning fixture

pytestmark = pytest.mark.slow


@pytest.fixture
def browser_language() -> str:
    return "ru"


def test_the_home_page_in_russian(browser, asgi_server, morning):  # noqa: F811
    login(browser, asgi_server)
    assert browser.current_url.endswith(reverse("admin:index"))
    text = browser.find_element(By.ID, "content").text
    assert "Предложения на проверке" in text
    assert "Производственные задания" in text
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=proposals]").text == "2"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
