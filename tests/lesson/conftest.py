"""The lesson page in a real browser: Debian's chromium driven by Playwright (its own browser download is not
reachable here; .ci/run installs chromium). One browser for the module; pages are opened per test."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.helpers import mnist, mnist_path  # noqa: F401 (fixtures)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) or not _has_playwright():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} or Playwright is missing (.ci/run installs both)")
        pytest.skip(f"needs {CHROMIUM} (Debian's chromium) and Playwright (pip install -e '.[test]')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # --no-sandbox: CI runs as root, where chromium's sandbox refuses to start
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def _has_playwright() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def shipped():
    from nnviz.core.modelio import SHIPPED_MODEL, load_model

    return load_model(SHIPPED_MODEL)


@pytest.fixture(scope="session")
def lesson_file(tmp_path_factory, shipped, mnist):  # noqa: F811
    """The shipped model's page, with MNIST test digits and a card note that tries to be HTML."""
    from nnviz.lesson import write_page

    net, card = shipped
    path = tmp_path_factory.mktemp("lesson") / "lesson.html"
    card = {**card, "note": "<script>window.pwned = 1</script><b>not bold</b>"}
    write_page(net, card, path, title="10-315, lecture 7 <img src=x onerror=alert(1)>", digits=(mnist.x_test,
                                                                                                  mnist.y_test),
               model_name="mnist-784-300-100-10.npz")
    return path


def open_page(browser, path, width: int = 1366, height: int = 768):
    """(page, requests seen, errors seen): the page loaded and ready."""
    page = browser.new_page(viewport={"width": width, "height": height})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    return page, requests, errors


@pytest.fixture(scope="module")
def lesson(browser, lesson_file):
    page, requests, errors = open_page(browser, lesson_file)
    yield page, requests, errors
    page.close()
