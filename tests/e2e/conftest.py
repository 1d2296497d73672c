"""Browser tests: Debian's Chromium driven by Selenium, with an axe-core check.

Every test here is marked ``browser``. Screenshots go to ``test-artifacts/screenshots``
(git-ignored) for review.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not Path(binary).exists() or not Path(driver_path).exists():
        pytest.fail(
            "Chromium and chromedriver are needed: apt-get install chromium chromium-driver"
        )
    profile = tempfile.mkdtemp(prefix="sabo-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """Helpers over the Selenium driver for GOV.UK pages."""

    def __init__(self, driver, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.driver = driver
        self.base_url = base_url

    def visit(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    @property
    def h1(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.TAG_NAME, "h1").text

    @property
    def title(self) -> str:
        return self.driver.title

    def fill(self, field_id: str, value: str) -> None:
        from selenium.webdriver.common.by import By

        element = self.driver.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)

    def click_button(self, text: str) -> None:
        """Click a button by its text and wait for the next page to load."""
        from selenium.webdriver.common.by import By

        # XPath 1.0 has no escapes: quote the text with whichever quote it does not hold.
        literal = f'"{text}"' if "'" in text else f"'{text}'"
        self._and_wait(
            self.driver.find_element(By.XPATH, f"//button[normalize-space()={literal}]").click
        )

    def click_link(self, text: str) -> None:
        from selenium.webdriver.common.by import By

        self._and_wait(self.driver.find_element(By.LINK_TEXT, text).click)

    def _and_wait(self, action) -> None:  # type: ignore[no-untyped-def]
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.driver.find_element(By.TAG_NAME, "html")
        action()

        def left_old_page(driver) -> bool:  # type: ignore[no-untyped-def]
            # Chromium reports a replaced document either as a stale element or, mid-way
            # through navigation, as a node that "does not belong to the document".
            try:
                old.is_enabled()
            except WebDriverException:
                return True
            return False

        WebDriverWait(self.driver, 30).until(left_old_page)
        WebDriverWait(self.driver, 30).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def sign_in(self, username: str, password: str) -> None:
        self.sign_out()
        self.visit("/sign-in/")
        self.fill("id_username", username)
        self.fill("id_password", password)
        self.click_button("Sign in")

    def sign_out(self) -> None:
        self.driver.delete_all_cookies()

    def text(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.TAG_NAME, "main").text

    def check_page(self, name: str) -> None:
        """Title starts with the h1; axe finds no WCAG 2.x A/AA violations; screenshot."""
        assert self.title.startswith(self.h1) or self.title.startswith(f"Error: {self.h1}"), (
            f"title {self.title!r} does not start with h1 {self.h1!r}"
        )
        self.screenshot(name)
        violations = self.axe()
        assert violations == [], json.dumps(violations, indent=2)[:4000]

    def axe(self) -> list[dict]:
        self.driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))"
            ".catch(e => done([{id: 'axe-error', help: String(e)}]));",
            AXE_TAGS,
        )
        return list(result)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def page(browser, live_server) -> Page:  # type: ignore[no-untyped-def]
    """A browser page on the live test server; starts signed out."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm ci` (scripts/test.sh does)")
    p = Page(browser, live_server.url)
    p.sign_out()
    return p
