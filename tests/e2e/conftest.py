"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright.

The browser is the system's (`/usr/bin/chromium`, installed by `./dev test`
and `.ci/run`); Playwright never downloads one of its own. Set
`XINYONG_CHROMIUM` to use another executable.
"""

import os
import shutil

import pytest

pytestmark = pytest.mark.e2e

# Django refuses synchronous database calls from a thread that runs an event
# loop; Playwright's sync API runs one. The tests themselves stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium() -> str:
    path = os.environ.get("XINYONG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            f"找不到 Chromium（{path}）：请运行 ./dev test（它会安装 Debian 的 chromium 软件包）"
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
