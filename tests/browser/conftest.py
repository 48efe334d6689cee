"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

In CI a missing browser is a failure, never a skip; on a developer's machine without Chromium the browser
tests are skipped with the command that installs it.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..builders import PASSWORD, code_for, enrolled_device

# Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one per person); closed at the end of the test."""
    contexts = []

    def open_page(**options):
        """`options` go to the browser context, e.g. viewport={"width": 390, "height": 844} for a phone."""
        context = browser.new_context(base_url=live_server.url, accept_downloads=True, **options)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, username, password=PASSWORD):
    """Sign in through the form; a member who gives a code (a required role, or enrolled) types the one their
    authenticator app shows, computed here from the device's secret."""
    device = _device_of(username)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/**")
        page.fill("#id_code", code_for(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
    return page


def _device_of(username):
    from django.contrib.auth import get_user_model

    from drafting import two_factor
    from drafting.models.members import member_of

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not (two_factor.required_for(member_of(user)) or two_factor.is_enrolled(user)):
        return None
    return enrolled_device(user)


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's source, installed from tests/browser/package-lock.json (`make test` runs the same npm ci)."""
    if not AXE.exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=AXE.parents[2], capture_output=True, text=True)
        if done.returncode != 0 or not AXE.exists():
            pytest.fail(f"axe-core is missing and `npm ci` in tests/browser failed: {done.stderr[-500:]}")
    return AXE.read_text(encoding="utf-8")


# The CSP forbids inline scripts, so axe is evaluated through Playwright rather than added as a <script>.
AXE_RUN = """async () => (await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations.map(v =>
    `${v.id}: ${v.help} (${v.nodes.length}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)"""

# Every id an attribute refers to must exist; an empty label[for] names nothing at all.
BROKEN_ID_REFERENCES = """() => {
  const broken = [];
  for (const element of document.querySelectorAll('[aria-describedby], [aria-labelledby], [aria-controls], label[for]')) {
    for (const attribute of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
      const value = element.getAttribute(attribute);
      if (value === null) continue;
      if (!value.trim()) { broken.push(`${element.tagName.toLowerCase()} ${attribute}="" (${element.textContent.trim().slice(0, 40)})`); continue; }
      for (const id of value.trim().split(/\\s+/)) {
        if (!document.getElementById(id)) broken.push(`${element.tagName.toLowerCase()} ${attribute}="${id}"`);
      }
    }
  }
  return broken;
}"""


def accessibility_problems(page, axe_source):
    """axe-core's WCAG 2.1 A/AA violations and broken id references on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate("source => { (0, eval)(source); }", axe_source)
    return page.evaluate(AXE_RUN) + page.evaluate(BROKEN_ID_REFERENCES)


def overflows_horizontally(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
