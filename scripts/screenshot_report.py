#!/usr/bin/env python3
"""Screenshot an HTML report with headless Chromium: report path in, PNG out.

    check ../shared/seeds --format html --output /tmp/seeds.html
    python3 scripts/screenshot_report.py /tmp/seeds.html docs/screenshots/seeds-report.png

Needs Debian's ``chromium`` and ``chromium-driver`` (apt-get install -y chromium
chromium-driver) and ``selenium`` (pip install 'selenium>=4'). Nothing is
downloaded: the driver and browser binaries are given explicitly, so Selenium
Manager never runs. The page is captured at 1280 CSS pixels wide, full height.
``tests/test_html_report.py`` launches the browser through ``chrome()`` below.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

APT_PACKAGES = "chromium chromium-driver"
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--lang=en-US",
)
WIDTH = 1280


def find_binaries() -> tuple[str | None, str | None]:
    """(chromium, chromedriver) paths, each None when not installed."""
    browser = next(
        (p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/lib/chromium/chromium")
         if p and Path(p).exists()),
        None,
    )
    return browser, shutil.which("chromedriver")


def missing_reason() -> str | None:
    """Why a browser cannot be started here, or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install 'selenium>=4')"
    browser, driver = find_binaries()
    if not browser or not driver:
        return f"chromium/chromedriver not found (apt-get install -y {APT_PACKAGES})"
    return None


def ensure_browser() -> str | None:
    """Install Debian's chromium and chromium-driver when they are missing and apt-get can run
    (as root); return why a browser still cannot be started, or None when it can."""
    reason = missing_reason()
    if reason is None or "chromium" not in reason or shutil.which("apt-get") is None or os.geteuid() != 0:
        return reason
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 900}
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", *APT_PACKAGES.split()], check=True, env=environment, **quiet)
    except (OSError, subprocess.SubprocessError) as error:
        return f"{reason}; installing them failed: {error}"
    return missing_reason()


@contextlib.contextmanager
def chrome(width: int = WIDTH, height: int = 900) -> Iterator[Any]:
    """A headless Chromium WebDriver with a fresh profile, browser console logging on; quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = find_binaries()
    if not browser or not driver_path:
        raise RuntimeError(missing_reason() or "chromium not found")
    with tempfile.TemporaryDirectory(prefix="check-chrome-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in CHROME_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
        try:
            driver.set_page_load_timeout(15)
            yield driver
        finally:
            driver.quit()


def full_page_png(driver: Any, width: int = WIDTH) -> bytes:
    """The whole page (not just the viewport) as PNG, ``width`` CSS pixels wide."""
    import base64

    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    )
    height = int(driver.execute_script(
        "return Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight))"
    ))
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
    )
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return base64.b64decode(shot["data"])


def screenshot(report: Path, png: Path, width: int = WIDTH) -> Path:
    with chrome(width) as driver:
        driver.get(report.resolve().as_uri())
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(full_page_png(driver, width))
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, help="an HTML report written by check --format html")
    parser.add_argument("png", type=Path, help="where to write the screenshot")
    parser.add_argument("--width", type=int, default=WIDTH, help=f"viewport width in CSS pixels (default {WIDTH})")
    args = parser.parse_args(argv)
    reason = missing_reason()
    if reason:
        print(f"screenshot_report: {reason}", file=sys.stderr)
        return 2
    if not args.report.is_file():
        print(f"screenshot_report: no such file: {args.report}", file=sys.stderr)
        return 2
    print(screenshot(args.report, args.png, args.width))
    return 0


if __name__ == "__main__":
    sys.exit(main())
