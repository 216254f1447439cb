"""Fixtures of the browser journeys: a real server, Debian's Chromium, logged-in pages.

One ``govcounsel serve --demo`` runs for the whole session on a tmp data dir (and
its own PostgreSQL database when ``GOVCOUNSEL_TEST_DATABASE_URL`` is set).
Without ``/usr/bin/chromium`` or the ``playwright`` package the journeys skip
loudly (fail under ``GOVCOUNSEL_REQUIRE_ALL``).

Screenshots go to ``GOVCOUNSEL_SCREENSHOT_DIR`` when it is set (the README's are
made with ``GOVCOUNSEL_SCREENSHOT_DIR=docs/screenshots``), else to a tmp dir, so
an ordinary run does not rewrite the committed images.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e import server as live
from tests.helpers import skip_or_fail

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 900}
STEP_TIMEOUT_MS = 60_000  # generous: CI machines are small and shared


@pytest.fixture(scope="session")
def playwright_api():
    """``playwright.sync_api``, or a loud skip when it or Chromium is missing."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"browser journeys need Debian's chromium at {CHROMIUM}")
    try:
        from playwright import sync_api
    except ImportError:
        skip_or_fail("browser journeys need the playwright package (pip install playwright)")
    return sync_api


@pytest.fixture(scope="session")
def browser(playwright_api):
    """Headless Chromium, shared by the session."""
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(playwright_api, tmp_path_factory: pytest.TempPathFactory) -> Iterator[live.LiveServer]:
    """``govcounsel serve --demo`` on a free port, stopped (and its database dropped) at the end."""
    pg_url = os.environ.get("GOVCOUNSEL_TEST_DATABASE_URL", "")
    database = live.PostgresDatabase(pg_url) if pg_url else None
    try:
        running = live.start(tmp_path_factory.mktemp("e2e") / "data",
                             database.url if database else None)
        try:
            yield running
        finally:
            live.stop(running)
    finally:
        if database is not None:
            database.drop()


@pytest.fixture
def login(browser, server: live.LiveServer) -> Iterator[Callable]:
    """``login("clerk")`` → a page of a fresh browser context, signed in through the login form.

    Confirmation dialogs (``data-confirm``) are accepted; their texts are kept in
    ``page.dialogs``.
    """
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                      viewport=VIEWPORT, accept_downloads=True)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []

        def accept(dialog) -> None:
            page.dialogs.append(dialog.message)
            dialog.accept()

        page.on("dialog", accept)
        page.goto(server.url + "/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(server.logins[username])
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(server.url + "/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where ``shot`` saves PNGs (see the module docstring)."""
    chosen = os.environ.get("GOVCOUNSEL_SCREENSHOT_DIR")
    path = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shot(screenshot_dir: Path) -> Callable:
    """``shot(page, "1-contract-form")`` saves a PNG of the full page (options as in
    ``page.screenshot``, e.g. ``clip``)."""

    def save(page, name: str, **options) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), **{"full_page": True, "animations": "disabled",
                                           **options})
        return path

    return save
