"""The planner's morning in a real browser: home, review queue, production board, live sync progress."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from integrations.models import SyncRun
from planning.models import ProductionTask, PurchaseOrderLine
from tests.conftest import PASSWORD
from tests.workbench.conftest import build_morning

pytestmark = pytest.mark.slow

# HTML5 drag and drop as the browser fires it (WebDriver's own drag does not raise dragstart/drop events).
DRAG_AND_DROP = """
const card = arguments[0], column = arguments[1];
const data = new DataTransfer();
card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
column.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
column.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
card.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));
"""


@pytest.fixture
def morning(asgi_server, settings, tmp_path, make_user):
    settings.ARTIFACTS_ROOT = tmp_path / "artifacts"
    settings.IMPORTS_ROOT = tmp_path / "imports"
    make_user("planner", role="planner", is_staff=True)
    return build_morning()


def login(browser, server, username: str = "planner") -> None:
    browser.get(server.url + reverse("admin:login"))
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "card-proposals")))


def wait(browser, condition, seconds: float = 10):
    return WebDriverWait(browser, seconds).until(condition)


def test_home_shows_the_counts(browser, asgi_server, morning):
    login(browser, asgi_server)
    figure = browser.find_element(By.CSS_SELECTOR, "[data-figure=proposals]")
    assert figure.text == "2"
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=alerts]").text == "1"
    assert browser.find_element(By.CSS_SELECTOR, "[data-figure=tasks-draft]").text == "1"
    figure.click()
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".wb-queue")))


def test_approve_from_the_queue_and_follow_the_link_to_the_order_line(browser, asgi_server, morning):
    login(browser, asgi_server)
    browser.get(asgi_server.url + reverse("workbench:queue"))
    row = browser.find_element(By.ID, f"proposal-{morning.open_buy.pk}")
    assert "no stock known" in row.text
    quantity = row.find_element(By.NAME, "quantity")
    quantity.clear()
    quantity.send_keys("24")
    row.find_element(By.NAME, "approve").click()
    link = wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, ".messagelist a")))
    line = PurchaseOrderLine.objects.get(proposal_id=morning.open_buy.pk)
    assert link.text == f"PO {line.order_id}, line {line.pk}"
    link.click()
    wait(browser, ec.url_contains(f"/purchaseorder/{line.order_id}/change/"))
    assert "24" in browser.find_element(By.ID, "lines-group").text
    back = browser.find_element(By.CSS_SELECTOR,
                                f"#lines-group a[href*='/orderproposal/{morning.open_buy.pk}/change/']")
    assert back is not None


def test_drag_a_task_to_in_progress_and_the_board_and_api_agree(browser, asgi_server, morning):
    login(browser, asgi_server)
    browser.get(asgi_server.url + reverse("workbench:kanban"))
    task = morning.approved_task
    card = browser.find_element(By.ID, f"task-{task.pk}")
    browser.execute_script(DRAG_AND_DROP, card, browser.find_element(By.ID, "column-in_progress"))
    wait(browser, ec.text_to_be_present_in_element((By.ID, "wb-board-message"), "is now In progress"))
    assert browser.find_element(By.CSS_SELECTOR, f"#column-in_progress #task-{task.pk}")
    # The API says the same (the session cookie authenticates the API too).
    browser.get(asgi_server.url + f"/api/v1/ppic/tasks/{task.pk}/?format=json")
    assert '"status":"in_progress"' in browser.find_element(By.TAG_NAME, "body").text.replace(" ", "")
    assert ProductionTask.objects.get(pk=task.pk).status == "in_progress"


def test_an_illegal_move_shows_the_services_message(browser, asgi_server, morning):
    login(browser, asgi_server)
    browser.get(asgi_server.url + reverse("workbench:kanban"))
    card = browser.find_element(By.ID, f"task-{morning.draft_task.pk}")
    browser.execute_script(DRAG_AND_DROP, card, browser.find_element(By.ID, "column-completed"))
    message = wait(browser, ec.text_to_be_present_in_element((By.ID, "wb-board-message"), "cannot become completed"))
    assert message
    assert browser.find_element(By.CSS_SELECTOR, f"#column-draft #task-{morning.draft_task.pk}")
    assert ProductionTask.objects.get(pk=morning.draft_task.pk).status == "draft"


def test_a_running_syncs_progress_changes_on_screen_without_a_reload(browser, asgi_server, morning):
    run = SyncRun.objects.create(account=morning.account, stream="products", status="running", progress_total=50)
    login(browser, asgi_server)
    browser.get(asgi_server.url + reverse("admin:integrations_syncrun_changelist"))
    browser.execute_script("window.__sameDocument = true;")
    wait(browser, lambda b: b.execute_script("return document.body.dataset.liveRuns") == "connected")
    SyncRun.objects.filter(pk=run.pk).update(progress_done=20)  # as the worker writes it
    cell = f"//tr[.//a[contains(@href, '/syncrun/{run.pk}/change/')]]/td[contains(@class, 'field-progress')]"
    wait(browser, ec.text_to_be_present_in_element((By.XPATH, cell), "20/50"))
    assert browser.execute_script("return window.__sameDocument === true")


def test_a_move_made_elsewhere_reaches_the_open_board_without_a_reload(browser, asgi_server, morning):
    from planning.services import production

    login(browser, asgi_server)
    browser.get(asgi_server.url + reverse("workbench:kanban"))
    browser.execute_script("window.__sameDocument = true;")
    wait(browser, lambda b: b.find_element(By.ID, "wb-live").get_attribute("data-connected") == "1")
    production.move_on_board(morning.draft_task.pk, status="approved", position=None)  # another planner, the API
    wait(browser, ec.presence_of_element_located((By.CSS_SELECTOR, f"#column-approved #task-{morning.draft_task.pk}")))
    assert browser.execute_script("return window.__sameDocument === true")
