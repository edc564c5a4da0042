"""Real headless Chromium (Debian's `chromium` + `chromium-driver`) against the ASGI app served by uvicorn in a
thread, so pages, JavaScript and WebSockets run as in production.

CI installs both packages (.ci/run); locally, without them, these tests skip and say what to install.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server:
    def __init__(self) -> None:
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from salesforecast.asgi import application

        self.port = _free_port()
        # Static files from the apps, as in development (the tests run with DEBUG off).
        config = uvicorn.Config(ASGIStaticFilesHandler(application), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="off", ws="wsproto")
        self.server = uvicorn.Server(config)
        self.server.install_signal_handlers = lambda: None
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        for _ in range(100):
            if self.server.started:
                return
            time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@pytest.fixture
def asgi_server(transactional_db, settings, no_persistent_connections):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.WORKBENCH_LIVE_POLL_SECONDS = 0.3
    server = _Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser_language() -> str:
    """The browser's Accept-Language; a test overrides this fixture to browse in another language."""
    return "en"


@pytest.fixture
def browser(browser_language):
    if not CHROMIUM or not os.path.exists(CHROMEDRIVER):
        message = "Browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message)  # CI (.ci/run) installs them: there a missing browser is a failure, not a skip
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000"):
        options.add_argument(arg)
    options.add_argument(f"--lang={browser_language}")
    options.add_experimental_option("prefs", {"intl.accept_languages": browser_language})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()
