"""The dashboard in a real browser: Debian's Chromium, headless, driven by Selenium through Debian's
chromedriver (nothing is downloaded). A server runs on a seeded dataset; the tests open
/dashboard#token=…, create an export through the API, watch it appear, progress and complete, follow
its download link; a wrong token gets the sign-in prompt and no data. Screenshots go to
$FERRY_ARTIFACTS (default .build-tools/artifacts/browser).

Run by `make test-browser` (and `make test` when Chromium is installed), after a debug build."""
import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FERRY = os.path.join(ROOT, ".build", "debug", "ferry")
ARTIFACTS = os.environ.get("FERRY_ARTIFACTS", os.path.join(ROOT, ".build-tools", "artifacts", "browser"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SKUS = 20000


def ferry(*arguments):
    return subprocess.run([FERRY, *arguments], check=True, capture_output=True, text=True).stdout


class Server:
    """`ferry serve` on a data directory, on a free port read from its log."""

    def __init__(self, directory):
        self.log = []
        self.process = subprocess.Popen(
            [FERRY, "serve", "--data-dir", directory, "--port", "0", "--no-schedules", "--batch-size", "200", "--workers", "1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        found = threading.Event()
        self.port = None

        def read():
            for line in self.process.stderr:
                self.log.append(line)
                match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
                if match and not found.is_set():
                    self.port = int(match.group(1))
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(60) or self.port is None:
            self.stop()
            raise RuntimeError("the server did not start: " + "".join(self.log))
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def request(method, url, token=None, body=None):
    headers = {"Accept": "application/vnd.api+json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/vnd.api+json"
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method), timeout=30) as response:
        return response.status, response.read()


def browser():
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,1100",
                     "--no-first-run", "--disable-extensions", "--lang=en-US"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def requested_urls(driver):
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


class DashboardInABrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not fetch anything
        os.makedirs(ARTIFACTS, exist_ok=True)
        cls.directory = tempfile.mkdtemp(prefix="ferry-browser-")
        ferry("seed", "--data-dir", cls.directory, "--mode", "test", "--skus", str(SKUS))
        cls.token = ferry("token", "--data-dir", cls.directory, "--mode", "test").strip().splitlines()[-1]
        cls.server = Server(cls.directory)
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        status = cls.server.stop()
        shutil.rmtree(cls.directory, ignore_errors=True)
        if status != 0:
            raise AssertionError("the server ended with %s: %s" % (status, "".join(cls.server.log[-20:])))

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, name + ".png"))

    def wait(self, condition, seconds=60, message=""):
        return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(lambda _: condition(), message)

    def test_1_an_export_appears_progresses_completes_and_downloads(self):
        driver = self.driver
        driver.get(self.server.url + "/dashboard?interval=250#token=" + self.token)
        self.wait(lambda: "No exports yet" in driver.find_element(By.ID, "panel").text, message="the empty panel")
        # The token left the address for the tab's session storage.
        self.assertNotIn("token", driver.current_url)
        self.assertEqual(driver.execute_script("return sessionStorage.getItem('ferry.token')"), self.token)
        self.wait(lambda: driver.find_element(By.ID, "live").get_attribute("data-state") == "live", message="the event stream")
        self.assertEqual(driver.find_element(By.ID, "mode").text.lower(), "test")

        status, body = request("POST", self.server.url + "/api/exports", self.token, {
            "data": {"type": "exports", "attributes": {"resource_type": "skus", "includes": ["prices.price_tiers"]}}})
        self.assertEqual(status, 201)
        job_id = json.loads(body)["data"]["id"]
        row = "job-" + job_id

        def state():
            # Read in one script: the panel may be replaced between two element look-ups.
            return driver.execute_script("""
                var row = document.getElementById(arguments[0]);
                if (!row) return null;
                return [row.getAttribute('data-status'), Number(row.querySelector('.bar').getAttribute('aria-valuenow')),
                        row.querySelector('.processed').textContent];""", row)

        self.wait(lambda: state() is not None, message="the export's row")
        seen = []
        shot_taken = False
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            current = state()
            current = tuple(current) if current else None
            if current and (not seen or seen[-1] != current):
                seen.append(current)
            if current and current[0] == "in_progress" and 50 <= current[1] < 100 and not shot_taken:
                # The plot needs two samples to draw a line.
                if driver.execute_script("return document.querySelectorAll('#plot polyline').length") > 0:
                    self.shot("dashboard-running")
                    shot_taken = True
            if current and current[0] == "completed":
                break
            time.sleep(0.05)
        self.assertEqual(seen[-1][0], "completed", seen)
        self.assertEqual(seen[-1][1], 100)
        progressing = [s for s in seen if s[0] == "in_progress" and 0 < s[1] < 100]
        self.assertTrue(progressing, "no progress was shown between queued and completed: %s" % seen)
        percents = [s[1] for s in seen]
        self.assertEqual(percents, sorted(percents), "progress went backwards: %s" % seen)
        if not shot_taken:
            self.shot("dashboard-running")
        self.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#%s a.download" % row), message="the download link")
        self.assertEqual(driver.find_element(By.CSS_SELECTOR, "#%s .processed" % row).text, "{:,}".format(SKUS))
        self.shot("dashboard")

        # Follow the download link: the signed attachment, gzip JSON holding every record.
        link = driver.find_element(By.CSS_SELECTOR, "#%s a.download" % row).get_attribute("href")
        status, packed = request("GET", link)
        self.assertEqual(status, 200)
        records = json.loads(gzip.decompress(packed))
        self.assertEqual(len(records), SKUS)

        # The token went only in headers: no address the page requested holds it.
        urls = requested_urls(driver)
        self.assertTrue(any("/api/events" in u for u in urls), urls)
        self.assertFalse([u for u in urls if self.token in u])

    def test_2_a_wrong_token_shows_the_sign_in_prompt_and_no_data(self):
        driver = self.driver
        driver.get(self.server.url + "/dashboard#token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.bad")
        self.wait(lambda: driver.find_element(By.ID, "signin").is_displayed(), message="the sign-in prompt")
        self.wait(lambda: "refused" in driver.find_element(By.ID, "signin-reason").text, message="the refusal")
        self.assertEqual(driver.find_element(By.ID, "panel").text, "")
        self.assertFalse(driver.find_elements(By.CSS_SELECTOR, "tr.job"))
        self.assertIsNone(driver.execute_script("return sessionStorage.getItem('ferry.token')"))
        self.assertNotIn("token", driver.current_url)
        self.shot("dashboard-sign-in-refused")

        # Signing in with the right token through the form shows the data.
        driver.find_element(By.ID, "token-input").send_keys(self.token)
        driver.find_element(By.CSS_SELECTOR, "#signin-form button").click()
        self.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "tr.job"), message="the jobs after signing in")
        self.assertFalse(driver.find_element(By.ID, "signin").is_displayed())

    def test_3_without_a_token_the_page_asks_for_one(self):
        driver = self.driver
        driver.execute_script("sessionStorage.clear()")
        driver.get(self.server.url + "/dashboard")
        self.wait(lambda: driver.find_element(By.ID, "signin").is_displayed(), message="the sign-in prompt")
        self.assertIn("Paste an access token", driver.find_element(By.ID, "signin-reason").text)
        self.assertFalse(driver.find_elements(By.CSS_SELECTOR, "tr.job"))
        self.shot("dashboard-sign-in")

    def test_4_polling_is_the_fallback(self):
        driver = self.driver
        driver.get(self.server.url + "/dashboard?transport=poll#token=" + self.token)
        self.wait(lambda: driver.find_element(By.ID, "live").get_attribute("data-state") == "polling", message="polling")
        self.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "tr.job[data-status=completed]"), message="the completed export")
        status, body = request("POST", self.server.url + "/api/exports", self.token, {
            "data": {"type": "exports", "attributes": {"resource_type": "tags"}}})
        job_id = json.loads(body)["data"]["id"]
        self.wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#job-%s[data-status=completed]" % job_id), message="a new export, polled")


if __name__ == "__main__":
    unittest.main(verbosity=2)
