"""The forecast chart's pickers in a real browser: choosing a location shows it at once (no inline script)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.conftest import PASSWORD
from tests.forecasting.conftest import World, make_run

pytestmark = pytest.mark.slow


@pytest.fixture
def world(asgi_server, make_user):
    make_user("planner", role="planner", is_staff=True)
    w = World()
    make_run([(w.store_a, w.bread), (w.store_a, w.milk), (w.store_b, w.bread)])
    return w


def test_choosing_a_location_shows_its_chart_and_resets_the_product(browser, asgi_server, world):
    browser.get(asgi_server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys("planner")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(ec.url_changes(asgi_server.url + reverse("admin:login")))
    browser.get(asgi_server.url + reverse("admin:forecasting_forecast_chart"))
    products = Select(browser.find_element(By.NAME, "product"))
    assert [o.text for o in products.options] == ["BREAD Bread", "MILK Milk"]  # store A first
    products.select_by_visible_text("MILK Milk")
    WebDriverWait(browser, 10).until(ec.url_contains(f"product={world.milk.pk}"))

    Select(browser.find_element(By.NAME, "location")).select_by_value(str(world.store_b.pk))
    WebDriverWait(browser, 10).until(ec.url_contains(f"location={world.store_b.pk}"))
    assert f"product={world.milk.pk}" not in browser.current_url  # store B has no milk: the product was reset
    products = Select(browser.find_element(By.NAME, "product"))
    assert [o.text for o in products.options] == ["BREAD Bread"]
    image = browser.find_element(By.CSS_SELECTOR, "#content-main img")
    assert f"location={world.store_b.pk}" in image.get_attribute("src")
